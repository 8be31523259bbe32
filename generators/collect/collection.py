"""Which returned form counts for which unit: the folder read, checked and resolved."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generators.formspec import FormsLayout
from generators.layout import Layout
from generators.model import Plan
from generators.views import Views

from .checking import Outcome, Verdict, check_file, resolve_duplicates


@dataclass(frozen=True)
class Collection:
    quarter: int
    verdicts: tuple[Verdict, ...]  # one per file, in path order
    reports: dict[str, Verdict]  # unit → the form that counts, registry order
    missing: dict[str, str]  # unit → why it counts as not reported, registry order
    returned: tuple[str, ...]  # units among missing whose form was rejected (sent back to be fixed)

    @property
    def expected(self) -> int:
        return len(self.reports) + len(self.missing)


def returned_files(folder: Path) -> list[Path]:
    return sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.relative_to(folder).parts)


def collect(plan: Plan, views: Views, layout: Layout, quarter: int, folder: Path) -> Collection:
    spec = FormsLayout.of(layout)
    verdicts = [check_file(path, plan, views, spec, quarter) for path in returned_files(folder)]
    resolve_duplicates(verdicts, quarter)
    counted = {v.unit: v for v in verdicts if v.outcome is Outcome.ACCEPTED}
    rejected = {
        v.unit: v for v in verdicts if v.outcome is Outcome.REJECTED and v.unit and v.unit not in counted
    }
    reports: dict[str, Verdict] = {}
    missing: dict[str, str] = {}
    for unit in views.assignments:
        if unit in counted:
            reports[unit] = counted[unit]
        elif unit in rejected:
            missing[unit] = f"退回（{rejected[unit].path.name}：{rejected[unit].errors[0]}）"
        else:
            missing[unit] = "未报送"
    returned = tuple(u for u in missing if u in rejected)
    return Collection(quarter, tuple(verdicts), reports, missing, returned)
