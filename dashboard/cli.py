"""`reactions`: score, summarise, validate and evaluate reaction records on the dashboard's own code paths."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

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
)
# Where the input already has a value, scoring keeps it (curated labels win).
FILLABLE_COLUMNS = ("stance", "target", "cue")
TABLE_SUFFIXES = (".csv", ".json", ".jsonl", ".xlsx")
SUMMARY_SUFFIXES = (".csv", ".json", ".xlsx")


def _load_valid_table(path: str, resources) -> pd.DataFrame:
    from dashboard.records import load_articles, load_table_report

    # Records that name a shipped article's event and give offsets are checked against its text.
    table, report = load_table_report(path, resources.registry, load_articles())
    # How the file was read (a renamed column, a semicolon CSV, an Excel file named .csv) goes to stderr,
    # so a person sees it and a pipe does not.
    for line in report.lines()[1:]:
        print(f"{path}: {line}", file=sys.stderr)
    if report.problems:
        raise InvalidDataError(path, list(report.problems))
    return table


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
    from dashboard.codebook import CODEBOOK_VERSION
    from dashboard.export import Provenance

    return Provenance(holds=what, filters={}, codebook_version=CODEBOOK_VERSION, sources=(source,))


def _write_table(table: pd.DataFrame, output: str | None, provenance, allowed: tuple[str, ...]) -> None:
    from dashboard.export import neutralise_formula_cells, to_csv_bytes, to_excel_bytes, to_json_bytes

    if output is None:
        # Standard output feeds other programs: plain CSV, no byte-order mark and no provenance comment lines.
        sys.stdout.write(neutralise_formula_cells(table).to_csv(index=False))
        return
    suffix = Path(output).suffix.lower()
    writers = {
        ".csv": to_csv_bytes,
        ".json": to_json_bytes,
        ".jsonl": _to_jsonl_bytes,
        ".xlsx": to_excel_bytes,
    }
    check_output_path(output, allowed)
    try:
        Path(output).write_bytes(writers[suffix](table, provenance))
    except OSError as exc:
        raise UnwritableFileError(output, exc.strerror or str(exc)) from exc


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
    return table.to_json(orient="records", lines=True, force_ascii=False).encode("utf-8")


def command_score(args: argparse.Namespace) -> int:
    from dashboard.records import normalise_records
    from dashboard.scoring import load_resources, score_records

    check_output_path(args.output, TABLE_SUFFIXES)
    resources = load_resources()
    table = _load_valid_table(args.input, resources)
    scored = score_records(normalise_records(table, resources.registry), resources)
    _write_table(scored_output(table, scored), args.output, _provenance("scored records", args.input), TABLE_SUFFIXES)
    return EXIT_OK


def command_summary(args: argparse.Namespace) -> int:
    from dashboard.records import normalise_records
    from dashboard.scoring import load_resources, score_records
    from dashboard.summary import summarise_by_actor

    check_output_path(args.output, SUMMARY_SUFFIXES)
    resources = load_resources()
    table = _load_valid_table(args.input, resources)
    summary = summarise_by_actor(score_records(normalise_records(table, resources.registry), resources))
    _write_table(summary, args.output, _provenance("per-actor summary", args.input), SUMMARY_SUFFIXES)
    return EXIT_OK


def command_validate(args: argparse.Namespace) -> int:
    from dashboard.scoring import load_resources

    _load_valid_table(args.input, load_resources())
    print(f"{args.input}: valid")
    return EXIT_OK


def command_evaluate(args: argparse.Namespace) -> int:
    import json

    from dashboard.evaluate import evaluate, format_report, read_labelled_jsonl, report_as_dict
    from dashboard.scoring import load_resources

    if args.articles:
        return _evaluate_articles(args)
    if not args.input:
        raise UnreadableFileError("(none)", "give a labelled JSONL file, or --articles DIR")
    report = evaluate(read_labelled_jsonl(args.input), load_resources())
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
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableFileError(args.article, str(getattr(exc, "strerror", None) or exc)) from exc
    resources = load_resources()
    records = extract_records(text, resources, args.event or path.stem, args.date or "", args.source or path.name)
    scored = score_records(normalise_records(records, resources.registry), resources)
    # The stances came from the extraction rules, not from a person: say so until someone reviews them.
    scored["stance_source"] = "extracted"
    provenance = _provenance("reaction records extracted by rules, for review", args.article)
    _write_table(scored_output(records, scored), args.output, provenance, TABLE_SUFFIXES)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reactions", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    score = commands.add_parser("score", help="add stance, target, cue, tone, intensity and CAMEO to each row")
    score.add_argument(
        "input", help="CSV, TSV, JSON (a list of objects), JSONL or XLSX with at least `actor` and `text`"
    )
    score.add_argument("-o", "--output", help="output file (.csv, .json, .jsonl, .xlsx); CSV to stdout if omitted")
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
    evaluate.set_defaults(run=command_evaluate)

    extract = commands.add_parser("extract", help="propose reaction records for an article (plain text)")
    extract.add_argument("article", help="the article as a UTF-8 text file")
    extract.add_argument("--event", help="event slug for the records (default: the file name without extension)")
    extract.add_argument("--date", type=_iso_date, help="the article's date, YYYY-MM-DD (picks speakers' roles)")
    extract.add_argument("--source", help="where the article came from (default: the file name)")
    extract.add_argument("-o", "--output", help="output file (.csv, .json, .jsonl, .xlsx); CSV to stdout if omitted")
    extract.set_defaults(run=command_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except InvalidDataError as exc:
        # For validate the problems are the answer (stdout); elsewhere stdout may carry data, so stderr.
        stream = sys.stdout if args.command == "validate" else sys.stderr
        if getattr(args, "table", False):
            from dashboard.records import problems_table

            problems_table(list(exc.problems)).to_csv(stream, index=False)
            return EXIT_INVALID
        for problem in exc.problems:
            print(str(problem), file=stream)
        return EXIT_INVALID
    except (UnreadableFileError, UnwritableFileError) as exc:
        print(str(exc), file=sys.stderr)
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
