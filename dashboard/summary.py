"""Summary tables and key figures over a scored records frame (pure pandas; no streamlit)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.codebook import stances as codebook_stances
from dashboard.codebook import stances_in_family
from dashboard.targets import TARGET_SEPARATOR, parse_targets


def __getattr__(name: str):
    # STANCE_ORDER was a copy of the codebook's stance list; it is now the codebook in use, read on first use.
    if name == "STANCE_ORDER":
        return codebook_stances()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Where a record names no target, tables and the flows chart show it under this label.
NO_TARGET_LABEL = "(no target)"
# How lists of names are joined inside one table cell (the same separator as `predicted_target`).
LIST_SEPARATOR = TARGET_SEPARATOR


def stance_order_for(stances: pd.Series | list[str]) -> list[str]:
    """Stances present in `stances`, in the fixed order; unknown labels follow, alphabetically."""
    # Distinct values first: at a million records iterating every cell cost over a second per call.
    distinct = stances.unique() if isinstance(stances, pd.Series) else dict.fromkeys(stances)
    present = {str(s) for s in distinct if str(s)}
    order = codebook_stances()  # the codebook's row order, hostile to cordial
    known = [s for s in order if s in present]
    return known + sorted(present - set(order))


def explode_targets(scored: pd.DataFrame) -> pd.DataFrame:
    """One row per (record, target): a `target` holding "A; B" becomes two rows; "" stays one row.

    Rows keep their order (a record's targets in the order written). Each distinct target string is split
    once and rows are repeated by index, so the cost at a million records is a few array operations, not a
    Python call per row (a real corpus holds few distinct target strings)."""
    raw = scored["target"].fillna("").astype(str) if "target" in scored else pd.Series("", index=scored.index)
    codes, distinct = pd.factorize(raw, sort=False)
    parts = [_split_targets(value) for value in distinct]
    counts = np.array([len(p) for p in parts], dtype=np.int64)[codes] if len(codes) else np.zeros(0, np.int64)
    positions = np.repeat(np.arange(len(scored)), counts)
    # Within a record, the k-th copy takes the k-th name of its target string.
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    nth = np.arange(len(positions)) - starts
    flat_names = np.array([name for p in parts for name in p] or [""], dtype=object)
    offsets = np.concatenate([[0], np.cumsum([len(p) for p in parts])])[:-1] if parts else np.zeros(0, np.int64)
    names = flat_names[offsets[codes[positions]] + nth] if len(positions) else np.array([], dtype=object)
    out = scored.iloc[positions].reset_index(drop=True)
    out["target"] = pd.array(names, dtype="str") if len(names) else pd.Series([], dtype="str")
    return out


def _split_targets(value: str) -> list[str]:
    return parse_targets(value) or [""]


def _numeric(scored: pd.DataFrame, column: str) -> pd.Series:
    """A numeric view of an optional scored column (NaN where absent) so summaries never KeyError."""
    if column not in scored:
        return pd.Series(float("nan"), index=scored.index, dtype=float)
    return pd.to_numeric(scored[column], errors="coerce")


def _flag(scored: pd.DataFrame, column: str, default: bool) -> pd.Series:
    if column not in scored:
        return pd.Series(default, index=scored.index, dtype=bool)
    return scored[column].fillna(default).astype(bool)


def key_figures(scored: pd.DataFrame) -> dict[str, int | float]:
    """Headline numbers for the overview: counts, the hostile and cordial shares, disagreements.

    Keys: records, events, actors, targets, sentences, hostile_share, cordial_share (0.0 when there are no
    records), curated, predicted_only, disagreements (curated records whose predicted stance differs),
    tone_conflicts (TextBlob sign contradicts the stance), mean_polarity, mean_intensity (NaN if empty).
    """
    records = len(scored)
    stance = scored["stance"].fillna("").astype(str) if "stance" in scored else pd.Series([], dtype=str)
    target_cells = scored["target"].fillna("").astype(str).unique() if "target" in scored else []
    # Distinct names from the distinct cells: the same count as exploding every record, without doing it.
    target_names = {name for cell in target_cells for name in _split_targets(cell)} - {""}
    source = scored["stance_source"].astype(str) if "stance_source" in scored else None
    curated = int((source == "curated").sum()) if source is not None else records
    return {
        "records": records,
        "events": int(scored["event"].replace("", pd.NA).nunique()) if "event" in scored else 0,
        "actors": int(scored["actor"].nunique()) if "actor" in scored else 0,
        "targets": len(target_names),
        "sentences": int(scored["text"].nunique()) if "text" in scored else 0,
        # Hostile and cordial as the codebook's family column files them (hostile includes concern).
        "hostile_share": float(stance.isin(stances_in_family("hostile")).mean()) if records else 0.0,
        "cordial_share": float(stance.isin(stances_in_family("cordial")).mean()) if records else 0.0,
        "curated": curated,
        "predicted_only": records - curated,
        "disagreements": int((~_flag(scored, "stance_agrees", True)).sum()),
        "tone_conflicts": int(_flag(scored, "tone_conflict", False).sum()),
        "mean_polarity": float(_numeric(scored, "polarity").mean()),
        "mean_intensity": float(_numeric(scored, "intensity").mean()),
    }


# Summed |intensity| is compared to this many decimals: sums of the same values in another order (pandas row by
# row, the query engine in parallel) differ in the last bits, which must not break a tie differently.
STRENGTH_DECIMALS = 9


def stance_tally(frame: pd.DataFrame) -> pd.DataFrame:
    """Per (actor, stance) of `frame` (one row per record: actor, stance, intensity): records, and strength
    (the summed |intensity|, a missing one as 0). In order of first appearance."""
    return (
        frame.assign(strength=frame["intensity"].abs().fillna(0.0))
        .groupby(["actor", "stance"], sort=False)
        .agg(records=("stance", "size"), strength=("strength", "sum"))
        .reset_index()
    )


def dominant_stances(tally: pd.DataFrame) -> pd.Series:
    """Per actor (the index), the stance with most records; ties go to the larger summed |intensity|
    (the stronger words), then to the stance earlier in the codebook's order (the more hostile), so the
    result is deterministic. `tally`: actor, stance, records, strength (stance_tally)."""
    order = {stance: i for i, stance in enumerate(stance_order_for(tally["stance"]))}
    tally = tally.assign(
        rank=tally["stance"].map(order).fillna(len(order)), strength=tally["strength"].round(STRENGTH_DECIMALS)
    )
    tally = tally.sort_values(["actor", "records", "strength", "rank"], ascending=[True, False, False, True])
    return tally.drop_duplicates("actor").set_index("actor")["stance"].astype(str)


def _dominant_stances(frame: pd.DataFrame) -> pd.Series:
    """dominant_stances of a frame with one row per record: actor, stance, intensity."""
    return dominant_stances(stance_tally(frame))


def _prepared(scored: pd.DataFrame) -> pd.DataFrame:
    """The columns the summaries read, typed, on a copy."""
    out = pd.DataFrame(index=scored.index)
    out["actor"] = scored["actor"].fillna("").astype(str)
    out["stance"] = scored["stance"].fillna("").astype(str)
    out["target"] = scored["target"].fillna("").astype(str) if "target" in scored else ""
    out["id"] = scored["id"].astype(str) if "id" in scored else scored.index.astype(str)
    for column in ("polarity", "subjectivity", "intensity", "goldstein"):
        out[column] = _numeric(scored, column)
    return out


def dominant_stance_by_actor(scored: pd.DataFrame, toward: str | None = None) -> pd.DataFrame:
    """Per actor, its dominant stance (overall, or only toward the target `toward`).

    Returns columns actor, dominant_stance, records (records behind it), targets ("; "-joined),
    sorted by actor. Tie rule: see `_dominant_stances`.
    """
    columns = ["actor", "dominant_stance", "records", "targets"]
    if scored.empty:
        return pd.DataFrame({c: pd.Series(dtype=int if c == "records" else str) for c in columns})
    frame = explode_targets(_prepared(scored))
    if toward:
        frame = frame[frame["target"] == toward]
    if frame.empty:
        return dominant_stance_by_actor(scored.iloc[0:0])
    # A record aimed at two targets counts once for its actor.
    records = frame.drop_duplicates(["actor", "id"])
    return dominant_table(stance_tally(records), _names_by(frame, "actor", "target"))


def dominant_table(tally: pd.DataFrame, targets: pd.Series) -> pd.DataFrame:
    """dominant_stance_by_actor's table from its parts: the stance tally of the records (one per record and
    actor) and each actor's targets ("; "-joined, indexed by actor)."""
    table = pd.DataFrame(
        {
            "dominant_stance": dominant_stances(tally),
            "records": tally.groupby("actor")["records"].sum(),
            "targets": targets,
        }
    )
    table = table.sort_index().reset_index(names="actor")
    return table[["actor", "dominant_stance", "records", "targets"]]


def _join_names(names: pd.Series) -> str:
    return LIST_SEPARATOR.join(sorted({n for n in names if n}))


def _names_by(frame: pd.DataFrame, by: str | list[str], column: str) -> pd.Series:
    """Per group of `by`, the distinct non-empty values of `column`, sorted and "; "-joined.

    Duplicates are dropped before the per-group join, so a million records naming a few dozen targets
    cost one drop_duplicates, not a Python set per group over every row."""
    keys = [by] if isinstance(by, str) else list(by)
    distinct = frame[[*keys, column]].drop_duplicates()
    return distinct.groupby(by if isinstance(by, str) else keys, sort=False)[column].agg(_join_names)


# The numeric columns summarise_by_actor averages per actor.
MEAN_COLUMNS = ("polarity", "subjectivity", "intensity", "goldstein")


def summarise_by_actor(scored: pd.DataFrame) -> pd.DataFrame:
    """One row per actor: records per stance (a column per stance, fixed order), total, dominant stance,
    mean polarity, subjectivity, intensity and Goldstein (3 decimals), and its targets ("; "-joined).

    Rows are sorted by total records, most first, then by actor name.
    """
    present = stance_order_for(scored["stance"]) if "stance" in scored else []
    if scored.empty:
        return actor_table(
            pd.DataFrame({"actor": [], "stance": [], "records": [], "strength": []}), None, None, present
        )
    frame = _prepared(scored)
    grouped = frame.groupby("actor", sort=True)
    means = pd.DataFrame({column: grouped[column].mean() for column in MEAN_COLUMNS})
    targets = _names_by(explode_targets(frame[["actor", "target"]]), "actor", "target")
    return actor_table(stance_tally(frame), means, targets, present)


def actor_table(
    tally: pd.DataFrame, means: pd.DataFrame | None, targets: pd.Series | None, present: list[str]
) -> pd.DataFrame:
    """summarise_by_actor's table from its parts, each indexed by actor: the stance tally of the records
    (stance_tally), the mean of each of MEAN_COLUMNS, the "; "-joined targets; `present`, the stances of the
    records in order (stance_order_for)."""
    stance_columns = list(codebook_stances()) + [s for s in present if s not in codebook_stances()]
    means_named = [f"mean_{column}" for column in MEAN_COLUMNS]
    columns = ["actor", *stance_columns, "records", "dominant_stance", *means_named, "targets"]
    if tally.empty:
        empty = {c: pd.Series(dtype=str) for c in ("actor", "dominant_stance", "targets")}
        empty |= {c: pd.Series(dtype=int) for c in [*stance_columns, "records"]}
        empty |= {c: pd.Series(dtype=float) for c in means_named}
        return pd.DataFrame(empty)[columns]
    counts = tally.set_index(["actor", "stance"])["records"].unstack(fill_value=0)
    counts = counts.reindex(columns=stance_columns, fill_value=0)
    counts.columns.name = None
    table = counts.astype(int)
    table["records"] = tally.groupby("actor")["records"].sum()
    table["dominant_stance"] = dominant_stances(tally)
    for column in MEAN_COLUMNS:
        table[f"mean_{column}"] = means[column].round(3)
    table["targets"] = targets
    table = table.reset_index(names="actor")
    table = table.sort_values(["records", "actor"], ascending=[False, True], ignore_index=True)
    return table[columns]


def summarise_by_target(scored: pd.DataFrame) -> pd.DataFrame:
    """Who took which stance toward each target: one row per (target, stance).

    Columns target, stance, records, actors ("; "-joined, alphabetical). Records naming no target are
    kept under NO_TARGET_LABEL, listed last; other targets are ordered by their total records, most
    first, then by name; stances within a target follow the fixed order.
    """
    columns = ["target", "stance", "records", "actors"]
    if scored.empty:
        return pd.DataFrame({c: pd.Series(dtype=int if c == "records" else str) for c in columns})
    frame = explode_targets(_prepared(scored))
    frame["target"] = frame["target"].replace("", NO_TARGET_LABEL)
    table = frame.groupby(["target", "stance"], sort=False).size().rename("records").to_frame()
    table["actors"] = _names_by(frame, ["target", "stance"], "actor")
    table = table.reset_index()
    totals = table.groupby("target")["records"].transform("sum")
    order = {stance: i for i, stance in enumerate(stance_order_for(table["stance"]))}
    table = table.assign(
        _no_target=table["target"] == NO_TARGET_LABEL,
        _total=totals,
        _stance_rank=table["stance"].map(order),
    )
    table = table.sort_values(
        ["_no_target", "_total", "target", "_stance_rank"],
        ascending=[True, False, True, True],
        ignore_index=True,
    )
    return table[columns]
