"""The shipped seed's scores, stored so that a server start reads them instead of scoring the records again.

A cache, not part of the library: kept in the user's cache folder under a digest of everything the scores depend on
(the data folder and the scoring code), so a stale copy is never read and a lost one is simply made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

import pandas as pd

from dashboard.library import APP_NAME, EVENT_SUFFIX, PART_SUFFIX

CACHE_VARIABLE = "REACTIONS_CACHE"


def cache_root() -> Path:
    """Where the dashboard keeps what it can make again: $REACTIONS_CACHE, else the user's cache folder."""
    given = os.environ.get(CACHE_VARIABLE, "").strip()
    if given:
        return Path(given).expanduser()
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def seed_scores_digest(data_dir: Path | str) -> str:
    """What the seed's scores depend on: every file of the data folder and the source of the package's top-level
    modules (where scoring lives). Any change to either names another stored copy, so a stale one is never read."""
    digest = hashlib.sha256()
    root = Path(data_dir)
    package = Path(__file__).resolve().parent
    files = [(f"data/{p.relative_to(root)}", p) for p in root.rglob("*") if p.is_file()]
    files += [(f"code/{p.name}", p) for p in package.glob("*.py")]
    for name, path in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def stored_seed_scores(data_dir: Path | str, score) -> pd.DataFrame:
    """The shipped records scored: read from the cache when this data and code scored them before, else
    `score()` (and stored, write then rename, for the next start). A cache that cannot be read or written is
    passed over: the records are scored, as without one."""
    try:
        path = cache_root() / f"seed-scores-{seed_scores_digest(data_dir)}{EVENT_SUFFIX}"
    except OSError:
        return score()
    with contextlib.suppress(OSError, ValueError):
        return pd.read_parquet(path)
    scored = score()
    with contextlib.suppress(OSError, ValueError, TypeError):
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, part = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=PART_SUFFIX)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                scored.to_parquet(handle, index=False)
            os.replace(part, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part)
    return scored
