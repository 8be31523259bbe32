"""The year from the ledger: for every unit × task, its status in each quarter, against the current plan.

A quarter's cell is the status the unit reported; 未报送 when the unit held the task then but no
accepted return is recorded; "" when the task was not in the plan that quarter (added later, removed
earlier), the unit did not hold it, or the quarter has not been collected yet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from generators.formspec import FormsLayout
from generators.model import Plan, TaskDeadline
from generators.periods import Cycle
from generators.views import Views

from .registers import Identities, sync
from .spec import LedgerLayout
from .store import Entry, Ledger, TaskRecord, UnitRecord


@dataclass(frozen=True)
class Line:
    task: TaskRecord
    unit: UnitRecord
    statuses: tuple[str, ...]  # Q1..Q4
    entries: tuple[Entry | None, ...]  # Q1..Q4

    def last_reported(self, upto: int) -> tuple[int, Entry] | None:
        """The latest quarter ≤ upto with a recorded row, and that row."""
        for q in range(upto, 0, -1):
            entry = self.entries[q - 1]
            if entry is not None:
                return q, entry
        return None


class Year:
    def __init__(
        self, ledger: Ledger, plan: Plan, views: Views, spec: FormsLayout, lspec: LedgerLayout
    ) -> None:
        self.ledger, self.plan, self.views, self.spec, self.lspec = ledger, plan, views, spec, lspec
        self.collected = ledger.quarters
        # the registers brought up to the plan as it is now, in memory only: reading never writes ledger/
        self.periods = Cycle(plan.meta.cycle).periods  # quarters, months or half years (报送周期)
        self.period_names = tuple(Cycle(plan.meta.cycle).name_of(p) for p in self.periods)
        upcoming = min(max(self.collected, default=0) + 1, len(self.periods))
        self.ids: Identities = sync(ledger, plan, views, spec, upcoming)
        self.statuses = (*spec.statuses, spec.summary.not_filled, lspec.not_reported)

    @cached_property
    def task_by_id(self) -> dict[str, TaskRecord]:
        return {t.task_id: t for t in self.ledger.tasks}

    @cached_property
    def unit_by_id(self) -> dict[str, UnitRecord]:
        return {u.unit_id: u for u in self.ledger.units}

    @cached_property
    def tasks(self) -> list[TaskRecord]:
        """Measures, then key tasks, by number (a removed task where it stood)."""
        kinds = {"measure": 0, "task": 1}
        return sorted(self.ledger.tasks, key=lambda t: (kinds[t.kind], t.number, bool(t.end), t.task_id))

    @cached_property
    def units(self) -> list[UnitRecord]:
        """The plan's units in registry order, then the units no longer in it."""
        order = {self.ids.unit_of[name]: i for i, name in enumerate(self.views.assignments)}
        return sorted(self.ledger.units, key=lambda u: (order.get(u.unit_id, len(order)), u.unit_id))

    @cached_property
    def reported(self) -> set[tuple[int, str]]:
        return {(e.quarter, e.unit_id) for e in self.ledger.entries}

    @cached_property
    def lines(self) -> list[Line]:
        found: dict[tuple[str, str], list[Entry | None]] = {}
        for e in self.ledger.entries:
            found.setdefault((e.unit_id, e.task_id), [None] * len(self.periods))[e.quarter - 1] = e
        held_now = {
            (self.ids.unit_of[name], self.ids.task_of[a.key])
            for name, held in self.views.assignments.items()
            for a in held.all
        }
        pairs = set(found) | held_now
        unit_rank = {u.unit_id: i for i, u in enumerate(self.units)}
        task_rank = {t.task_id: i for i, t in enumerate(self.tasks)}
        out = []
        for unit_id, task_id in sorted(pairs, key=lambda p: (task_rank[p[1]], unit_rank[p[0]])):
            entries = tuple(found.get((unit_id, task_id), [None] * len(self.periods)))
            task, unit = self.task_by_id[task_id], self.unit_by_id[unit_id]
            statuses = tuple(self._status(q, task, unit, entries) for q in self.periods)
            out.append(Line(task, unit, statuses, entries))
        return out

    def _status(self, q: int, task: TaskRecord, unit: UnitRecord, entries: tuple) -> str:
        if entries[q - 1] is not None:
            return entries[q - 1].status
        if q not in self.collected or (q, unit.unit_id) in self.reported:
            return ""
        in_plan = task.start <= q and (not task.end or q < task.end)
        if not in_plan or q < unit.start or (unit.end and q >= unit.end):
            return ""
        return self.lspec.not_reported

    def mix(self, q: int) -> Counter:
        """How many unit × task cells of quarter q have each status."""
        return Counter(line.statuses[q - 1] for line in self.lines if line.statuses[q - 1])

    def deadline_of(self, task: TaskRecord) -> TaskDeadline | None:
        """The deadline the plan now sets for a task (None for a task no longer in it)."""
        if task.end:
            return None
        key = self.key_of.get(task.task_id)
        return self.views.deadlines.get(key) if key else None

    @cached_property
    def key_of(self) -> dict[str, str]:
        """Task id → its key in the plan now (M12, M3-1, K5)."""
        return {task_id: key for key, task_id in self.ids.task_of.items()}

    def overdue(self, line: Line, quarter: int) -> TaskDeadline | None:
        """The task's deadline when the task is past it at the end of `quarter` and the unit did not report
        it 已完成 (逾期); None otherwise."""
        deadline = self.deadline_of(line.task)
        due = deadline.due(self.plan.meta.year) if deadline else None
        if (
            deadline is None
            or due is None
            or due > Cycle(self.plan.meta.cycle).end(self.plan.meta.year, quarter)
        ):
            return None
        return None if line.statuses[quarter - 1] == self.spec.statuses[0] else deadline

    def unit_lines(self) -> dict[str, list[Line]]:
        out: dict[str, list[Line]] = {u.unit_id: [] for u in self.units}
        for line in self.lines:
            out[line.unit.unit_id].append(line)
        return out

    @property
    def last_quarter(self) -> int:
        return max(self.collected, default=0)
