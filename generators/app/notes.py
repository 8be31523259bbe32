"""What check, build, import and new report beside their result: proofreading hints, dates of another
year, measures no unit reaches, open 待核实 data. Never fatal."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from generators.model import Plan


@dataclass(frozen=True)
class PlanNotes:
    warnings: list[str]  # dates of another year, measures no unit reaches
    open_items: list[str]  # 待核实 data still open


def proofreading(plan_dir: Path) -> list:
    """The lint findings on plan/ (each prints as file:line:col: text)."""
    from generators.lint import lint_plan

    return list(lint_plan(plan_dir))


def open_notes(plan: Plan) -> PlanNotes:
    from generators.errors import TemplateBroken
    from generators.layout import load_layout
    from generators.plan.warnings import date_warnings, open_assumptions, unreached_measures
    from generators.render.table_fit import too_long_warnings

    warnings = date_warnings(plan) + unreached_measures(plan)
    # the tables' widths are layout.yaml's: a broken one is build's to report, not a note's
    with contextlib.suppress(TemplateBroken, OSError, ValueError):
        warnings += too_long_warnings(plan, load_layout())
    return PlanNotes(warnings, list(open_assumptions(plan)))
