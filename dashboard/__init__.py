"""Diplomatic Reactions: structured reactions to international incidents."""

from pathlib import Path

# Data lives beside the package in the repository (the project is installed editable).
PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
