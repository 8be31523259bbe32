"""plan/ → model → views → renderers → output/: the one direction the build runs in."""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from .artifact import Artifact, Job
from .context import Base, BuildContext
from .fingerprint import build_key, fingerprint
from .guard import Inputs
from .layout import TEMPLATES_DIR, load_layout
from .ledger.carry import carried, ledger_digest
from .model import Plan
from .output import (
    Transaction,
    WriteReport,
    inside,
    manifest_for,
    manifest_source,
    sha256,
    transaction,
)
from .plan import load_plan
from .staging import RESERVED, STAGING, Staging, forget_unreported, merge_summaries, read_unreported
from .views import Views

# Every artifact family `plandocs build` makes, in manifest order: (name, module with render()).
RENDERERS: tuple[tuple[str, str], ...] = (
    ("opinion", "generators.render.opinion"),
    ("notice", "generators.render.notice"),
    ("annex", "generators.render.annex"),
    ("annex-xlsx", "generators.render.annex_xlsx"),
    ("changes", "generators.render.changes"),
    ("letter", "generators.render.letters"),
    ("leader-sheet", "generators.render.leader_sheets"),
    ("matrix", "generators.render.matrix"),
    ("form", "generators.render.forms"),
)
# The manifest kinds the build owns (what RENDERERS' jobs make): every other kind is another command's
# (collect, ledger, pdf …), carried over by the build as it is.
BUILD_KINDS = frozenset(
    {
        "opinion",
        "notice",
        "issue",
        "annex",
        "annex-xlsx",
        "changes",
        "letter",
        "letters-print",
        "leader-sheet",
        "matrix",
        "form",
    }
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
    kept: list[str] = field(default_factory=list)  # build --clean: files in output/ plandocs did not write
    set_aside: str | None = None  # build --clean: the damaged manifest, renamed inside output/


BUILD_KEY = "build"  # manifest key: the inputs of the last full build (fingerprint.build_key)


def load_context(plan: Plan, templates_dir: Path = TEMPLATES_DIR) -> BuildContext:
    """What every renderer needs, read once: layout.yaml (naming the templates beside it), the views and,
    when plan/meta names a 比较基准, the base plan from git and the diff against it (PlanError if unusable)."""
    layout = load_layout(templates_dir / "layout.yaml")
    base = None
    if plan.meta.base_revision:
        from .diff import diff_plans  # git and the differ, only for a plan that names a 比较基准
        from .diff.revision import load_base

        base_plan = load_base(plan)
        changes = diff_plans(base_plan, plan, plan.meta.base_revision, plan.meta.status)
        # a base that is the plan itself (HEAD once the office commits): no empty 对照表; check says why
        base = Base(base_plan, changes) if changes.changes else None
    views = Views(plan)
    return BuildContext(plan, views, layout, base, carried(plan, views, layout))


def _modules(only: set[str] | None) -> Iterator[tuple[str, ModuleType]]:
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
    path = inside(out_dir, entry["path"], manifest_source(out_dir))
    return path.is_file() and sha256(path.read_bytes()) == entry["sha256"]


def _up_to_date(tx: Transaction, key: str) -> bool:
    """The last full build had these very inputs and every file it wrote is still there, unedited."""
    return tx.manifest.get(BUILD_KEY) == key and all(
        _on_disk(tx.out_dir, e) for e in tx.entries if tx.owns(e)
    )


def _entry(
    kind: str,
    path: str,
    sha: str,
    unit: object = None,
    leader: object = None,
    quarter: object = None,
    **extra: object,
) -> dict:
    entry: dict[str, object] = {"kind": kind, "path": path, "sha256": sha}
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
) -> tuple[list[dict], int]:
    """Stage every artifact whose inputs changed; return the new manifest entries and the render count.

    With `select`, only the jobs it accepts are built; every other artifact keeps its old entry (a
    partial build: `plandocs letters --unit …`, `plandocs forms --quarter …`)."""
    layout_path = ctx.layout.directory / "layout.yaml"
    entries: list[dict] = []
    pending: list[tuple[int, Job, int]] = []  # (position in entries, job, size of its inputs)
    hashes: dict[Path, str] = {}  # the layout's and templates' hashes, each file hashed once (fingerprint)
    for _, module in _modules(None):
        for job in module.jobs(ctx):
            if select is not None and not select(job):
                if job.path in old:
                    entries.append(old[job.path])
                continue
            key, size = fingerprint(job.inputs, job.templates, layout_path, hashes)
            entry = old.get(job.path)
            fields = {"unit": job.unit, "leader": job.leader, "quarter": job.quarter, "inputs": key}
            if entry and entry.get("inputs") == key and _on_disk(out_dir, entry):
                entries.append(_entry(job.kind, job.path, entry["sha256"], **fields))
            else:
                pending.append((len(entries), job, size))
                entries.append(_entry(job.kind, job.path, "", **fields))
    from .parallel import render_jobs  # the worker processes' stack: not for a build with nothing to do

    jobs = [job for _, job, _ in pending]
    shas = render_jobs(jobs, [size for _, _, size in pending], staging, workers, lock_fd)
    for (position, _, _), sha in zip(pending, shas, strict=True):
        entries[position]["sha256"] = sha
    return entries, len(pending)


TEMPORARY = re.compile(r"\.tmp-[0-9a-f]{12}")  # output.atomic_write's temporary names


def _unlisted(out_dir: Path, listed: set[str]) -> tuple[list[str], list[str]]:
    """For build --clean: what output/ holds that no manifest entry names, but for plandocs' own files,
    split into (the temporary files a killed write of plandocs left: removed, everything else: kept).
    --clean deletes only what plandocs wrote; a file someone put into output/ is named, never deleted.
    Folders that hold listed files are walked, any other is named whole."""
    folders = {"/".join(p.split("/")[:depth]) for p in listed for depth in range(1, p.count("/") + 1)}
    leftovers, strays = [], []
    for top, dirs, files in os.walk(out_dir):
        rel = Path(top).relative_to(out_dir).as_posix()
        prefix = "" if rel == "." else rel + "/"
        for name in sorted(files):
            path = prefix + name
            if TEMPORARY.fullmatch(name):
                leftovers.append(path)
            elif path not in listed and not (prefix == "" and (name in RESERVED or name.startswith(STAGING))):
                strays.append(path)
        for name in sorted(dirs):
            path = prefix + name
            if path not in folders and not (prefix == "" and name.startswith(STAGING)):
                strays.append(path)
        dirs[:] = sorted(d for d in dirs if prefix + d in folders)
    return leftovers, strays


def build(
    plan_dir: Path,
    out_dir: Path,
    templates_dir: Path = TEMPLATES_DIR,
    clean: bool = False,
    workers: int | None = None,
    select: Callable[[Job], bool] | None = None,
) -> BuildResult:
    """Check the plan, render what changed into staging, then switch it into place with the manifest.

    Nothing in output/ changes until every artifact has rendered, and then all of it changes at once: a bad
    plan, a broken template, an exception or a kill leaves the previous output/ and manifest as they were
    (a kill during the switch itself is finished by the next command). With `clean`, every artifact is
    rendered again (no fingerprint is trusted), every file whose bytes on disk differ is replaced, and
    what the old manifest listed and the new one does not is removed (the other commands' files, pdf
    and collect, are kept when intact); a file plandocs did not write is kept and named
    (BuildResult.kept). output/ is claimed first (guard.claim_output).
    """
    plan = load_plan(plan_dir)  # raises PlanError before anything is rendered or written
    workers = workers or os.cpu_count() or 1
    # A full build records one key for all its inputs; a partial one (select) leaves no key behind. A
    # 比较基准 names a git revision, which can move without any file here changing: no key then.
    full = select is None and not plan.meta.base_revision
    # one folder named two ways (templates, /abs/templates) is one folder: the same build, the same key
    folders = tuple(dict.fromkeys(folder.resolve() for folder in (templates_dir, TEMPLATES_DIR)))
    # the forms carry what ledger/ holds (一表通): a new return there is a new input
    inputs = plan.digest + ledger_digest(plan_dir, plan.meta.year)
    key = build_key(inputs, folders) if full else None
    own = Inputs(plan=plan_dir, templates=templates_dir)
    with transaction(out_dir, BUILD_KINDS, clean=clean, tolerant=clean, strict=True, inputs=own) as tx:
        unreported = read_unreported(out_dir)  # what a killed build switched in but never reported
        old = {e["path"]: e for e in tx.entries}
        if not clean and key and _up_to_date(tx, key):
            entries = [e for e in tx.entries if tx.owns(e)]
            result = BuildResult(plan, entries, WriteReport(unchanged=[e["path"] for e in entries]))
            forget_unreported(out_dir)
            return _with_unreported(result, unreported)
        ctx = load_context(plan, templates_dir)
        entries, rendered = produce(
            ctx, out_dir, tx.staging, {} if clean else old, workers, select, tx.lock_fd
        )
        letters = [e for e in entries if e["kind"] == "letter"]
        changed = [e for e in letters if e["path"] in old and old[e["path"]]["sha256"] != e["sha256"]]
        summary = {
            "reprint": [e["unit"] for e in changed],
            "new": [e["unit"] for e in letters if e["path"] not in old],
        }

        def reported(removed: list[str]) -> dict:
            gone = set(removed)
            withdrawn = [e["unit"] for e in old.values() if e.get("kind") == "letter" and e["path"] in gone]
            summary.update(withdrawn=withdrawn, removed=removed)
            return summary

        report = tx.commit(
            entries,
            fields=manifest_for(plan, [], extra={BUILD_KEY: key} if key else None),
            more_removes=(lambda listed: _unlisted(out_dir, listed)[0]) if clean else None,
            summary=reported,
        )
        forget_unreported(out_dir)
        kept = _unlisted(out_dir, {e["path"] for e in tx.entries})[1] if clean else []
        set_aside = tx.set_aside
    result = BuildResult(
        plan,
        entries,
        report,
        rendered,
        summary["reprint"],
        summary["new"],
        summary["withdrawn"],
        kept,
        set_aside,
    )
    return _with_unreported(result, unreported)


def _with_unreported(result: BuildResult, unreported: dict) -> BuildResult:
    """Add to a build's report what a killed build before it switched in but could not report."""
    if not unreported:
        return result
    mine = {
        "written": result.report.written,
        "removed": result.report.removed,
        "reprint": result.reprint_units,
        "new": result.new_letter_units,
        "withdrawn": result.withdrawn_units,
    }
    both = merge_summaries({k: list(v) for k, v in unreported.items() if isinstance(v, list)}, mine)
    result.report.written, result.report.removed = both["written"], both["removed"]
    result.report.unchanged = [p for p in result.report.unchanged if p not in set(both["written"])]
    result.reprint_units, result.new_letter_units = both["reprint"], both["new"]
    result.withdrawn_units = both["withdrawn"]
    return result
