"""Scoring on several CPUs: the rules' readings and TextBlob's tone of distinct (text, actor) pairs, computed in
worker processes, the same values as in one process (each pair is read by the same function, dashboard.scoring's
read_pair). Used by `reactions score --jobs N` and by the upload page, whose server thread then only waits, so one
visitor's scoring never holds the interpreter another visitor's page needs (Streamlit runs every session in one
process).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed

from dashboard.scoring import PairReading, Resources, read_pair
from dashboard.tone import Tone, textblob_tone

# Pairs per task: large enough that sending them costs little next to reading them (about 0.1 s of work),
# small enough that the work spreads evenly and progress moves.
CHUNK_PAIRS = 400
# Below this many distinct pairs one process is quicker than starting others (`reactions score --jobs`).
POOL_FROM_PAIRS = 2_000

_worker_resources: Resources | None = None


def available_cpus() -> int:
    """The CPUs this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_worker(resources: Resources) -> None:
    global _worker_resources
    _worker_resources = resources


def _read_chunk(pairs: list[tuple[str, str]]) -> list[tuple[PairReading, Tone]]:
    assert _worker_resources is not None, "a scoring worker was started without resources"
    return [(read_pair(text, actor, _worker_resources), textblob_tone(text)) for text, actor in pairs]


def scoring_pool(resources: Resources, jobs: int, start_method: str | None = None) -> ProcessPoolExecutor:
    """A pool of `jobs` worker processes holding resources. start_method "spawn" (or "forkserver") for a
    process with threads, such as the Streamlit server; by default "fork" where there is one (quick: workers
    inherit the loaded resources), else the platform's default."""
    if start_method is None and "fork" in multiprocessing.get_all_start_methods():
        start_method = "fork"
    context = multiprocessing.get_context(start_method)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(resources,))


def read_in_pool(
    distinct: list[tuple[str, str]], pool: Executor, progress: Callable[[int, int], None] | None = None
) -> tuple[dict[tuple[str, str], PairReading], dict[str, Tone]]:
    """Each distinct pair's reading and each text's tone, computed by the pool's workers."""
    chunks = [distinct[start : start + CHUNK_PAIRS] for start in range(0, len(distinct), CHUNK_PAIRS)]
    futures = {pool.submit(_read_chunk, chunk): chunk for chunk in chunks}
    readings: dict[tuple[str, str], PairReading] = {}
    tones: dict[str, Tone] = {}
    done = 0
    for future in as_completed(futures):
        for pair, (reading, tone) in zip(futures[future], future.result(), strict=True):
            readings[pair] = reading
            tones[pair[0]] = tone
        done += len(futures[future])
        if progress is not None:
            progress(done, len(distinct))
    return readings, tones
