"""plan/ → model → views → renderers → output/: the one direction the build runs in."""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import json
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .artifact import Artifact, Job
from .context import Base, BuildContext
from .diff import diff_plans
from .diff.revision import load_base
from .fingerprint import build_key, fingerprint
from .layout import TEMPLATES_DIR, load_layout
from .model import Plan
from .output import (
    LOCK,
    MANIFEST,
    OTHER_COMMANDS_KINDS,
    WriteReport,
    atomic_write,
    build_lock,
    manifest_for,
    read_bytes_or_none,
    read_manifest,
    remove_stale,
    sha256,
)
from .plan import load_plan
from .staging import STAGING, Staging
from .views import Views

# Every artifact family `plandocs build` makes, in manifest order: (name, module with render()).
RENDERERS: tuple[tuple[str, str], ...] = (
    ("opinion", "generators.render.opinion"),
    ("annex", "generators.render.annex"),
    ("annex-xlsx", "generators.render.annex_xlsx"),
    ("changes", "generators.render.changes"),
    ("letter", "generators.render.letters"),
    ("leader-sheet", "generators.render.leader_sheets"),
    ("matrix", "generators.render.matrix"),
    ("form", "generators.render.forms"),
)


@dataclass
class BuildResult:
    plan: Plan
    entries: list[dict]  # the new manifest's artifact entries
    report: WriteReport
    rendered: int = 0  # artifacts actually rendered (the rest were unchanged and skipped)
    reprint_units: list[str] = field(default_factory=list)  # units whose existing letters changed
    new_letter_units: list[str] = field(default_factory=list)  # units that get a letter for the first time
    withdrawn_units: list[str] = field(default_factory=list)  # units whose letters were removed


BUILD_KEY = "build"  # manifest key: the inputs of the last full build (fingerprint.build_key)


def load_context(plan: Plan, templates_dir: Path = TEMPLATES_DIR) -> BuildContext:
    """What every renderer needs, read once: layout.yaml (naming the templates beside it), the views and,
    when plan/meta names a 比较基准, the base plan from git and the diff against it (PlanError if unusable)."""
    layout = load_layout(templates_dir / "layout.yaml")
    base = None
    if plan.meta.base_revision:
        base_plan = load_base(plan)
        base = Base(base_plan, diff_plans(base_plan, plan, plan.meta.base_revision, plan.meta.status))
    return BuildContext(plan, Views(plan), layout, base)


def _modules(only: set[str] | None):
    for name, module_name in RENDERERS:
        if only is None or name in only:
            yield name, importlib.import_module(module_name)


def render_all(
    plan: Plan, templates_dir: Path = TEMPLATES_DIR, only: set[str] | None = None
) -> list[Artifact]:
    """Render every artifact in memory (for tests and one-off commands); nothing touches output/."""
    ctx = load_context(plan, templates_dir)
    return [job.artifact(job.make()) for _, module in _modules(only) for job in module.jobs(ctx)]


def _on_disk(out_dir: Path, entry: dict) -> bool:
    """The file an old manifest entry names is still there, byte for byte."""
    path = out_dir / entry["path"]
    return path.is_file() and sha256(path.read_bytes()) == entry["sha256"]


def _up_to_date(out_dir: Path, manifest: dict, key: str) -> bool:
    """The last full build had these very inputs and every file it wrote is still there, unedited."""
    return manifest.get(BUILD_KEY) == key and all(
        _on_disk(out_dir, e) for e in manifest["artifacts"] if e.get("kind") not in OTHER_COMMANDS_KINDS
    )


# Jobs waiting to render, set before the worker processes fork so they inherit them (closures and
# compiled templates do not pickle; fork shares them for free).
_PENDING: list = []
PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies
PARALLEL_FROM = 24  # below this many renders, starting workers costs more than it saves


def _render_pending(index: int, staging_root: str, out_dir: str) -> tuple[int, str]:
    job = _PENDING[index]
    staging = Staging.__new__(Staging)
    staging.out_dir, staging.root = Path(out_dir), Path(staging_root)
    return index, staging.put(job.path, job.make())


def _worker_init(lock_fd: int | None) -> None:
    """A worker dies with its build and drops its inherited copy of the build lock, so a killed build
    leaves neither a held lock nor a straggler writing into output/."""
    if lock_fd is not None:
        os.close(lock_fd)
    with contextlib.suppress(OSError, AttributeError):  # Linux only: elsewhere workers finish their chunk
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _render_jobs(jobs: list, staging: Staging, workers: int, lock_fd: int | None = None) -> list[str]:
    """Render jobs into staging, over several processes when worth it; returns their sha256s in order."""
    if workers <= 1 or len(jobs) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return [staging.put(job.path, job.make()) for job in jobs]
    _PENDING[:] = jobs
    try:
        shas = [""] * len(jobs)
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_worker_init, initargs=(lock_fd,)
        ) as pool:
            chunk = max(1, len(jobs) // (workers * 8))
            args = (range(len(jobs)), [str(staging.root)] * len(jobs), [str(staging.out_dir)] * len(jobs))
            for index, sha in pool.map(_render_pending, *args, chunksize=chunk):
                shas[index] = sha
        return shas
    finally:
        _PENDING.clear()


def _entry(kind, path, sha, unit=None, leader=None, quarter=None, **extra) -> dict:
    entry = {"kind": kind, "path": path, "sha256": sha}
    for key, value in (("unit", unit), ("leader", leader), ("quarter", quarter)):
        if value is not None:
            entry[key] = value
    entry.update(extra)
    return entry


def produce(
    ctx: BuildContext,
    out_dir: Path,
    staging: Staging,
    old: dict,
    workers: int,
    select: Callable[[Job], bool] | None = None,
    lock_fd: int | None = None,
):
    """Stage every artifact whose inputs changed; return the new manifest entries and the render count.

    With `select`, only the jobs it accepts are built; every other artifact keeps its old entry (a
    partial build: `plandocs letters --unit …`, `plandocs forms --quarter …`)."""
    layout_path = ctx.layout.directory / "layout.yaml"
    entries: list[dict] = []
    pending: list[tuple[int, Job]] = []  # (position in entries, job)
    for _, module in _modules(None):
        for job in module.jobs(ctx):
            if select is not None and not select(job):
                if job.path in old:
                    entries.append(old[job.path])
                continue
            key = fingerprint(job.inputs, job.templates, layout_path)
            entry = old.get(job.path)
            fields = {"unit": job.unit, "leader": job.leader, "quarter": job.quarter, "inputs": key}
            if entry and entry.get("inputs") == key and _on_disk(out_dir, entry):
                entries.append(_entry(job.kind, job.path, entry["sha256"], **fields))
            else:
                pending.append((len(entries), job))
                entries.append(_entry(job.kind, job.path, "", **fields))
    shas = _render_jobs([job for _, job in pending], staging, workers, lock_fd)
    for (position, _), sha in zip(pending, shas, strict=True):
        entries[position]["sha256"] = sha
    return entries, len(pending)


def clean_output(out_dir: Path) -> None:
    """Empty output/ for build --clean, but for the staged files and the lock this build holds."""
    for path in sorted(out_dir.rglob("*"), reverse=True):
        relative = path.relative_to(out_dir)
        if relative.parts[0] == LOCK or relative.parts[0].startswith(STAGING):
            continue
        if path.is_dir():
            path.rmdir()
        else:
            path.unlink()


def build(
    plan_dir: Path,
    out_dir: Path,
    templates_dir: Path = TEMPLATES_DIR,
    clean: bool = False,
    workers: int | None = None,
    select: Callable[[Job], bool] | None = None,
) -> BuildResult:
    """Check the plan, render what changed into staging, then move it into place and write the manifest.

    Nothing in output/ changes until every artifact has rendered: a bad plan, a broken template or an
    exception leaves the previous output/ and manifest as they were.
    """
    plan = load_plan(plan_dir)  # raises PlanError before anything is rendered or written
    workers = workers or os.cpu_count() or 1
    # A full build records one key for all its inputs; a partial one (select) leaves no key behind. A
    # 比较基准 names a git revision, which can move without any file here changing: no key then.
    full = select is None and not plan.meta.base_revision
    key = build_key(plan.digest, tuple(dict.fromkeys((templates_dir, TEMPLATES_DIR)))) if full else None
    with build_lock(out_dir) as lock_fd:
        old_manifest = {"artifacts": []} if clean else read_manifest(out_dir)
        if key and _up_to_date(out_dir, old_manifest, key):
            entries = [e for e in old_manifest["artifacts"] if e.get("kind") not in OTHER_COMMANDS_KINDS]
            return BuildResult(plan, entries, WriteReport(unchanged=[e["path"] for e in entries]))
        old = {e["path"]: e for e in old_manifest.get("artifacts", [])}
        ctx = load_context(plan, templates_dir)
        staging = Staging(out_dir)
        try:
            entries, rendered = produce(ctx, out_dir, staging, old, workers, select, lock_fd)
            if clean:
                clean_output(out_dir)
            report = WriteReport(written=staging.commit())
        finally:
            staging.discard()
        kept = [e for e in old_manifest.get("artifacts", []) if e.get("kind") in OTHER_COMMANDS_KINDS]
        new_paths = {e["path"] for e in entries} | {e["path"] for e in kept}
        report.removed = remove_stale(out_dir, old_manifest, new_paths)
        written = set(report.written)
        report.unchanged = [e["path"] for e in entries if e["path"] not in written]
        manifest = manifest_for(plan, [], extra={BUILD_KEY: key} if key else None)
        manifest["artifacts"] = entries + kept
        data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        if read_bytes_or_none(out_dir / MANIFEST) != data:
            atomic_write(out_dir / MANIFEST, data)
    letters = [e for e in entries if e["kind"] == "letter" and e["path"] in written]
    reprint = [e["unit"] for e in letters if e["path"] in old]
    first = [e["unit"] for e in letters if e["path"] not in old]
    removed = set(report.removed)
    withdrawn = [e["unit"] for e in old.values() if e.get("kind") == "letter" and e["path"] in removed]
    return BuildResult(plan, entries, report, rendered, reprint, first, withdrawn)
