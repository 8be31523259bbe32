"""What parsing a draft needs besides the draft: the registry's names, and a place to report problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..plan.problems import did_you_mean
from .names import pieces, resolve, split_run, unit_pieces

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
    leading: set[str] = field(default_factory=set)  # names printed as 责任/牵头 somewhere (not only 配合)

    def report(self, where: str, message: str, text: str = "") -> None:
        shown = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "……"
        quoted = f"：“{shown}”" if text else ""
        self.problems.append(f"{self.draft_name}:{where}: {message}{quoted}")

    def unit_names(self, lines: Iterable[str], where: str, supporting: bool = False) -> list[str]:
        """Names in a responsibility line or annex cell, resolved against the registry; with --add-units
        (and for a new plan) also against the names this draft has already added, so a draft that runs two
        names together or breaks one over a cell's lines spells the names it prints elsewhere."""
        known = self.registry.unit_names | (set(self.new_units) if self.add_unknown else set())
        names = resolve(unit_pieces(lines), known)
        split = [part for name in names for part in (split_run(name) if name not in known else [name])]
        if not supporting:
            self.leading.update(split)
        return self._checked(split, where, known, self.new_units, "单位或分组")

    def leader_names(self, lines: Iterable[str], where: str) -> list[str]:
        known = set(self.registry.leaders)
        return self._checked(resolve(pieces(lines), known), where, known, self.new_leaders, "区领导")

    def _checked(self, names: list[str], where: str, known: set[str], new: list[str], what: str) -> list[str]:
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
