"""new and import: a draft (.docx or .txt) read into plan data, a new plan folder or a revised plan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generators.errors import PlanMissing
from generators.guard import Inputs, check_plan_folder
from generators.importer import ImportReport
from generators.model import Plan
from generators.plan import PlanError, load_plan


@dataclass(frozen=True)
class DraftOutcome:
    report: ImportReport  # problems (nothing written when any), written, unchanged, removed, added names
    plan: Plan | None  # the plan as it now stands (None when the draft was refused)
    year_before: int | None  # import: the plan's year before the draft came in

    @property
    def problems(self) -> list[str]:
        return self.report.problems

    @property
    def groups(self) -> list[str]:
        """Added collective names (分组) whose members are still to be filled in."""
        from generators.importer.names import is_collective

        return [name for name in self.report.added_units if is_collective(name)]

    @property
    def year_changed(self) -> bool:
        return bool(self.plan and self.year_before is not None and self.year_before != self.plan.meta.year)


def _year_of(plan_dir: Path) -> int | None:
    """The plan's year before a revision comes in (None when it does not load: the import says why). A
    revision goes into a plan that is there: a missing folder is said as such, with the command that makes
    one."""
    try:
        return load_plan(plan_dir).meta.year
    except PlanMissing as err:
        raise PlanMissing(f"{err}：导入修改稿需要已有的计划数据；新建计划请用 plandocs new") from err
    except PlanError:
        return None


def import_draft(
    draft: Path, into: Path, add_units: bool = False, no_annex: bool = False, renumber: bool = False
) -> DraftOutcome:
    """A revised draft read into plan/; with problems nothing is written."""
    from generators.importer import import_draft as run_import

    check_plan_folder(into, Inputs(plan=into))
    before = _year_of(into)
    report = run_import(draft, into, add_units, no_annex, renumber)
    if report.problems:
        return DraftOutcome(report, None, before)
    return DraftOutcome(report, load_plan(into), before)


def new_plan(draft: Path, target: Path, renumber: bool = False) -> DraftOutcome:
    """A new plan folder from any district's draft of any year; with problems nothing is made."""
    from generators.importer.newplan import new_plan as run_new

    check_plan_folder(target, Inputs(plan=target))
    report = run_new(draft, target, renumber)
    if report.problems:
        return DraftOutcome(report, None, None)
    return DraftOutcome(report, load_plan(target), None)
