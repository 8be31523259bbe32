"""app/memo.py: a kept result is given again only while its files are unchanged."""

from __future__ import annotations

import contextlib
import os

from generators.app.memo import kept


def test_a_kept_result_is_read_again_when_a_file_changes_or_goes(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text("a", encoding="utf-8")
    reads = []

    def read() -> str:
        reads.append(1)
        return path.read_text(encoding="utf-8") if path.exists() else "gone"

    assert [kept("t", [path], read) for _ in range(3)] == ["a", "a", "a"]
    assert len(reads) == 1
    stat = path.stat()
    path.write_text("b", encoding="utf-8")  # same size: the change times tell
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old modification time
    assert kept("t", [path], read) == "b"
    replaced = tmp_path / "new.yaml"
    replaced.write_text("c", encoding="utf-8")
    os.replace(replaced, path)  # how the commands write: a new file in its place
    assert kept("t", [path], read) == "c"
    path.unlink()
    assert kept("t", [path], read) == "gone"
    assert len(reads) == 4


def test_a_failed_read_is_not_kept(tmp_path):
    path = tmp_path / "meta.yaml"
    path.write_text("x", encoding="utf-8")
    calls = []

    def failing() -> str:
        calls.append(1)
        raise ValueError("bad")

    for _ in range(2):
        with contextlib.suppress(ValueError):
            kept("f", [path], failing)
    assert len(calls) == 2
