"""The stance codebook and the CAMEO crosswalk: the labels, what they mean, and how they map to GDELT codes."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from dashboard import knowledge_dir, knowledge_path
from dashboard.datafiles import read_commented_csv
from dashboard.errors import InvalidDataError, Problem, UnreadableFileError

# Hostile to cordial: the order every chart and table uses.
STANCES = ("condemn", "warn", "deny", "concern", "call_for", "neutral", "condolence", "support")
MODES = ("verbal", "material")
FAMILIES = ("hostile", "neutral", "cordial")

CODEBOOK_FILE = "codebook.csv"
CROSSWALK_FILE = "cameo_crosswalk.csv"
CODEBOOK_COLUMNS = ("stance", "family", "definition", "example", "target_convention", "default_cue_type")
CROSSWALK_COLUMNS = ("stance", "cue_type", "mode", "default", "cameo", "cameo_label", "goldstein")
_VERSION_LINE = re.compile(r"^#\s*version:\s*(\S+)\s*$")


def codebook_path() -> Path:
    return knowledge_path(CODEBOOK_FILE)


def crosswalk_path() -> Path:
    return knowledge_path(CROSSWALK_FILE)


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
    return _version_in(str(knowledge_dir()))


@functools.cache
def _version_in(folder: str) -> str:
    return read_codebook_version(knowledge_path(CODEBOOK_FILE, folder))


def __getattr__(name: str) -> str:
    # CODEBOOK_VERSION was a constant read at import; it is now read on first use, from knowledge_dir().
    if name == "CODEBOOK_VERSION":
        return codebook_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_codebook(path: Path | str | None = None) -> pd.DataFrame:
    """The codebook table, one row per stance in STANCES order; raises InvalidDataError on any gap."""
    path = path if path is not None else codebook_path()
    table = read_commented_csv(path, required=CODEBOOK_COLUMNS)
    problems = [
        Problem(row, "stance", f"{stance!r} is not one of {', '.join(STANCES)}")
        for row, stance in enumerate(table["stance"], start=1)
        if stance not in STANCES
    ]
    problems += [
        Problem(row, "family", f"{family!r} is not one of {', '.join(FAMILIES)}")
        for row, family in enumerate(table["family"], start=1)
        if family not in FAMILIES
    ]
    missing = [stance for stance in STANCES if stance not in set(table["stance"])]
    problems += [Problem(0, "stance", f"{stance!r} has no row; add one") for stance in missing]
    if problems:
        raise InvalidDataError(str(path), problems)
    order = {stance: index for index, stance in enumerate(STANCES)}
    return table.sort_values("stance", key=lambda column: column.map(order)).reset_index(drop=True)


def stance_families(path: Path | str | None = None) -> dict[str, str]:
    """stance -> family (hostile, neutral, cordial) as the codebook in use files it, read once per file."""
    return _families_in(str(path if path is not None else codebook_path()))


@functools.cache
def _families_in(path: str) -> dict[str, str]:
    table = load_codebook(path)
    return dict(zip(table["stance"], table["family"], strict=True))


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
    """(stance, cue_type) -> CameoCode, with a default cue type per stance."""

    codes: dict[tuple[str, str], CameoCode]
    defaults: dict[str, str]

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


def load_crosswalk(path: Path | str | None = None) -> Crosswalk:
    """Read data/cameo_crosswalk.csv; every problem is reported at once as InvalidDataError."""
    path = path if path is not None else crosswalk_path()
    table = read_commented_csv(path, required=CROSSWALK_COLUMNS)
    problems: list[Problem] = []
    codes: dict[tuple[str, str], CameoCode] = {}
    defaults: dict[str, str] = {}
    for row, record in enumerate(table.to_dict("records"), start=1):
        stance, cue_type = record["stance"], record["cue_type"]
        if stance not in STANCES:
            problems.append(Problem(row, "stance", f"{stance!r} is not one of {', '.join(STANCES)}"))
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
    problems += [
        Problem(0, "default", f"{stance!r} has no default row") for stance in STANCES if stance not in defaults
    ]
    if problems:
        raise InvalidDataError(str(path), problems)
    return Crosswalk(codes, defaults)
