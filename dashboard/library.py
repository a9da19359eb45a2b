"""The event library: events kept on disk, shared by every visitor of the dashboard and by the CLI.

Layout, in open formats that other tools read (DuckDB, pandas, polars, Arrow, Spark):

    <root>/events/<slug>.parquet   one event: its records with their scores (one row per record). The file's
                                   footer (Parquet key-value metadata, key "diplomatic_reactions") holds the
                                   event's title, date, source, article text, new actors' country codes and the
                                   codebook and lexicon versions that scored it; key "diplomatic_reactions_sha256"
                                   the SHA-256 of the bytes before the footer (the records), so a file damaged
                                   inside after it was saved is found by hashing it, not by a query failing on it.
    <root>/.lock                   writers hold it (flock) for the whole of an add, a removal or a rescore.
    <root>/.incoming/              files being written; renamed into events/ once complete and synced.

Why one self-describing file per event and no separate manifest: a write is one os.replace and a removal one
unlink, so the list of events and their contents can never disagree, whatever is interrupted where. The list
is the folder; reading it costs one footer per event. Readers take no lock: a rename is atomic, so a reader
sees an event's old file or its new one, never half of one.

The shipped event(s) in data/ are not copied here: data/ is read-only and versioned with the code, and a copy
would go stale the day the curated records or the lexicon change. They are served from data/ and always
listed first; the library refuses their slugs.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard import DATA_DIR, knowledge_dir
from dashboard.errors import ReactionsError
from dashboard.event_file_checks import Damaged, check_digest, digest_of, file_version
from dashboard.stored_records import APP_COLUMNS as APP_COLUMNS
from dashboard.stored_records import BOOL_COLUMNS as BOOL_COLUMNS
from dashboard.stored_records import EXTRA_COLUMN as EXTRA_COLUMN
from dashboard.stored_records import FLOAT_COLUMNS as FLOAT_COLUMNS
from dashboard.stored_records import FORMAT_VERSION as FORMAT_VERSION
from dashboard.stored_records import OFFSET_COLUMNS as OFFSET_COLUMNS
from dashboard.stored_records import PREDICTED as PREDICTED
from dashboard.stored_records import STORED_COLUMNS as STORED_COLUMNS
from dashboard.stored_records import _event_metadata, _stored_frame
from dashboard.stored_records import records_for_app as records_for_app
from dashboard.stored_records import records_to_rescore as records_to_rescore

LIBRARY_VARIABLE = "REACTIONS_LIBRARY"
# Set to 1/true/yes on a public server: the app then shows the library but offers no way to change it.
READ_ONLY_VARIABLE = "REACTIONS_LIBRARY_READ_ONLY"
APP_NAME = "diplomatic-reactions"
METADATA_KEY = b"diplomatic_reactions"
# The SHA-256 of the file's bytes before its footer (magic and row groups), written into the footer after them.
DIGEST_KEY = b"diplomatic_reactions_sha256"
# The same rule as the upload and article pages: lower case letters, digits and '-', 2 to 41 characters.
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")
EVENT_SUFFIX = ".parquet"
PART_SUFFIX = ".part"
# Events are written by one user (the CLI) and read by another (the server): readable by all, like a file
# written with the usual umask.
FILE_MODE = 0o644
# A writer waits this long for another one to finish before giving up with a message.
LOCK_TIMEOUT_S = 120.0
LOCK_POLL_S = 0.05


class LibraryError(ReactionsError):
    """Something about the event library: a bad slug, an unknown event, a folder that cannot be used."""


class InvalidSlugError(LibraryError):
    def __init__(self, slug: str):
        self.slug = slug
        super().__init__(
            f"{slug!r} is not a valid event slug: use 2 to 41 characters, lower case letters, digits and '-', "
            "starting with a letter or digit (e.g. kerch-2018)"
        )


class EventExistsError(LibraryError):
    def __init__(self, slug: str, shipped: bool = False):
        self.slug = slug
        where = "is shipped with the dashboard" if shipped else "is in the library already"
        super().__init__(
            f"the event {slug!r} {where}; choose another slug"
            + ("" if shipped else ", or replace it (reactions library add --replace)")
        )


class UnknownEventError(LibraryError):
    def __init__(self, slug: str, shipped: bool = False):
        self.slug = slug
        super().__init__(
            f"the event {slug!r} is shipped with the dashboard (data/) and cannot be removed"
            if shipped
            else f"there is no event {slug!r} in the library (reactions library list shows them)"
        )


class LibraryBusyError(LibraryError):
    def __init__(self, root: Path):
        super().__init__(f"{root}: another program has been writing the library for {LOCK_TIMEOUT_S:.0f} s; try again")


class ReadOnlyLibraryError(LibraryError):
    def __init__(self):
        super().__init__(f"the library is read-only on this server ({READ_ONLY_VARIABLE} is set)")


@dataclass(frozen=True)
class EventInfo:
    """One event as listed: what the footer says, and how many records the file holds."""

    slug: str
    title: str
    date: str
    first_date: str
    last_date: str
    records: int
    actors: tuple[str, ...]
    source: str
    codebook_version: str
    lexicon_version: str
    saved_at: str
    shipped: bool = False
    path: str = ""
    targets: tuple[str, ...] = ()
    untargeted: bool = False
    modes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkippedFile:
    """A file in the events folder that is not an event the library can read, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: skipped: {self.reason}"


@dataclass(frozen=True)
class StoredEvent:
    """An event's records with their scores (None when only its footer was read), and what its footer says."""

    info: EventInfo
    records: pd.DataFrame | None
    article_text: str = ""
    new_actors: dict[str, str] = field(default_factory=dict)
    # The file read (see file_version): a rescore replaces it only if it is still the same file.
    file_version: tuple | None = None


def read_only() -> bool:
    """True when the server setting makes the library read-only for the app."""
    return os.environ.get(READ_ONLY_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on")


def library_root() -> Path:
    """The library folder: $REACTIONS_LIBRARY, else the user's data folder (platformdirs). Never data/."""
    given = os.environ.get(LIBRARY_VARIABLE, "").strip()
    if given:
        root = Path(given).expanduser()
    else:
        import platformdirs

        root = platformdirs.user_data_path(APP_NAME, appauthor=False) / "library"
    if root.exists() and not root.is_dir():
        raise LibraryError(f"{root}: not a folder, so it cannot hold the library; set {LIBRARY_VARIABLE} to a folder")
    resolved = root.resolve()
    shipped = DATA_DIR.resolve()
    if resolved == shipped or shipped in resolved.parents:
        raise LibraryError(f"{root}: the library cannot live in data/, which is read-only; set {LIBRARY_VARIABLE}")
    return root


def validate_slug(slug: str) -> str:
    """The slug itself when it is safe as a file name and a URL parameter; InvalidSlugError otherwise."""
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        raise InvalidSlugError(str(slug))
    return slug


def knowledge_versions(data_dir: Path | str | None = None) -> dict[str, str]:
    """The versions of the knowledge that scores records: the codebook's own version line, and the lexicon's
    content digest (the lexicon has no version line; a digest changes whenever a cue does)."""
    from dashboard.codebook import read_codebook_version

    data_dir = data_dir if data_dir is not None else knowledge_dir()
    digest = hashlib.sha256()
    for name in ("cue_lexicon.csv", "cameo_crosswalk.csv"):
        digest.update((Path(data_dir) / name).read_bytes())
    return {"codebook": read_codebook_version(Path(data_dir) / "codebook.csv"), "lexicon": digest.hexdigest()[:12]}


def shipped_events(data_dir: Path | str | None = None) -> frozenset[str]:
    """The slugs of the events shipped in data/ (its articles index)."""
    from dashboard.datafiles import read_commented_csv

    data_dir = data_dir if data_dir is not None else knowledge_dir()
    return frozenset(read_commented_csv(Path(data_dir) / "articles.csv", required=("event",))["event"])


class Library:
    """The library at `root`. `shipped` are the slugs served from data/, which the library never holds."""

    def __init__(self, root: Path | str | None = None, shipped: frozenset[str] | None = None):
        self.root = Path(root) if root is not None else library_root()
        self.shipped = shipped if shipped is not None else shipped_events()

    @property
    def events_dir(self) -> Path:
        return self.root / "events"

    def path_of(self, slug: str) -> Path:
        return self.events_dir / f"{validate_slug(slug)}{EVENT_SUFFIX}"

    # --- Reading (no lock: renames are atomic) ---

    def signature(self) -> tuple[tuple[str, int, int], ...]:
        """What changes whenever an event is added, replaced or removed: (name, size, mtime) per file.
        A directory listing and one stat per file: cheap enough for every page load."""
        entries = []
        with contextlib.suppress(FileNotFoundError), os.scandir(self.events_dir) as folder:
            for entry in folder:
                with contextlib.suppress(FileNotFoundError):
                    stat = entry.stat()
                    entries.append((entry.name, stat.st_size, stat.st_mtime_ns))
        return tuple(sorted(entries))

    def _candidates(self) -> tuple[list[tuple[str, Path]], list[SkippedFile]]:
        events, skipped = [], []
        if not self.events_dir.is_dir():
            return events, skipped
        for path in sorted(self.events_dir.iterdir()):
            slug = path.name[: -len(EVENT_SUFFIX)] if path.name.endswith(EVENT_SUFFIX) else ""
            if not path.is_file() or not SLUG.fullmatch(slug):
                skipped.append(SkippedFile(str(path), f"not an event file (the library holds <slug>{EVENT_SUFFIX})"))
            elif slug in self.shipped:
                skipped.append(SkippedFile(str(path), f"{slug!r} is a shipped event; data/ serves it"))
            else:
                events.append((slug, path))
        return events, skipped

    def _read_footer(self, slug: str, path: Path, handle=None) -> tuple[EventInfo, dict]:
        if handle is None:  # one open file for the footer and the checksum: a writer may replace the path
            with open(path, "rb") as opened:
                return self._read_footer(slug, path, opened)
        import pyarrow.parquet as pq

        try:
            footer = pq.read_metadata(handle)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            if not path.exists():  # removed since the listing: gone, not damaged
                raise FileNotFoundError(errno.ENOENT, "removed", str(path)) from exc
            raise Damaged(f"not a readable Parquet file ({_one_line(exc)})") from exc
        check_digest(handle, (footer.metadata or {}).get(DIGEST_KEY))
        raw = (footer.metadata or {}).get(METADATA_KEY)
        if raw is None:
            raise Damaged(
                "a Parquet file the library did not write (no diplomatic_reactions metadata); to show its records, "
                "move it out of this folder and add it with `reactions library add FILE --event SLUG`"
            )
        try:
            meta = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise Damaged("its diplomatic_reactions metadata is not JSON") from exc
        if not isinstance(meta, dict) or meta.get("slug") != slug:
            raise Damaged(
                f"its metadata names another event ({meta.get('slug') if isinstance(meta, dict) else meta!r})"
            )
        if meta.get("format", 0) > FORMAT_VERSION:
            raise Damaged(f"written by a newer version of the dashboard (format {meta.get('format')})")
        missing = [c for c in STORED_COLUMNS if c not in footer.schema.names]
        if missing:
            raise Damaged(f"columns missing: {', '.join(missing)}")
        info = EventInfo(
            slug=slug,
            title=str(meta.get("title", "")),
            date=str(meta.get("date", "")),
            first_date=str(meta.get("first_date", "")),
            last_date=str(meta.get("last_date", "")),
            records=footer.num_rows,
            actors=tuple(meta.get("actors", ())),
            source=str(meta.get("source", "")),
            codebook_version=str(meta.get("codebook_version", "")),
            lexicon_version=str(meta.get("lexicon_version", "")),
            saved_at=str(meta.get("saved_at", "")),
            path=str(path),
            targets=tuple(meta.get("targets", ())),
            untargeted=bool(meta.get("untargeted", False)),
            modes=tuple(meta.get("modes", ())),
        )
        return info, meta

    def events(self) -> tuple[list[EventInfo], list[SkippedFile]]:
        """Every readable event in the library (by slug), and every file skipped with the reason."""
        found, skipped = self._candidates()
        events = []
        for slug, path in found:
            try:
                events.append(self._read_footer(slug, path)[0])
            except Damaged as exc:
                skipped.append(SkippedFile(str(path), exc.reason))
            except FileNotFoundError:  # removed since the listing: not there any more, not damaged
                continue
        return events, skipped

    def read_event(self, slug: str, columns: list[str] | None = None, arrow: bool = False) -> StoredEvent:
        """One event's stored records (every stored column, or `columns`; an Arrow table if `arrow`) and its
        footer; UnknownEventError if absent."""
        import pyarrow.parquet as pq

        path = self.path_of(slug)
        try:
            # One open file for the footer and the rows: a writer may replace the path between two opens, and
            # the footer of one version with the rows of another reads as damaged.
            with open(path, "rb") as handle:
                info, meta = self._read_footer(slug, path, handle)
                table = pq.read_table(handle, columns=columns)
                version = file_version(handle=handle)
        except FileNotFoundError:
            raise UnknownEventError(slug, slug in self.shipped) from None
        except Damaged as exc:
            raise LibraryError(f"{path}: {exc.reason}") from exc
        except (OSError, ValueError) as exc:
            if not path.exists():
                raise UnknownEventError(slug) from exc
            raise LibraryError(f"{path}: damaged: {_one_line(exc)}") from exc
        return StoredEvent(
            info=info,
            records=table if arrow else _from_arrow(table),
            article_text=str(meta.get("article", "")),
            new_actors=dict(meta.get("new_actors", {})),
            file_version=version,
        )

    def described(self) -> tuple[list[StoredEvent], list[SkippedFile]]:
        """Every readable event's footer (title, date, article, new actors) without its records (records is
        None): what a server needs to list the events and query their files where they lie."""
        found, skipped = self._candidates()
        described = []
        for slug, path in found:
            try:
                info, meta = self._read_footer(slug, path)
            except Damaged as exc:
                skipped.append(SkippedFile(str(path), exc.reason))
                continue
            except FileNotFoundError:
                continue
            described.append(
                StoredEvent(
                    info=info,
                    records=None,
                    article_text=str(meta.get("article", "")),
                    new_actors=dict(meta.get("new_actors", {})),
                )
            )
        return described, skipped

    def read_all(
        self, columns: list[str] | None = None, arrow: bool = False
    ) -> tuple[list[StoredEvent], list[SkippedFile]]:
        """Every readable event with its records (`columns` only, if given); a file that fails to read is
        skipped and reported."""
        events, skipped = self.events()
        stored = []
        for info in events:
            try:
                stored.append(self.read_event(info.slug, columns, arrow))
            except UnknownEventError:
                continue
            except LibraryError as exc:
                skipped.append(SkippedFile(info.path, str(exc).removeprefix(f"{info.path}: ")))
        return stored, skipped

    # --- Writing (under the lock; each change is one rename or one unlink) ---

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self.events_dir.mkdir(exist_ok=True)
            handle = open(self.root / ".lock", "a+b")  # noqa: SIM115 (closed by the with below)
        except OSError as exc:  # a file where the folder should be, no permission, a read-only disk
            raise LibraryError(
                f"{exc.filename or self.root}: the library folder cannot be written ({exc.strerror or exc}); "
                f"set {LIBRARY_VARIABLE} to a folder you can write"
            ) from exc
        with handle:
            deadline = time.monotonic() + LOCK_TIMEOUT_S
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                        raise LibraryBusyError(self.root) from exc
                    time.sleep(LOCK_POLL_S)
            try:
                self._clear_leftovers()
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _clear_leftovers(self) -> None:
        """Half-written files of an interrupted writer: nobody else writes while we hold the lock."""
        incoming = self.root / ".incoming"
        if incoming.is_dir():
            for part in incoming.glob(f"*{PART_SUFFIX}"):
                with contextlib.suppress(FileNotFoundError):
                    part.unlink()

    def _write(self, slug: str, stored: pd.DataFrame, meta: dict) -> None:
        """Write to .incoming/, sync, then rename over events/<slug>.parquet: all of it or nothing."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(stored, preserve_index=False)
        table = table.replace_schema_metadata({METADATA_KEY: json.dumps(meta, ensure_ascii=False).encode("utf-8")})
        incoming = self.root / ".incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        descriptor, part = tempfile.mkstemp(dir=incoming, prefix=f"{slug}.", suffix=PART_SUFFIX)
        try:
            # mkstemp makes the file private (0600); an event is for every reader, a server under another user too.
            os.fchmod(descriptor, FILE_MODE)
            with os.fdopen(descriptor, "wb") as handle:
                # Closed (its footer written) before the file is, whatever happens.
                with pq.ParquetWriter(handle, table.schema, compression="zstd") as writer:
                    writer.write_table(table, row_group_size=128_000)
                    handle.flush()  # the row groups are in the file; the footer is written on closing
                    with open(part, "rb") as written:
                        digest = digest_of(written, os.fstat(handle.fileno()).st_size)
                    writer.add_key_value_metadata({DIGEST_KEY: digest.encode("ascii")})
                handle.flush()
                os.fsync(handle.fileno())
            with open(part, "rb") as written:  # what readers will check, checked before anyone can read it
                try:
                    check_digest(written, digest.encode("ascii"))
                except Damaged as exc:
                    raise LibraryError(f"{part}: the event file does not read back as written: {exc.reason}") from exc
            os.replace(part, self.path_of(slug))
            _sync_folder(self.events_dir)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part)
            raise

    def add(
        self,
        scored: pd.DataFrame,
        slug: str,
        *,
        title: str = "",
        date: str = "",
        source: str = "",
        article_text: str = "",
        new_actors: dict[str, str] | None = None,
        versions: dict[str, str] | None = None,
        replace: bool = False,
    ) -> EventInfo:
        """Store scored records as the event `slug` (their event column set to it); EventExistsError if the
        slug is taken (a shipped event always, a library one unless replace)."""
        validate_slug(slug)
        if slug in self.shipped:
            raise EventExistsError(slug, shipped=True)
        stored = _stored_frame(scored.assign(event=slug))
        versions = versions or knowledge_versions()
        meta = _event_metadata(slug, stored, title, date, source, article_text, new_actors or {})
        meta |= {"codebook_version": versions["codebook"], "lexicon_version": versions["lexicon"]}
        with self._locked():
            if self.path_of(slug).exists() and not replace:
                raise EventExistsError(slug)
            self._write(slug, stored, meta)
        return self._read_footer(slug, self.path_of(slug))[0]

    def remove(self, slug: str) -> None:
        """Remove the event `slug`; UnknownEventError if the library does not hold it."""
        validate_slug(slug)
        if slug in self.shipped:
            raise UnknownEventError(slug, shipped=True)
        with self._locked():
            try:
                self.path_of(slug).unlink()
            except FileNotFoundError:
                raise UnknownEventError(slug) from None
            _sync_folder(self.events_dir)

    def rescore(
        self, resources, versions: dict[str, str], only: str | None = None, score=None, changed: list | None = None
    ) -> list[tuple[str, int]]:
        """Score every event's records again with `resources` (after a lexicon change; `score(records)` if given,
        e.g. in worker processes) and store them with the new versions; curated stances stay, the rules' ones are
        read again. Returns (slug, records) done. Each event is scored without the lock (minutes for a large
        library, which other writers would wait for) and replaced under it only if its file is still the one
        read; an event added, replaced or removed meanwhile is left as it is, and its slug appended to `changed`."""
        from dashboard.scoring import score_records

        score = score or (lambda records: score_records(records, resources))
        done = []
        events, _ = self.events()
        for info in events:
            if only and info.slug != only:
                continue
            try:
                event = self.read_event(info.slug)
            except UnknownEventError:  # removed since the listing
                continue
            stored = _stored_frame(score(records_to_rescore(event.records)))
            info = event.info
            meta = _event_metadata(
                info.slug, stored, info.title, info.date, info.source, event.article_text, event.new_actors
            )
            meta |= {"codebook_version": versions["codebook"], "lexicon_version": versions["lexicon"]}
            with self._locked():
                if file_version(self.path_of(info.slug)) != event.file_version:
                    if changed is not None:
                        changed.append(info.slug)
                    continue
                self._write(info.slug, stored, meta)
            done.append((info.slug, len(stored)))
        if only and not done and not changed:
            raise UnknownEventError(only, only in self.shipped)
        return done


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def _from_arrow(table) -> pd.DataFrame:
    """A stored table as a pandas frame with the dtypes scoring gives (offsets Int64, text as str)."""
    frame = table.to_pandas()
    for column in OFFSET_COLUMNS:
        if column in frame.columns:
            frame[column] = frame[column].astype("Int64")
    return frame


def _sync_folder(folder: Path) -> None:
    """Make a rename or unlink durable (the folder's entry), where the platform allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
