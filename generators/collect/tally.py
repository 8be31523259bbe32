"""The quarter in numbers: every reported task row, counts per unit and per task, the lagging tasks.

Both the summary workbook and the 通报 are drawn from this one tally, so they cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from generators.dates import chinese_date
from generators.formspec import FormsLayout
from generators.render.form_workbook import RowCells
from generators.render.forms import row_cells
from generators.views import Views

from .collection import Collection


@dataclass(frozen=True)
class TaskRow:
    unit: str
    key: str  # M12 / K5
    key_text: str  # 措施12 / 任务5
    task: str
    role: str
    status: str  # one of the statuses, or not_filled when the form lacks the row
    progress: str
    problems: str
    next_steps: str
    reporter: str
    date: str  # 2023年4月3日
    file: str


@dataclass(frozen=True)
class TaskTally:
    key: str
    key_text: str
    task: str
    units: tuple[str, ...]  # every unit that holds it, registry order
    status_of: dict[str, str]  # reporting unit → status
    sent_back: frozenset[str] = frozenset()  # units among `units` whose return was refused (退回)

    def units_with(self, status: str) -> tuple[str, ...]:
        return tuple(u for u in self.units if self.status_of.get(u) == status)

    @property
    def returned(self) -> tuple[str, ...]:
        """Holders whose return was refused (退回)."""
        return tuple(u for u in self.units if u in self.sent_back)

    @property
    def not_reported(self) -> tuple[str, ...]:
        """Holders that sent nothing (未报送); disjoint from the reporting and the returned ones."""
        return tuple(u for u in self.units if u not in self.status_of and u not in self.sent_back)


class Tally:
    def __init__(self, views: Views, spec: FormsLayout, collection: Collection):
        self.views, self.spec, self.collection = views, spec, collection
        self.statuses = (*spec.statuses, spec.summary.not_filled)

    @cached_property
    def rows(self) -> tuple[TaskRow, ...]:
        out = []
        # 编号, 任务 and 责任类型 depend on the task and the role only: worked out once, not once per unit
        shown: dict[tuple, RowCells] = {}
        for unit, verdict in self.collection.reports.items():
            reporter = verdict.returned.reporter.get(self.spec.reporter[0])
            reporter_text = str(reporter or "").strip()
            date = chinese_date(verdict.date.isoformat()) if verdict.date else ""
            file = verdict.name
            for index, a in enumerate(self.views.assignments[unit].all, start=1):
                key = a.key
                plan_cells = shown.get((key, a.role, a.via))
                if plan_cells is None:
                    plan_cells = shown[(key, a.role, a.via)] = row_cells(self.views, self.spec, index, a)
                row = verdict.rows.get(key)
                values = row.values if row is not None else {}
                out.append(
                    TaskRow(
                        unit=unit,
                        key=key,
                        key_text=plan_cells["key"],
                        task=plan_cells["task"],
                        role=plan_cells["role"],
                        status=values.get("status") or self.spec.summary.not_filled,
                        progress=values.get("progress", ""),
                        problems=values.get("problems", ""),
                        next_steps=values.get("next_steps", ""),
                        reporter=reporter_text,
                        date=date,
                        file=file,
                    )
                )
        return tuple(out)

    @cached_property
    def category(self) -> dict[str, str]:
        """Each unit's category (单位类别) as the summary prints it."""
        return {u.name: u.category.value for u in self.views.plan.units}

    @cached_property
    def by_unit(self) -> dict[str, Counter]:
        counts: dict[str, Counter] = {unit: Counter() for unit in self.collection.reports}
        for row in self.rows:
            counts[row.unit][row.status] += 1
        return counts

    @cached_property
    def totals(self) -> Counter:
        return Counter(row.status for row in self.rows)

    @cached_property
    def by_task(self) -> tuple[TaskTally, ...]:
        """Every measure and key task, plan order, with its status at each unit that holds it."""
        holders: dict[str, list[str]] = {}
        labels: dict[str, tuple[str, str]] = {}
        for unit, held in self.views.assignments.items():
            for index, a in enumerate(held.all, start=1):
                holders.setdefault(a.key, []).append(unit)
                if a.key not in labels:
                    cells = row_cells(self.views, self.spec, index, a)
                    labels[a.key] = (cells["key"], cells["task"])
        status = {(r.unit, r.key): r.status for r in self.rows}
        order = [f"M{m.number}" for m in self.views.plan.measures] + [
            f"K{t.number}" for t in self.views.plan.key_tasks
        ]
        return tuple(
            TaskTally(
                key=key,
                key_text=labels[key][0],
                task=labels[key][1],
                units=tuple(holders[key]),
                status_of={u: status[(u, key)] for u in holders[key] if (u, key) in status},
                sent_back=frozenset(u for u in holders[key] if u in self.collection.returned),
            )
            for key in order
            if key in holders
        )

    @cached_property
    def lagging(self) -> tuple[TaskRow, ...]:
        return tuple(r for r in self.rows if r.status in self.spec.lagging)
