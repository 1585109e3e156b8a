"""The one exception family of pitchcraft, caught once at the CLI edge.

Messages are for account managers and product managers, so they are in Chinese; file and field
names appear as they are written in the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One finding about an input file: where, which field, what is wrong."""

    file: Path | str
    line: int | None
    col: int | None
    field: str
    message: str
    severity: str = "error"  # error | warning
    rule: str = "schema"

    def location(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return where

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.location()}: {self.severity}:{field} {self.message} [{self.rule}]"


class PitchcraftError(Exception):
    """Base of every error pitchcraft reports to its user."""


class InputError(PitchcraftError):
    """One or more problems in user-supplied files; all of them are reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"] or list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(PitchcraftError):
    """A command-line request that cannot be carried out (e.g. missing workspace)."""


class OutputExistsError(PitchcraftError):
    """The proposal folder exists and --force was not given."""


class RenderError(PitchcraftError):
    """A template or reference document is broken."""
