"""One exception family; every message says what was wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


class ReactionsError(Exception):
    """Base class for every error this project raises on purpose."""


class UnreadableFileError(ReactionsError):
    """A file could not be opened or parsed at all."""

    def __init__(self, path: str, why: str):
        self.path = str(path)
        self.why = why
        super().__init__(f"{self.path}: cannot read: {why}")


class UnwritableFileError(ReactionsError):
    """An output file cannot be written (unsupported extension, missing folder, no permission)."""

    def __init__(self, path: str, why: str):
        self.path = str(path)
        self.why = why
        super().__init__(f"{self.path}: cannot write: {why}")


@dataclass(frozen=True)
class Problem:
    """One validation problem: a 1-based data row (0 for the file as a whole), a field, a message.

    `value` is the cell as written (for a table of problems); `kind` a stable name for the sort of problem
    (e.g. "unknown_actor", "ambiguous_date") so a caller can treat some differently; `suggestion` a
    replacement to offer (the closest known actor), or "". None of them changes str(problem).
    """

    row: int
    field: str
    message: str
    value: str = ""
    kind: str = ""
    suggestion: str = ""

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"


class InvalidDataError(ReactionsError):
    """A file was read but its content breaks the schema; carries every problem found in one pass."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = str(path)
        self.problems = list(problems)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"{self.path}: {len(self.problems)} problem(s): {shown}{more}")
