"""Tables in and out beyond one file: a file, a folder or a glob of CSV, JSONL, JSON, Excel or Parquet files as
input, and Parquet out (a file from the local engine, a dataset folder of parts from the Dask engine).

Parquet cells are read as text like every other format (a number stays as written: "3", not 3.0), so validation
and scoring see the same strings whatever the file type.
"""

from __future__ import annotations

import glob
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.errors import UnreadableFileError, UnwritableFileError
from dashboard.targets import join_targets, parse_targets, target_lists

PARQUET_SUFFIX = ".parquet"
# What a folder or a glob may hold (other files in a folder are left alone).
INPUT_SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".jsonl", ".xlsx", PARQUET_SUFFIX)
GLOB_CHARACTERS = "*?["


def input_files(source: str) -> list[Path]:
    """The files an INPUT names: a file, every table file in a folder (sorted), or a glob's matches (sorted)."""
    path = Path(source)
    if path.is_dir():
        if path.suffix.lower() == PARQUET_SUFFIX:  # a Parquet dataset folder: its parts
            files = sorted(p for p in path.rglob(f"*{PARQUET_SUFFIX}") if p.is_file())
        else:
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES)
        if not files:
            raise UnreadableFileError(source, f"the folder holds no table file ({', '.join(INPUT_SUFFIXES)})")
        return files
    if any(char in source for char in GLOB_CHARACTERS) and not path.exists():
        files = sorted(Path(p) for p in glob.glob(source, recursive=True) if Path(p).is_file())
        if not files:
            raise UnreadableFileError(source, "no file matches this pattern")
        return files
    return [path]


def read_parquet_table(path: Path | str) -> pd.DataFrame:
    """A Parquet file (or dataset folder) as a table of strings: missing values as "", numbers as written."""
    try:
        table = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a damaged or foreign file
        raise UnreadableFileError(str(path), f"not a readable Parquet file ({type(exc).__name__}: {exc})") from exc
    return pd.DataFrame({str(column): [_text(value) for value in table[column]] for column in table.columns})


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, list | tuple | np.ndarray):  # a list cell (targets): "A; B", as every other reader gives
        return join_targets(parse_targets(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_parquet(table: pd.DataFrame, output: Path | str) -> None:
    """One Parquet file (pyarrow, snappy); `target` as list<string> (dashboard.targets), other object columns as
    strings so every reader sees one type."""
    frame = table.copy()
    for column in frame.columns:
        if column == "target":
            frame[column] = target_lists(frame[column])
        elif frame[column].dtype == object:
            frame[column] = frame[column].map(lambda value: "" if value is None else str(value))
    try:
        frame.to_parquet(output, index=False)
    except OSError as exc:
        raise UnwritableFileError(str(output), exc.strerror or str(exc)) from exc
