"""Input hashes: what an artifact was built from, so an unchanged artifact is not rendered again."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import NamedTuple

PACKAGE_DIR = Path(__file__).resolve().parent


@functools.cache
def code_version() -> str:
    """Hash of the generators package source: a code change re-renders everything."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        h.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@functools.cache
def _file_hash(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def file_hash(path: Path) -> str:
    path = Path(path)
    return _file_hash(str(path.resolve()), path.stat().st_mtime_ns)


def _default(value: object) -> object:
    """JSON for what json cannot encode natively (dataclasses, enums, paths, tuples are fine as repr).
    A RichText (the letter's broken title) by its XML: its repr holds a memory address."""
    xml = getattr(value, "xml", None)
    return xml if isinstance(xml, str) else repr(value)


class Fingerprint(NamedTuple):
    key: str  # what decides whether the artifact is rendered again
    size: int  # bytes of its inputs as hashed: how big a render it is, roughly (parallel.render_order)


def fingerprint(
    inputs: object, templates: tuple, layout_path: Path, hashes: dict[Path, str] | None = None
) -> Fingerprint:
    """`hashes`: the files' hashes one build has taken already (its jobs share a few templates: each file
    resolved and looked at once per build, not once per job)."""
    known: dict[Path, str] = {} if hashes is None else hashes
    h = hashlib.sha256()
    h.update(code_version().encode())
    for path in (layout_path, *templates):
        digest = known.get(path)
        if digest is None:
            digest = known[path] = file_hash(path)
        h.update(digest.encode())
    data = json.dumps(inputs, ensure_ascii=False, sort_keys=True, default=_default).encode("utf-8")
    h.update(data)
    return Fingerprint(h.hexdigest(), len(data))


def build_key(plan_digest: str, template_dirs: tuple[Path, ...]) -> str:
    """One key for a whole build: the code, the plan files, every file in the template folders.

    Equal keys and every file still on disk mean a rebuild has nothing to do, without listing a job."""
    h = hashlib.sha256()
    h.update(code_version().encode() + b"\0" + plan_digest.encode())
    for folder in template_dirs:
        for path in sorted(p for p in Path(folder).iterdir() if p.is_file()):
            h.update(b"\0" + path.name.encode() + b"\0" + file_hash(path).encode())
    return h.hexdigest()
