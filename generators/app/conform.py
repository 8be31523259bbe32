"""conform: GB/T 9704-2012 layout checks on the PDFs (the opinion and the issued documents by default), and
the status colours of the workbooks' charts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .common import Refused


@dataclass(frozen=True)
class ConformOutcome:
    checks: list  # generators.conform Check: passed, what, where
    note: str  # what was checked

    @property
    def failed(self) -> list:
        return [c for c in self.checks if not c.passed]


def conform(
    files: tuple[Path, ...], out_dir: Path, templates_dir: Path, plan_dir: Path | None = None
) -> ConformOutcome:
    from generators.conform import NothingToCheck, check_charts, check_file, check_issued, check_opinion
    from generators.layout import load_layout

    layout = load_layout(templates_dir / "layout.yaml")  # the numbers the documents were built with
    names = roster_names(plan_dir) if plan_dir is not None else None
    try:
        if files:
            checks = [c for path in files for c in check_file(path, layout, out_dir, names)]
            note = "检查 " + "、".join(map(str, files))
        else:
            checks, note = check_opinion(out_dir, layout, names)
            issued, paths = check_issued(out_dir, layout, names)
            # the status colours of the summary's and the ledger's charts
            charted, workbooks = check_charts(out_dir, layout)
            checks += issued + charted
            note += "".join(f"、{path}" for path in (*paths, *workbooks))
    except NothingToCheck as err:
        raise Refused(str(err)) from err
    return ConformOutcome(checks, note)


def roster_names(plan_dir: Path) -> tuple[str, ...] | None:
    """The units' short and full names (units.yaml), longest first; None when the plan does not load (the
    unit-name rule is then not applicable: conform checks files, it does not judge the plan)."""
    from generators.errors import PlanMissing
    from generators.plan import PlanError, load_plan

    try:
        plan = load_plan(plan_dir)
    except (PlanError, PlanMissing, OSError):
        return None
    names = {n for unit in plan.units for n in (unit.name, unit.full_name) if len(n) > 1}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))
