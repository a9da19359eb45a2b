"""`reactions score INPUT -o OUT.parquet --engine dask`: the same scoring spread over a Dask cluster.

Scoring is embarrassingly parallel: each (text, actor) is read on its own. The client reads and validates the input
(a file, a folder or a glob; the same reader as the local engine, so the same strings), normalises it as one table
(ids made unique across files, as locally) and cuts it into parts of PART_ROWS rows; each part is scored on a worker
(the resources loaded once per worker process) and written there as OUT.parquet/part-00000.parquet, ... in input
order, a Parquet dataset that pandas, DuckDB, Spark and Dask read. The values are the local engine's, row for row.

Where: `--scheduler tcp://host:8786` uses a running cluster (started by dask-kubernetes, dask-jobqueue on SLURM or
PBS, or `dask scheduler` / `dask worker` by hand); its workers need this package installed and OUT's folder on a
file system they share. `--workers N` starts a local cluster of N processes (default: every CPU available).
"""

from __future__ import annotations

import argparse
import logging
import sys
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard.errors import UnwritableFileError

# Rows per part: about 10-20 s of scoring each on one CPU, so parts spread evenly and progress moves, and the
# dataset does not split into thousands of small files.
PART_ROWS = 5_000
PART_NAME = "part-{:05d}.parquet"


@lru_cache(maxsize=2)
def _worker_resources(data_dir: str):
    from dashboard.scoring import load_resources

    return load_resources(data_dir)


def score_part(table: pd.DataFrame, records: pd.DataFrame, data_dir: str, path: str) -> int:
    """Score one part on a worker and write it as Parquet at path; the number of rows written."""
    from dashboard.cli import scored_output, with_actor_status
    from dashboard.scoring import score_records
    from dashboard.tables_io import write_parquet

    resources = _worker_resources(data_dir)
    scored = score_records(records.reset_index(drop=True), resources)
    write_parquet(with_actor_status(scored_output(table.reset_index(drop=True), scored), resources.registry), path)
    return len(table)


def _output_folder(output: str | None) -> Path:
    if not output or Path(output).suffix.lower() != ".parquet":
        raise UnwritableFileError(output or "(none)", "--engine dask writes a Parquet dataset: give -o NAME.parquet")
    folder = Path(output)
    if folder.is_file() or (folder.is_dir() and any(folder.iterdir())):
        raise UnwritableFileError(output, "already exists and is not an empty folder; choose a new name")
    if not folder.resolve().parent.is_dir():
        raise UnwritableFileError(output, "its folder does not exist")
    return folder


@contextmanager
def _client(scheduler: str | None, workers: int | None):
    """A client of the given scheduler, or of a local cluster of `workers` processes closed afterwards."""
    from distributed import Client, LocalCluster

    from dashboard.scoring_pool import available_cpus

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    # One thread per worker process: the scoring is pure Python, threads would share one interpreter lock.
    with (
        LocalCluster(
            n_workers=workers or available_cpus(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def score_with_dask(args: argparse.Namespace) -> int:
    """The --engine dask branch of `reactions score` (args as the CLI parsed them)."""
    from distributed import as_completed

    from dashboard import DATA_DIR
    from dashboard.cli import EXIT_OK, _load_valid_table
    from dashboard.progress import terminal_progress
    from dashboard.records import normalise_records
    from dashboard.scoring import load_resources
    from dashboard.tables_io import input_files

    folder = _output_folder(args.output)
    resources = load_resources()
    tables = [_load_valid_table(str(path), resources, args.encoding)[0] for path in input_files(args.input)]
    table = tables[0] if len(tables) == 1 else pd.concat(tables, ignore_index=True).fillna("")
    records = normalise_records(table, resources.registry)
    folder.mkdir(exist_ok=True)
    starts = range(0, max(len(table), 1), PART_ROWS)
    with _client(args.scheduler, args.workers) as client:
        futures = [
            client.submit(
                score_part,
                table.iloc[start : start + PART_ROWS],
                records.iloc[start : start + PART_ROWS],
                str(DATA_DIR),
                str((folder / PART_NAME.format(number)).resolve()),
                pure=False,
            )
            for number, start in enumerate(starts)
        ]
        written = 0
        with terminal_progress("Scoring on Dask", args.quiet) as progress:
            for future in as_completed(futures):
                written += future.result()
                if progress is not None:
                    progress(written, len(table))
    print(f"{args.output}: {written:,} rows in {len(futures)} Parquet part(s)", file=sys.stderr)
    return EXIT_OK
