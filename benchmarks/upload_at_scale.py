"""What the Upload page costs at 10k, 100k and 1M SYNTHETIC rows, step by step, without a server.

The file is built the way a user's spreadsheet export would arrive: the curated records' actor, text, date,
speaker and source columns (no stance, no scores), repeated row by row to the size wanted, each row with a new
id and one of the registry's actors drawn at random (seeded), written as CSV bytes. Then the page's steps are
timed in the order the page runs them: read and validate (load_table_report), validate again after the actor
decisions, split the valid rows, normalise, score (score_with_progress: one call, the bar told as it goes),
and the content token naming the session's records (add_session_records). Texts come from data/records, never from an evaluation
set. A step predicted to take longer than --budget seconds is extrapolated from the previous size ("~").
Then `reactions score` is timed on the same file, as a separate process (what a file too big for the page
goes through); --no-cli skips it.

    .venv/bin/python benchmarks/upload_at_scale.py [--sizes 10000 100000 1000000] [--json artifacts/upload.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from dashboard import DATA_DIR  # noqa: E402
from dashboard.records import (  # noqa: E402
    content_token,
    load_curated_records,
    load_table_report,
    normalise_records,
    split_valid_rows,
    validate_records,
)
from dashboard.scoring import load_resources, score_records  # noqa: E402

SEED = 20200228
UPLOAD_COLUMNS = ["id", "actor", "text", "date", "speaker", "source"]
MB = 1e6


def synthetic_upload(curated: pd.DataFrame, actor_names: list[str], size: int) -> bytes:
    """CSV bytes of `size` SYNTHETIC rows: curated texts in turn, random registry actors, no speaker
    (a speaker belongs to one actor, and a random actor would make every row invalid)."""
    rng = np.random.default_rng(SEED)
    rows = curated.iloc[np.arange(size) % len(curated)].reset_index(drop=True)
    table = pd.DataFrame(
        {
            "id": [f"upload-{i:07d}" for i in range(size)],
            "actor": np.array(actor_names, dtype=object)[rng.integers(len(actor_names), size=size)],
            "text": rows["text"].to_numpy(),
            "date": rows["date"].to_numpy(),
            "speaker": "",
            "source": rows["source"].to_numpy() if "source" in rows else "",
        }
    )
    return table[UPLOAD_COLUMNS].to_csv(index=False).encode("utf-8")


def scoring_with_progress(records: pd.DataFrame, resources) -> pd.DataFrame:
    """What score_with_progress does, the bar replaced by a counter of its updates."""
    updates: list[tuple[int, int]] = []
    scored = score_records(records, resources, progress=lambda done, total: updates.append((done, total)))
    print(f"    ({len(updates)} progress updates, {updates[-1][1]:,} distinct (text, actor) pairs)", flush=True)
    return scored


def page_steps(data: bytes, registry, resources, state: dict) -> dict[str, Callable[[], object]]:
    """The Upload page's steps on `data`, in order; each leaves its output in `state` for the next."""
    return {
        "read + validate (load_table_report)": lambda: state.update(
            zip(("table", "report"), load_table_report(data, registry, name="upload.csv"), strict=True)
        ),
        "validate again (after decisions)": lambda: state.update(problems=validate_records(state["table"], registry)),
        "split valid rows": lambda: state.update(valid=split_valid_rows(state["table"], state["problems"])[0]),
        "normalise": lambda: state.update(records=normalise_records(state["valid"].assign(event="u"), registry)),
        "score (one call, with progress)": lambda: state.update(
            scored=scoring_with_progress(state["records"], resources)
        ),
        "content token of the session records": lambda: content_token(state["scored"]),
    }


def measure(sizes: list[int], budget: float, cli: bool = True) -> list[dict]:
    resources = load_resources(DATA_DIR)
    registry = resources.registry
    curated = load_curated_records(registry, DATA_DIR)
    names = sorted(registry.actors)
    rows: list[dict] = []
    last: dict[str, tuple[int, float]] = {}
    for size in sizes:
        data = synthetic_upload(curated, names, size)
        print(f"\n{size:,} synthetic rows: {len(data) / MB:.1f} MB of CSV", flush=True)
        state: dict[str, object] = {}
        steps = page_steps(data, registry, resources, state)
        for name, step in steps.items():
            previous = last.get(name)
            predicted = previous[1] * size / previous[0] if previous else 0.0
            if predicted > budget:
                rows.append({"size": size, "step": name, "seconds": predicted, "extrapolated": True})
                print(f"  {name:<40} ~{predicted:9.2f} s (extrapolated)", flush=True)
                # The later steps need this one's output: stop this size here.
                for later in list(steps)[list(steps).index(name) + 1 :]:
                    prior = last.get(later)
                    if prior:
                        guess = prior[1] * size / prior[0]
                        rows.append({"size": size, "step": later, "seconds": guess, "extrapolated": True})
                        print(f"  {later:<40} ~{guess:9.2f} s (extrapolated)", flush=True)
                break
            started = time.perf_counter()
            step()
            seconds = time.perf_counter() - started
            last[name] = (size, seconds)
            rows.append({"size": size, "step": name, "seconds": seconds, "extrapolated": False})
            print(f"  {name:<40} {seconds:10.2f} s", flush=True)
        if "valid" in state:
            print(f"  valid rows {len(state['valid']):,} of {size:,}")
        state.clear()
        if cli:
            seconds = time_cli(data)
            rows.append({"size": size, "step": CLI_STEP, "seconds": seconds, "extrapolated": False})
            print(f"  {CLI_STEP:<40} {seconds:10.2f} s", flush=True)
    return rows


CLI_STEP = "reactions score FILE -o OUT.csv (the CLI)"


def time_cli(data: bytes) -> float:
    """Seconds for `reactions score` on the same file, from process start to the scored CSV written."""
    with tempfile.TemporaryDirectory(prefix="reactions-upload-") as scratch:
        source, target = Path(scratch) / "upload.csv", Path(scratch) / "scored.csv"
        source.write_bytes(data)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "dashboard.cli", "score", str(source), "-o", str(target)],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"reactions score failed ({done.returncode}): {done.stderr[-500:]}")
        return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--budget", type=float, default=300.0, help="seconds a step may be predicted to take")
    parser.add_argument("--no-cli", action="store_true", help="skip timing `reactions score` on each file")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    rows = measure(args.sizes, args.budget, cli=not args.no_cli)
    sizes = sorted({r["size"] for r in rows})
    print("\nseconds per step (SYNTHETIC rows; ~ = extrapolated, not run)")
    print(f"{'step':<40}" + "".join(f"{s:>14,}" for s in sizes))
    for name in dict.fromkeys(r["step"] for r in rows):
        cells = []
        for size in sizes:
            row = next((r for r in rows if r["step"] == name and r["size"] == size), None)
            cells.append(
                f"{'' if row is None else ('~' if row['extrapolated'] else '') + format(row['seconds'], '.2f'):>14}"
            )
        print(f"{name:<40}" + "".join(cells))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        meta = {"python": platform.python_version(), "pandas": pd.__version__, "machine": platform.machine()}
        args.json.write_text(json.dumps({"meta": meta, "steps": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
