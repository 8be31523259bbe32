"""pack: per-unit packages (one .zip per unit: its letter .docx and .pdf, its forms, its 督办单 and 退回通知
when there are any, and a 说明.txt) and the 分发清单 (.xlsx), written as one transaction over output/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generators.artifact import Artifact
from generators.filenames import safe_name
from generators.guard import Inputs
from generators.output import transaction
from generators.plan import load_plan
from generators.views import Views

from .common import Refused

PACKAGE_KINDS = frozenset({"package", "distribution-list"})


@dataclass
class PackOutcome:
    written: list[str] = field(default_factory=list)  # output/ paths written (changed bytes)
    unchanged: list[str] = field(default_factory=list)
    packages: dict[str, str] = field(default_factory=dict)  # unit → its package's path in output/
    files: dict[str, list[str]] = field(default_factory=dict)  # unit → the output/ paths inside its package
    distribution_list: str = ""


def pack(plan_dir: Path, out_dir: Path, templates_dir: Path, units: tuple[str, ...] = ()) -> PackOutcome:
    """Bring output/ up to date (build), then package each unit's files (only `units` when given; the
    分发清单 always lists every unit)."""
    from generators.layout import load_layout
    from generators.pipeline import build as run_build
    from generators.plan.problems import did_you_mean
    from generators.render.packages import PackedFile, distribution_list, package

    plan = load_plan(plan_dir)
    holders = Views(plan).assignments
    for unit in units:
        if unit not in holders:
            raise Refused(f"{plan_dir}/units.yaml：没有承担任务的单位“{unit}”{did_you_mean(unit, holders)}")
    run_build(plan_dir, out_dir, templates_dir)
    layout = load_layout(templates_dir / "layout.yaml")
    spec = dict(layout.packages or {})
    if not spec:
        raise Refused(f"版式配置 {templates_dir / 'layout.yaml'} 中缺少 packages 一节", 1)
    names = {u.name: u.full_name for u in plan.units}
    outcome = PackOutcome()
    with transaction(out_dir, PACKAGE_KINDS, inputs=Inputs(plan=plan_dir, templates=templates_dir)) as tx:
        by_unit: dict[str, list[dict]] = {}
        for entry in tx.entries:
            if entry.get("unit") in holders and entry["kind"] not in PACKAGE_KINDS:
                by_unit.setdefault(entry["unit"], []).append(entry)
        rows, artifacts = [], []
        for unit in holders:  # registry order
            files = sorted(
                (
                    PackedFile(e["path"], e["kind"], e.get("quarter"), tx.read(e["path"]))
                    for e in by_unit.get(unit, [])
                ),
                key=lambda f: f.rank,
            )
            rows.append((unit, names.get(unit, unit), files))
            path = spec["path"].format(year=plan.meta.year, unit=safe_name(unit))
            outcome.packages[unit], outcome.files[unit] = path, [f.path for f in files]
            if not units or unit in units:
                data = package(plan, unit, names.get(unit, unit), files, spec)
                artifacts.append(Artifact(kind="package", path=path, data=data, unit=unit))
        outcome.distribution_list = spec["list_path"].format(year=plan.meta.year)
        artifacts.append(
            Artifact(
                kind="distribution-list",
                path=outcome.distribution_list,
                data=distribution_list(plan, layout, rows, spec),
            )
        )
        chosen = set(units)
        report = tx.write(
            artifacts,
            plan,
            replaced=lambda e: e["kind"] == "distribution-list" or not chosen or e.get("unit") in chosen,
        )
    outcome.written, outcome.unchanged = list(report.written), list(report.unchanged)
    return outcome
