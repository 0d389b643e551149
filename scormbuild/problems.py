"""Problems found in source or packages, reported as ``path:line:col: message``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]

# Placeholders the author still has to fill, and the opening of the warnings about them: the
# loader warns per placeholder, the renderer once for the certificate, and `build` sums the
# per-placeholder warnings up by these words.
PLACEHOLDER = "[[PLACEHOLDER"
PLACEHOLDER_REMAINS = "placeholder remains"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class ProblemsFound(Exception):
    """Raised when a step cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class Refused(Exception):
    """A command cannot do what was asked (an LRS that will not answer, a package that cannot
    be launched); the message is one sentence for the user."""


def as_errors(problems: list[Problem]) -> list[Problem]:
    """``--strict``: the same problems, every warning now an error."""
    return [replace(p, severity="error") for p in problems]
