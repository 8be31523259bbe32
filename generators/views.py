"""Derived facts: who owns what after group expansion, per unit and per leader, and the annex counts.

Pure functions of the model; every renderer that needs "what does unit X do" asks here, so the letter,
the form and the matrix can never disagree. `Views.receives(unit)` is the one answer to "what does this unit
receive": the letter prints it, the form's version hashes it, `plandocs diff` compares it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import IntEnum
from functools import cached_property

from .model import GroupRole, KeyTask, Measure, Part, Plan, Section, SubTask, TaskDeadline, TaskGroup, Unit


class Role(IntEnum):
    """A unit's role in one measure or key task; a higher value is stronger and wins on overlap."""

    CONCERNED = 1  # via an 有关 group: 结合职责落实
    SUPPORT = 2  # 配合单位
    LEAD_VIA_GROUP = 3  # 责任单位 as a member of an all-members group (各乡镇, 区安委会各成员单位 …)
    LEAD_NAMED = 4  # 责任单位, named in the line
    PRIME = 5  # 牵头单位: named in a 牵头 clause (〔A牵头，B配合〕, 牵头单位：A)

    @property
    def label(self) -> str:
        return {
            Role.CONCERNED: "结合职责落实",
            Role.SUPPORT: "配合单位",
            Role.LEAD_VIA_GROUP: "责任单位",
            Role.LEAD_NAMED: "责任单位",
            Role.PRIME: "牵头单位",
        }[self]

    @property
    def word(self) -> str:
        """The role in one word, as a letter tells the unit what to do: 牵头, 责任, 配合, 结合职责落实."""
        return {Role.PRIME: "牵头", Role.SUPPORT: "配合", Role.CONCERNED: "结合职责落实"}.get(self, "责任")

    @property
    def is_lead(self) -> bool:
        return self >= Role.LEAD_VIA_GROUP


@dataclass(frozen=True)
class Assignment:
    """One measure or key task held by one unit."""

    unit: str
    role: Role
    via: str | None  # the group name that reached the unit, None when named
    measure: Measure | None = None
    task: KeyTask | None = None
    # the measure's sub-task (1 …) the unit holds, 0 for the whole measure; out of the repr, which form
    # versions hash (Received.signature adds it)
    sub: int = field(default=0, repr=False)

    @property
    def subtask(self) -> SubTask | None:
        """The sentence of the measure this assignment is for, None for a whole measure or a key task."""
        return self.item_measure.subtasks[self.sub - 1] if self.sub else None

    @property
    def kind(self) -> str:
        return "measure" if self.measure is not None else "task"

    @property
    def number(self) -> int:
        return self.measure.number if self.measure is not None else self.item_task.number

    @property
    def item_measure(self) -> Measure:
        """The measure of a measure assignment."""
        assert self.measure is not None, "a key-task assignment holds no measure"
        return self.measure

    @property
    def item_task(self) -> KeyTask:
        """The key task of a task assignment (an assignment holds a measure or a task, never neither)."""
        assert self.task is not None, "an assignment holds a measure or a key task"
        return self.task

    @property
    def key(self) -> str:
        """Stable id across files: M12 for measure 12, M3-1 for its first sub-task, K5 for key task 5."""
        if self.measure is None:
            return f"K{self.number}"
        return f"M{self.measure.subtask_key(self.sub)}" if self.sub else f"M{self.number}"

    @property
    def role_text(self) -> str:
        """How the role is printed for the unit, naming the group when it came through one."""
        if self.via is None:
            return self.role.label
        return f"{self.role.label}（{self.via}）"


@dataclass(frozen=True)
class Received:
    """One item as a unit receives it, with where it stands and the line printed with it: what its letter
    prints, what its form lists and versions, what `plandocs diff` compares between two plans."""

    assignment: Assignment
    section: Section | None = None  # a measure's section (headed, or the untitled one of a part)
    part: Part | None = None  # a measure's part
    group: TaskGroup | None = None  # a key task's annex group

    @property
    def measure(self) -> Measure | None:
        return self.assignment.measure

    @property
    def task(self) -> KeyTask | None:
        return self.assignment.task

    @property
    def item_measure(self) -> Measure:
        """The measure of a measure item (an item holds a measure or a key task, never neither)."""
        assert self.measure is not None, "not a measure"
        return self.measure

    @property
    def item_task(self) -> KeyTask:
        return self.assignment.item_task

    @property
    def role(self) -> Role:
        return self.assignment.role

    @property
    def role_text(self) -> str:
        return self.assignment.role_text

    @property
    def key(self) -> str:
        return self.assignment.key

    @property
    def number(self) -> int:
        return self.assignment.number

    @property
    def label(self) -> str:
        """How the office names the kind of item: 措施 / 重点任务."""
        return "措施" if self.measure is not None else "重点任务"

    @property
    def text(self) -> str:
        """The item's own words: a measure's text (a sub-task's after the measure's own); a key task's name,
        content and remark."""
        sub = self.assignment.subtask
        if sub is not None:
            return f"{self.item_measure.text}{sub.text}"
        if self.measure is not None:
            return self.measure.text
        task = self.assignment.item_task
        return f"{task.name}\n{task.content}\n{task.remark}"

    @property
    def line(self) -> str:
        """Who else is named with it, as printed: the measure's responsibility line; a key task's leaders,
        responsible and supporting units, one line each."""
        sub = self.assignment.subtask
        if sub is not None:
            return sub.responsibility.printed
        if self.measure is not None:
            return self.measure.responsibility.printed
        task = self.assignment.item_task
        return "\n".join("、".join(names) for names in (task.leaders, task.leads, task.supports))

    @cached_property  # the form of each quarter hashes it again
    def signature(self) -> str:
        """What the unit's form version hashes (formspec.form_version). It is the assignment's repr, as
        it was when the first forms went out: a different text would make every form already returned
        read as "任务已有变化". Model.Measure and grammar.Responsibility pin their reprs for it."""
        return repr(self.assignment) + (f"#{self.assignment.sub}" if self.assignment.sub else "")

    @property
    def printed(self) -> str:
        """The item as a letter prints it: the measure as drafted; a sub-task with the measure's numbering and
        its own words before it, for context (（三）强化企业主体责任。4月底前，完成……（责任单位：A）；)."""
        sub = self.assignment.subtask
        measure = self.item_measure
        if sub is None:
            return measure.printed
        return f"{measure.numbering}{measure.text}{sub.printed}"


@dataclass(frozen=True)
class UnitAssignments:
    unit: Unit
    measures: tuple[Assignment, ...]  # measure order
    tasks: tuple[Assignment, ...]  # key-task order

    @property
    def all(self) -> tuple[Assignment, ...]:
        return self.measures + self.tasks

    @property
    def named_measures(self) -> tuple[Assignment, ...]:
        """Measures the unit must carry out itself (named, or every member of a group it is in)."""
        return tuple(a for a in self.measures if a.role.is_lead)

    @property
    def shared_measures(self) -> tuple[Assignment, ...]:
        """结合职责落实: measures for the members concerned, listed apart."""
        return tuple(a for a in self.measures if not a.role.is_lead)

    @property
    def lead_tasks(self) -> tuple[Assignment, ...]:
        return tuple(a for a in self.tasks if a.role.is_lead)

    @property
    def support_tasks(self) -> tuple[Assignment, ...]:
        return tuple(a for a in self.tasks if not a.role.is_lead)


# The kind of document a title names, by its last word: how letters call it (《意见》, 《要点》) and its items.
_KINDS = (
    ("工作要点", "要点"),
    ("要点", "要点"),
    ("意见", "意见"),
    ("实施方案", "方案"),
    ("方案", "方案"),
    ("工作计划", "计划"),
    ("计划", "计划"),
    ("任务清单", "清单"),
    ("清单", "清单"),
)
# The items of an 意见 are 工作措施 (the seed's word); the other kinds list 工作任务.
_ITEM_WORDS = {"意见": "工作措施"}


@dataclass(frozen=True)
class DocumentKind:
    short: str  # printed in 《》 after 以下简称: 意见, 要点, 方案 …
    items: str  # what the document's numbered items are called: 工作措施, 工作任务


def document_kind(title: str) -> DocumentKind:
    """The kind of document from the last word of its title (…工作要点 → 《要点》, 工作任务)."""
    short = next((s for end, s in _KINDS if title.endswith(end)), title[-2:] or "意见")
    return DocumentKind(short, _ITEM_WORDS.get(short, "工作任务"))


_GROUP_ROLE_AS_LEAD = {
    GroupRole.ALL: Role.LEAD_VIA_GROUP,
    GroupRole.CONCERNED: Role.CONCERNED,
    GroupRole.SUPPORT: Role.SUPPORT,
}
_GROUP_ROLE_AS_SUPPORT = {
    GroupRole.ALL: Role.SUPPORT,
    GroupRole.CONCERNED: Role.CONCERNED,
    GroupRole.SUPPORT: Role.SUPPORT,
}


class Views:
    """Everything derived from one Plan; computed lazily, once."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self._units = {u.name: u for u in plan.units}
        self._groups = {g.name: g for g in plan.groups}

    def expand(self, name: str, named_role: Role, group_roles: dict) -> list[tuple[str, Role, str | None]]:
        """A printed name → (unit, role, via) for each concrete unit it stands for."""
        if name in self._units:
            return [(name, named_role, None)]
        group = self._groups[name]
        role = group_roles[group.role]
        return [(member, role, name) for member in group.members]

    def holders_of_measure(self, measure: Measure, sub: int = 0) -> dict[str, Assignment]:
        """Who holds a measure (or its sub-task `sub`, from 1), with the role its line gives them."""
        line = measure.subtasks[sub - 1].responsibility if sub else measure.responsibility
        prime = set(line.prime_names)
        leads = (
            (unit, role, via, measure, None)
            for name in line.names
            for unit, role, via in self.expand(
                name, Role.PRIME if name in prime else Role.LEAD_NAMED, _GROUP_ROLE_AS_LEAD
            )
        )
        supports = (
            (unit, role, via, measure, None)
            for name in line.support_names
            for unit, role, via in self.expand(name, Role.SUPPORT, _GROUP_ROLE_AS_SUPPORT)
        )
        held = self._strongest([*leads, *supports])
        return {unit: replace(a, sub=sub) for unit, a in held.items()} if sub else held

    def holders_of_task(self, task: KeyTask) -> dict[str, Assignment]:
        leads = (
            (unit, role, via, None, task)
            for name in task.leads
            for unit, role, via in self.expand(name, Role.LEAD_NAMED, _GROUP_ROLE_AS_LEAD)
        )
        supports = (
            (unit, role, via, None, task)
            for name in task.supports
            for unit, role, via in self.expand(name, Role.SUPPORT, _GROUP_ROLE_AS_SUPPORT)
        )
        return self._strongest([*leads, *supports])

    @staticmethod
    def _strongest(
        candidates: Iterable[tuple[str, Role, str | None, Measure | None, KeyTask | None]],
    ) -> dict[str, Assignment]:
        """A unit reached twice holds the item once, with the stronger role (the first on a tie)."""
        held: dict[str, Assignment] = {}
        for unit, role, via, measure, task in candidates:
            if unit not in held or role > held[unit].role:
                held[unit] = Assignment(unit=unit, role=role, via=via, measure=measure, task=task)
        return held

    @cached_property
    def assignments(self) -> dict[str, UnitAssignments]:
        """Per concrete unit with at least one measure or key task, in registry order."""
        measures: dict[str, list[Assignment]] = {u.name: [] for u in self.plan.units}
        tasks: dict[str, list[Assignment]] = {u.name: [] for u in self.plan.units}
        for measure in self.plan.measures:
            for sub in range(1, len(measure.subtasks) + 1) if measure.subtasks else (0,):
                for unit, a in self.holders_of_measure(measure, sub).items():
                    measures[unit].append(a)
        for task in self.plan.key_tasks:
            for unit, a in self.holders_of_task(task).items():
                tasks[unit].append(a)
        return {
            u.name: UnitAssignments(unit=u, measures=tuple(measures[u.name]), tasks=tuple(tasks[u.name]))
            for u in self.plan.units
            if (measures[u.name] or tasks[u.name]) and not self.is_issuing_office(u.name)
        }

    def is_issuing_office(self, name: str) -> bool:
        """The office that sends the letters (函件发出单位, by its short or full name) writes to itself only
        when meta.yaml says 函件发出单位收函: true; its tasks stay in the plan's text."""
        meta = self.plan.meta
        if meta.office_receives:
            return False
        unit = self._units.get(name)
        names = {name, unit.full_name if unit else name}
        return bool(names & {meta.office, meta.office_full_name})

    @cached_property
    def received(self) -> dict[str, tuple[Received, ...]]:
        """What each unit with anything to do receives (`receives`), in registry order."""
        groups = self.task_group
        out: dict[str, tuple[Received, ...]] = {}
        for name, held in self.assignments.items():
            items = []
            for a in held.all:
                if a.measure is not None:
                    part, section = self.place_of(a.measure)
                    items.append(Received(a, section=section, part=part))
                else:
                    items.append(Received(a, group=groups[a.item_task.number]))
            out[name] = tuple(items)
        return out

    def receives(self, unit: str) -> tuple[Received, ...]:
        """Everything `unit` receives, in the order of its form (measures, then key tasks); () for a unit
        that holds nothing. The letter, the form's version and the diff all read this."""
        return self.received.get(unit, ())

    @cached_property
    def deadlines(self) -> dict[str, TaskDeadline]:
        """Per item key (M12, K5): the deadline its text (or its 时限 key) sets; the text stays as drafted."""
        out = {f"M{m.number}": m.deadlines for m in self.plan.measures}
        for m in self.plan.measures:
            for index, sub in enumerate(m.subtasks, 1):
                out[f"M{m.subtask_key(index)}"] = sub.deadlines
        for t in self.plan.key_tasks:
            out[f"K{t.number}"] = t.deadlines
        return out

    def deadline_of(self, assignment: Assignment) -> TaskDeadline:
        return self.deadlines[assignment.key]

    @cached_property
    def has_deadlines(self) -> bool:
        """Whether any item sets a deadline: only then do forms and sheets carry a 时限 column."""
        return any(self.deadlines.values())

    @cached_property
    def kind(self) -> DocumentKind:
        return document_kind(self.plan.meta.title)

    @cached_property
    def tasks_by_leader(self) -> dict[str, tuple[KeyTask, ...]]:
        """Per 区领导 in leaders.yaml order: the key tasks they lead (leaders with none are left out)."""
        out = {
            leader.name: tuple(t for t in self.plan.key_tasks if leader.name in t.leaders)
            for leader in self.plan.leaders
        }
        return {name: tasks for name, tasks in out.items() if tasks}

    @cached_property
    def _place(self) -> dict[int, tuple[Part, Section]]:
        return {m.number: (p, s) for p in self.plan.parts for s in p.sections for m in s.measures}

    def place_of(self, measure: Measure) -> tuple[Part, Section]:
        """The part and section a measure stands in."""
        return self._place[measure.number]

    @cached_property
    def task_group(self) -> dict[int, TaskGroup]:
        return {t.number: g for g in self.plan.annex.groups for t in g.tasks}
