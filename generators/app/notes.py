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


def open_notes(plan: Plan, templates_dir: Path | None = None) -> PlanNotes:
    """`templates_dir`: the layout the tables are printed with (the default templates/ when None)."""
    from generators.errors import TemplateBroken
    from generators.layout import TEMPLATES_DIR, load_layout
    from generators.plan.warnings import date_warnings, open_assumptions, unreached_measures
    from generators.render.table_fit import too_long_warnings

    from .memo import kept

    warnings = date_warnings(plan) + unreached_measures(plan)
    path = (templates_dir or TEMPLATES_DIR) / "layout.yaml"
    # the tables' widths are layout.yaml's: a broken one is build's to report, not a note's. Kept while
    # the file stays the same: the workbench's overview asks on every visit (reading it is ~4 ms).
    with contextlib.suppress(TemplateBroken, OSError, ValueError):
        warnings += too_long_warnings(plan, kept(f"layout {path}", [path], lambda: load_layout(path)))
    return PlanNotes(warnings, list(open_assumptions(plan)))
