"""diff: two versions of the plan compared, the units affected, optionally the 修改对照表 (.docx)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generators.diff import PlanDiff
from generators.guard import Inputs, check_generated_file
from generators.model import Plan

from .common import Refused


@dataclass(frozen=True)
class DiffOutcome:
    result: PlanDiff  # what changed and the units affected
    old_plan: Plan
    new_plan: Plan
    docx: Path | None  # the 修改对照表 written, if asked for


def diff(old: str | None, new: str | None, plan_dir: Path, docx_path: Path | None = None) -> DiffOutcome:
    """old/new: a plan folder or a git revision of plan_dir (None: plan_dir as it is)."""
    from generators.diff import diff_plans
    from generators.diff.revision import RevisionError, load_side

    if docx_path is not None:  # refused before anything is read or printed
        check_generated_file(docx_path, ".docx", Inputs(plan=plan_dir))
    try:
        old_plan, old_label = load_side(old, plan_dir)
        new_plan, new_label = load_side(new, plan_dir)
    except RevisionError as err:
        raise Refused(str(err)) from err
    result = diff_plans(old_plan, new_plan, old_label, new_label)
    if docx_path is not None:
        from generators.layout import load_layout
        from generators.output import atomic_write
        from generators.render.changes import document

        atomic_write(docx_path, document(result, old_plan, new_plan, load_layout()))
    return DiffOutcome(result, old_plan, new_plan, docx_path)
