"""Writing output/: atomic files, a manifest, and skipping files whose bytes did not change.

Everything is rendered in memory before the first write, so a failing build leaves output/ as it was;
each file goes to a temporary name and is renamed into place; the manifest is written last.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .artifact import Artifact
from .model import Plan

MANIFEST = "manifest.json"
LOCK = ".plandocs.lock"


class BuildLocked(Exception):
    """Another build holds output/."""


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def read_manifest(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {"artifacts": []}


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[int]:
    """Serialise builds into the same output/: a second one fails at once with a clear message.
    Yields the lock's file descriptor (worker processes close their inherited copy)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / LOCK, "a") as handle:  # "a": taking the lock must not touch the file
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise BuildLocked(f"另一个生成任务正在写入 {out_dir}，请等它结束后再运行") from err
        try:
            yield handle.fileno()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def manifest_for(plan: Plan, artifacts: Iterable[Artifact], extra: dict | None = None) -> dict:
    entries = [a.manifest_entry(sha256(a.data)) for a in artifacts]
    manifest = {
        "plan": {"title": plan.meta.title, "status": plan.meta.status, "hash": plan.digest},
        "artifacts": entries,
    }
    if extra:
        manifest.update(extra)
    return manifest


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
    one does not (except kinds in keep_kinds, which this build did not produce), then the manifest.
    `extras` adds fields (input hash, renderer) to an artifact's manifest entry."""
    report = WriteReport()
    old = read_manifest(out_dir)
    kept = [e for e in old.get("artifacts", []) if e.get("kind") in keep_kinds]
    new_paths = {a.path for a in artifacts} | {e["path"] for e in kept}
    for artifact in artifacts:
        target = out_dir / artifact.path
        if target.exists() and target.read_bytes() == artifact.data:
            report.unchanged.append(artifact.path)
            continue
        atomic_write(target, artifact.data)
        report.written.append(artifact.path)
    report.removed = remove_stale(out_dir, old, new_paths)
    manifest = manifest_for(plan, artifacts)
    for entry in manifest["artifacts"]:
        entry.update((extras or {}).get(entry["path"], {}))
    manifest["artifacts"] = manifest["artifacts"] + kept
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if read_bytes_or_none(out_dir / MANIFEST) != data:
        atomic_write(out_dir / MANIFEST, data)
    return report


def remove_stale(out_dir: Path, old_manifest: dict, new_paths: set[str]) -> list[str]:
    """Delete the files the old manifest listed that the new one does not; return their paths."""
    removed = []
    for entry in old_manifest.get("artifacts", []):
        if entry["path"] not in new_paths:
            with contextlib.suppress(FileNotFoundError):
                (out_dir / entry["path"]).unlink()
            removed.append(entry["path"])
            _remove_empty_parents(out_dir, out_dir / entry["path"])
    return removed


def _remove_empty_parents(out_dir: Path, path: Path) -> None:
    parent = path.parent
    while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def read_bytes_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
