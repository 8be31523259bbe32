"""A draft (or a revision) read for review before it is saved: the parsed plan (each measure with its
units and roles), every problem at its paragraph, what changed since the saved plan and which units'
letters change. Read into a temporary copy of plan/: nothing in plan/ changes until it is saved."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generators.plan import PlanError, load_plan
from generators.views import Views

from .drafts import DraftOutcome, import_draft, new_plan


@dataclass(frozen=True)
class MeasureRow:
    key: str  # 措施N / 任务N
    text: str
    holders: tuple[tuple[str, str], ...]  # (unit, role as the letter prints it)


@dataclass
class DraftReview:
    problems: list[str] = field(default_factory=list)  # nothing can be saved while there are any
    title: str = ""
    measures: list[MeasureRow] = field(default_factory=list)
    added_units: list[str] = field(default_factory=list)  # new names, 待核实 (groups: members to fill in)
    changes: str = ""  # the diff against the saved plan, as plandocs diff prints it ("" for a new plan)
    affected: list[tuple[str, str, str]] = field(default_factory=list)  # (unit, impact, reasons)
    is_new: bool = True


def _has_plan(plan_dir: Path) -> bool:
    return (plan_dir / "meta.yaml").is_file()


def _read(draft: Path, plan_dir: Path, target: Path) -> DraftOutcome:
    if _has_plan(plan_dir):
        shutil.copytree(plan_dir, target, ignore=shutil.ignore_patterns(".git"))
        return import_draft(draft, target, add_units=True)
    return new_plan(draft, target)


def review_draft(draft: Path, plan_dir: Path) -> DraftReview:
    from generators.diff import diff_plans
    from generators.diff.report import format_text

    review = DraftReview(is_new=not _has_plan(plan_dir))
    with tempfile.TemporaryDirectory(prefix="plandocs-draft-") as tmp:
        target = Path(tmp) / "plan"
        done = _read(draft, plan_dir, target)
        if done.problems:
            review.problems = [p.replace(str(target), str(plan_dir)) for p in done.problems]
            return review
        try:
            plan = load_plan(target)
        except PlanError as err:
            review.problems = [str(p).replace(str(target), str(plan_dir)) for p in err.problems]
            return review
        review.title = plan.meta.title
        review.added_units = done.report.added_units + done.report.added_leaders
        views = Views(plan)
        for measure in plan.measures:
            holders = views.holders_of_measure(measure)
            review.measures.append(
                MeasureRow(
                    f"措施{measure.numbering.rstrip('.')}",
                    measure.text,
                    tuple((unit, a.role_text) for unit, a in holders.items()),
                )
            )
        for task in plan.key_tasks:
            holders = views.holders_of_task(task)
            review.measures.append(
                MeasureRow(
                    f"任务{task.number}",
                    task.name,
                    tuple((unit, a.role_text) for unit, a in holders.items()),
                )
            )
        if not review.is_new:
            diff = diff_plans(load_plan(plan_dir), plan, "已保存的计划", "本稿")
            review.changes = format_text(diff)
            review.affected = [(u.unit, u.impact.value, "；".join(u.reasons)) for u in diff.units]
    return review


def save_draft(draft: Path, plan_dir: Path) -> DraftOutcome:
    """The reviewed draft into plan/ (new units and leaders added, 待核实); nothing written on problems."""
    if _has_plan(plan_dir):
        return import_draft(draft, plan_dir, add_units=True)
    return new_plan(draft, plan_dir)
