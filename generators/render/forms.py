"""季度报表: one .xlsx per unit per quarter listing exactly that unit's measures and key tasks.

The workbook itself is form_workbook.build_form (openpyxl); the build stamps each quarter's forms from
one such workbook (form_copies.QuarterForms), which gives the same bytes much faster.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from generators.artifact import Artifact, Job
from generators.context import BuildContext
from generators.formspec import FormsLayout, identification
from generators.layout import Layout
from generators.model import Plan
from generators.periods import Cycle
from generators.render.form_copies import QuarterForms
from generators.render.form_workbook import Prefill, build_form, row_cells, task_rows
from generators.views import UnitAssignments, Views

if TYPE_CHECKING:
    from generators.ledger.carry import Carried

__all__ = ["build_form", "jobs", "quarter_jobs", "render", "row_cells", "task_rows"]


def shown_rows(views: Views, spec: FormsLayout) -> dict[str, list[list[object]]]:
    """Each unit's task rows as printed (the same in all four quarters), as plain values."""
    return {
        unit: [list(row_cells(views, spec, i, a).values()) for i, a in enumerate(held.all, start=1)]
        for unit, held in views.assignments.items()
    }


def quarter_jobs(
    plan: Plan,
    views: Views,
    layout: Layout,
    quarter: int,
    shown: dict[str, list] | None = None,
    rows: dict | None = None,
    carried: Carried | None = None,
    tails: dict[str, bytes] | None = None,
) -> list[Job]:
    spec = FormsLayout.for_views(layout, views)
    shown = shown if shown is not None else shown_rows(views, spec)
    copies = QuarterForms(plan, views, layout, quarter, rows)
    prefills = {unit: prefill_of(carried, held, quarter) for unit, held in views.assignments.items()}
    # hashed once per form: the job's inputs and the form's hidden sheet print the same values
    ids = {unit: identification(views, quarter, unit, tails) for unit in views.assignments}
    return [
        Job(
            kind="form",
            path=spec.form_path(plan, quarter, unit),
            # What the form shows (its rows, the unit, the meta) and its hidden identification (whose
            # version covers the unit's tasks); the layout profile and the code are in every fingerprint.
            # Plain values: hashing the assignments' dataclass reprs cost a no-op build 0.2 s.
            inputs={
                "quarter": quarter,
                "unit": [held.unit.name, held.unit.full_name],
                "rows": shown[unit],
                "meta": plan.meta,
                "identification": ids[unit],
                **({"carried": sorted(prefills[unit].items())} if prefills[unit] else {}),
            },
            templates=(),
            make=functools.partial(copies.form, held, prefills[unit] or None, ids[unit]),
            unit=unit,
            quarter=quarter,
        )
        for unit, held in views.assignments.items()
    ]


def prefill_of(carried: Carried | None, held: UnitAssignments, period: int) -> Prefill:
    """一表通: per task of the unit, what it last reported before `period` (status, progress); a task it
    reported 已完成 comes carried as such, and the unit changes only what moved."""
    if not carried:
        return {}
    out: Prefill = {}
    for a in held.all:
        last = carried.before(held.unit.name, a.key, period)
        if last is not None:
            out[a.key] = (last.status, last.progress)
    return out


def jobs(ctx: BuildContext) -> list[Job]:
    plan, views, layout = ctx.plan, ctx.views, ctx.layout
    shown = shown_rows(views, FormsLayout.for_views(layout, views))  # the same in all four quarters
    rows: dict = {}  # each unit's task rows, kept across the quarters too
    tails: dict[str, bytes] = {}  # what each unit's form version hashes after the quarter (the jobs' only)
    periods = Cycle(plan.meta.cycle).periods  # quarters, months or half years (报送周期)
    return [
        job
        for quarter in periods
        for job in quarter_jobs(plan, views, layout, quarter, shown, rows, ctx.carried, tails)
    ]


def render(
    plan: Plan, views: Views, layout: Layout, quarters: tuple[int, ...] | None = None
) -> list[Artifact]:
    periods = quarters or Cycle(plan.meta.cycle).periods
    return [
        job.artifact(job.make()) for quarter in periods for job in quarter_jobs(plan, views, layout, quarter)
    ]
