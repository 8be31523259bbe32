"""What each unit must receive, derived from the seed text alone (not from plan/ or generators.views).

Only group membership and each group's kind (全体 / 有关 / 配合) come from the registry, as the seed
does not list members. Letter and matrix tests compare the generated files with this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LEAD, SUPPORT, CONCERNED = "lead", "support", "concerned"
STRENGTH = {CONCERNED: 1, SUPPORT: 2, LEAD: 3}
MEASURE_LINE = re.compile(r"^(\d+)\..*（责任单位：(.*?)）。?\s*$")


@dataclass
class SeedTask:
    number: int
    name: str
    leaders: list[str]
    leads: list[str]
    supports: list[str]


@dataclass
class Expected:
    """Per unit: measure number → role, key-task number → role."""

    measures: dict[int, str] = field(default_factory=dict)
    tasks: dict[int, str] = field(default_factory=dict)


def seed_measures(seed: str) -> dict[int, list[str]]:
    """Measure number → names in its responsibility line, split at '、' and '，'."""
    out = {}
    for line in seed.splitlines():
        m = MEASURE_LINE.match(line.strip())
        if m:
            out[int(m.group(1))] = [n for n in re.split("[、，]", m.group(2)) if n]
    return out


def _cells(annex: str) -> list[list[str]]:
    """Annex table cells: a line starting with a tab opens a cell, other lines continue it."""
    cells: list[list[str]] = []
    for line in annex.splitlines():
        if line.startswith("\t"):
            cells.append([])
            line = line[1:]
        if cells and line.strip():
            cells[-1].append(line.strip())
    return cells


def split_names(lines: list[str], known: list[str]) -> list[str]:
    """Names in a cell, tolerating the seed's run-together names and names broken over two lines."""
    text = "".join(lines)
    names = []
    by_length = sorted(known, key=len, reverse=True)
    while text:
        name = next((n for n in by_length if text.startswith(n)), None)
        assert name is not None, f"未知名称：{text}"
        names.append(name)
        text = text[len(name) :]
    return names


def seed_tasks(seed: str, known: list[str]) -> dict[int, SeedTask]:
    annex = seed[seed.index("\t序号") :]
    cells = _cells(annex)[7:]  # after the header row
    tasks = {}
    i = 0
    while i < len(cells):
        first = "".join(cells[i])
        if first.isdigit() and int(first) == len(tasks) + 1:
            number, name, leaders, leads, supports = cells[i : i + 5]
            tasks[int(first)] = SeedTask(
                number=int(first),
                name="".join(name),
                leaders=[n.replace(" ", "") for n in leaders],
                leads=split_names(leads, known),
                supports=split_names(supports, known),
            )
            i += 7
        else:
            i += 1
    return tasks


def expected_assignments(seed: str, plan) -> dict[str, Expected]:
    """Unit → what it must receive, stronger role winning when a unit is reached twice."""
    units = {u.name for u in plan.units}
    groups = {g.name: g for g in plan.groups}
    out: dict[str, Expected] = {}

    def give(held: dict, number: int, role: str) -> None:
        if number not in held or STRENGTH[role] > STRENGTH[held[number]]:
            held[number] = role

    def expand(name: str, as_named: str, kinds: dict) -> list[tuple[str, str]]:
        if name in units:
            return [(name, as_named)]
        group = groups[name]
        return [(member, kinds[group.role.value]) for member in group.members]

    lead_kinds = {"全体": LEAD, "有关": CONCERNED, "配合": SUPPORT}
    support_kinds = {"全体": SUPPORT, "有关": CONCERNED, "配合": SUPPORT}
    for number, names in seed_measures(seed).items():
        for name in names:
            for unit, role in expand(name, LEAD, lead_kinds):
                give(out.setdefault(unit, Expected()).measures, number, role)
    for number, task in seed_tasks(seed, [*units, *groups]).items():
        for name in task.leads:
            for unit, role in expand(name, LEAD, lead_kinds):
                give(out.setdefault(unit, Expected()).tasks, number, role)
        for name in task.supports:
            for unit, role in expand(name, SUPPORT, support_kinds):
                give(out.setdefault(unit, Expected()).tasks, number, role)
    return out
