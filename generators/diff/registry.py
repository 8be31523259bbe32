"""Changes to the registry: units (renamed, full name, category), groups (membership, role), leaders."""

from __future__ import annotations

from ..model import Group, Plan, Unit
from .identity import Identity
from .records import Action, Change, Kind


def registry_changes(old: Plan, new: Plan, ident: Identity) -> list[Change]:
    return [*_unit_changes(old, new, ident), *_group_changes(old, new, ident), *_leader_changes(old, new)]


def _unit_text(unit: Unit) -> str:
    return f"{unit.name}（全称：{unit.full_name}；类别：{unit.category.value}）"


def _mentions(plan: Plan, name: str) -> int:
    lines = [m.responsibility.names + m.responsibility.support_names for m in plan.measures]
    lines += [t.leads + t.supports for t in plan.key_tasks] + [g.members for g in plan.groups]
    return sum(line.count(name) for line in lines)


def _unit_changes(old: Plan, new: Plan, ident: Identity) -> list[Change]:
    out: list[Change] = []
    old_by = {u.name: u for u in old.units}
    back = {v: k for k, v in ident.units.items()}
    for unit in new.units:
        if unit.name not in back:
            out.append(Change(Kind.UNIT, Action.ADDED, unit.name, "", _unit_text(unit), "单位名册新增单位"))
            continue
        before = old_by[back[unit.name]]
        if before.name != unit.name:
            note = f"“{before.name}”更名为“{unit.name}”，计划中 {_mentions(new, unit.name)} 处引用随之修改"
            out.append(Change(Kind.UNIT, Action.RENAMED, unit.name, before.name, unit.name, note))
        if before.full_name != unit.full_name:
            note = f"{unit.name}全称由“{before.full_name}”改为“{unit.full_name}”"
            out.append(Change(Kind.UNIT, Action.FULL_NAME, unit.name, before.full_name, unit.full_name, note))
        if before.category != unit.category:
            note = f"{unit.name}由{before.category.value}改列{unit.category.value}"
            out.append(
                Change(
                    Kind.UNIT, Action.REGROUPED, unit.name, before.category.value, unit.category.value, note
                )
            )
    for unit in old.units:
        if unit.name not in ident.units:
            out.append(Change(Kind.UNIT, Action.REMOVED, unit.name, _unit_text(unit), "", "从单位名册删除"))
    return out


def _members(group: Group, ident: Identity | None = None) -> list[str]:
    return [ident.name(m) if ident else m for m in group.members]


def _group_changes(old: Plan, new: Plan, ident: Identity) -> list[Change]:
    out: list[Change] = []
    old_by = {g.name: g for g in old.groups}
    back = {v: k for k, v in ident.groups.items()}
    for group in new.groups:
        members = "、".join(group.members)
        if group.name not in back:
            note = f"新增分组（{group.role.value}）"
            out.append(Change(Kind.GROUP, Action.ADDED, group.name, "", f"{group.name}：{members}", note))
            continue
        before = old_by[back[group.name]]
        if before.name != group.name:
            note = f"分组“{before.name}”更名为“{group.name}”"
            out.append(Change(Kind.GROUP, Action.RENAMED, group.name, before.name, group.name, note))
        if before.role != group.role:
            note = f"{group.name}的作用由“{before.role.value}”改为“{group.role.value}”"
            out.append(
                Change(Kind.GROUP, Action.CHANGED, group.name, before.role.value, group.role.value, note)
            )
        was = _members(before, ident)
        if set(was) != set(group.members):
            added = [m for m in group.members if m not in was]
            removed = [m for m in was if m not in group.members]
            words = [
                f"增加{'、'.join(added)}" if added else "",
                f"减少{'、'.join(removed)}" if removed else "",
            ]
            note = f"{group.name}成员" + "，".join(w for w in words if w)
            out.append(Change(Kind.GROUP, Action.MEMBERSHIP, group.name, "、".join(was), members, note))
    for group in old.groups:
        if group.name not in ident.groups:
            text = f"{group.name}：{'、'.join(group.members)}"
            out.append(Change(Kind.GROUP, Action.REMOVED, group.name, text, "", "删除分组"))
    return out


def _leader_changes(old: Plan, new: Plan) -> list[Change]:
    out: list[Change] = []
    old_by = {leader.name: leader for leader in old.leaders}
    new_names = {leader.name for leader in new.leaders}
    for leader in new.leaders:
        shown = f"{leader.name}（{leader.title}；分管：{leader.portfolio}）"
        before = old_by.get(leader.name)
        if before is None:
            out.append(Change(Kind.LEADER, Action.ADDED, leader.name, "", shown, "新增区领导"))
        elif (before.title, before.portfolio) != (leader.title, leader.portfolio):
            was = f"{before.name}（{before.title}；分管：{before.portfolio}）"
            out.append(
                Change(Kind.LEADER, Action.CHANGED, leader.name, was, shown, "区领导职务或分管工作调整")
            )
    for leader in old.leaders:
        if leader.name not in new_names:
            out.append(Change(Kind.LEADER, Action.REMOVED, leader.name, leader.name, "", "删除区领导"))
    return out
