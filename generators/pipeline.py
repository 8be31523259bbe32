"""plan/ → model → views → renderers → output/: the one direction the build runs in."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from .artifact import Artifact
from .fingerprint import fingerprint
from .layout import TEMPLATES_DIR, load_layout
from .model import Plan
from .output import WriteReport, build_lock, clean_output, read_manifest, sha256, write_output
from .plan import load_plan
from .views import Views

# Every artifact family `plandocs build` makes, in manifest order: (name, module with render()).
RENDERERS: tuple[tuple[str, str], ...] = (
    ("opinion", "generators.render.opinion"),
    ("annex", "generators.render.annex"),
    ("annex-xlsx", "generators.render.annex_xlsx"),
    ("changes", "generators.render.changes"),
)


@dataclass(frozen=True)
class BuildResult:
    plan: Plan
    artifacts: list[Artifact]
    report: WriteReport
    rendered: int  # artifacts actually rendered (the rest were unchanged and skipped)

    @property
    def reprint_units(self) -> list[str]:
        """Units whose letters were written or removed: their letters must be printed again."""
        changed = set(self.report.written) | set(self.report.removed)
        units = [a.unit for a in self.artifacts if a.kind == "letter" and a.path in changed]
        gone = [
            p.removeprefix("letters/").removesuffix(".docx")
            for p in self.report.removed
            if p.startswith("letters/")
        ]
        return units + gone


def _modules(only: set[str] | None):
    for name, module_name in RENDERERS:
        if only is None or name in only:
            yield name, importlib.import_module(module_name)


def render_all(
    plan: Plan, templates_dir: Path = TEMPLATES_DIR, only: set[str] | None = None
) -> list[Artifact]:
    """Render every artifact in memory; nothing touches output/ here."""
    views = Views(plan)
    layout = load_layout(templates_dir / "layout.yaml")
    artifacts: list[Artifact] = []
    for _, module in _modules(only):
        if hasattr(module, "jobs"):
            artifacts.extend(job.artifact(job.make()) for job in module.jobs(plan, views, layout))
        else:
            artifacts.extend(module.render(plan, views, layout))
    return artifacts


def _on_disk(out_dir: Path, entry: dict) -> bool:
    """The file an old manifest entry names is still there, byte for byte."""
    path = out_dir / entry["path"]
    return path.is_file() and sha256(path.read_bytes()) == entry["sha256"]


def render_changed(plan: Plan, out_dir: Path, templates_dir: Path = TEMPLATES_DIR, clean: bool = False):
    """Artifacts for this plan and their input hashes, rendering only those whose inputs changed.

    Returns (artifacts, manifest extras by path: the input hash and, for render()-only families, the
    renderer name, number rendered). An unchanged artifact's bytes are read back
    from output/ (it is verified against the manifest's sha256 first).
    """
    views = Views(plan)
    layout_path = templates_dir / "layout.yaml"
    layout = load_layout(layout_path)
    old = {} if clean else {e["path"]: e for e in read_manifest(out_dir).get("artifacts", [])}
    artifacts: list[Artifact] = []
    extras: dict[str, dict] = {}
    rendered = 0
    for name, module in _modules(None):
        if hasattr(module, "jobs"):
            for job in module.jobs(plan, views, layout):
                key = fingerprint(job.inputs, job.templates, layout_path)
                entry = old.get(job.path)
                if entry and entry.get("inputs") == key and _on_disk(out_dir, entry):
                    data = (out_dir / job.path).read_bytes()
                else:
                    data = job.make()
                    rendered += 1
                artifacts.append(job.artifact(data))
                extras[job.path] = {"inputs": key}
            continue
        # A renderer without jobs(): the whole family is one unit, keyed by the plan and all templates.
        templates = tuple(sorted(templates_dir.glob("*.docx")))
        key = fingerprint({"renderer": name, "plan": plan.digest}, templates, layout_path)
        previous = [e for e in old.values() if e.get("renderer") == name]
        if previous and all(e.get("inputs") == key and _on_disk(out_dir, e) for e in previous):
            produced = [_artifact_from_entry(out_dir, e) for e in previous]
        else:
            produced = module.render(plan, views, layout)
            rendered += len(produced)
        for artifact in produced:
            artifacts.append(artifact)
            extras[artifact.path] = {"inputs": key, "renderer": name}
    return artifacts, extras, rendered


def _artifact_from_entry(out_dir: Path, entry: dict) -> Artifact:
    return Artifact(
        kind=entry["kind"],
        path=entry["path"],
        data=(out_dir / entry["path"]).read_bytes(),
        unit=entry.get("unit"),
        leader=entry.get("leader"),
        quarter=entry.get("quarter"),
        source=entry.get("source"),
    )


def build(
    plan_dir: Path, out_dir: Path, templates_dir: Path = TEMPLATES_DIR, clean: bool = False
) -> BuildResult:
    """Check the plan, render what changed, then write: a failure before the write leaves output/ as it was."""
    plan = load_plan(plan_dir)  # raises PlanError before anything is rendered or written
    with build_lock(out_dir):
        artifacts, extras, rendered = render_changed(plan, out_dir, templates_dir, clean=clean)
        if clean:
            clean_output(out_dir)
        report = write_output(out_dir, plan, artifacts, extras=extras)
    return BuildResult(plan, artifacts, report, rendered)
