"""The units whose letters and quarterly forms change, and why: what each unit receives (Views.receives) in
both plans, compared.

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
from ..views import Received, Views
from .identity import Identity, section_key
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
    ref: str = ""  # how the item is named: 措施12, 重点任务5, or a measure's numbering as printed: （十三）
    deadline: str = ""  # the 时限 the plan states for it (forms and letters print it), "" for none


def _held(item: Received, ident: Identity | None) -> tuple[tuple[str, int | str, int], Held]:
    """(identity key, Held) of one item the unit receives (Views.receives): the key is the new number for
    items the new plan has; `ident` (old plan → new) is None for the new plan's own items."""
    if item.measure is not None:
        same = ident.measures.get(item.number) if ident else item.number
    else:
        same = ident.tasks.get(item.number) if ident else item.number
    sub = item.assignment.sub  # a sub-task is an item of its own (0: the whole measure)
    key = (item.label, same, sub) if same is not None else (item.label, f"原{item.number}", sub)
    measure = item.measure
    ref = measure.reference if measure is not None and measure.label else f"{item.label}{item.number}"
    ref += f"-{sub}" if sub else ""
    sub_task = item.assignment.subtask
    stated = (sub_task.deadline if sub_task is not None else "") or (measure.deadline if measure else "")
    place = _place(item, ident)
    return key, Held(item.label, item.number, item.role_text, item.text, place, item.line, ref, stated)


def _place(item: Received, ident: Identity | None) -> str:
    """Where the item stands, in the new plan's terms so old and new compare: a measure's section, a key
    task's annex group (by its part when it stands for one)."""
    if item.section is not None:
        assert item.part is not None, "a measure stands in a part"
        key = section_key(item.part, item.section)
        return ident.sections.get(key, f"原{key}") if ident else key
    group = item.group
    assert group is not None, "a key task stands in an annex group"
    if group.part is None:
        return group.name
    return f"部分{ident.parts.get(group.part, '原' + group.part) if ident else group.part}"


def _holdings(received: tuple[Received, ...], ident: Identity | None) -> dict[tuple, Held]:
    return dict(_held(item, ident) for item in received)


def affected_units(old: Plan, new: Plan, ident: Identity) -> list[UnitImpact]:
    old_views, new_views = Views(old), Views(new)
    old_held, new_held = old_views.received, new_views.received
    old_units = {u.name: u for u in old.units}
    back = {v: k for k, v in ident.units.items()}
    out: list[UnitImpact] = []
    for unit in new.units:
        old_name = back.get(unit.name)
        before = _holdings(old_views.receives(old_name) if old_name else (), ident)
        after = _holdings(new_views.receives(unit.name), None)
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
        ref = now.ref
        if was is None:
            reasons.append(f"新增{ref}（{now.role}）")
            continue
        if was.role != now.role:
            reasons.append(f"{ref}：{was.role}→{now.role}")
        if was.text != now.text:
            reasons.append(f"{ref}内容修改")
        if was.place != now.place:
            reasons.append(f"{ref}移至另一节")
        if was.deadline != now.deadline:
            reasons.append(f"{ref}时限改为“{now.deadline or '未写明'}”")
        if was.line != now.line:
            lines.append(
                f"{ref}的{'责任单位行' if now.label == '措施' else '区领导、责任单位或配合单位'}有变化"
            )
        if was.number != now.number:
            renumbered[now.label].append((was.number, now.number))
    for key, was in before.items():
        if key not in after:
            reasons.append(f"不再承担原{was.ref}（{was.role}）")
    return reasons, lines, renumbered
