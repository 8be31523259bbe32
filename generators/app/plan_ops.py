"""check, build, letters and forms: the plan checked, output/ brought up to date (all of it or a part)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generators.model import Plan
from generators.plan import load_plan

from .common import Refused
from .notes import PlanNotes, open_notes, proofreading

if TYPE_CHECKING:  # the build stack loads with build, letters and forms, not with check
    from generators.pipeline import BuildResult


@dataclass(frozen=True)
class CheckResult:
    plan: Plan
    findings: list  # proofreading hints
    notes: PlanNotes

    @property
    def counts(self) -> dict[str, int]:
        plan = self.plan
        return {
            "parts": len(plan.parts),
            "sections": sum(len(p.sections) for p in plan.parts),
            "measures": len(plan.measures),
            "key_tasks": len(plan.key_tasks),
            "units": len(plan.units),
        }


def check(plan_dir: Path) -> CheckResult:
    """Load and check plan/ (PlanError with every problem when it fails)."""
    plan = load_plan(plan_dir)
    return CheckResult(plan, proofreading(plan_dir), open_notes(plan))


@dataclass(frozen=True)
class BuildOutcome:
    result: BuildResult
    findings: list
    seconds: float

    @property
    def written(self) -> list[str]:
        return list(self.result.report.written)

    @property
    def removed(self) -> list[str]:
        return list(self.result.report.removed)


def build(plan_dir: Path, out_dir: Path, templates_dir: Path, clean: bool = False) -> BuildOutcome:
    """Check plan/ and bring output/ up to date (only what changed is rendered again)."""
    from generators.pipeline import build as run_build

    started = time.perf_counter()
    result = run_build(plan_dir, out_dir, templates_dir, clean=clean)
    return BuildOutcome(result, proofreading(plan_dir), time.perf_counter() - started)


@dataclass(frozen=True)
class LettersOutcome:
    result: BuildResult
    units: tuple[str, ...]
    count: int  # letters in output/ for the units asked for

    @property
    def written(self) -> list[str]:
        return list(self.result.report.written)


def letters(
    plan_dir: Path, out_dir: Path, templates_dir: Path, units: tuple[str, ...] = ()
) -> LettersOutcome:
    """Only the letters (and, for all units, the print file)."""
    from generators.pipeline import build as run_build
    from generators.plan.problems import did_you_mean
    from generators.views import Views

    holders = Views(load_plan(plan_dir)).assignments
    for unit in units:
        if unit not in holders:
            raise Refused(f"{plan_dir}/units.yaml：没有承担任务的单位“{unit}”{did_you_mean(unit, holders)}")
    kinds = ("letter",) if units else ("letter", "letters-print")
    result = run_build(
        plan_dir,
        out_dir,
        templates_dir,
        select=lambda job: job.kind in kinds and (not units or job.unit in units),
    )
    count = sum(1 for e in result.entries if e["kind"] == "letter" and (not units or e.get("unit") in units))
    return LettersOutcome(result, units, count)


@dataclass(frozen=True)
class FormsOutcome:
    quarters: tuple[int, ...]
    forms: int
    units: int
    written: list[str]
    seconds: float


def forms(plan_dir: Path, out_dir: Path, templates_dir: Path, quarter: int | None = None) -> FormsOutcome:
    """The quarterly forms of one quarter or all four."""
    from generators.pipeline import build as run_build

    started = time.perf_counter()
    result = run_build(
        plan_dir,
        out_dir,
        templates_dir,
        select=lambda job: job.kind == "form" and (quarter is None or job.quarter == quarter),
    )
    entries = [
        e for e in result.entries if e["kind"] == "form" and (quarter is None or e.get("quarter") == quarter)
    ]
    quarters = sorted({e["quarter"] for e in entries}) if quarter is None else [quarter]
    written = [p for p in result.report.written if p.startswith("forms/")]
    return FormsOutcome(
        tuple(quarters),
        len(entries),
        len({e["unit"] for e in entries}),
        written,
        time.perf_counter() - started,
    )
