"""Writing output/: atomic files, a manifest, paths held inside output/, and skipping unchanged bytes.

Everything is rendered into a staging folder before output/ changes; the switch into place is journalled
(staging.py), so a build shows all at once or not at all; the manifest is part of the switch.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .artifact import Artifact
from .errors import BuildLocked, OutputDamaged, UnsafePath
from .model import Plan

__all__ = ["BuildLocked", "OutputDamaged", "UnsafePath"]

MANIFEST = "manifest.json"
LOCK = ".plandocs.lock"
CLEAN_ADVICE = "请运行 plandocs build --clean 重新生成"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary name beside the file, then rename it into place. The file gets the mode the
    umask gives (0666 & ~umask), like any file the user creates; the temporary name is short, so a long
    file name never makes it too long."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".tmp-{secrets.token_hex(6)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def path_problem(relative: object) -> str | None:
    """Why a manifest or generated path is not a plain relative path below a folder (None if it is)."""
    if not isinstance(relative, str) or not relative:
        return "不是文件路径"
    if any(ch in relative for ch in "\\\0") or any(ord(ch) < 32 for ch in relative):
        return "含有反斜杠或控制字符"
    if PurePosixPath(relative).is_absolute() or relative[1:2] == ":":
        return "是绝对路径"
    if any(part in ("", ".", "..") for part in relative.split("/")):
        return "含有“..”或空的路径段"
    return None


def inside(base: Path, relative: object, source: str, advice: str = CLEAN_ADVICE) -> Path:
    """base/relative, refused (UnsafePath) unless it stays inside base: no absolute path, no `..`, and no
    symbolic link on the way that leads out. `source` names where the path came from, for the message."""
    problem = path_problem(relative)
    if problem is None:
        target = base / str(relative)
        real_base = os.path.realpath(base)
        real = os.path.realpath(target)
        if real == real_base or not real.startswith(real_base.rstrip(os.sep) + os.sep):
            problem = "经符号链接指向外部"
        else:
            return target
    raise UnsafePath(f"{source}中的路径“{relative}”{problem}，不在 {base} 之内，已拒绝。{advice}")


def contained(base: Path, relative: object) -> bool:
    """Whether `inside` would accept the path."""
    try:
        inside(base, relative, "")
    except UnsafePath:
        return False
    return True


def manifest_source(out_dir: Path) -> str:
    return str(out_dir / MANIFEST)


def read_manifest(out_dir: Path, tolerant: bool = False, strict: bool = False) -> dict:
    """The manifest, checked: a dict with a list of artifacts, each with a text kind, path and sha256.
    A file that is not that is refused with advice (OutputDamaged); an odd entry is skipped, or refused too
    when `strict` (the build, which deletes what the old manifest lists). `tolerant` (build --clean, which
    starts over) reads a damaged file as empty and keeps only the sound entries whose paths stay inside
    output/. Paths are not refused here: whoever reads, writes or deletes through one holds it inside
    output/ first (`inside`)."""
    path = out_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"artifacts": []}
    except (UnicodeDecodeError, json.JSONDecodeError, IsADirectoryError) as err:
        if tolerant:
            return {"artifacts": []}
        raise OutputDamaged(f"{path} 已损坏（不是有效的 JSON：{err}）。{CLEAN_ADVICE}") from err
    if not isinstance(manifest, dict) or not isinstance(manifest.get("artifacts", []), list):
        if tolerant:
            return {"artifacts": []}
        raise OutputDamaged(f"{path} 已损坏（结构不对：应有 artifacts 列表）。{CLEAN_ADVICE}")
    manifest.setdefault("artifacts", [])
    sound = []
    for index, entry in enumerate(manifest["artifacts"], 1):
        problem = _entry_problem(entry)
        if problem and strict and not tolerant:
            raise OutputDamaged(f"{path} 已损坏（第 {index} 个文件条目{problem}）。{CLEAN_ADVICE}")
        if not problem and not (tolerant and path_problem(entry["path"])):
            sound.append(entry)
    manifest["artifacts"] = sound
    return manifest


def _entry_problem(entry: object) -> str | None:
    if not isinstance(entry, dict):
        return "不是键值映射"
    for key in ("kind", "path", "sha256"):
        if not isinstance(entry.get(key), str):
            return f"缺少文字型的“{key}”"
    return None


def read_only(out_dir: Path) -> str:
    return (
        f"没有权限写入 {out_dir}（只读或权限不足）：请去掉它的只读属性（或换一个可写的 --out 目录）后重新运行"
    )


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[int]:
    """Serialise builds into the same output/: a second one fails at once with a clear message. On taking
    the lock, a switch a killed command left half done is finished (staging.recover).
    Yields the lock's file descriptor (worker processes close their inherited copy)."""
    from .staging import recover

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as err:
        raise OutputDamaged(f"{out_dir} 是一个文件，应是输出文件夹：请移走或改名后重新运行") from err
    # Read-only is enough for flock: a read-only output/ can still be checked when nothing changes.
    try:
        fd = os.open(out_dir / LOCK, os.O_RDONLY | os.O_CREAT, 0o666)
    except OSError as err:
        if err.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise
        raise OutputDamaged(read_only(out_dir)) from err
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise BuildLocked(f"另一个生成任务正在写入 {out_dir}，请等它结束后再运行") from err
        recover(out_dir)
        yield fd
    finally:
        os.close(fd)


def manifest_for(plan: Plan, artifacts: Iterable[Artifact], extra: dict | None = None) -> dict:
    entries = [a.manifest_entry(sha256(a.data)) for a in artifacts]
    manifest = {
        "plan": {"title": plan.meta.title, "status": plan.meta.status, "hash": plan.digest},
        "artifacts": entries,
    }
    if extra:
        manifest.update(extra)
    return manifest


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# Kinds written by other commands (pdf, collect, ledger, supervise, year-summary): a build keeps their
# manifest entries.
OTHER_COMMANDS_KINDS = frozenset(
    {"pdf", "summary", "summary-report", "ledger", "supervision", "year-summary"}
)


def write_output(
    out_dir: Path,
    plan: Plan,
    artifacts: list[Artifact],
    *,
    extras: dict[str, dict] | None = None,
    keep_kinds: frozenset[str] = OTHER_COMMANDS_KINDS,
) -> WriteReport:
    """Write artifacts whose bytes differ from disk, remove files the old manifest had and the new
    one does not (except kinds in keep_kinds, which this build did not produce), then the manifest: all
    in one switch. `extras` adds fields (input hash, renderer) to an artifact's manifest entry.
    Call it holding build_lock."""
    from .staging import Staging

    old = read_manifest(out_dir)
    kept = [e for e in old["artifacts"] if e["kind"] in keep_kinds]
    new_paths = {a.path for a in artifacts} | {e["path"] for e in kept}
    staging = Staging(out_dir)
    try:
        for artifact in artifacts:
            staging.put(artifact.path, artifact.data)
        manifest = manifest_for(plan, artifacts)
        for entry in manifest["artifacts"]:
            entry.update((extras or {}).get(entry["path"], {}))
        manifest["artifacts"] = manifest["artifacts"] + kept
        data = manifest_bytes(manifest)
        # An entry whose path leads out of output/ is dropped from the manifest, its file left alone.
        removed = [
            e["path"]
            for e in old["artifacts"]
            if e["path"] not in new_paths and contained(out_dir, e["path"])
        ]
        written = staging.commit(removed, data if read_bytes_or_none(out_dir / MANIFEST) != data else None)
    finally:
        staging.discard()
    unchanged = [a.path for a in artifacts if a.path not in set(written)]
    return WriteReport(written=written, unchanged=unchanged, removed=removed)


def read_bytes_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
