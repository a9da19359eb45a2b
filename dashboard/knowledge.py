"""The knowledge bundle: every knowledge file the code reads, loaded from one folder, each part on first use.

`knowledge()` is the bundle of knowledge_dir() (REACTIONS_DATA_DIR when set, else the shipped package data),
built once per folder: pointing REACTIONS_DATA_DIR elsewhere moves the codebook, its stance order, families and
colours, the crosswalk, the column synonyms, the cue lexicon, the registry, the articles and the extraction
rules together. Building the object reads
nothing; each part is read (and validated) the first time it is asked for, so importing a module costs no I/O.
"""

from __future__ import annotations

import functools
import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard import DATA_DIR_VARIABLE, knowledge_dir

if TYPE_CHECKING:  # the loaders import pandas and friends; they are imported where a part is first read
    import pandas as pd

    from dashboard.codebook import Crosswalk
    from dashboard.extract.rules import ExtractionRules
    from dashboard.lexicon import CueLexicon
    from dashboard.registry import Registry
    from dashboard.schema import Article

CODEBOOK_FILE = "codebook.csv"
CROSSWALK_FILE = "cameo_crosswalk.csv"
COLUMN_SYNONYMS_FILE = "column_synonyms.csv"
CUE_LEXICON_FILE = "cue_lexicon.csv"


class Knowledge:
    """The knowledge files of one folder; each attribute is read and validated once, on first use."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"Knowledge({str(self.folder)!r})"

    def path(self, name: str) -> Path:
        return self.folder / name

    @cached_property
    def codebook(self) -> pd.DataFrame:
        """The codebook table in its file's row order (the chart order), validated."""
        from dashboard.codebook import load_codebook

        return load_codebook(self.path(CODEBOOK_FILE))

    @cached_property
    def stances(self) -> tuple[str, ...]:
        """Every stance label, hostile to cordial: the codebook's row order, which every chart and table follows."""
        return tuple(self.codebook["stance"])

    @cached_property
    def families(self) -> dict[str, str]:
        """stance -> family (hostile, neutral, cordial), as the codebook files it."""
        return dict(zip(self.codebook["stance"], self.codebook["family"], strict=True))

    @cached_property
    def family_order(self) -> tuple[str, ...]:
        """The families in the order the codebook's rows first reach them (hostile, neutral, cordial)."""
        return tuple(dict.fromkeys(self.codebook["family"]))

    def stances_in_family(self, family: str) -> frozenset[str]:
        return frozenset(stance for stance, filed in self.families.items() if filed == family)

    @cached_property
    def colours(self) -> dict[str, str]:
        """stance -> #RRGGBB, the colour every chart gives the stance."""
        return dict(zip(self.codebook["stance"], self.codebook["colour"].str.upper(), strict=True))

    @cached_property
    def codebook_version(self) -> str:
        from dashboard.codebook import read_codebook_version

        return read_codebook_version(self.path(CODEBOOK_FILE))

    @cached_property
    def crosswalk(self) -> Crosswalk:
        from dashboard.codebook import load_crosswalk

        return load_crosswalk(self.path(CROSSWALK_FILE), self.stances)

    @cached_property
    def column_synonyms(self) -> dict[str, str]:
        """Folded header -> record column, for reading people's files."""
        from dashboard.columns import load_column_synonyms
        from dashboard.schema import MATCHED_COLUMNS

        return load_column_synonyms(self.path(COLUMN_SYNONYMS_FILE), MATCHED_COLUMNS)

    @property
    def cue_lexicon_path(self) -> Path:
        return self.path(CUE_LEXICON_FILE)

    @cached_property
    def lexicon(self) -> CueLexicon:
        from dashboard.lexicon import load_cue_lexicon

        return load_cue_lexicon(self.cue_lexicon_path, self.path(CROSSWALK_FILE))

    @cached_property
    def registry(self) -> Registry:
        from dashboard.registry import load_registry

        return load_registry(self.folder)

    @cached_property
    def articles(self) -> dict[str, Article]:
        """The articles behind the curated records, by event slug (articles.csv and the files it names)."""
        from dashboard.records import load_articles

        return load_articles(self.folder)

    @cached_property
    def extraction_rules(self) -> ExtractionRules:
        from dashboard.extract.rules import load_extraction_rules

        return load_extraction_rules(self.folder)


def knowledge(folder: Path | str | None = None) -> Knowledge:
    """The knowledge bundle of `folder` (default: knowledge_dir()), one object per folder for the process."""
    if folder is None:
        # Keyed on the variable's text: scoring asks per row, and building a Path each time cost more than the rest.
        return _knowledge_of_setting(os.environ.get(DATA_DIR_VARIABLE) or "")
    return _knowledge_of(str(Path(folder)))


@functools.cache
def _knowledge_of_setting(setting: str) -> Knowledge:
    return _knowledge_of(str(Path(setting or knowledge_dir())))


@functools.cache
def _knowledge_of(folder: str) -> Knowledge:
    return Knowledge(folder)
