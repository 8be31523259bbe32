"""What a plan diff finds: changes to the text and registry, and the units whose letters change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    MEASURE = "measure"
    TASK = "task"
    SECTION = "section"
    PART = "part"
    PREAMBLE = "preamble"
    ANNEX = "annex"
    UNIT = "unit"
    GROUP = "group"
    LEADER = "leader"
    META = "meta"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.MEASURE: "措施",
    Kind.TASK: "重点任务",
    Kind.SECTION: "节",
    Kind.PART: "部分",
    Kind.PREAMBLE: "序言",
    Kind.ANNEX: "任务清单",
    Kind.UNIT: "单位",
    Kind.GROUP: "分组",
    Kind.LEADER: "区领导",
    Kind.META: "文件信息",
}


class Action(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    REWORDED = "reworded"
    RENUMBERED = "renumbered"
    RESPONSIBILITY = "responsibility"  # a measure's line, a task's 责任单位/配合单位
    LEADERS = "leaders"
    RENAMED = "renamed"
    FULL_NAME = "full_name"
    REGROUPED = "regrouped"  # a unit's category
    MEMBERSHIP = "membership"
    CHANGED = "changed"  # any other field

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.ADDED: "新增",
    Action.REMOVED: "删除",
    Action.MOVED: "移动",
    Action.REWORDED: "修改",
    Action.RENUMBERED: "编号变动",
    Action.RESPONSIBILITY: "责任单位变动",
    Action.LEADERS: "区领导变动",
    Action.RENAMED: "更名",
    Action.FULL_NAME: "全称变更",
    Action.REGROUPED: "类别变动",
    Action.MEMBERSHIP: "成员变动",
    Action.CHANGED: "变更",
}


@dataclass(frozen=True)
class Change:
    """One change: one row of the 修改对照表."""

    kind: Kind
    action: Action
    ref: str  # which item, as the office names it: 第9条, 重点任务5, 区委编办 …
    old_text: str  # 原文 ("" for an addition)
    new_text: str  # 修改后 ("" for a removal)
    note: str  # 修改说明

    def as_json(self) -> dict:
        return {
            "kind": self.kind.value,
            "action": self.action.value,
            "ref": self.ref,
            "old": self.old_text,
            "new": self.new_text,
            "note": self.note,
        }


class Impact(StrEnum):
    CONTENT = "内容变动"  # reissue: the unit's tasks, their text or its name changed
    LINES = "责任单位行变动"  # same tasks, but a responsibility/leader line its letter prints changed
    RENUMBERED = "编号变动"  # the same tasks under new numbers: the office decides


@dataclass(frozen=True)
class UnitImpact:
    unit: str  # the name in the new plan (the old name for a unit that left)
    impact: Impact
    reasons: tuple[str, ...]

    def as_json(self) -> dict:
        return {"unit": self.unit, "impact": self.impact.value, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class PlanDiff:
    old_label: str
    new_label: str
    changes: tuple[Change, ...]
    units: tuple[UnitImpact, ...]  # registry order of the new plan, units that left at the end

    @property
    def empty(self) -> bool:
        return not self.changes and not self.units

    def units_with(self, impact: Impact) -> tuple[UnitImpact, ...]:
        return tuple(u for u in self.units if u.impact == impact)

    def as_json(self) -> dict:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "empty": self.empty,
            "changes": [c.as_json() for c in self.changes],
            "units": {
                "content": [u.as_json() for u in self.units_with(Impact.CONTENT)],
                "lines": [u.as_json() for u in self.units_with(Impact.LINES)],
                "renumbered": [u.as_json() for u in self.units_with(Impact.RENUMBERED)],
            },
        }


def number_ranges(numbers: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """(old, new) number pairs → runs (old_first, old_last, new_first, new_last) where both step by 1."""
    runs: list[list[int]] = []
    for old, new in sorted(numbers):
        if runs and old == runs[-1][1] + 1 and new == runs[-1][3] + 1:
            runs[-1][1], runs[-1][3] = old, new
        else:
            runs.append([old, old, new, new])
    return [(a, b, c, d) for a, b, c, d in runs]


def format_runs(numbers: list[tuple[int, int]], show: Callable[[int], str]) -> tuple[list[str], list[str]]:
    """(old, new) pairs → the old runs and the new runs as printed: show(9) + '—' + show(45) …"""
    old, new = [], []
    for o1, o2, n1, n2 in number_ranges(numbers):
        old.append(show(o1) if o1 == o2 else f"{show(o1)}—{show(o2)}")
        new.append(show(n1) if n1 == n2 else f"{show(n1)}—{show(n2)}")
    return old, new


def format_shifts(numbers: list[tuple[int, int]], label: str) -> str:
    """[(9, 10), (11, 12), (12, 13)] → '措施9、11—12编号加1': one clause per shift, old numbers compacted."""
    by_shift: dict[int, list[int]] = {}
    for old, new in sorted(numbers):
        by_shift.setdefault(new - old, []).append(old)
    clauses = []
    for shift, olds in by_shift.items():
        runs = number_ranges([(n, n) for n in olds])
        shown = "、".join(str(a) if a == b else f"{a}—{b}" for a, b, _, _ in runs)
        clauses.append(f"{label}{shown}编号{'加' if shift > 0 else '减'}{abs(shift)}")
    return "，".join(clauses)
