"""Helpers for tests of a promise: the sha256 of every file before and after, and running the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner, Result

from generators.cli import main

LOCK = ".plandocs.lock"
MARKER = ".plandocs-output"  # the claim on output/ (generators/guard.py)


def tree(*folders: Path) -> dict[str, str]:
    """sha256 of every file under the folders (links as their target text), keyed by full path."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink():
                found[str(path)] = "link:" + str(path.readlink())
            elif path.is_file() and path.name != LOCK:
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def write_manifest(out: Path, data: dict) -> None:
    (out / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def assert_manifest_holds(out: Path) -> None:
    """Every file the manifest lists is there with its sha256, and output/ holds nothing else of note."""
    listed = manifest(out)["artifacts"]
    for entry in listed:
        data = (out / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    files = {
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name not in (LOCK, MARKER)
    }
    assert files == {e["path"] for e in listed} | {"manifest.json"}


def plandocs(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_line(result: Result) -> str:
    """The single line a failure prints; no traceback."""
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    ), result.output
    assert len(lines) == 1, result.output
    return lines[0]


def kill_mid_switch(args: list[str], flag: Path, after_moves: int) -> None:
    """Run `plandocs ARGS` in a child whose journalled switch stops after `after_moves` moves
    (staging.PAUSE_ENV), then kill -9 it there."""
    from generators.staging import PAUSE_ENV

    env = {**os.environ, PAUSE_ENV: f"{after_moves}:{flag}"}
    command = [sys.executable, "-m", "generators", *args]
    root = Path(__file__).resolve().parent.parent
    child = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not flag.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert flag.exists(), (
        child.stderr.read().decode() if child.poll() is not None and child.stderr else "no pause"
    )
    child.send_signal(signal.SIGKILL)
    child.wait()
