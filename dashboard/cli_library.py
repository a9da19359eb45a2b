"""`reactions library`: add, list, remove and rescore the events of the library the dashboard shows.

Registered from `dashboard.cli`; the loading, scoring and argument helpers it shares with the other
commands are imported from there at call time, since `dashboard.cli` imports this module.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd


def _default_event_slug(table: pd.DataFrame, path: str) -> str:
    """Without --event: the file's one event slug if it gives exactly one, else the file name made a slug."""
    import re

    given = {str(v).strip() for v in table["event"]} - {""} if "event" in table.columns else set()
    if len(given) == 1:
        return given.pop()
    return re.sub(r"[^a-z0-9-]+", "-", Path(path).stem.lower()).strip("-")[:41]


def command_library_add(args: argparse.Namespace) -> int:
    from dashboard.cli import EXIT_OK, _load_valid_table, score_in_processes
    from dashboard.library import EventExistsError, Library, knowledge_versions, validate_slug
    from dashboard.records import normalise_records
    from dashboard.scoring import load_resources

    resources = load_resources()
    library = Library()
    table, _ = _load_valid_table(args.input, resources, args.encoding)
    # An --event given empty is refused, not replaced by the file's name: the person asked for that slug.
    slug = validate_slug(args.event if args.event is not None else _default_event_slug(table, args.input))
    # Refused before scoring (minutes for a big file); add() checks again under the lock.
    if slug in library.shipped or (library.path_of(slug).exists() and not args.replace):
        raise EventExistsError(slug, shipped=slug in library.shipped)
    records = normalise_records(table.assign(event=slug), resources.registry)
    if args.date:
        records["date"] = records["date"].where(records["date"].astype(str).str.strip() != "", args.date)
    # Every CPU by default, as `reactions score`: a million records are minutes of scoring, not an hour.
    scored = score_in_processes(records, resources, args.jobs, quiet=False)
    info = library.add(
        scored,
        slug,
        title=args.title or "",
        date=args.date or "",
        source=Path(args.input).name,
        versions=knowledge_versions(),
        replace=args.replace,
    )
    print(f"{info.slug}: {info.records:,} record(s) stored in {library.root}")
    return EXIT_OK


def _versions(info) -> str:
    return f"codebook {info.codebook_version or '?'}, lexicon {info.lexicon_version or '?'}"


def _dates(info) -> str:
    if info.first_date and info.first_date != info.last_date:
        return f"{info.first_date}..{info.last_date}"
    return info.first_date or info.date or "-"


def command_library_list(args: argparse.Namespace) -> int:
    from dashboard.cli import EXIT_OK
    from dashboard.library import Library, knowledge_versions

    library = Library()
    events, skipped = library.events()
    current = knowledge_versions()
    shipped = shipped_event_rows()
    now = f"codebook {current['codebook']}, lexicon {current['lexicon']}"
    rows = [(slug, records, dates, f"{title} (shipped)", now) for slug, records, dates, title in shipped]
    for info in events:
        stale = info.lexicon_version != current["lexicon"] or info.codebook_version != current["codebook"]
        # Scores made with other knowledge than the current (older, or a REACTIONS_DATA_DIR's) disagree with it.
        note = f" (not the current {now}: run reactions library rescore)" if stale else ""
        # An upload saved without a title is named by its file, as on the Library page.
        rows.append((info.slug, info.records, _dates(info), info.title or info.source, _versions(info) + note))
    # The fifth column, scored with, comes after the title so that readers of the first four are unaffected.
    for slug, records, dates, title, versions in rows:
        print(f"{slug}\t{records}\t{dates}\t{title}\t{versions}")
    for skip in skipped:
        print(str(skip), file=sys.stderr)
    print(f"library: {library.root}", file=sys.stderr)
    return EXIT_OK


def shipped_event_rows() -> list[tuple[str, int, str, str]]:
    """(slug, records, dates, title) for each event shipped in data/."""
    from dashboard.records import load_articles, load_curated_records
    from dashboard.registry import load_registry

    articles = load_articles()
    records = load_curated_records(load_registry())
    rows = []
    for slug, article in sorted(articles.items()):
        dates = sorted(d for d in records.loc[records["event"] == slug, "date"] if d)
        span = f"{dates[0]}..{dates[-1]}" if dates and dates[0] != dates[-1] else (dates[0] if dates else article.date)
        rows.append((slug, int((records["event"] == slug).sum()), span, article.title))
    return rows


def command_library_remove(args: argparse.Namespace) -> int:
    from dashboard.cli import EXIT_OK
    from dashboard.library import Library

    library = Library()
    library.remove(args.slug)
    print(f"{args.slug}: removed from {library.root}")
    return EXIT_OK


def command_library_rescore(args: argparse.Namespace) -> int:
    from dashboard.cli import EXIT_OK, score_in_processes
    from dashboard.library import Library, knowledge_versions
    from dashboard.scoring import load_resources

    library = Library()
    resources = load_resources()
    changed: list[str] = []
    done = library.rescore(
        resources,
        knowledge_versions(),
        only=args.event,
        # Every CPU by default, as `add`: the library is not locked while it scores, only while it writes.
        score=lambda records: score_in_processes(records, resources, args.jobs, quiet=False),
        changed=changed,
    )
    for slug, records in done:
        print(f"{slug}: {records:,} record(s) scored again")
    for slug in changed:
        print(
            f"{slug}: changed by another writer while it was scored; left as it is (run rescore again)", file=sys.stderr
        )
    if not done and not changed:
        print(f"library: no event to rescore in {library.root}", file=sys.stderr)
    return EXIT_OK


def add_library_commands(commands) -> None:
    """The `library` subcommand and its actions, added to `reactions`' subparsers."""
    from dashboard.cli import _iso_date, _positive

    library = commands.add_parser(
        "library", help="the event library every visitor of the dashboard sees (add, list, remove, rescore)"
    )
    actions = library.add_subparsers(dest="library_command", required=True)
    add = actions.add_parser("add", help="read, validate, score and store a records file as an event")
    add.add_argument(
        "input", help="CSV, TSV, JSON, JSONL, XLSX or Parquet with at least `actor` and `text` (as for score)"
    )
    add.add_argument("--event", help="the event's slug (default: the file's one event, else the file name)")
    add.add_argument("--title", help="the event's title, as the dashboard shows it")
    add.add_argument("--date", type=_iso_date, help="the event's date, YYYY-MM-DD (also given to undated records)")
    add.add_argument("--replace", action="store_true", help="replace the event if the library holds it already")
    add.add_argument("--jobs", type=_positive, help="worker processes for scoring (default: every CPU available)")
    add.add_argument(
        "--encoding",
        help="read a text input in this encoding (e.g. cp1254) instead of detecting it; for a file refused "
        "because its encoding could not be told",
    )
    add.set_defaults(run=command_library_add)
    listing = actions.add_parser(
        "list", help="one line per event: slug, records, dates, title, scored with (tab-separated)"
    )
    listing.set_defaults(run=command_library_list)
    remove = actions.add_parser("remove", help="remove an event from the library")
    remove.add_argument("slug")
    remove.set_defaults(run=command_library_remove)
    rescore = actions.add_parser("rescore", help="score the stored events again (after a lexicon change)")
    rescore.add_argument("--event", help="only this event")
    rescore.add_argument("--jobs", type=_positive, help="worker processes for scoring (default: every CPU available)")
    rescore.set_defaults(run=command_library_rescore)
