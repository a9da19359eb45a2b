"""The sidebar's text search in SQL, matching exactly as filters.apply_filters matches.

apply_filters keeps a record when its casefolded search text is part of any searched column's casefolded cell
(Python's str.casefold: "Straße" holds "ss", a final "ς" is "σ"; accents are kept, so "Turkiye" does not find
"Türkiye"). DuckDB has no casefold, and its lower() differs from it for a few hundred non-ASCII characters (ß,
ſ, ﬁ, İ, ς, Cherokee letters...). For an ASCII cell the two agree, so SQL answers; a cell holding any other
character is checked in Python with casefold itself (fetched only for the rows SQL cannot settle). The records
found are kept per search text as a table of positions, which every query of the view joins instead of scanning
the text again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from dashboard.filters import SEARCHED_COLUMNS

POSITION_COLUMN = "row_position"
# Search texts whose records are kept per engine (a view's queries reuse them; a few MB each at 1M records).
KEPT_SEARCHES = 16


def matching_positions(connection, needle: str, columns: tuple[str, ...] = SEARCHED_COLUMNS) -> np.ndarray:
    """The positions (sorted) of the rows of `records` whose `columns` hold `needle` (already casefolded) as
    apply_filters finds it."""
    ascii_cell = "strlen({0}) = length({0})"  # bytes = characters
    sure = " OR ".join(f"coalesce(contains(lower({c}), ?) AND {ascii_cell.format(c)}, false)" for c in columns)
    doubtful = ", ".join(f"CASE WHEN NOT {ascii_cell.format(c)} THEN {c} END AS {c}" for c in columns)
    candidates = " OR ".join(f"contains(lower({c}), ?) OR NOT {ascii_cell.format(c)}" for c in columns)
    sql = f"SELECT {POSITION_COLUMN}, ({sure}) AS sure, {doubtful} FROM records WHERE {candidates}"
    found = connection.sql(sql, params=[needle] * (2 * len(columns))).to_arrow_table().to_pydict()
    kept = [
        position
        for position, certain, *cells in zip(
            found[POSITION_COLUMN], found["sure"], *(found[c] for c in columns), strict=True
        )
        if certain or any(cell is not None and needle in cell.casefold() for cell in cells)
    ]
    return np.array(sorted(kept), dtype=np.int64)


class SearchTables:
    """Per search text, the positions of the records it finds, registered as a table on one connection."""

    def __init__(self, connection, lock: threading.Lock):
        self._connection, self._lock = connection, lock
        self._tables: OrderedDict[str, str] = OrderedDict()
        self._made = 0

    def table_for(self, needle: str) -> str:
        """The name of the table of positions `needle` (casefolded) finds, made on first use."""
        import pyarrow as pa

        with self._lock:
            if needle in self._tables:
                self._tables.move_to_end(needle)
                return self._tables[needle]
            positions = matching_positions(self._connection, needle)
            self._made += 1
            name = f"search_hits_{self._made}"
            self._connection.register(name, pa.table({POSITION_COLUMN: pa.array(positions, type=pa.int64())}))
            self._tables[needle] = name
            if len(self._tables) > KEPT_SEARCHES:
                _, oldest = self._tables.popitem(last=False)
                self._connection.unregister(oldest)
            return name
