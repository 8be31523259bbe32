"""plan/ → model → views → renderers → output/: the one direction the build runs in."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from .artifact import Artifact
from .layout import load_layout
from .model import Plan
from .output import WriteReport, build_lock, write_output
from .plan import load_plan
from .views import Views

# Every artifact family `plandocs build` makes, in manifest order: (name, module with render()).
RENDERERS: tuple[tuple[str, str], ...] = (
    ("opinion", "generators.render.opinion"),
    ("annex", "generators.render.annex"),
    ("annex-xlsx", "generators.render.annex_xlsx"),
)


@dataclass(frozen=True)
class BuildResult:
    plan: Plan
    artifacts: list[Artifact]
    report: WriteReport


def render_all(plan: Plan, templates_dir: Path, only: set[str] | None = None) -> list[Artifact]:
    """Render every artifact in memory; nothing touches output/ here."""
    views = Views(plan)
    layout = load_layout(templates_dir / "layout.yaml")
    artifacts: list[Artifact] = []
    for name, module_name in RENDERERS:
        if only is not None and name not in only:
            continue
        module = importlib.import_module(module_name)
        artifacts.extend(module.render(plan, views, layout))
    return artifacts


def build(plan_dir: Path, out_dir: Path, templates_dir: Path = Path("templates")) -> BuildResult:
    plan = load_plan(plan_dir)  # raises PlanError before anything is rendered or written
    artifacts = render_all(plan, templates_dir)
    with build_lock(out_dir):
        report = write_output(out_dir, plan, artifacts)
    return BuildResult(plan, artifacts, report)
