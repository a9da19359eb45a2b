"""Checks on an event file of the library: the checksum of its records, and what identifies one version of it.

Kept apart from dashboard/library.py, which writes and reads the files; these only look at bytes and stat results.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

# Read in pieces of this size when hashing: a million records are some 25 MB.
HASH_CHUNK = 1 << 20


def file_version(path: Path | None = None, handle=None) -> tuple[int, int, int, int] | None:
    """What changes when a file is replaced or rewritten: (device, inode, size, mtime); None if it is gone."""
    try:
        stat = os.fstat(handle.fileno()) if handle is not None else os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


class Damaged(Exception):
    """Why a file in the events folder is not an event the library can read (a reason for the person)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def digest_of(handle, size: int) -> str:
    """The SHA-256 of the first `size` bytes of an open file."""
    digest = hashlib.sha256()
    handle.seek(0)
    while size > 0:
        chunk = handle.read(min(HASH_CHUNK, size))
        if not chunk:
            break
        digest.update(chunk)
        size -= len(chunk)
    return digest.hexdigest()


# (device, inode, size, mtime) of files whose checksum matched: each version of a file is hashed once per process,
# not on every page load. Bounded; a full table is simply emptied.
_SOUND_FILES: set[tuple[int, int, int, int]] = set()
_SOUND_FILES_MAX = 4096


def check_digest(handle, expected: bytes | None) -> None:
    """Damaged unless the bytes before the footer hash to `expected` (a file written before checksums has
    none, and is read as before)."""
    if expected is None:
        return
    version = file_version(handle=handle)
    if version in _SOUND_FILES:
        return
    size = version[2]
    handle.seek(size - 8)
    footer_length = int.from_bytes(handle.read(4), "little")
    found = digest_of(handle, size - footer_length - 8)
    if found != expected.decode("ascii", errors="replace"):
        raise Damaged("damaged since it was saved: its records do not match the checksum stored with them")
    if len(_SOUND_FILES) >= _SOUND_FILES_MAX:
        _SOUND_FILES.clear()
    _SOUND_FILES.add(version)
