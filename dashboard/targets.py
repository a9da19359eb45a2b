"""A record's targets: a list of names, parsed in one place and joined in one place.

In memory a records frame keeps `target` as one text cell, the names joined by TARGET_SEPARATOR ("Russia;
Ukraine"), the form CSV, Excel and the library's tables hold and filters, DuckDB and hashing handle as a plain
string; `target_lists` gives the lists. Files that can hold a real list do: JSON and JSON Lines exports write
`target` as a list of names, Parquet written by `reactions score` as list<string>. Reading takes any of these:
"A; B", "A;B", a JSON list ('["A", "B"]', as a JSON upload's list cell arrives), a Python list or an array
(a Parquet list cell); every one parses to the same names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

import pandas as pd

TARGET_SEPARATOR = "; "


def parse_targets(cell: object) -> list[str]:
    """The names in a target cell, in order, trimmed, empty ones dropped; [] for an empty or missing cell."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return []
    if isinstance(cell, str):
        text = cell.strip()
        if text.startswith("[") and text.endswith("]"):
            try:
                items = json.loads(text)
            except ValueError:
                items = None
            if isinstance(items, list):
                return _names(items)
        return [name.strip() for name in text.split(";") if name.strip()]
    if isinstance(cell, Iterable):  # a list, a tuple, a numpy array from a Parquet list column
        return _names(cell)
    return parse_targets(str(cell))


def _names(items: Iterable[object]) -> list[str]:
    return [name for item in items if item is not None for name in parse_targets(str(item))]


def join_targets(names: Iterable[str]) -> str:
    """Names as one text cell, "A; B": how CSV, Excel and the in-memory frame hold a record's targets."""
    return TARGET_SEPARATOR.join(name for name in names if name)


def as_target_text(cell: object) -> str:
    """Any target cell (text, JSON list, list, array) as the one text form the in-memory frame keeps."""
    return join_targets(parse_targets(cell))


def canonical_targets(cell: object, canonical: Callable[[str], str | None]) -> str:
    """The cell's names, each replaced by `canonical(name)` where that knows it, joined."""
    return join_targets(canonical(name) or name for name in parse_targets(cell))


def target_lists(cells: pd.Series) -> pd.Series:
    """A target column as lists of names (each distinct cell parsed once: a corpus repeats few target strings)."""
    if cells.empty:
        return pd.Series([], index=cells.index, dtype=object)
    keys = cells.map(lambda cell: cell if isinstance(cell, str) else json.dumps(parse_targets(cell)))
    codes, distinct = pd.factorize(keys, sort=False)
    parsed = [parse_targets(value) for value in distinct]
    return pd.Series([list(parsed[code]) if code >= 0 else [] for code in codes], index=cells.index, dtype=object)


def with_target_lists(table: pd.DataFrame) -> pd.DataFrame:
    """A copy whose `target` column holds lists of names, for the files that can hold a list (JSON, JSON Lines,
    Parquet); the table itself when it has no target column."""
    if "target" not in table.columns:
        return table
    out = table.copy()
    out["target"] = target_lists(out["target"])
    return out
