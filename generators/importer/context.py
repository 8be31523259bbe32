"""What parsing a draft needs besides the draft: the registry's names, and a place to report problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..plan.problems import did_you_mean
from .names import pieces, resolve

SHOWN_CHARS = 40  # how much of an offending paragraph a message quotes


@dataclass
class Registry:
    units: list[str]
    groups: list[str]
    leaders: list[str]

    @property
    def unit_names(self) -> set[str]:
        return set(self.units) | set(self.groups)


@dataclass
class ImportContext:
    draft_name: str
    registry: Registry
    add_unknown: bool = False  # --add-units: unknown names become new registry entries (待核实)
    renumber: bool = False  # --renumber: measures deleted without renumbering → numbered in draft order
    problems: list[str] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    new_leaders: list[str] = field(default_factory=list)

    def report(self, where: str, message: str, text: str = "") -> None:
        shown = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "……"
        quoted = f"：“{shown}”" if text else ""
        self.problems.append(f"{self.draft_name}:{where}: {message}{quoted}")

    def unit_names(self, lines: Iterable[str], where: str) -> list[str]:
        """Names in a responsibility line or annex cell, resolved against the registry."""
        return self._names(lines, where, self.registry.unit_names, self.new_units, "单位或分组")

    def leader_names(self, lines: Iterable[str], where: str) -> list[str]:
        return self._names(lines, where, set(self.registry.leaders), self.new_leaders, "区领导")

    def _names(
        self, lines: Iterable[str], where: str, known: set[str], new: list[str], what: str
    ) -> list[str]:
        names = resolve(pieces(lines), known)
        for name in names:
            if name in known or name in new:
                continue
            if self.add_unknown:
                new.append(name)
            else:
                self.report(
                    where,
                    f"未知的{what}“{name}”{did_you_mean(name, known)}（未加入名册；确认无误可加 --add-units）",
                )
        return names
