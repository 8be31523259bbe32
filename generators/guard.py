"""Where a command may write: the one guard every writer asks before it touches a folder or a file.

The user's own folders — plan/, templates/, ledger/, the folder of returns handed to collect, the project
around them — are never an output folder and never hold a generated file. An output folder is claimed,
never assumed: plandocs writes into a folder only when it made it (the marker file .plandocs-output is
left inside), when it is empty, or when it already holds a plandocs manifest.json (an output/ written
before the marker existed: adopted, the marker added). Any other folder that holds files is refused, so a
mistyped --out can never have its files overwritten or cleaned away.

Roles: "output" (build, collect, ledger, pdf: output/ through the transaction), "plan" (import, new,
lint --fix: the plan folder they were given), "file" (diff --docx: one generated document).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import BAD_INPUT, UserError
from .filenames import shown_path

MARKER = ".plandocs-output"
MARKER_TEXT = (
    "此文件夹是 plandocs 的输出目录（由 plandocs 建立或接管）。\n"
    "plandocs build --clean 只删除 manifest.json 所列的、plandocs 自己写的文件；别的文件不会被删除。\n"
)
PLAN, TEMPLATES, LEDGER, RETURNS, CODE = "计划数据目录", "模板目录", "台账目录", "回收报表文件夹", "程序目录"
REPO = Path(__file__).resolve().parent.parent
Role = Literal["output", "plan", "file"]


class UnsafeTarget(UserError):
    """A command was pointed at a place it does not own: nothing was written."""

    exit_code = BAD_INPUT


@dataclass(frozen=True)
class Inputs:
    """The user's folders one command reads: none of them, nor any folder inside or around them, is ever
    written by another command's output. Unnamed ones default to the usual places (./plan, ./templates,
    the ledger beside the plan) and the program's own folders are always included."""

    plan: Path | None = None
    templates: Path | None = None
    returns: Path | None = None

    @classmethod
    def of(cls, plan_directory: str, templates: Path | None = None) -> Inputs:
        """The inputs of a command that has the loaded plan (Plan.directory: "" when not from a folder)."""
        return cls(plan=Path(plan_directory) if plan_directory else None, templates=templates)

    def folders(self) -> list[tuple[str, Path]]:
        plans = [self.plan or Path("plan"), Path("plan"), REPO / "plan"]
        # a folder named twice keeps its first name: a plan folder pointed at templates/ is templates/
        found = [(TEMPLATES, t) for t in (self.templates or Path("templates"), REPO / "templates")]
        found += [(CODE, REPO / "generators"), (CODE, REPO / ".git")]
        if self.returns is not None:
            found.append((RETURNS, self.returns))
        found += [(LEDGER, Path(os.path.realpath(p)).parent / "ledger") for p in plans]
        found += [(PLAN, p) for p in plans]
        unique: dict[str, tuple[str, Path]] = {}
        for label, folder in found:
            unique.setdefault(os.path.realpath(folder), (label, folder))
        return list(unique.values())


def _relation(target: str, folder: str) -> str | None:
    if target == folder:
        return "就是"
    if target.startswith(folder.rstrip(os.sep) + os.sep):
        return "位于"
    if folder.startswith(target.rstrip(os.sep) + os.sep):
        return "包含了"
    return None


def refuse_protected(target: Path, role: Role, inputs: Inputs) -> None:
    """Refuse (UnsafeTarget) a target that is, lies inside or holds one of the user's folders (followed
    through symbolic links): a plan folder may be written only as itself by the plan role."""
    real = os.path.realpath(target)
    for label, folder in inputs.folders():
        relation = _relation(real, os.path.realpath(folder))
        if relation is None or (role == "plan" and label == PLAN and relation == "就是"):
            continue
        what = {"output": "输出目录", "plan": "计划数据目录", "file": "要生成的文件"}[role]
        raise UnsafeTarget(
            f"{what} {shown_path(target)} {relation}{label} {shown_path(folder)}：plandocs 不会在那里写入或删除"
            f"任何文件，已拒绝，什么也没有改动。请换一个{'新的或空的 --out 目录' if role == 'output' else '位置'}"
        )


def claimed_by(path: Path) -> Path | None:
    """The output folder (marked) that holds `path`, if any."""
    real = Path(os.path.realpath(path))
    for folder in [real, *real.parents]:
        if (folder / MARKER).is_file():
            return folder
    return None


def claim_output(out_dir: Path, inputs: Inputs, own: Callable[[str], bool]) -> None:
    """Make sure `out_dir` is plandocs' to write (see the module's doc), claiming it when it is new or
    empty; `own(name)` tells plandocs' own bookkeeping files (lock, journal …) from anything else."""
    refuse_protected(out_dir, "output", inputs)
    if not os.path.lexists(out_dir):
        out_dir.mkdir(parents=True)
        _mark(out_dir)
        return
    if not out_dir.is_dir() or (out_dir / MARKER).is_file():
        return  # (a file where the folder should be is said by the caller)
    names = os.listdir(out_dir)
    if all(own(name) for name in names) or _plandocs_manifest(out_dir / "manifest.json"):
        with contextlib.suppress(PermissionError):  # a read-only output/ of an older plandocs: still its
            _mark(out_dir)  # manifest, and nothing will change there
        return
    raise UnsafeTarget(
        f"输出目录 {shown_path(out_dir)} 中已有别的文件，又不是 plandocs 的输出目录（没有 {MARKER}，也没有 "
        "plandocs 的 manifest.json）：plandocs 不会往里写入，也不会清理它，已拒绝。请换一个新的或空的 --out 目录"
    )


def is_output_folder(folder: Path) -> bool:
    """Whether `folder` is a plandocs output folder (marked, or holding plandocs' manifest.json): its forms/
    are the blank forms sent out, never anybody's return."""
    return (folder / MARKER).is_file() or _plandocs_manifest(folder / "manifest.json")


def _mark(out_dir: Path) -> None:
    from .output import atomic_write

    atomic_write(out_dir / MARKER, MARKER_TEXT.encode("utf-8"))


def _plandocs_manifest(path: Path) -> bool:
    """A manifest.json as plandocs writes it: {"plan": {...}, "artifacts": [{kind, path, sha256}, …]}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or not isinstance(data.get("artifacts"), list):
        return False
    entries = data["artifacts"]
    return isinstance(data.get("plan"), dict) and all(
        isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("kind", "path", "sha256"))
        for e in entries
    )


def check_plan_folder(folder: Path, inputs: Inputs) -> None:
    """import, new and lint --fix write the plan folder they were given, and nothing else: not a folder
    inside or around the user's other folders, not an output folder."""
    refuse_protected(folder, "plan", inputs)
    owner = claimed_by(folder)
    if owner is not None:
        raise UnsafeTarget(
            f"计划数据目录 {shown_path(folder)} 位于 plandocs 的输出目录 {shown_path(owner)} 之内：输出目录只放生成"
            "的文件，已拒绝，什么也没有改动。请指定 plan/ 目录"
        )


def check_generated_file(target: Path, suffix: str, inputs: Inputs) -> None:
    """A generated document written outside output/ (diff --docx): a new file, or one of the same kind it
    replaces, never inside the user's folders or an output folder (whose files the manifest accounts for)."""
    refuse_protected(target, "file", inputs)
    owner = claimed_by(target.parent) if target.parent.exists() else None
    problem = None
    if target.suffix.lower() != suffix:
        problem = f"文件名应以 {suffix} 结尾"
    elif owner is not None:
        problem = f"位于 plandocs 的输出目录 {shown_path(owner)} 之内（那里的文件由清单管理）"
    elif os.path.isdir(target):
        problem = "是一个文件夹"
    elif os.path.lexists(target) and not _zip(target):
        problem = f"已存在，且不是 {suffix} 文档，不会覆盖"
    if problem:
        raise UnsafeTarget(
            f"要生成的文件 {shown_path(target)} {problem}，已拒绝，什么也没有改动。请换一个文件名"
        )


def _zip(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False
