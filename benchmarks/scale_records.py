"""How the per-rerun pipeline scales: 10k, 100k and 1M SYNTHETIC scored-like records.

The records are synthetic: the curated records (data/records/), scored once, repeated row by row up to the
size wanted, each copy with a new id ("synthetic-0000001"), an actor and a target drawn at random (seeded)
from the actor registry (data/actors.csv), and one of ten synthetic events. Texts, stances and scores are the
curated rows' own; nothing is read from any evaluation set. The figures say how the code scales, not what a
real corpus of that size would look like.

Timed, per size: what the app runs on a rerun whose view is not cached yet: apply_filters (several filter
states), key_figures, summarise_by_actor, summarise_by_target, each figure builder (and the size of the figure
as plotly serialises it: what goes to the browser), and the Arrow payload of the evidence table (what
st.dataframe sends). Then score_records' throughput on 10k unscored records (the rules and TextBlob; 1M is
extrapolated, not run). A step whose time at the previous size predicts more than --budget seconds is not
run but extrapolated linearly (marked "~"). --profile writes a pyinstrument profile of the slowest step.

    .venv/bin/python benchmarks/scale_records.py [--sizes 10000 100000 1000000] [--json artifacts/scale.json]
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from dashboard import DATA_DIR  # noqa: E402  (the project root must be on sys.path first)
from dashboard.figures import (  # noqa: E402
    flows_figure,
    stance_by_actor_figure,
    stance_map_figure,
    tone_figure,
    tone_sample,
)
from dashboard.filters import FilterState, apply_filters, filter_options  # noqa: E402
from dashboard.records import load_curated_records  # noqa: E402
from dashboard.scoring import load_resources, score_records  # noqa: E402
from dashboard.summary import key_figures, summarise_by_actor, summarise_by_target  # noqa: E402
from dashboard.views.evidence import TABLE_COLUMNS, TABLE_ROW_LIMIT  # noqa: E402

SYNTHETIC_EVENTS = 10
SEED = 20200227
# Share of synthetic records aimed at two targets ("A; B") and at none, as in the curated file (roughly).
TWO_TARGETS, NO_TARGET = 0.15, 0.2
# What the Evidence page's table sends: its columns and its row cap (importing the view imports streamlit).
EVIDENCE_COLUMNS = list(TABLE_COLUMNS)
# Filter states a session would ask for: none, a stance, a target (a per-row Python check), a text search.
FILTERS = {
    "none": FilterState(),
    "stance=condemn": FilterState(stances=("condemn",)),
    "target=Syria": FilterState(targets=("Syria",)),
    "actor=NATO,Russia": FilterState(actors=("NATO", "Russia")),
    "search 'warships'": FilterState(text="warships"),
}
MB = 1e6


def synthetic_records(scored: pd.DataFrame, actor_names: list[str], size: int, seed: int = SEED) -> pd.DataFrame:
    """`size` SYNTHETIC records: the scored curated rows repeated in turn, new ids, random registry actors and
    targets (never the actor itself), ten events."""
    rng = np.random.default_rng(seed)
    frame = scored.iloc[np.arange(size) % len(scored)].reset_index(drop=True)
    names = np.array(actor_names, dtype=object)
    actor_index = rng.integers(len(names), size=size)
    # A target differs from its actor: shift by 1..len-1 places.
    first = (actor_index + rng.integers(1, len(names), size=size)) % len(names)
    second = (first + rng.integers(1, len(names) - 1, size=size)) % len(names)
    kind = rng.random(size)
    targets = np.where(
        kind < NO_TARGET,
        "",
        np.where(kind < NO_TARGET + TWO_TARGETS, names[first] + "; " + names[second], names[first]),
    )
    return frame.assign(
        id=[f"synthetic-{i:07d}" for i in range(size)],
        event=[f"synthetic-{e:02d}" for e in rng.integers(SYNTHETIC_EVENTS, size=size)],
        actor=names[actor_index],
        target=targets,
        source="synthetic",
    )


def timed(step: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median seconds of `repeat` calls (a garbage collection before each), and the last result."""
    seconds, result = [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        started = time.perf_counter()
        result = step()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def arrow_bytes(frame: pd.DataFrame) -> int:
    """What st.dataframe sends for `frame`: the Arrow IPC stream of the table (Streamlit serialises it so)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().size


def steps(frame: pd.DataFrame, registry) -> dict[str, Callable[[], object]]:
    """Name -> a call the app makes on a rerun (filters, summaries, figures, the evidence table payload)."""
    named: dict[str, Callable[[], object]] = {}
    for label, state in FILTERS.items():
        named[f"apply_filters {label}"] = lambda state=state: apply_filters(frame, state)
    named |= {
        "filter_options": lambda: filter_options(frame),
        "key_figures": lambda: key_figures(frame),
        "summarise_by_actor": lambda: summarise_by_actor(frame),
        "summarise_by_target": lambda: summarise_by_target(frame),
        "stance_by_actor_figure": lambda: stance_by_actor_figure(frame),
        "stance_map_figure": lambda: stance_map_figure(frame, registry),
        "stance_map_figure toward Syria": lambda: stance_map_figure(frame, registry, toward="Syria"),
        "tone_figure (app: sample)": lambda: tone_figure(tone_sample(frame)),
        "flows_figure": lambda: flows_figure(frame),
        "evidence table -> Arrow (app: first rows)": lambda: arrow_bytes(frame.head(TABLE_ROW_LIMIT)[EVIDENCE_COLUMNS]),
        # What the app would send without its limits: the sample and the row cap exist because of these.
        "tone_figure (all records)": lambda: tone_figure(frame),
        "evidence table -> Arrow (all records)": lambda: arrow_bytes(frame[EVIDENCE_COLUMNS]),
    }
    return named


def payload_mb(result: object) -> float | None:
    """Megabytes sent to the browser: a figure's JSON, or the Arrow bytes already counted."""
    if isinstance(result, go.Figure):
        return len(result.to_json()) / MB
    if isinstance(result, int):
        return result / MB
    return None


def measure_scaling(
    scored: pd.DataFrame, registry, sizes: list[int], budget: float, only: list[str] | None = None
) -> tuple[list[dict], dict]:
    names = sorted(registry.actors)
    rows: list[dict] = []
    last: dict[str, tuple[int, float]] = {}
    frames: dict[int, pd.DataFrame] = {}
    for size in sizes:
        started = time.perf_counter()
        frame = synthetic_records(scored, names, size)
        built = time.perf_counter() - started
        memory = frame.memory_usage(deep=True).sum() / MB
        print(f"\n{size:,} synthetic records: built in {built:.1f} s, {memory:.0f} MB in pandas", flush=True)
        repeat = 3 if size <= 10_000 else 1
        for name, step in steps(frame, registry).items():
            if only and not any(part in name for part in only):
                continue
            previous = last.get(name)
            predicted = previous[1] * size / previous[0] if previous else 0.0
            if predicted > budget:
                row = {"size": size, "step": name, "seconds": predicted, "extrapolated": True, "payload_mb": None}
                print(f"  {name:<44} ~{predicted:8.2f} s  (extrapolated from {previous[0]:,}: over the budget)")
            else:
                seconds, result = timed(step, repeat)
                mb = payload_mb(result)
                rows_out = len(result) if isinstance(result, pd.DataFrame) else None
                row = {"size": size, "step": name, "seconds": seconds, "extrapolated": False, "payload_mb": mb}
                row["rows_out"] = rows_out
                row["traces"] = len(result.data) if isinstance(result, go.Figure) else None
                last[name] = (size, seconds)
                extra = f"  payload {mb:8.1f} MB" if mb is not None else ""
                extra += f"  ({rows_out:,} rows)" if rows_out is not None else ""
                extra += f"  ({row['traces']:,} traces)" if row["traces"] is not None else ""
                print(f"  {name:<44} {seconds:9.3f} s{extra}", flush=True)
                del result
            rows.append(row)
        frames[size] = frame
    return rows, frames


def measure_scoring(resources, size: int) -> dict:
    """score_records on `size` unscored synthetic records (stance, target and cue left for the rules)."""
    curated = load_curated_records(resources.registry, DATA_DIR)
    names = sorted(resources.registry.actors)
    rng = np.random.default_rng(SEED)
    records = curated.iloc[np.arange(size) % len(curated)].reset_index(drop=True)
    records = records.assign(
        id=[f"synthetic-{i:07d}" for i in range(size)],
        actor=np.array(names, dtype=object)[rng.integers(len(names), size=size)],
        stance="",
        target="",
        cue="",
    )
    pairs = len(set(zip(records["text"], records["actor"], strict=True)))
    texts = records["text"].nunique()
    seconds, _ = timed(lambda: score_records(records, resources), 1)
    per_pair = seconds / pairs
    return {
        "records": size,
        "unique_texts": texts,
        "unique_text_actor_pairs": pairs,
        "seconds": seconds,
        "records_per_second": size / seconds,
        "pairs_per_second": pairs / seconds,
        "extrapolated_1m_unique_seconds": per_pair * 1_000_000,
    }


def profile_step(frame: pd.DataFrame, registry, name: str, path: Path) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.005)
    profiler.start()
    steps(frame, registry)[name]()
    profiler.stop()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(profiler.output_text(unicode=False, color=False, show_all=False), encoding="utf-8")
    print(f"profile of {name!r} at {len(frame):,} records written to {path}")


def print_table(rows: list[dict], sizes: list[int]) -> None:
    table = {(row["step"], row["size"]): row for row in rows}
    step_names = list(dict.fromkeys(row["step"] for row in rows))
    header = "".join(f"{f'{size:,} s':>14}" for size in sizes) + f"{'MB (at size)':>22}"
    print(f"\nseconds per step (SYNTHETIC records; ~ = extrapolated, not run)\n{'step':<44}{header}")
    for name in step_names:
        cells = ""
        for size in sizes:
            row = table.get((name, size))
            cell = ("~" if row["extrapolated"] else "") + f"{row['seconds']:.3f}" if row else ""
            cells += f"{cell:>14}"
        measured = [s for s in reversed(sizes) if (name, s) in table and table[(name, s)]["payload_mb"] is not None]
        mb = f"{table[(name, measured[0])]['payload_mb']:.1f} ({measured[0]:,})" if measured else ""
        print(f"{name:<44}{cells}{mb:>22}")
    overview = ["apply_filters stance=condemn", "key_figures", "summarise_by_target", "stance_by_actor_figure"]
    if all((name, size) in table for name in overview for size in sizes):
        per_rerun = {size: sum(table[(name, size)]["seconds"] for name in overview) for size in sizes}
        print(
            "\nan Overview rerun (filter stance, key figures, headline summary, stance chart): "
            + ", ".join(f"{size:,}: {seconds:.2f} s" for size, seconds in per_rerun.items())
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--steps", nargs="+", help="only the steps whose name contains one of these")
    parser.add_argument("--scoring-size", type=int, default=10_000, help="records scored for throughput (0: none)")
    parser.add_argument("--budget", type=float, default=100.0, help="seconds a step may be predicted to take")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile of the slowest step here")
    parser.add_argument("--profile-step", help="the step to profile (default: the slowest at the largest size)")
    parser.add_argument("--profile-size", type=int, help="the size to profile it at (default: the largest it ran)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)

    resources = load_resources(DATA_DIR)
    scored = score_records(load_curated_records(resources.registry, DATA_DIR), resources)
    print(f"{len(scored)} curated records scored; {len(resources.registry.actors)} actors in the registry")
    sizes = sorted(args.sizes)
    rows, frames = measure_scaling(scored, resources.registry, sizes, args.budget, args.steps)
    print_table(rows, sizes)

    scoring = measure_scoring(resources, args.scoring_size) if args.scoring_size else None
    if scoring:
        print(
            f"\nscore_records on {scoring['records']:,} unscored synthetic records ({scoring['unique_texts']} texts, "
            f"{scoring['unique_text_actor_pairs']:,} distinct (text, actor) pairs, each classified once): "
            f"{scoring['seconds']:.1f} s = {scoring['records_per_second']:,.0f} records/s, "
            f"{scoring['pairs_per_second']:,.0f} distinct pairs/s.\n"
            f"1M records with distinct sentences: ~{scoring['extrapolated_1m_unique_seconds'] / 60:,.0f} min "
            "(extrapolated from the per-pair cost, not run)"
        )

    if args.profile:
        # The step slowest per record at the largest size where it ran: the one that scales worst.
        ran = [row for row in rows if not row["extrapolated"] and row["size"] == max(sizes)]
        ran = ran or [row for row in rows if not row["extrapolated"]]
        slowest = args.profile_step or max(ran, key=lambda row: row["seconds"])["step"]
        size = args.profile_size or max(
            row["size"] for row in rows if row["step"] == slowest and not row["extrapolated"]
        )
        profile_step(frames[size], resources.registry, slowest, args.profile)

    if args.json:
        results = {
            "synthetic": "curated records repeated with new ids, random registry actors and targets, 10 events",
            "python": platform.python_version(),
            "pandas": pd.__version__,
            "machine": platform.platform(),
            "steps": rows,
            "scoring": scoring,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
