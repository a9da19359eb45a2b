"""The filters computed by DuckDB over the records, for data too large for a pandas mask per view.

The same answer as dashboard.filters.apply_filters (tests/test_query.py holds them to it), found by one SQL
query over an Arrow view of the records: DuckDB scans the columns a filter names, on every core, and hands back
the positions of the rows that pass; only those rows are copied. At a million records a text search is one
scan instead of six casefolded copies of a column, and a target filter no regular expression per row.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from dataclasses import replace

import numpy as np
import pandas as pd

from dashboard.filters import NO_TARGET, POLARITY_RANGE, SEARCHED_COLUMNS, FilterState
from dashboard.text_search import SearchTables

# Below this many records a pandas mask is as quick and needs no query engine (the seed has 32).
QUERY_FROM_ROWS = 50_000
FILTERED_COLUMNS = ("event", "actor", "stance", "mode", "target", "polarity")
POSITION_COLUMN = "row_position"


def is_unfiltered(state: FilterState) -> bool:
    """True when the state restricts nothing: every record passes."""
    return state == replace(FilterState(), polarity=POLARITY_RANGE)


def where_clause(state: FilterState, searched: str | None = None) -> tuple[str, list]:
    """The SQL condition for a filter state and its parameters (values are never pasted into the SQL).
    A text search needs `searched`: the name of the table of the positions it finds (text_search.SearchTables),
    worked out once per search text with apply_filters' exact matching."""
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
    if search_text(state):
        if searched is None:
            raise ValueError("a text search needs the table of the records it finds (SearchTables.table_for)")
        clauses.append(f"{POSITION_COLUMN} IN (SELECT {POSITION_COLUMN} FROM {searched})")
    return (" AND ".join(clauses) or "true"), params


def search_text(state: FilterState) -> str:
    """What the records' searched columns must hold, as apply_filters compares it (casefolded), or ""."""
    return state.text.strip().casefold()


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
        self._searches = SearchTables(self._connection, self._lock)

    def positions(self, state: FilterState) -> np.ndarray:
        """The positions (0-based, in order) of the records that pass the filters."""
        needle = search_text(state)
        condition, params = where_clause(state, self._searches.table_for(needle) if needle else None)
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


# --- Every record of a view of the data, queried where it lies ---

# What a part of the store is typed as in SQL, so a frame and a Parquet file agree column by column.
_SQL_TYPES = {"start": "BIGINT", "end": "BIGINT"}
_SQL_TYPES |= {c: "BOOLEAN" for c in ("negated", "tone_conflict", "stance_agrees", "stance_found")}
_SQL_TYPES |= {c: "DOUBLE" for c in ("confidence", "polarity", "subjectivity", "intensity", "goldstein")}


def _sql_name(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _proc_fd_path(handle) -> str:
    """A path naming the open file `handle` for as long as it is open, even once the library replaced or
    removed it (Linux's /proc/self/fd); elsewhere the file's own path."""
    candidate = f"/proc/self/fd/{handle.fileno()}"
    return candidate if os.path.exists(candidate) else handle.name


class RecordStore:
    """DuckDB over every record of one version of the data: frames held in memory (the shipped seed, a
    session's additions) and the library's Parquet files, read where they lie, in that order.

    The server never holds the library's records as Python objects: a key figure, a chart's counts or a page
    of quotes is one query, answered by scanning the columns it names, and only its small result is fetched.
    Each event file is held open from the moment the store is made, so a store answers from the files as they
    were then, even if a writer replaces or removes them meanwhile (the next page load makes a new store).
    Answers equal those of the pandas functions over the joined frame (tests/test_query.py holds them to it).
    """

    def __init__(self, parts: list, columns: tuple[str, ...]):
        """`parts`: in row order, pandas frames and Parquet files (paths, or files open for reading) holding
        `columns` (a column a part lacks reads as NULL)."""
        import duckdb
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.columns = tuple(columns)
        self._connection = duckdb.connect()
        self._lock = threading.Lock()
        self._parts = []
        selects, offset = [], 0
        for number, part in enumerate(parts):
            if isinstance(part, pd.DataFrame):
                present = [c for c in self.columns if c in part.columns]
                table = pa.Table.from_pandas(part[present], preserve_index=False)
                table = table.append_column(POSITION_COLUMN, pa.array(np.arange(offset, offset + len(part))))
                name = f"frame_{number}"
                self._connection.register(name, table)
                source, position, rows = name, POSITION_COLUMN, len(part)
            else:
                # Held open for the store's life (see the docstring); a store extended from this one shares it.
                handle = part if hasattr(part, "fileno") else open(part, "rb")  # noqa: SIM115
                part = handle
                rows = pq.read_metadata(handle).num_rows
                present = pq.read_schema(handle).names
                path = _proc_fd_path(handle).replace("'", "''")
                source = f"read_parquet('{path}', file_row_number = true)"
                position = f"file_row_number + {offset}"
            cells = [
                f"CAST({_sql_name(c)} AS {_SQL_TYPES.get(c, 'VARCHAR')}) AS {_sql_name(c)}"
                if c in present
                else f"CAST(NULL AS {_SQL_TYPES.get(c, 'VARCHAR')}) AS {_sql_name(c)}"
                for c in self.columns
            ]
            selects.append(f"SELECT {', '.join(cells)}, CAST({position} AS BIGINT) AS {POSITION_COLUMN} FROM {source}")
            self._parts.append(part)
            offset += rows
        self.total = offset
        self._searches = SearchTables(self._connection, self._lock)
        self._connection.execute("CREATE VIEW records AS " + ("\nUNION ALL ".join(selects) or _EMPTY_SELECT))

    def extended(self, frame: pd.DataFrame) -> RecordStore:
        """This store's records followed by `frame`'s (a session's additions), from the same open files."""
        return RecordStore([*self._parts, frame], self.columns)

    @contextmanager
    def connection(self):
        """The store's DuckDB connection, for one caller at a time (temporary tables live as long as the store)."""
        with self._lock:
            yield self._connection

    def arrow(self, sql: str, params: list):
        """A query's answer as an Arrow table (text without a Python object per cell)."""
        with self._lock:
            return self._connection.sql(sql, params=params).to_arrow_table()

    def _execute(self, sql: str, params: list) -> pd.DataFrame:
        # Through Arrow: text arrives as pandas' str columns without a Python object per cell (4x faster).
        with self._lock:
            table = self._connection.sql(sql, params=params).to_arrow_table()
        return table.to_pandas()

    def where(self, state: FilterState, extra: tuple[str, list] | None = None) -> tuple[str, list]:
        """The SQL condition (and its parameters) for the records that pass the filters and `extra`."""
        return self._where(state, extra)

    def _where(self, state: FilterState, extra: tuple[str, list] | None = None) -> tuple[str, list]:
        needle = search_text(state)
        condition, params = where_clause(state, self._searches.table_for(needle) if needle else None)
        if extra is not None:
            condition, params = f"({condition}) AND ({extra[0]})", [*params, *extra[1]]
        return condition, params

    def count(self, state: FilterState, extra: tuple[str, list] | None = None) -> int:
        condition, params = self._where(state, extra)
        with self._lock:
            return int(
                self._connection.execute(f"SELECT count(*) FROM records WHERE {condition}", params).fetchall()[0][0]
            )

    def rows(
        self,
        state: FilterState,
        columns: tuple[str, ...] | list[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        extra: tuple[str, list] | None = None,
    ) -> pd.DataFrame:
        """The records that pass (and `extra`, an SQL condition with its parameters), in the data's order, with
        `columns` (default all); `limit` rows from `offset` (default every one)."""
        condition, params = self._where(state, extra)
        names = ", ".join(_sql_name(c) for c in (columns or self.columns))
        if limit is None:
            sql = f"SELECT {names} FROM records WHERE {condition} ORDER BY {POSITION_COLUMN}"
            return _typed(self._execute(sql, params))
        # A page: the positions first (only the filtered columns are read), then those rows' columns, found by a
        # range of positions that the Parquet reader narrows to a few row groups.
        sql = f"SELECT {POSITION_COLUMN} FROM records WHERE {condition} ORDER BY {POSITION_COLUMN} LIMIT ? OFFSET ?"
        with self._lock:
            found = self._connection.execute(sql, [*params, int(limit), int(offset)]).fetchnumpy()[POSITION_COLUMN]
        return self._at_positions(np.asarray(found, dtype=np.int64), names)

    def _at_positions(self, positions: np.ndarray, names: str) -> pd.DataFrame:
        low, high = (int(positions.min()), int(positions.max())) if len(positions) else (0, -1)
        sql = f"""SELECT {names} FROM records WHERE {POSITION_COLUMN} BETWEEN ? AND ?
            AND {POSITION_COLUMN} IN (SELECT unnest(?::BIGINT[])) ORDER BY {POSITION_COLUMN}"""
        return _typed(self._execute(sql, [low, high, positions.tolist()]))

    def rows_at(self, state: FilterState, picked: np.ndarray) -> pd.DataFrame:
        """The passing records at the 0-based positions `picked` (sorted) among them, with every column: the
        passing records' positions first (one integer column), then only the picked records' columns."""
        condition, params = self._where(state)
        with self._lock:
            passing = self._connection.execute(
                f"SELECT {POSITION_COLUMN} FROM records WHERE {condition} ORDER BY {POSITION_COLUMN}", params
            ).fetchnumpy()[POSITION_COLUMN]
        wanted = np.asarray(passing, dtype=np.int64)[np.asarray(picked, dtype=np.int64)]
        return self._at_positions(wanted, ", ".join(_sql_name(c) for c in self.columns))

    def distinct(self, state: FilterState, columns: tuple[str, ...]) -> pd.DataFrame:
        """The distinct combinations of `columns` among the records that pass, with their `records` count."""
        condition, params = self._where(state)
        names = ", ".join(_sql_name(c) for c in columns)
        return _typed(
            self._execute(f"SELECT {names}, count(*) AS records FROM records WHERE {condition} GROUP BY ALL", params)
        )

    def by_target(self, state: FilterState) -> pd.DataFrame:
        """The records that pass, grouped by target cell and stance: how many, and their distinct actors."""
        condition, params = self._where(state)
        sql = f"""SELECT coalesce(target, '') AS target, coalesce(stance, '') AS stance, count(*) AS records,
            list(DISTINCT actor) AS actors FROM records WHERE {condition} GROUP BY ALL"""
        with self._lock:
            table = self._connection.sql(sql, params=params).to_arrow_table()
        return table.to_pandas()

    def key_figures(self, state: FilterState, sentences: bool = True) -> dict[str, int | float]:
        """summary.key_figures of the records that pass, from one scan; without "sentences" (distinct texts: the
        dearest count, a hash of every text) unless asked."""
        from dashboard.codebook import stances_in_family
        from dashboard.summary import _split_targets

        condition, params = self._where(state)
        hostile, cordial = sorted(stances_in_family("hostile")), sorted(stances_in_family("cordial"))
        marks = lambda names: ", ".join("?" for _ in names) or "NULL"  # noqa: E731
        distinct_texts = "count(DISTINCT text)" if sentences else "NULL"
        sql = f"""SELECT count(*), count(DISTINCT nullif(event, '')), count(DISTINCT actor), {distinct_texts},
            count(*) FILTER (WHERE stance IN ({marks(hostile)})),
            count(*) FILTER (WHERE stance IN ({marks(cordial)})),
            count(*) FILTER (WHERE stance_source = 'curated'),
            count(*) FILTER (WHERE NOT coalesce(stance_agrees, true)),
            count(*) FILTER (WHERE coalesce(tone_conflict, false)),
            avg(polarity) FILTER (WHERE NOT isnan(polarity)),
            avg(intensity) FILTER (WHERE NOT isnan(intensity)),
            list(DISTINCT coalesce(target, ''))
            FROM records WHERE {condition}"""
        # One scan for every figure (the distinct target cells, few, are split here as summary.py splits them).
        with self._lock:
            row = self._connection.execute(sql, [*hostile, *cordial, *params]).fetchall()[0]
        records, events, actors, texts, hostile_n, cordial_n, curated, disagreements, conflicts = row[:9]
        names = {name for cell in row[11] or () for name in _split_targets(cell)} - {""}
        figures = {
            "records": int(records),
            "events": int(events),
            "actors": int(actors),
            "targets": len(names),
            "sentences": int(texts or 0),
            "hostile_share": hostile_n / records if records else 0.0,
            "cordial_share": cordial_n / records if records else 0.0,
            "curated": int(curated),
            "predicted_only": int(records - curated),
            "disagreements": int(disagreements),
            "tone_conflicts": int(conflicts),
            "mean_polarity": float("nan") if row[9] is None else float(row[9]),
            "mean_intensity": float("nan") if row[10] is None else float(row[10]),
        }
        if not sentences:
            del figures["sentences"]
        return figures

    def found_by_the_rules(self, state: FilterState) -> tuple[int, int]:
        """(found, checked) as views.overview.found_by_the_rules counts them."""
        condition, params = self._where(state)
        sql = f"""SELECT count(*) FILTER (WHERE stance_source = 'curated' AND coalesce(stance_found, true)),
            count(*) FILTER (WHERE stance_source = 'curated') FROM records WHERE {condition}"""
        with self._lock:
            found, checked = self._connection.execute(sql, params).fetchall()[0]
        return int(found), int(checked)


_EMPTY_SELECT = "SELECT NULL AS id WHERE false"


def _typed(found: pd.DataFrame) -> pd.DataFrame:
    """A fetched frame with the dtypes the pandas path has (text as str, offsets Int64)."""
    for column in found.columns:
        if column in ("start", "end"):
            found[column] = found[column].astype("Int64")
        elif column not in _SQL_TYPES and column not in ("records", POSITION_COLUMN) and found[column].dtype != "str":
            found[column] = found[column].astype("str")
    return found


def counts_frame(distinct: pd.DataFrame) -> pd.DataFrame:
    """A `distinct` answer as records again: each combination repeated `records` times (for a pandas
    function that counts rows; the combinations are few however many records there are)."""
    return distinct.loc[distinct.index.repeat(distinct["records"])].drop(columns="records").reset_index(drop=True)


def target_summary(grouped: pd.DataFrame) -> pd.DataFrame:
    """summary.summarise_by_target from the records grouped by target cell and stance (RecordStore.by_target:
    columns target, stance, records, actors as lists): the same table, from a thousand groups rather than every
    record (or every actor, stance and target combination: 300,000 at a million records, seconds of pandas)."""
    from dashboard.summary import LIST_SEPARATOR, NO_TARGET_LABEL, _split_targets, stance_order_for, summarise_by_target

    if grouped.empty:
        return summarise_by_target(pd.DataFrame({"actor": [], "stance": [], "target": []}))
    records: dict[tuple[str, str], int] = {}
    actors: dict[tuple[str, str], set[str]] = {}
    for cell, stance, count, names in grouped[["target", "stance", "records", "actors"]].itertuples(index=False):
        for name in _split_targets("" if cell is None else str(cell)):
            key = (name or NO_TARGET_LABEL, "" if stance is None else str(stance))
            records[key] = records.get(key, 0) + int(count)
            actors.setdefault(key, set()).update(names if names is not None else ())
    table = pd.DataFrame(
        {
            "target": pd.array([key[0] for key in records], dtype="str"),
            "stance": pd.array([key[1] for key in records], dtype="str"),
            "records": np.array(list(records.values()), dtype=np.int64),
            "actors": pd.array(
                [LIST_SEPARATOR.join(sorted(a for a in actors[key] if a)) for key in records], dtype="str"
            ),
        }
    )
    totals = table.groupby("target")["records"].transform("sum")
    order = {stance: i for i, stance in enumerate(stance_order_for(table["stance"]))}
    table = table.assign(
        _no_target=table["target"] == NO_TARGET_LABEL, _total=totals, _stance_rank=table["stance"].map(order)
    )
    table = table.sort_values(
        ["_no_target", "_total", "target", "_stance_rank"], ascending=[True, False, True, True], ignore_index=True
    )
    return table[["target", "stance", "records", "actors"]]


def selection_condition(points) -> tuple[str, list]:
    """The SQL condition picking the records behind selected chart marks, as figures.records_behind_points
    picks them: a selector's fields (all of them), or record ids. "false" when nothing is selected."""
    from urllib.parse import parse_qsl

    from dashboard.figures.selection import RECORD_ID_SEPARATOR, SELECTOR_FIELDS, SELECTOR_PREFIX

    either, params, ids = [], [], []
    for point in points or ():
        custom = point.get("customdata")
        if custom is None:
            continue
        for value in [custom] if isinstance(custom, str) else list(custom):
            text = str(value or "")
            if not text.startswith(SELECTOR_PREFIX):
                ids.extend(part for part in text.split(RECORD_ID_SEPARATOR) if part)
                continue
            fields = dict(parse_qsl(text[len(SELECTOR_PREFIX) :], keep_blank_values=True))
            if not fields or any(name not in SELECTOR_FIELDS for name in fields):
                continue  # a selector this version does not know picks nothing
            picked = FilterState(
                actors=(fields["actor"],) if "actor" in fields else (),
                stances=(fields["stance"],) if "stance" in fields else (),
                targets=((fields["target"] or NO_TARGET),) if "target" in fields else (),
            )
            condition, values = where_clause(picked)
            either.append(f"({condition})")
            params.extend(values)
    if ids:
        either.append("id IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(dict.fromkeys(ids)))
    return (" OR ".join(either) or "false"), params
