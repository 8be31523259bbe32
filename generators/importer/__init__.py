"""`plandocs import`: a revised draft (.docx or .txt) back into plan/.

read (txt / docx) → parse (opinion, annex) → edit the plan YAML in place in a staging copy → load_plan
validates the copy → only then are the changed files moved into plan/, each atomically.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from ..plan import PLAN_FILES, PlanError, load_plan, undecodable
from ..textstyle import TextStyle
from .context import ImportContext
from .cycle import CYCLE_KEYS
from .docx import DocxUnreadable
from .names import is_collective
from .parse import DraftUnreadable, Imported, parse_draft, read_draft
from .registry import read_registry, with_groups, with_leaders, with_units
from .yamlwrite import (
    OPINION_HEADER,
    TASKS_HEADER,
    dump,
    fresh,
    load,
    update_map,
    update_opinion,
    update_tasks,
)

__all__ = ["ImportReport", "import_draft"]


@dataclass
class ImportReport:
    problems: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    added_units: list[str] = field(default_factory=list)
    added_leaders: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


NO_ANNEX_HINT = (
    "草稿中没有附件任务清单表格，而计划中有附件（tasks.yaml）：若新稿确已不要附件，"
    "请加 --no-annex 从计划中删去附件；否则请导入带附件表格的完整草稿"
)


def import_draft(
    draft_path: Path, into: Path, add_units: bool = False, no_annex: bool = False, renumber: bool = False
) -> ImportReport:
    report = ImportReport()
    shown = str(draft_path)
    try:
        draft = read_draft(draft_path, shown)
    except (DraftUnreadable, DocxUnreadable) as err:
        report.problems.append(str(err))
        return report
    if not (into / "meta.yaml").exists():
        report.problems.append(
            f"{into / 'meta.yaml'}：缺少计划基本信息（发文机关、成文日期等不在草稿中），请先放入"
        )
        return report
    if unreadable := undecodable(into):  # said first and alone
        report.problems.extend(str(problem) for problem in unreadable)
        return report
    ctx = ImportContext(shown, read_registry(into), add_unknown=add_units, renumber=renumber)
    imported = parse_draft(draft, ctx)
    if imported.tasks is None and (into / "tasks.yaml").exists() and not no_annex:
        ctx.report("全文", NO_ANNEX_HINT)
    if imported.tasks is not None and no_annex:
        ctx.report("全文", "草稿中有附件任务清单表格，不能同时使用 --no-annex")
    report.problems.extend(ctx.problems)
    report.added_units, report.added_leaders = ctx.new_units, ctx.new_leaders
    if report.problems:
        return report
    into.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=into.parent, prefix=f".{into.name}-import-") as tmp:
        staging = Path(tmp)
        for name in PLAN_FILES:
            if (into / name).exists() and not (no_annex and name == "tasks.yaml"):
                shutil.copyfile(into / name, staging / name)
        _write_staging(staging, imported, ctx)
        try:
            load_plan(staging)
        except PlanError as err:
            report.problems.extend(_shown_in(str(p), staging, into) for p in err.problems)
            return report
        for name in PLAN_FILES:
            staged, target = staging / name, into / name
            if not staged.exists():
                if target.exists() and no_annex and name == "tasks.yaml":
                    target.unlink()
                    report.removed.append(target)
                continue
            if target.exists():  # the office's file keeps its line endings and its BOM, byte for byte
                TextStyle.of(target.read_bytes()).restyle(staged)
            if target.exists() and target.read_bytes() == staged.read_bytes():
                report.unchanged.append(target)
            else:
                os.replace(staged, target)
                report.written.append(target)
    return report


def _write_staging(staging: Path, imported: Imported, ctx: ImportContext) -> None:
    meta, opinion, tasks = (_plain(staging / name) for name in ("meta.yaml", "opinion.yaml", "tasks.yaml"))
    # the reporting cycle is set when a plan is made (new); a revised draft does not switch it midway
    new_meta = {key: value for key, value in imported.meta.items() if key not in CYCLE_KEYS}
    if isinstance(notice := new_meta.get("印发通知"), dict):
        new_meta["印发通知"] = kept_notice(notice, meta.get("印发通知"))
    if any(meta.get(key) != value for key, value in new_meta.items()):
        _edit(staging / "meta.yaml", "", lambda doc: update_map(doc, new_meta, remove_others=False))
    if opinion != imported.opinion:
        _edit(staging / "opinion.yaml", OPINION_HEADER, lambda doc: update_opinion(doc, imported.opinion))
    if (new_tasks := imported.tasks) is not None and tasks != {**tasks, **new_tasks}:
        _edit(staging / "tasks.yaml", TASKS_HEADER, lambda doc: update_tasks(doc, new_tasks))
    units = [n for n in ctx.new_units if not is_collective(n)]
    groups = [n for n in ctx.new_units if is_collective(n)]  # 区其他相关部门: a group, never an addressee
    for name, names, add in (
        ("units.yaml", units, with_units),
        ("units.yaml", groups, with_groups),
        ("leaders.yaml", ctx.new_leaders, with_leaders),
    ):
        if names:
            path = staging / name
            path.write_text(
                add(path.read_text(encoding="utf-8") if path.exists() else "", names), encoding="utf-8"
            )


def kept_notice(printed: dict, old: object) -> dict:
    """The draft's notice, keeping what the office already wrote for the fields the draft does not print
    (抄送, 印发机关 …): only those still assumed in the plan stay 待核实."""
    if not isinstance(old, dict):
        return printed
    assumed = set(printed.get("待核实", ()))
    old_assumed = set(old.get("待核实") or ())
    out = {key: old[key] if key in assumed and key in old else value for key, value in printed.items()}
    out["待核实"] = [key for key in printed.get("待核实", ()) if key not in old or key in old_assumed]
    if old.get("标题") == printed.get("标题") and "标题分行" in old:
        out["标题分行"] = old["标题分行"]  # how the office broke the title, while the title stands
    return out


def _plain(path: Path) -> dict:
    """A plan file as plain data, read fast: an update that would change nothing is skipped (ruamel's
    round trip is the slow part of an import)."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) if path.exists() else None
    return data if isinstance(data, dict) else {}


def _edit(path: Path, header: str, update: Callable[[CommentedMap], object]) -> None:
    doc = load(path)
    if doc is None:
        doc = fresh(header)
    update(doc)
    path.write_text(dump(doc), encoding="utf-8")


def _shown_in(message: str, staging: Path, into: Path) -> str:
    """load_plan names the staging copy; the user knows the plan directory."""
    for form in (str(staging.resolve()), str(staging)):
        message = message.replace(form, str(into))
    try:
        relative = str(staging.resolve().relative_to(Path.cwd().resolve()))
        message = message.replace(relative, str(into))
    except ValueError:
        pass
    return message
