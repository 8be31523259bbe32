"""Problems found in plan/: each one points at file:line:col and says, in Chinese, what is wrong."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from .names import fold


@dataclass(frozen=True, order=True)
class Location:
    file: str  # as shown to the user, e.g. plan/opinion.yaml
    line: int  # 1-based
    col: int  # 1-based

    def shifted(self, chars: int) -> Location:
        return Location(self.file, self.line, self.col + chars)


@dataclass(frozen=True, order=True)
class Problem:
    where: Location
    message: str

    def __str__(self) -> str:
        return f"{self.where.file}:{self.where.line}:{self.where.col}: {self.message}"


class PlanError(Exception):
    """The plan cannot be built; carries every problem found, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """'，是否应为“X”？' when a close candidate exists, else ''."""
    candidates = list(candidates)
    same = [c for c in candidates if fold(c) == fold(name)]  # the same name written otherwise comes first
    close = same or difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    return f"，是否应为“{close[0]}”？" if close else ""
