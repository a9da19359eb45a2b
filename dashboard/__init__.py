"""Diplomatic Reactions: structured reactions to international incidents."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

# The knowledge files (actors, speakers, cue lexicon, codebook, crosswalk, rules, articles, curated records)
# ship inside the package as dashboard/data: package data in a wheel; in a checkout, a link to the
# repository's data/ folder. Working out where it is reads nothing.
DATA_DIR = Path(str(files(__name__).joinpath("data"))).resolve()
# The repository checkout this package runs from (tests and benchmarks use it; an installed package has none).
PROJECT_DIR = Path(__file__).resolve().parent.parent
# Set to a folder laid out like data/ to read every knowledge file from there instead.
DATA_DIR_VARIABLE = "REACTIONS_DATA_DIR"


def knowledge_dir() -> Path:
    """The knowledge folder in use: REACTIONS_DATA_DIR when set, else the shipped DATA_DIR."""
    return Path(os.environ.get(DATA_DIR_VARIABLE) or DATA_DIR)


def package_file(name: str) -> Path:
    """A file shipped in the package (e.g. "method.md", "streamlit_config.toml"), through importlib.resources."""
    return Path(str(files(__name__).joinpath(name)))


def knowledge_path(name: str, data_dir: Path | str | None = None) -> Path:
    """A knowledge file by name (e.g. "codebook.csv"), in data_dir or else in knowledge_dir()."""
    return Path(data_dir if data_dir is not None else knowledge_dir()) / name
