"""Progress of long work on a terminal: rows done, rate and time left on stderr (tqdm), and nothing at all when
stderr is not a terminal (a pipe, a log file, a test) or the user asked for quiet."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Progress = Callable[[int, int], None]


def wants_progress(quiet: bool, stream: TextIO | None = None) -> bool:
    """True when a person is watching: not --quiet, and the stream is a terminal."""
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return not quiet and callable(isatty) and bool(isatty())


@contextmanager
def terminal_progress(description: str, quiet: bool = False, stream: TextIO | None = None) -> Iterator[Progress | None]:
    """A `progress(done, total)` callback drawing a bar on stream (stderr), or None when nobody is watching."""
    stream = sys.stderr if stream is None else stream
    if not wants_progress(quiet, stream):
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=0, desc=description, unit=" sentences", file=stream, dynamic_ncols=True, smoothing=0.1)

    def advance(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    try:
        yield advance
    finally:
        bar.close()
