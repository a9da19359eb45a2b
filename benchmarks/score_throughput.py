"""Scoring throughput on DISTINCT sentences, against TextBlob alone on the same texts, in one run.

    .venv/bin/python benchmarks/score_throughput.py [--sentences 30000] [--jobs 1 2] [--repeat 2]
    .venv/bin/python benchmarks/score_throughput.py --cells 1000 10000 100000 1000000
    .venv/bin/python benchmarks/score_throughput.py --sentences 200000 --jobs --dask 1 2

Sentences: tests/distinct_sentences.py composes N pairwise distinct (text, actor) pairs from parts written for this
project (no evaluation text), so no cache can answer twice. Per repeat, side by side:
- TextBlob alone: `TextBlob(text).sentiment` for every text, in this process (the figure a notebook gets);
- `reactions score FILE -o OUT.csv --jobs J` for each J, as a separate process: reading, validating, scoring
  (rules and TextBlob) and writing, interpreter start included.
- with --dask W..., `reactions score FILE -o OUT.parquet --engine dask --workers W` for each W (a LocalCluster
  of W worker processes started by the command, included in its time).
It prints the seconds and the ratio scoring / TextBlob alone (the figure to compare between machines; the seconds
depend on what else runs). --cells times one row whose text is 1 kB ... 1 MB (distinct sentences joined), scored
by `reactions score` and in this process, against TextBlob on the same text.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from textblob import TextBlob  # noqa: E402

from tests.distinct_sentences import distinct_sentences  # noqa: E402

REACTIONS = [sys.executable, "-m", "dashboard.cli"]


def _write_table(pairs: list[tuple[str, str]], path: Path) -> None:
    table = pd.DataFrame(
        {"id": [f"s{i:07d}" for i in range(len(pairs))], "actor": [a for _, a in pairs], "text": [t for t, _ in pairs]}
    )
    table.to_csv(path, index=False)


def _textblob_alone(texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        TextBlob(text).sentiment  # noqa: B018  (the property computes the sentiment)
    return time.perf_counter() - started


def _reactions_score(source: Path, output: Path, jobs: int | None, dask_workers: int | None = None) -> float:
    command = [*REACTIONS, "score", str(source), "-o", str(output), "--quiet"]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    if dask_workers is not None:
        shutil.rmtree(output, ignore_errors=True)
        command += ["--engine", "dask", "--workers", str(dask_workers)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"


def throughput(sentences: int, jobs: list[int], repeat: int, dask: list[int]) -> dict:
    pairs = list(distinct_sentences(sentences))
    texts = [text for text, _ in pairs]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "sentences.csv"
        _write_table(pairs, source)
        runs: dict[str, list[float]] = {"TextBlob alone (in process)": []}
        runs.update({f"reactions score --jobs {j}": [] for j in jobs})
        runs.update({f"reactions score --engine dask --workers {w}": [] for w in dask})
        for number in range(repeat):
            print(f"run {number + 1} of {repeat} ...", file=sys.stderr)
            runs["TextBlob alone (in process)"].append(_textblob_alone(texts))
            for j in jobs:
                runs[f"reactions score --jobs {j}"].append(_reactions_score(source, Path(folder) / "out.csv", j))
            for w in dask:
                output = Path(folder) / "out.parquet"
                runs[f"reactions score --engine dask --workers {w}"].append(_reactions_score(source, output, None, w))
    medians = {name: statistics.median(times) for name, times in runs.items()}
    baseline = medians["TextBlob alone (in process)"]
    print(f"\n{sentences:,} distinct sentences, {repeat} run(s) side by side; {_machine()}")
    print(f"{'what':48} {'median s':>9} {'all runs':>20} {'/ TextBlob':>11} {'sentences/s':>12} {'per run':>16}")
    for name, times in runs.items():
        listed = " ".join(f"{t:.2f}" for t in times)
        rate = sentences / medians[name]
        # Each run against the TextBlob run beside it: under a changing load these pairs compare like with like.
        paired = " ".join(f"{t / b:.2f}" for t, b in zip(times, runs["TextBlob alone (in process)"], strict=True))
        ratio = medians[name] / baseline
        print(f"{name:48} {medians[name]:9.2f} {listed:>20} {ratio:11.2f} {rate:12,.0f} {paired:>16}")
    return {"sentences": sentences, "machine": _machine(), "runs": runs, "medians": medians}


def _cell_text(size: int) -> str:
    parts, length = [], 0
    for text, _ in distinct_sentences(max(1, size // 60)):
        parts.append(text)
        length += len(text) + 1
        if length >= size:
            break
    return " ".join(parts)[:size]


def cells(sizes: list[int]) -> dict:
    from dashboard.scoring import load_resources, score_records

    resources = load_resources()
    # Warm up: TextBlob reads its lexicon and the rules build their index on first use, not per cell.
    _textblob_alone(["A warm-up sentence."])
    score_records(pd.DataFrame({"actor": ["NATO"], "text": ["NATO condemned the strike."]}), resources)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            text = _cell_text(size)
            source = Path(folder) / f"cell_{size}.csv"
            _write_table([(text, "NATO")], source)
            textblob = _textblob_alone([text])
            started = time.perf_counter()
            scored = score_records(pd.DataFrame({"actor": ["NATO"], "text": [text]}), resources)
            in_process = time.perf_counter() - started
            cli = _reactions_score(source, Path(folder) / "out.csv", None)
            note = str(scored["scoring_note"].iloc[0])
            rows.append((size, textblob, in_process, cli, note))
    print(f"\nOne row per file, its text made of distinct sentences; {_machine()}")
    print(f"{'cell':>10} {'TextBlob s':>11} {'score_records s':>16} {'/ TextBlob':>11} {'reactions score s':>18}  note")
    for size, textblob, in_process, cli, note in rows:
        print(f"{size:>10,} {textblob:11.3f} {in_process:16.3f} {in_process / textblob:11.2f} {cli:18.2f}  {note}")
    return {"machine": _machine(), "cells": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=30_000)
    parser.add_argument("--jobs", type=int, nargs="*", default=[1, 2], help="local engine runs (none: --jobs alone)")
    parser.add_argument("--dask", type=int, nargs="*", default=[], help="Dask engine runs with this many workers")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cells", type=int, nargs="*", help="cell sizes in characters: time one long cell each")
    parser.add_argument("--json", help="write the figures to this file as well")
    args = parser.parse_args()
    result = cells(args.cells) if args.cells else throughput(args.sentences, args.jobs, args.repeat, args.dask)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
