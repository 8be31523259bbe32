"""A build's files wait in output/.staging until every artifact has rendered; then each is renamed
into place. A build that fails at any point leaves output/ exactly as it was, and memory stays flat
however many letters and forms there are (bytes go to disk as soon as they are rendered)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .output import atomic_write, sha256

STAGING = ".staging"  # prefix: each build stages into its own .staging-<pid>


class Staging:
    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        # Leftovers of killed builds go first. Each build has its own folder, so a worker orphaned by a
        # killed build can never drop a file into this build's staging.
        for old in out_dir.glob(f"{STAGING}-*"):
            shutil.rmtree(old, ignore_errors=True)
        self.root = out_dir / f"{STAGING}-{os.getpid()}"
        self.root.mkdir(parents=True)

    def put(self, path: str, data: bytes) -> str:
        """Stage one file; returns its sha256. Bytes equal to what output/ already has are not staged."""
        target = self.out_dir / path
        if not (target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data):
            atomic_write(self.root / path, data)
        return sha256(data)

    def staged(self) -> list[str]:
        return sorted(str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file())

    def commit(self) -> list[str]:
        """Move every staged file into output/; returns their paths (the files actually written)."""
        written = self.staged()
        for path in written:
            target = self.out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / path, target)
        return written

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
