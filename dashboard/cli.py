"""`reactions`: score, summarise, validate and evaluate reaction records on the dashboard's own code paths."""

from __future__ import annotations

import argparse
import gc
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from dashboard.cli_library import add_library_commands
from dashboard.cli_library import command_library_add as command_library_add
from dashboard.cli_library import command_library_list as command_library_list
from dashboard.cli_library import command_library_remove as command_library_remove
from dashboard.cli_library import command_library_rescore as command_library_rescore
from dashboard.cli_library import shipped_event_rows as shipped_event_rows
from dashboard.errors import InvalidDataError, ReactionsError, UnreadableFileError, UnwritableFileError

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE, EXIT_INTERNAL = 0, 1, 2, 3
# What `score` adds to (or fills in) every input row, in this order.
SCORE_COLUMNS = (
    "stance",
    "target",
    "cue",
    "confidence",
    "polarity",
    "subjectivity",
    "intensity",
    "cameo",
    "goldstein",
    # "curated" where the input gave the stance, "predicted" where the rules filled it in.
    "stance_source",
    # Empty, or why the rules read only the first part of a very long text.
    "scoring_note",
)
# Where the input already has a value, scoring keeps it (curated labels win).
FILLABLE_COLUMNS = ("stance", "target", "cue")
TABLE_SUFFIXES = (".csv", ".json", ".jsonl", ".xlsx")
# `score` also writes Parquet (one file; with --engine dask, a dataset folder of parts).
SCORE_SUFFIXES = (*TABLE_SUFFIXES, ".parquet")
SUMMARY_SUFFIXES = (".csv", ".json", ".xlsx")


def _load_valid_table(
    path: str,
    resources,
    encoding: str | None = None,
    warnings_to=None,
    engine: str = "direct",
    left_out: list | None = None,
) -> tuple[pd.DataFrame, list]:
    """The table and its warnings (names kept as written, each also printed to warnings_to); InvalidDataError
    if any row has an error. Parquet is read by dashboard.tables_io and validated the same way. `engine`: see
    validate_records (validate uses pandera; score keeps the direct pass, which imports nothing more).
    With `left_out` (a list), rows with errors are left out instead, each named on stderr and appended to it:
    the good rows go on. A file-wide problem (a missing column) still raises InvalidDataError."""
    from dashboard.records import is_warning, load_articles, load_table_report, validate_records
    from dashboard.tables_io import PARQUET_SUFFIX, read_parquet_table

    if Path(path).suffix.lower() == PARQUET_SUFFIX:
        table = read_parquet_table(path)
        problems, read_notes = list(validate_records(table, resources.registry, load_articles(), engine=engine)), []
    else:
        # Records that name a shipped article's event and give offsets are checked against its text.
        table, report = load_table_report(path, resources.registry, load_articles(), encoding=encoding, engine=engine)
        problems, read_notes = list(report.problems), report.lines()[1:]
    # How the file was read (a renamed column, a semicolon CSV, an Excel file named .csv) goes to stderr,
    # so a person sees it and a pipe does not.
    for line in read_notes:
        print(f"{path}: {line}", file=sys.stderr)
    errors = [p for p in problems if not is_warning(p)]
    if errors and (left_out is None or any(p.row <= 0 for p in errors)):
        raise InvalidDataError(path, problems)
    if errors:
        from dashboard.records import split_valid_rows

        for problem in errors:
            print(f"{path}: {problem}", file=sys.stderr)
        table, rejected = split_valid_rows(table, errors)
        table = table.reset_index(drop=True)  # scoring aligns its output with the rows by position
        left_out.extend(problem for problem in errors)
        print(
            f"{path}: {len(rejected):,} row(s) left out (listed above); {len(table):,} row(s) go on",
            file=sys.stderr,
        )
    warnings = [p for p in problems if is_warning(p)]
    warnings_to = sys.stderr if warnings_to is None else warnings_to
    for problem in warnings:
        # On stdout (validate) the lines read like its error lines; on stderr they name the file.
        prefix = "" if warnings_to is sys.stdout else f"{path}: "
        print(f"{prefix}warning: {problem}", file=warnings_to)
    return table, warnings


def with_actor_status(table: pd.DataFrame, registry) -> pd.DataFrame:
    from dashboard.records import with_actor_status as add_status

    return add_status(table, registry)


def scored_output(table: pd.DataFrame, scored: pd.DataFrame) -> pd.DataFrame:
    """The input table, every column kept as written, with the score columns added or filled where empty."""
    output = table.copy()
    for column in SCORE_COLUMNS:
        computed = scored[column].reset_index(drop=True)
        if column in FILLABLE_COLUMNS and column in output.columns:
            given = output[column].astype(str).str.strip()
            output[column] = output[column].where(given != "", computed.astype(str))
        else:
            output[column] = computed.to_numpy()
    return output


def _provenance(what: str, source: str):
    from dashboard.codebook import codebook_version
    from dashboard.export import Provenance

    return Provenance(holds=what, filters={}, codebook_version=codebook_version(), sources=(source,))


def _write_table(table: pd.DataFrame, output: str | None, provenance, allowed: tuple[str, ...]) -> None:
    from dashboard.export import (
        csvw_metadata_bytes,
        metadata_name,
        neutralise_formula_cells,
        to_csv_bytes,
        to_excel_bytes,
        to_json_bytes,
    )

    if output is None:
        # Standard output feeds other programs: the same plain CSV as a file, with no place for a sidecar.
        sys.stdout.write(neutralise_formula_cells(table).to_csv(index=False))
        return
    suffix = Path(output).suffix.lower()
    if suffix == ".parquet" and suffix in allowed:
        from dashboard.tables_io import write_parquet

        check_output_path(output, allowed)
        write_parquet(table, output)
        return
    writers = {
        ".csv": to_csv_bytes,
        ".json": to_json_bytes,
        ".jsonl": _to_jsonl_bytes,
        ".xlsx": to_excel_bytes,
    }
    check_output_path(output, allowed)
    _write_bytes(output, writers[suffix](table, provenance))
    if suffix == ".csv":
        # The CSV stays plain for every tool; what it holds goes beside it, where CSVW processors look first.
        sidecar = str(Path(output).with_name(metadata_name(Path(output).name)))
        _write_bytes(sidecar, csvw_metadata_bytes(table, provenance, Path(output).name))
        print(f"{output}: described in {sidecar} (CSVW)", file=sys.stderr)


def _write_bytes(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise UnwritableFileError(path, exc.strerror or str(exc)) from exc


def check_output_path(output: str | None, allowed: tuple[str, ...]) -> None:
    """Refuse an output we could not write before doing any work: the wrong extension, a missing folder."""
    if output is None:
        return
    suffix = Path(output).suffix.lower()
    if suffix not in allowed:
        raise UnwritableFileError(
            output, f"unsupported extension {suffix or '(none)'!r}; use one of {', '.join(allowed)}"
        )
    if not Path(output).resolve().parent.is_dir():
        raise UnwritableFileError(output, "its folder does not exist")


def _to_jsonl_bytes(table: pd.DataFrame, provenance) -> bytes:
    # JSON Lines is read by programs, one record per line: no provenance line, which would count as a record.
    from dashboard.targets import with_target_lists  # target as a list of names, as in the JSON export

    return with_target_lists(table).to_json(orient="records", lines=True, force_ascii=False).encode("utf-8")


def command_score(args: argparse.Namespace) -> int:
    from dashboard.records import normalise_records
    from dashboard.scoring import load_resources
    from dashboard.tables_io import input_files

    if args.engine == "dask":
        from dashboard.dask_engine import score_with_dask

        return score_with_dask(args)
    check_output_path(args.output, SCORE_SUFFIXES)
    with cyclic_gc_paused():
        resources = load_resources()
        left_out: list = []
        tables = [
            _load_valid_table(str(path), resources, args.encoding, left_out=left_out)[0]
            for path in input_files(args.input)
        ]
        table = tables[0] if len(tables) == 1 else pd.concat(tables, ignore_index=True).fillna("")
        scored = score_in_processes(normalise_records(table, resources.registry), resources, args.jobs, args.quiet)
        output = with_actor_status(scored_output(table, scored), resources.registry)
        _write_table(output, args.output, _provenance("scored records", args.input), SCORE_SUFFIXES)
    # The good rows are written; rows left out make the exit status say so, for scripts that check it.
    return EXIT_INVALID if left_out else EXIT_OK


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector off for a batch run (reference counting still frees everything else). Scoring
    makes millions of short-lived objects and no cycles to speak of (about 700 left over 30,000 rows), but each
    collection also walks the loaded tables and lexicon: 6% of the run. Forked --jobs workers inherit it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def score_in_processes(records: pd.DataFrame, resources, jobs: int | None, quiet: bool) -> pd.DataFrame:
    """score_records on `jobs` processes (default: every CPU this process may use), one below POOL_FROM_PAIRS
    distinct sentences; a progress bar on stderr when it is a terminal and not quiet."""
    from dashboard.progress import terminal_progress
    from dashboard.scoring import score_records
    from dashboard.scoring_pool import POOL_FROM_PAIRS, available_cpus, scoring_pool

    jobs = jobs or available_cpus()
    with terminal_progress("Scoring", quiet) as progress:
        if jobs <= 1 or _distinct_pairs(records) < POOL_FROM_PAIRS:
            return score_records(records, resources, progress)
        with scoring_pool(resources, jobs) as pool:
            return score_records(records, resources, progress, pool)


def _distinct_pairs(records: pd.DataFrame) -> int:
    return len(records[["text", "actor"]].drop_duplicates()) if len(records) else 0


def command_summary(args: argparse.Namespace) -> int:
    from dashboard.records import normalise_records
    from dashboard.scoring import load_resources, score_records
    from dashboard.summary import summarise_by_actor

    check_output_path(args.output, SUMMARY_SUFFIXES)
    resources = load_resources()
    table, _ = _load_valid_table(args.input, resources, args.encoding)
    summary = summarise_by_actor(score_records(normalise_records(table, resources.registry), resources))
    _write_table(summary, args.output, _provenance("per-actor summary", args.input), SUMMARY_SUFFIXES)
    return EXIT_OK


def command_validate(args: argparse.Namespace) -> int:
    from dashboard.scoring import load_resources

    if args.table:
        from dashboard.records import problems_table

        _, warnings = _load_valid_table(
            args.input, load_resources(), args.encoding, warnings_to=io.StringIO(), engine="pandera"
        )
        if warnings:
            problems_table(warnings, file=args.input).to_csv(sys.stdout, index=False)
        else:
            print(f"{args.input}: valid")
        return EXIT_OK
    _, warnings = _load_valid_table(
        args.input, load_resources(), args.encoding, warnings_to=sys.stdout, engine="pandera"
    )
    kept = f", with {len(warnings)} warning(s): names kept as written" if warnings else ""
    print(f"{args.input}: valid{kept}")
    return EXIT_OK


def command_evaluate(args: argparse.Namespace) -> int:
    import json

    from dashboard.evaluate import evaluate, format_report, read_labelled_jsonl, report_as_dict
    from dashboard.scoring import load_resources

    if args.articles:
        return _evaluate_articles(args)
    if not args.input:
        raise UnreadableFileError("(none)", "give a labelled JSONL file, or --articles DIR")
    from dashboard.progress import terminal_progress

    with terminal_progress("Scoring", args.quiet) as progress:
        report = evaluate(read_labelled_jsonl(args.input), load_resources(), progress)
    if args.json:
        print(json.dumps(report_as_dict(report), indent=2, ensure_ascii=False))
    else:
        print(format_report(report))
    return EXIT_OK


def _evaluate_articles(args: argparse.Namespace) -> int:
    import json

    from dashboard.evaluate_articles import evaluate_articles, format_report, report_as_dict
    from dashboard.scoring import load_resources

    report = evaluate_articles(args.articles, load_resources())
    if args.json:
        print(json.dumps(report_as_dict(report), indent=2, ensure_ascii=False))
    else:
        print(format_report(report, details=args.details))
    return EXIT_OK


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return number


def _iso_date(value: str) -> str:
    import datetime

    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


def command_extract(args: argparse.Namespace) -> int:
    from dashboard.extract import extract_records
    from dashboard.records import normalise_records
    from dashboard.scoring import load_resources, score_records

    check_output_path(args.output, TABLE_SUFFIXES)
    path = Path(args.article)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(args.article, str(exc.strerror or exc)) from exc
    # The same detection as tables: read exactly and say how, or refused naming the candidates; never garbled.
    from dashboard.decoding import LEGACY_CODE_PAGES, decode_text, describe_encoding

    text, encoding = decode_text(data, args.article, args.encoding)
    if encoding in LEGACY_CODE_PAGES:
        print(f"{args.article}: text read as {describe_encoding(encoding)}", file=sys.stderr)
    resources = load_resources()
    records = extract_records(text, resources, args.event or path.stem, args.date or "", args.source or path.name)
    from dashboard.progress import terminal_progress

    with terminal_progress("Scoring", args.quiet) as progress:
        scored = score_records(normalise_records(records, resources.registry), resources, progress)
    # The stances came from the extraction rules, not from a person: say so until someone reviews them.
    scored["stance_source"] = "extracted"
    provenance = _provenance("reaction records extracted by rules, for review", args.article)
    output = scored_output(records, scored)
    # The extractor's confidence covers who speaks and toward whom too, not only the stance: keep it.
    output["confidence"] = records["confidence"].to_numpy()
    # A party the registry does not know is kept under its name as written, marked, and named on stderr.
    output = with_actor_status(output, resources.registry)
    _warn_unregistered(args.article, output, resources.registry)
    _write_table(output, args.output, provenance, TABLE_SUFFIXES)
    return EXIT_OK


def _warn_unregistered(label: str, output: pd.DataFrame, registry) -> None:
    """One stderr line per actor or target name the registry does not know (kept as written in the output)."""
    from dashboard.records import AMBIGUOUS, REGISTERED, actor_status
    from dashboard.targets import parse_targets

    names: dict[str, str] = {}
    for cell in [*output["actor"], *output["target"]]:
        for name in parse_targets(cell):
            status = actor_status(name, registry)
            if status and status != REGISTERED:
                names.setdefault(name.strip(), status)
    for name, status in names.items():
        candidates = " or ".join(repr(c) for c in registry.candidates(name))
        meaning = f"can mean {candidates}" if status == AMBIGUOUS else "is not in the registry"
        print(f"{label}: warning: {name!r} {meaning}; kept as written", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reactions", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    score = commands.add_parser("score", help="add stance, target, cue, tone, intensity and CAMEO to each row")
    score.add_argument(
        "input",
        help="CSV, TSV, JSON (a list of objects), JSONL, XLSX or Parquet with at least `actor` and `text`; "
        "or a folder of them, or a quoted glob ('corpus/*.jsonl')",
    )
    score.add_argument(
        "-o",
        "--output",
        help="output file (.csv, .json, .jsonl, .xlsx, .parquet); CSV to stdout if omitted; with --engine dask a "
        "Parquet dataset folder (NAME.parquet)",
    )
    score.add_argument(
        "--jobs", type=_positive, help="worker processes for the local engine (default: every CPU available)"
    )
    score.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local: this machine (default); dask: a Dask cluster, writing a Parquet dataset",
    )
    where = score.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="with --engine dask: a running scheduler (tcp://host:8786)"
    )
    where.add_argument(
        "--workers", type=_positive, help="with --engine dask: start a local cluster of this many worker processes"
    )
    score.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    score.set_defaults(run=command_score)

    summary = commands.add_parser("summary", help="the per-actor summary table")
    summary.add_argument("input")
    summary.add_argument("-o", "--output", required=True, help="output file (.csv, .json, .xlsx)")
    summary.set_defaults(run=command_summary)

    validate = commands.add_parser("validate", help="check a records file; one line per problem")
    validate.add_argument("input")
    validate.add_argument(
        "--table",
        action="store_true",
        help="print the problems as the upload page's table (CSV: row, field, value, problem, suggestion)",
    )
    validate.set_defaults(run=command_validate)

    app = commands.add_parser(
        "app",
        help="start the dashboard: reactions app [streamlit options], e.g. --server.port 8502 --server.address 0.0.0.0",
    )
    app.add_argument("streamlit_options", nargs="*", help="passed to `streamlit run` (--section.key value)")

    evaluate = commands.add_parser("evaluate", help="measure the stance classifier on a labelled JSONL file")
    evaluate.add_argument(
        "input", nargs="?", help="JSONL with text, actor, stance and optionally target, also, event, tags"
    )
    evaluate.add_argument(
        "--articles",
        metavar="DIR",
        help="instead: score `reactions extract` on every NAME.txt in DIR with a NAME.gold.jsonl beside it",
    )
    evaluate.add_argument("--details", action="store_true", help="with --articles: list missed and spurious triples")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON on standard output")
    evaluate.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    evaluate.set_defaults(run=command_evaluate)

    extract = commands.add_parser("extract", help="propose reaction records for an article (plain text)")
    extract.add_argument("article", help="the article as a UTF-8 text file")
    extract.add_argument("--event", help="event slug for the records (default: the file name without extension)")
    extract.add_argument("--date", type=_iso_date, help="the article's date, YYYY-MM-DD (picks speakers' roles)")
    extract.add_argument("--source", help="where the article came from (default: the file name)")
    extract.add_argument("-o", "--output", help="output file (.csv, .json, .jsonl, .xlsx); CSV to stdout if omitted")
    extract.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    extract.set_defaults(run=command_extract)

    add_library_commands(commands)
    for command in (score, summary, validate, extract):
        command.add_argument(
            "--encoding",
            help="read a text input in this encoding (e.g. cp1254) instead of detecting it; for a file refused "
            "because its encoding could not be told",
        )
    return parser


def streamlit_config_flags(config: dict, given: list[str]) -> list[str]:
    """The shipped Streamlit settings as command-line flags (--section.key value), leaving out any the person
    gave themselves: an installed package has no .streamlit/config.toml in the working folder."""
    named = {option.split("=", 1)[0] for option in given if option.startswith("--")}
    flags = []
    for section, settings in config.items():
        for key, value in settings.items():
            flag = f"--{section}.{key}"
            if flag not in named:
                flags += [flag, str(value).lower() if isinstance(value, bool) else str(value)]
    return flags


def command_app(streamlit_options: list[str]) -> int:
    """`reactions app [streamlit options]`: `streamlit run` on the installed package's app, with its settings."""
    import os
    import tomllib

    from dashboard import package_file

    with package_file("streamlit_config.toml").open("rb") as handle:
        config = tomllib.load(handle)
    # This machine only, unless told otherwise (--server.address 0.0.0.0): a dashboard of one's own files
    # is not for the network, and Streamlit then does not look up the machine's external address either.
    config.setdefault("server", {}).setdefault("address", "127.0.0.1")
    command = [
        sys.executable,
        "-m",
        # `streamlit run`, with the landing page's imports and answers computed while the server starts.
        "dashboard.views.warm_start",
        "run",
        str(package_file("app.py")),
        *streamlit_config_flags(config, streamlit_options),
        *streamlit_options,
    ]
    if os.name == "posix":  # become the server, so that stopping this process stops it
        os.execv(sys.executable, command)
    import subprocess

    return subprocess.call(command)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["app"] and not {"-h", "--help"} & set(argv[1:2]):
        # Everything after `app` is Streamlit's (argparse would take --server.port for one of ours).
        return command_app(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except InvalidDataError as exc:
        # For validate the problems are the answer (stdout); elsewhere stdout may carry data, so stderr.
        stream = sys.stdout if args.command == "validate" else sys.stderr
        if getattr(args, "table", False):
            from dashboard.records import problems_table

            problems_table(list(exc.problems), file=exc.path).to_csv(stream, index=False)
            return EXIT_INVALID
        from dashboard.records import is_warning

        # On stderr the lines name the file (score may read a folder of them); validate's stdout is one file's.
        prefix = "" if stream is sys.stdout else f"{exc.path}: "
        for problem in exc.problems:
            print(prefix + ("warning: " if is_warning(problem) else "") + str(problem), file=stream)
        return EXIT_INVALID
    except (UnreadableFileError, UnwritableFileError) as exc:
        print(str(exc), file=sys.stderr)
        candidates = getattr(exc, "candidates", ())
        if candidates:  # an encoding that could not be told: say how to choose one
            print(
                f"{exc.path}: run again with --encoding {candidates[0]} (or {', '.join(candidates[1:])})",
                file=sys.stderr,
            )
        return EXIT_UNREADABLE
    except ReactionsError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:  # `reactions score x.csv | head`: the reader left; that is not an error
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # the promise is no traceback, ever; say what broke and where to report it
        print(f"reactions: internal error ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
