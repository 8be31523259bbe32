"""The units whose letters and quarterly forms change, and why (computed on the views of both plans).

A unit's letter changes when the set of (item, role) it holds changes, when the text of an item it
holds changes or the item moves to another section, or when its name or full name changes. Two
lesser kinds are reported apart so the office can decide whether to reissue: the letter reprints a
responsibility line (or a key task's leaders and units) that changed while the unit's own tasks did
not (责任单位行变动: another unit was added or renamed there), and items that only got new numbers
(编号变动).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Plan
from ..views import Assignment, UnitAssignments, Views
from .identity import Identity
from .records import Impact, UnitImpact, format_shifts


@dataclass(frozen=True)
class Held:
    """One item as a unit's letter shows it."""

    label: str  # 措施 / 重点任务
    number: int
    role: str  # as printed for the unit, with the group it came through
    text: str
    place: str  # section or task group, by identity
    line: str  # the responsibility line (or a key task's leaders and units) the letter prints with it


def _held(assignment: Assignment, ident: Identity | None, places: dict[tuple[str, int], str]) -> tuple:
    """(identity key, Held): the key is the new number for items the new plan has."""
    if assignment.measure is not None:
        label, number, text = "措施", assignment.measure.number, assignment.measure.text
        line = assignment.measure.responsibility.printed
        same = ident.measures.get(number) if ident else number
    else:
        task = assignment.item_task
        label, number, text = "重点任务", task.number, f"{task.name}\n{task.content}\n{task.remark}"
        line = "\n".join("、".join(names) for names in (task.leaders, task.leads, task.supports))
        same = ident.tasks.get(number) if ident else number
    key = (label, same) if same is not None else (label, f"原{number}")
    return key, Held(label, number, assignment.role_text, text, places[(label, number)], line)


def _places(plan: Plan, ident: Identity | None) -> dict[tuple[str, int], str]:
    """Where each item stands, expressed in the new plan's terms so old and new compare."""
    out: dict[tuple[str, int], str] = {}
    for part in plan.parts:
        for section in part.sections:
            where = ident.sections.get(section.number, f"原{section.number}") if ident else section.number
            for m in section.measures:
                out[("措施", m.number)] = where
    for group in plan.annex.groups:
        name = group.name if group.part is None else f"部分{group.part}"
        if ident and group.part is not None:
            name = f"部分{ident.parts.get(group.part, '原' + group.part)}"
        for t in group.tasks:
            out[("重点任务", t.number)] = name
    return out


def _holdings(ua: UnitAssignments | None, ident: Identity | None, places) -> dict[tuple, Held]:
    return dict(_held(a, ident, places) for a in ua.all) if ua else {}


def affected_units(old: Plan, new: Plan, ident: Identity) -> list[UnitImpact]:
    old_held, new_held = Views(old).assignments, Views(new).assignments
    old_places, new_places = _places(old, ident), _places(new, None)
    old_units = {u.name: u for u in old.units}
    back = {v: k for k, v in ident.units.items()}
    out: list[UnitImpact] = []
    for unit in new.units:
        old_name = back.get(unit.name)
        before = _holdings(old_held.get(old_name) if old_name else None, ident, old_places)
        after = _holdings(new_held.get(unit.name), None, new_places)
        if not before and not after:
            continue
        reasons, lines, renumbered = _compare(before, after)
        if old_name is None:
            reasons.insert(0, "新增单位")
        elif old_name != unit.name:
            reasons.insert(0, f"单位更名（原“{old_name}”）")
        if old_name is not None and old_units[old_name].full_name != unit.full_name:
            reasons.insert(0, f"全称改为“{unit.full_name}”")
        moves = [format_shifts(pairs, label) for label, pairs in renumbered.items() if pairs]
        if reasons:
            extra = [f"另有{m}" for m in moves]
            out.append(UnitImpact(unit.name, Impact.CONTENT, tuple(reasons + extra)))
        elif lines:
            extra = [f"另有{m}" for m in moves]
            out.append(UnitImpact(unit.name, Impact.LINES, tuple(lines + extra)))
        elif moves:
            out.append(UnitImpact(unit.name, Impact.RENUMBERED, tuple(moves)))
    gone = [u for u in old.units if u.name in old_held and ident.units.get(u.name) not in new_held]
    for unit in gone:
        out.append(UnitImpact(unit.name, Impact.CONTENT, ("不再承担任何措施或重点任务，原分工函和报表停用",)))
    return out


def _compare(
    before: dict[tuple, Held], after: dict[tuple, Held]
) -> tuple[list[str], list[str], dict[str, list]]:
    """(reasons the unit's tasks changed, items whose printed line changed, renumbered items)."""
    reasons: list[str] = []
    lines: list[str] = []
    renumbered: dict[str, list[tuple[int, int]]] = {"措施": [], "重点任务": []}
    for key, now in after.items():
        was = before.get(key)
        ref = f"{now.label}{now.number}"
        if was is None:
            reasons.append(f"新增{ref}（{now.role}）")
            continue
        if was.role != now.role:
            reasons.append(f"{ref}：{was.role}→{now.role}")
        if was.text != now.text:
            reasons.append(f"{ref}内容修改")
        if was.place != now.place:
            reasons.append(f"{ref}移至另一节")
        if was.line != now.line:
            lines.append(
                f"{ref}的{'责任单位行' if now.label == '措施' else '区领导、责任单位或配合单位'}有变化"
            )
        if was.number != now.number:
            renumbered[now.label].append((was.number, now.number))
    for key, was in before.items():
        if key not in after:
            reasons.append(f"不再承担原{was.label}{was.number}（{was.role}）")
    return reasons, lines, renumbered
