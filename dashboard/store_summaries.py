"""summary.py's tables and the map's counts, asked of the query engine (a RecordStore) rather than computed with
pandas over every record: each is a few grouped queries whose small answers are fetched through Arrow, then
finished with the same pandas code as the in-memory path (tests/test_query.py holds the two paths to each other).

A record's targets are one text cell ("Syria; Russia", or a JSON list); the distinct cells in view are few however
many records there are, so they are split here by summary.py's own function and handed to the query as a table
(cell, nth, name): a join then explodes the records exactly as summary.explode_targets does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.chart_counts import LINK_KEYS, FlowLinks, MapCounts, empty_map_counts, flow_links
from dashboard.codebook import stances
from dashboard.filters import FilterState
from dashboard.query import POSITION_COLUMN, RecordStore
from dashboard.summary import (
    LIST_SEPARATOR,
    MEAN_COLUMNS,
    NO_TARGET_LABEL,
    _split_targets,
    actor_table,
    dominant_table,
    stance_order_for,
)

# |intensity|, a missing one (NULL or NaN) as 0: summary.stance_tally's strength.
STRENGTH = "CASE WHEN intensity IS NULL OR isnan(intensity) THEN 0.0 ELSE abs(intensity) END"
# The records' target cells split into names: a table from three lists passed as parameters.
NAMES_TABLE = "SELECT unnest(?::VARCHAR[]) AS cell, unnest(?::BIGINT[]) AS nth, unnest(?::VARCHAR[]) AS name"


def _cells(store: RecordStore, condition: str, params: list) -> pd.DataFrame:
    """The distinct target cells of the records that pass, with the first position each appears at and the
    earliest non-empty date among its records."""
    sql = f"""SELECT coalesce(target, '') AS cell, min({POSITION_COLUMN}) AS first,
        min(date) FILTER (WHERE coalesce(date, '') <> '') AS first_date
        FROM records WHERE {condition} GROUP BY 1"""
    return store.arrow(sql, params).to_pandas()


def _names(cells: pd.DataFrame, toward: str | None) -> tuple[list[str], list[int], list[str], list[str]]:
    """The (cell, nth, name) table of `cells` (only the names equal to `toward`, when given), and the names in
    the order they first appear in the exploded records (by the cell's first record, then place in the cell)."""
    split, firsts = ([], [], []), {}
    for cell, first in zip(cells["cell"], cells["first"], strict=True):
        for nth, name in enumerate(_split_targets(cell)):
            if toward and name != toward:
                continue
            for column, value in zip(split, (cell, nth, name), strict=True):
                column.append(value)
            firsts[name] = min(firsts.get(name, (first, nth)), (first, nth))
    return *split, sorted(firsts, key=firsts.get)


def _texts(store: RecordStore, positions: list[int]) -> dict[int, str | None]:
    """The text of the records at `positions`."""
    if not positions:
        return {}
    wanted = sorted(set(positions))
    sql = f"""SELECT {POSITION_COLUMN}, text FROM records WHERE {POSITION_COLUMN} BETWEEN ? AND ?
        AND {POSITION_COLUMN} IN (SELECT unnest(?::BIGINT[]))"""
    found = store.arrow(sql, [wanted[0], wanted[-1], wanted]).to_pydict()
    return dict(zip(found[POSITION_COLUMN], found["text"], strict=True))


def store_map_counts(store: RecordStore, state: FilterState, toward: str | None, limit: int) -> MapCounts:
    """chart_counts.map_counts of the records that pass `state`, from the store: the same answer."""
    condition, params = store.where(state)
    cells = _cells(store, condition, params)
    cell_list, nth_list, name_list, targets = _names(cells, toward)
    if not name_list:
        return empty_map_counts()
    dates = [d for d in cells["first_date"] if isinstance(d, str)]
    # A link's first appearance: its first record's position, then the target's place in the record's cell.
    width = max(nth_list) + 1
    names = [cell_list, nth_list, name_list]
    exploded = f"""FROM records JOIN ({NAMES_TABLE}) AS names ON coalesce(target, '') = names.cell
        WHERE {condition}"""
    order = list(stances())
    with store.connection() as connection:
        connection.execute(
            f"""CREATE OR REPLACE TEMP TABLE map_links AS SELECT coalesce(actor, '') AS actor, name AS target,
            coalesce(stance, '') AS stance, count(*) AS records, min({POSITION_COLUMN} * {width} + nth) AS first
            {exploded} AND name <> '' GROUP BY ALL""",
            [*names, *params],
        )
        link_total = connection.execute("SELECT count(*) FROM map_links").fetchall()[0][0]
        # link_order's order: busiest first, ties in stance order (unknown stances after), then by name.
        busiest = connection.sql(
            """SELECT * FROM map_links ORDER BY records DESC, coalesce(list_position(?::VARCHAR[], stance), ?),
            actor, target, stance LIMIT ?""",
            params=[order, len(order) + 1, limit],
        ).to_arrow_table()
        received = connection.execute("SELECT target, sum(records) FROM map_links GROUP BY 1").fetchall()
        aimed = connection.execute("SELECT actor, list(DISTINCT target) FROM map_links GROUP BY 1").fetchall()
        connection.execute("DROP TABLE map_links")
    # One row per (actor, record id), its first: a record aimed at two targets counts once for its actor.
    toward_only = "AND coalesce(target, '') IN (SELECT unnest(?::VARCHAR[]))" if toward else ""
    toward_params = [sorted(set(cell_list))] if toward else []
    tally = store.arrow(
        f"""SELECT actor, stance, count(*) AS records, fsum(strength) AS strength FROM (
            SELECT coalesce(actor, '') AS actor, arg_min(coalesce(stance, ''), {POSITION_COLUMN}) AS stance,
            arg_min({STRENGTH}, {POSITION_COLUMN}) AS strength FROM records WHERE {condition} {toward_only}
            GROUP BY coalesce(actor, ''), coalesce(id, '')) GROUP BY ALL""",
        [*params, *toward_params],
    ).to_pandas()
    targets_of = {actor: LIST_SEPARATOR.join(sorted(n for n in names if n)) for actor, names in aimed}
    actors = tally["actor"].unique()
    dominant = dominant_table(
        tally, pd.Series([targets_of.get(a, "") for a in actors], index=pd.Index(actors), dtype="str")
    )
    firsts = store.arrow(
        f"""SELECT coalesce(actor, '') AS actor, coalesce(stance, '') AS stance, min({POSITION_COLUMN}) AS first
        FROM records WHERE {condition} {toward_only} GROUP BY ALL""",
        [*params, *toward_params],
    ).to_pydict()
    first_of = {(a, s): p for a, s, p in zip(firsts["actor"], firsts["stance"], firsts["first"], strict=True)}
    quoted = {a: first_of[(a, s)] for a, s in zip(dominant["actor"], dominant["dominant_stance"], strict=True)}
    links = busiest.to_pandas().sort_values("first", kind="stable")
    link_positions = (links["first"].to_numpy(dtype=np.int64) // width).tolist()
    texts = _texts(store, [*quoted.values(), *link_positions])
    links = links.assign(text=[texts[p] for p in link_positions])[[*LINK_KEYS, "records", "text"]]
    return MapCounts(
        dominant=dominant,
        links=links.reset_index(drop=True),
        link_total=int(link_total),
        targets=tuple(targets),
        received={str(t): int(n) for t, n in received},
        quotes={a: str(texts[p]) for a, p in quoted.items()},
        first_date=min(dates) if dates else None,
    )


def _mean(column: str) -> str:
    """pandas' mean of a column (NULL and NaN skipped), from a compensated sum as pandas' groupby sums."""
    kept = f"FILTER (WHERE NOT isnan({column}))"
    return f"fsum({column}) {kept} / nullif(count({column}) {kept}, 0) AS {column}"


def store_actor_summary(store: RecordStore, state: FilterState) -> pd.DataFrame:
    """summary.summarise_by_actor of the records that pass `state`, from the store: the same table, from the
    counts per actor and stance, the means per actor and the target cells per actor (a few thousand rows)."""
    condition, params = store.where(state)
    actor = "coalesce(actor, '')"
    tally = store.arrow(
        f"""SELECT {actor} AS actor, coalesce(stance, '') AS stance, count(*) AS records,
        fsum({STRENGTH}) AS strength FROM records WHERE {condition} GROUP BY ALL""",
        params,
    ).to_pandas()
    present = stance_order_for(tally["stance"])
    if tally.empty:
        return actor_table(tally, None, None, present)
    means = store.arrow(
        f"SELECT {actor} AS actor, {', '.join(_mean(c) for c in MEAN_COLUMNS)} FROM records WHERE {condition} "
        "GROUP BY 1",
        params,
    ).to_pandas()
    cells = store.arrow(
        f"SELECT {actor} AS actor, list(DISTINCT coalesce(target, '')) AS cells FROM records WHERE {condition} "
        "GROUP BY 1",
        params,
    ).to_pydict()
    split: dict[str, list[str]] = {}
    targets = {
        name: LIST_SEPARATOR.join(
            sorted({t for cell in actor_cells for t in split.setdefault(cell, _split_targets(cell)) if t})
        )
        for name, actor_cells in zip(cells["actor"], cells["cells"], strict=True)
    }
    return actor_table(
        tally,
        means.set_index("actor").astype("float64"),
        pd.Series(targets, dtype="str"),
        present,
    )


def store_flow_links(store: RecordStore, state: FilterState, limit: int) -> FlowLinks:
    """chart_counts.flow_links of the records that pass `state`, from the store: the same bands."""
    condition, params = store.where(state)
    cells = _cells(store, condition, params)
    cell_list, nth_list, name_list, _ = _names(cells, None)
    if not name_list:
        return flow_links(pd.DataFrame({c: pd.Series(dtype="str") for c in ("actor", "stance", "target")}), limit)
    names = [cell_list, nth_list, [name or NO_TARGET_LABEL for name in name_list]]
    with store.connection() as connection:
        connection.execute(
            f"""CREATE OR REPLACE TEMP TABLE flow_links AS SELECT coalesce(actor, '') AS actor, name AS target,
            coalesce(stance, '') AS stance, count(*) AS records
            FROM records JOIN ({NAMES_TABLE}) AS names ON coalesce(target, '') = names.cell WHERE {condition}
            GROUP BY ALL""",
            [*names, *params],
        )
        bands, pairs = connection.execute("SELECT count(*), sum(records) FROM flow_links").fetchall()[0]
        busiest = connection.sql(
            "SELECT * FROM flow_links ORDER BY records DESC, actor, target, stance LIMIT ?", params=[limit]
        ).to_arrow_table()
        connection.execute("DROP TABLE flow_links")
    return FlowLinks(busiest.to_pandas(), int(bands), int(pairs or 0))
