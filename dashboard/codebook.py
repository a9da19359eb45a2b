"""The stance codebook and the CAMEO crosswalk: the labels, what they mean, and how they map to GDELT codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from dashboard import knowledge_path
from dashboard.datafiles import read_commented_csv
from dashboard.errors import InvalidDataError, Problem, UnreadableFileError
from dashboard.knowledge import knowledge

# The stance labels, their order (hostile to cordial: every chart, legend and table), their families and their
# colours are the codebook file's (data/codebook.csv), read through dashboard.knowledge; the code holds no list.
MODES = ("verbal", "material")
# The families the mechanism knows: tone.py reads TextBlob's sign against the hostile and cordial sides.
FAMILY_NAMES = ("hostile", "neutral", "cordial")

CODEBOOK_FILE = "codebook.csv"
CROSSWALK_FILE = "cameo_crosswalk.csv"
CODEBOOK_COLUMNS = ("stance", "family", "colour", "definition", "example", "target_convention", "default_cue_type")
CROSSWALK_COLUMNS = ("stance", "cue_type", "mode", "default", "cameo", "cameo_label", "goldstein")
_VERSION_LINE = re.compile(r"^#\s*version:\s*(\S+)\s*$")
# A stance label is what records and URLs carry: lower-case words joined by _.
_STANCE_LABEL = re.compile(r"^[a-z]+(?:_[a-z]+)*$")
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def codebook_path() -> Path:
    return knowledge_path(CODEBOOK_FILE)


def crosswalk_path() -> Path:
    return knowledge_path(CROSSWALK_FILE)


def stances() -> tuple[str, ...]:
    """Every stance label, hostile to cordial: data/codebook.csv's row order (knowledge_dir()'s)."""
    return knowledge().stances


def families() -> tuple[str, ...]:
    """The stance families in the codebook's order (hostile, neutral, cordial)."""
    return knowledge().family_order


def stance_colours() -> dict[str, str]:
    """stance -> #RRGGBB, as the codebook in use colours it."""
    return knowledge().colours


def read_codebook_version(path: Path | str | None = None) -> str:
    """The `# version: X` line at the top of the codebook file (default: knowledge_dir()'s)."""
    path = Path(path) if path is not None else codebook_path()
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.startswith("#"):
                    break
                match = _VERSION_LINE.match(line.strip())
                if match:
                    return match.group(1)
    except OSError as exc:
        raise UnreadableFileError(str(path), str(exc)) from exc
    raise InvalidDataError(str(path), [Problem(0, "version", "no '# version: X' line in the header")])


def codebook_version() -> str:
    """The version of the codebook in use (knowledge_dir()'s), read once per folder; downloads cite it."""
    return knowledge().codebook_version


# Names that were constants read from the codebook (at import, or written out in code); each is now read from
# knowledge_dir()'s codebook on first use. New code calls the functions above.
_READ_ON_USE = {
    "CODEBOOK_VERSION": codebook_version,
    "STANCES": stances,
    "FAMILIES": families,
    "STANCE_COLOURS": stance_colours,
}


def __getattr__(name: str):
    if name in _READ_ON_USE:
        return _READ_ON_USE[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_codebook(path: Path | str | None = None) -> pd.DataFrame:
    """The codebook table in its file's row order (the chart order); raises InvalidDataError listing every gap."""
    path = path if path is not None else codebook_path()
    table = read_commented_csv(path, required=CODEBOOK_COLUMNS)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    colours: dict[str, int] = {}
    for row, (stance, family, colour) in enumerate(
        zip(table["stance"], table["family"], table["colour"], strict=True), start=1
    ):
        if not _STANCE_LABEL.match(stance):
            problems.append(Problem(row, "stance", f"{stance!r} is not a label (lower-case words joined by _)"))
        elif stance in seen:
            problems.append(Problem(row, "stance", f"{stance!r} repeats row {seen[stance]}"))
        seen.setdefault(stance, row)
        if family not in FAMILY_NAMES:
            problems.append(Problem(row, "family", f"{family!r} is not one of {', '.join(FAMILY_NAMES)}"))
        if not _HEX_COLOUR.match(colour):
            problems.append(Problem(row, "colour", f"{colour!r} is not a #RRGGBB colour"))
        elif colour.upper() in colours:
            problems.append(Problem(row, "colour", f"{colour!r} is row {colours[colour.upper()]}'s colour too"))
        colours.setdefault(colour.upper(), row)
    if table.empty:
        problems.append(Problem(0, "stance", "the codebook has no stances; add one row per stance"))
    if problems:
        raise InvalidDataError(str(path), problems)
    return table


def stance_families(path: Path | str | None = None) -> dict[str, str]:
    """stance -> family (hostile, neutral, cordial) as the codebook in use files it, read once per folder."""
    return knowledge(Path(path).parent if path is not None else None).families


def stances_in_family(family: str, path: Path | str | None = None) -> frozenset[str]:
    """The stances the codebook files in `family` ("hostile": condemn, warn, deny, concern)."""
    return frozenset(stance for stance, filed in stance_families(path).items() if filed == family)


class CameoCode(NamedTuple):
    """One crosswalk row: the CAMEO reading of a (stance, cue type)."""

    stance: str
    cue_type: str
    mode: str
    cameo: str
    cameo_label: str
    goldstein: float


@dataclass(frozen=True)
class Crosswalk:
    """(stance, cue_type) -> CameoCode, with a default cue type per stance; `stances` are the codebook's labels
    it was checked against (the lexicon is checked against the same)."""

    codes: dict[tuple[str, str], CameoCode]
    defaults: dict[str, str]
    stances: tuple[str, ...] = ()

    def lookup(self, stance: str, cue_type: str = "", mode: str = "") -> CameoCode | None:
        """The code for (stance, cue_type) if its mode fits; else the stance's first row in `mode`; else its default."""
        exact = self.codes.get((stance, cue_type))
        if exact and (not mode or exact.mode == mode):
            return exact
        if mode:
            for (code_stance, _), code in self.codes.items():
                if code_stance == stance and code.mode == mode:
                    return code
        default = self.defaults.get(stance)
        return self.codes.get((stance, default)) if default else None

    def cue_types(self, stance: str) -> tuple[str, ...]:
        return tuple(cue_type for code_stance, cue_type in self.codes if code_stance == stance)


def load_crosswalk(path: Path | str | None = None, stance_labels: tuple[str, ...] | None = None) -> Crosswalk:
    """Read data/cameo_crosswalk.csv, checked against `stance_labels` (default: the codebook beside the file, or
    else knowledge_dir()'s); every problem is reported at once as InvalidDataError."""
    path = path if path is not None else crosswalk_path()
    labels = stance_labels if stance_labels is not None else _stances_beside(Path(path))
    table = read_commented_csv(path, required=CROSSWALK_COLUMNS)
    problems: list[Problem] = []
    codes: dict[tuple[str, str], CameoCode] = {}
    defaults: dict[str, str] = {}
    for row, record in enumerate(table.to_dict("records"), start=1):
        stance, cue_type = record["stance"], record["cue_type"]
        if stance not in labels:
            problems.append(Problem(row, "stance", f"{stance!r} is not one of {', '.join(labels)}"))
        if not cue_type:
            problems.append(Problem(row, "cue_type", "is empty"))
        if record["mode"] not in MODES:
            problems.append(Problem(row, "mode", f"{record['mode']!r} is not one of {', '.join(MODES)}"))
        if not re.fullmatch(r"\d{2,4}", record["cameo"]):
            problems.append(Problem(row, "cameo", f"{record['cameo']!r} is not a 2-4 digit CAMEO code"))
        try:
            goldstein = float(record["goldstein"])
        except ValueError:
            problems.append(Problem(row, "goldstein", f"{record['goldstein']!r} is not a number"))
            continue
        if not -10.0 <= goldstein <= 10.0:
            problems.append(Problem(row, "goldstein", f"{goldstein} is outside -10..10"))
        if (stance, cue_type) in codes:
            problems.append(Problem(row, "cue_type", f"({stance}, {cue_type}) is listed twice"))
        if record["default"] == "yes":
            if stance in defaults:
                problems.append(Problem(row, "default", f"{stance!r} already has a default row"))
            defaults[stance] = cue_type
        elif record["default"] != "no":
            problems.append(Problem(row, "default", f"{record['default']!r} is not yes or no"))
        codes[(stance, cue_type)] = CameoCode(
            stance, cue_type, record["mode"], record["cameo"], record["cameo_label"], goldstein
        )
    problems += [Problem(0, "default", f"{stance!r} has no default row") for stance in labels if stance not in defaults]
    if problems:
        raise InvalidDataError(str(path), problems)
    return Crosswalk(codes, defaults, tuple(labels))


def _stances_beside(path: Path) -> tuple[str, ...]:
    """The stances of the codebook in the same folder as `path`, or of knowledge_dir() when it has none."""
    folder = path.parent if (path.parent / CODEBOOK_FILE).is_file() else None
    return knowledge(folder).stances
