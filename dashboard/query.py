"""The filters computed by DuckDB over the records, for data too large for a pandas mask per view.

The same answer as dashboard.filters.apply_filters (tests/test_query.py holds them to it), found by one SQL
query over an Arrow view of the records: DuckDB scans the columns a filter names, on every core, and hands back
the positions of the rows that pass; only those rows are copied. At a million records a text search is one
scan instead of six casefolded copies of a column, and a target filter no regular expression per row.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import pandas as pd

from dashboard.filters import NO_TARGET, POLARITY_RANGE, SEARCHED_COLUMNS, FilterState

# Below this many records a pandas mask is as quick and needs no query engine (the seed has 32).
QUERY_FROM_ROWS = 50_000
FILTERED_COLUMNS = ("event", "actor", "stance", "mode", "target", "polarity")
POSITION_COLUMN = "row_position"


def is_unfiltered(state: FilterState) -> bool:
    """True when the state restricts nothing: every record passes."""
    return state == replace(FilterState(), polarity=POLARITY_RANGE)


def where_clause(state: FilterState) -> tuple[str, list]:
    """The SQL condition for a filter state and its parameters (values are never pasted into the SQL)."""
    clauses, params = [], []
    if state.event:
        clauses.append("event = ?")
        params.append(state.event)
    for column, wanted in (("actor", state.actors), ("stance", state.stances), ("mode", state.modes)):
        if wanted:
            clauses.append(f"{column} IN ({', '.join('?' for _ in wanted)})")
            params.extend(wanted)
    if state.targets:
        # A record's targets are "; "-separated names; NO_TARGET stands for an empty cell (filters.aimed_at).
        names = [name for name in state.targets if name != NO_TARGET]
        either = []
        if names:
            either.append("list_has_any(list_transform(string_split(target, ';'), lambda t: trim(t)), ?::VARCHAR[])")
            params.append(names)
        if NO_TARGET in state.targets:
            either.append("trim(target) = ''")
        clauses.append("(" + " OR ".join(either) + ")")
    if state.polarity != POLARITY_RANGE:
        clauses.append("polarity BETWEEN ? AND ?")
        params.extend(state.polarity)
    needle = state.text.strip().casefold()
    if needle:
        clauses.append("(" + " OR ".join(f"contains(lower({column}), ?)" for column in SEARCHED_COLUMNS) + ")")
        params.extend([needle] * len(SEARCHED_COLUMNS))
    return (" AND ".join(clauses) or "true"), params


class RecordQuery:
    """DuckDB over one frame of scored records; `filtered(state)` is apply_filters(records, state)."""

    def __init__(self, records: pd.DataFrame):
        import duckdb
        import pyarrow as pa

        self.records = records
        columns = list(dict.fromkeys([*FILTERED_COLUMNS, *SEARCHED_COLUMNS]))
        # Arrow-backed text columns pass without a copy; the position says which rows of `records` passed.
        table = pa.Table.from_pandas(records[columns], preserve_index=False)
        table = table.append_column(POSITION_COLUMN, pa.array(np.arange(len(records), dtype=np.int64)))
        self._table = table
        self._connection = duckdb.connect()
        self._connection.register("records", table)
        # One connection answers one query at a time; Streamlit runs every session's script in its own thread.
        self._lock = threading.Lock()

    def positions(self, state: FilterState) -> np.ndarray:
        """The positions (0-based, in order) of the records that pass the filters."""
        condition, params = where_clause(state)
        sql = f"SELECT {POSITION_COLUMN} FROM records WHERE {condition} ORDER BY {POSITION_COLUMN}"
        with self._lock:
            found = self._connection.execute(sql, params).fetchnumpy()[POSITION_COLUMN]
        return np.asarray(found, dtype=np.int64)

    def filtered(self, state: FilterState) -> pd.DataFrame:
        """The records that pass every filter; the frame itself when nothing is filtered (never mutated)."""
        if is_unfiltered(state):
            return self.records
        positions = self.positions(state)
        if len(positions) == len(self.records):
            return self.records
        return self.records.iloc[positions]
