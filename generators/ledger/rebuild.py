"""A quarter's summary workbook and 通报 rebuilt from the ledger alone (`plandocs ledger --rebuild-summaries`).

The ledger holds what collect tallied: the rows of every return that counts (2023.csv), the units asked and
how each stands (应报.csv) and the tasks held (季度任务.csv), all as the plan named them that quarter. From
them the collect's own summary code draws the same cells as the collect did, with no returned file read
and no plan revision or unit rename in between mattering: units and tasks keep that quarter's names.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path

from generators.collect import Collection, Outcome, Verdict
from generators.collect.cells import shown
from generators.collect.collection import split_problems
from generators.collect.tally import Tally, TaskRow, TaskTally
from generators.dates import chinese_date
from generators.formspec import FormsLayout
from generators.numerals import to_chinese

from .store import REPORTED, RETURNED, Entry, Expected, Ledger, LedgerError, LedgerPaths


class LedgerTally(Tally):
    """The Tally collect makes from returned files, made from the ledger's rows instead."""

    def __init__(
        self,
        spec: FormsLayout,
        collection: Collection,
        rows: tuple[TaskRow, ...],
        by_task: tuple[TaskTally, ...],
        category: dict[str, str],
    ) -> None:
        self.spec, self.collection = spec, collection
        self.statuses = (*spec.statuses, spec.summary.not_filled)
        self._rows, self._by_task, self._category = rows, by_task, category

    @cached_property
    def rows(self) -> tuple[TaskRow, ...]:
        return self._rows

    @cached_property
    def by_task(self) -> tuple[TaskTally, ...]:
        return self._by_task

    @cached_property
    def category(self) -> dict[str, str]:
        return self._category


def _verdict(x: Expected) -> Verdict:
    """The return (or the refused file) as collect judged it; the file itself is not read."""
    if x.outcome == REPORTED:
        date = dt.date.fromisoformat(x.date) if x.date else None
        return Verdict(Path(x.file), unit=x.unit, quarter=x.quarter, date=date)
    return Verdict(Path(x.file), Outcome.REJECTED, claimed=x.unit, errors=split_problems(x.reason))


def quarter_tally(ledger: Ledger, paths: LedgerPaths, spec: FormsLayout, quarter: int) -> LedgerTally:
    asked = [x for x in ledger.expected if x.quarter == quarter]
    if not asked:
        folder = paths.folder / f"Q{quarter}"
        raise LedgerError(
            f"{paths.expected}：没有第{to_chinese(quarter)}季度的应报单位（该季度由较早版本的 plandocs 记入台账），"
            f"无法只凭台账重做；请先运行 plandocs collect --quarter {quarter} {folder} 补记"
        )
    reports = {x.unit: _verdict(x) for x in asked if x.outcome == REPORTED}
    returned = {x.unit: _verdict(x) for x in asked if x.outcome == RETURNED}
    collection = Collection(
        quarter=quarter,
        units=tuple(x.unit for x in asked),
        verdicts=(*reports.values(), *returned.values()),
        reports=reports,
        returned=returned,
        not_reported=tuple(x.unit for x in asked if x.unit not in reports and x.unit not in returned),
    )
    entry_of: dict[tuple[str, str], Entry] = {
        (e.unit_id, e.task_id): e for e in ledger.entries if e.quarter == quarter
    }
    rows: list[TaskRow] = []
    for x in asked:
        if x.outcome != REPORTED:
            continue
        date, file = chinese_date(x.date) if x.date else "", shown(x.file)
        for task_id in x.tasks:
            e = entry_of.get((x.unit_id, task_id))
            if e is None:
                raise LedgerError(
                    f"{paths.csv}：{x.unit}第{to_chinese(quarter)}季度的报表缺少任务 {task_id} 的行"
                    f"（{paths.expected.name} 中列为承担），台账前后不一致，请检查后重新收取该季度"
                )
            rows.append(
                TaskRow(
                    x.unit,
                    task_id,
                    e.key_text,
                    e.task,
                    e.role,
                    e.status,
                    e.progress,
                    e.problems,
                    e.next_steps,
                    x.reporter,
                    date,
                    file,
                )
            )
    status = {(r.unit, r.key): r.status for r in rows}
    holders: dict[str, list[str]] = {}
    for x in asked:
        for task_id in x.tasks:
            holders.setdefault(task_id, []).append(x.unit)
    by_task = tuple(
        TaskTally(
            key=t.task_id,
            key_text=t.key_text,
            task=t.task,
            units=tuple(holders[t.task_id]),
            status_of={u: status[(u, t.task_id)] for u in holders[t.task_id] if (u, t.task_id) in status},
            sent_back=frozenset(u for u in holders[t.task_id] if u in returned),
        )
        for t in ledger.quarter_tasks
        if t.quarter == quarter and t.task_id in holders
    )
    category = {x.unit: x.category for x in asked}
    return LedgerTally(spec, collection, tuple(rows), by_task, category)


def recorded_quarters(ledger: Ledger) -> tuple[int, ...]:
    """Quarters with returns or a register in the ledger."""
    return tuple(sorted({e.quarter for e in ledger.entries} | {x.quarter for x in ledger.expected}))
