"""一表通: what a unit last reported for each task, carried into its next form so it changes only what moved.

Read from ledger/ (the accepted returns): for period p, the latest entry of an earlier period per unit and
task (by the task's key in the plan now, M12 / M3-1 / K5, and the unit's name now). A build reads it once;
the forms show it in their input cells, and collect tells a carried text from a new one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generators.formspec import FormsLayout
from generators.layout import Layout
from generators.model import Plan
from generators.periods import Cycle
from generators.views import Views

from .spec import LedgerLayout

if TYPE_CHECKING:
    from generators.collect.collection import Collection
from .store import LedgerError, LedgerPaths, load


@dataclass(frozen=True)
class Reported:
    """One unit's last accepted answer for one task."""

    period: int
    status: str
    progress: str


@dataclass(frozen=True)
class Carried:
    """Per (unit, task key): every period it was reported in, with what was reported, oldest first."""

    reports: dict[tuple[str, str], tuple[Reported, ...]] = field(default_factory=dict)
    key_of_id: dict[str, str] = field(default_factory=dict)  # the ledger's task id → M12 / K5

    def before(self, unit: str, key: str, period: int) -> Reported | None:
        """The unit's latest report of the task in a period before `period` (None: never reported)."""
        found = [r for r in self.reports.get((unit, key), ()) if r.period < period]
        return found[-1] if found else None

    def __bool__(self) -> bool:
        return bool(self.reports)

    def unchanged(self, collection: Collection) -> frozenset[tuple[str, str]]:
        """(unit, task key) of the accepted rows whose status and progress are the unit's last ones, as the
        form came prefilled with them (沿用上期); every other accepted row the unit wrote anew."""
        return frozenset(
            (unit, key)
            for unit, verdict in collection.reports.items()
            for key, row in verdict.rows.items()
            if self.same(unit, key, collection.quarter, row.values.get("status"), row.values.get("progress"))
        )

    def same(self, unit: str, key: str, period: int, status: object, progress: object) -> bool:
        """The unit reported this task before `period` with this status and progress (key: M12 / K5, or the
        ledger's task id when the period is rebuilt from the ledger)."""
        last = self.before(unit, key, period) or self.before(unit, self.key_of_id.get(key, ""), period)
        return last is not None and (status, progress) == (last.status, last.progress)


def ledger_digest(plan_dir: Path, year: int) -> str:
    """A hash of the year's ledger ("" without one), so a build knows its forms change when the ledger does."""
    csv = LedgerPaths.beside(plan_dir, year).csv
    try:
        return hashlib.sha256(csv.read_bytes()).hexdigest()
    except OSError:
        return ""


def carried(plan: Plan, views: Views, layout: Layout) -> Carried:
    """What ledger/ beside the plan holds, by unit and task key; empty without a readable ledger (the
    ledger commands report a damaged one)."""
    if not plan.directory:
        return Carried()
    paths = LedgerPaths.beside(Path(plan.directory), plan.meta.year, Cycle(plan.meta.cycle).count)
    if not paths.csv.is_file():
        return Carried()
    # the year's registers bring openpyxl and docx: loaded only when there is a ledger to carry, so a
    # build with nothing to do starts without them
    from .year import Year

    try:
        ledger = load(paths)
        year = Year(ledger, plan, views, FormsLayout.of(layout), LedgerLayout.of(layout))
        lines = year.lines
    except (LedgerError, OSError, KeyError, ValueError):
        return Carried()
    reports: dict[tuple[str, str], tuple[Reported, ...]] = {}
    for line in lines:
        key = year.key_of.get(line.task.task_id)
        if key is None or line.task.end or line.unit.end:
            continue
        shown = tuple(
            Reported(q, entry.status, entry.progress)
            for q, entry in enumerate(line.entries, start=1)
            if entry is not None and entry.status
        )
        if shown:
            reports[(line.unit.name, key)] = shown
    return Carried(reports, {i: k for i, k in year.key_of.items() if k is not None})
