"""Read-only results kept while the files they were read from stay the same.

The workbench asks for the same pages again and again, and reading a city's plan or roster (2,000 units)
costs seconds each time. A result is kept under the files it was read from, stamped with each file's
inode, size and change times (a missing file is stamped as missing): any write — the commands replace
files atomically, an editor rewrites them — gives another stamp and the next call reads again. Only
immutable results are kept (the frozen model, the roster's tuples); a read that fails is never kept.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_LOCK = threading.Lock()
_KEPT: dict[tuple[str, tuple[str, ...]], tuple[tuple[Any, ...], Any]] = {}


def _stamp(files: tuple[str, ...]) -> tuple[Any, ...]:
    stamps: list[Any] = []
    for name in files:
        try:
            st = os.stat(name)
        except OSError:
            stamps.append(None)
            continue
        stamps.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(stamps)


def kept(name: str, paths: Iterable[Path], read: Callable[[], T]) -> T:
    """read()'s result, read again only when one of `paths` changed since it was last read."""
    files = tuple(os.path.realpath(p) for p in paths)
    key = (name, files)
    stamp = _stamp(files)
    with _LOCK:
        hit = _KEPT.get(key)
    if hit is not None and hit[0] == stamp:
        result: T = hit[1]
        return result
    result = read()
    if _stamp(files) == stamp:  # nothing changed while it was read
        with _LOCK:
            _KEPT[key] = (stamp, result)
    return result
