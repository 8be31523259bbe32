"""A collect's change to ledger/ as one transaction, the way output/ is written (output.py, staging.py).

Under ledger/.plandocs.lock, the new CSV files and archived returns are staged in ledger/.staging-<pid>/new;
one journalled switch (staging.switch, journal ledger/.plandocs-switch.json) then moves them into place and
removes what moves away (an archive that went to 被替换/ is staged there as a copy and removed from its old
place). A kill at any point leaves the old ledger (nothing journalled yet) or a journal that the next
command taking the lock finishes (or rolls back when it cannot): never a ledger with the rows and not the
event, or an archive without its rows. An archived return is never written over: archives are named by
their content, and a staged archive whose name exists with other bytes stops the change before anything
moves.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generators.errors import OutputDamaged, UnsafePath
from generators.output import LOCK
from generators.staging import JOURNAL, RENAME_PAUSE_ENV, Staging, recover, sweep

from .store import LedgerError, LedgerPaths, why

BUSY = "另一个 plandocs 命令正在写入台账 {root}，请等它结束后再运行"


class LedgerBusy(LedgerError):
    """Another command holds the ledger's lock (an environment problem: exit 1, not bad input)."""


@contextlib.contextmanager
def ledger_lock(paths: LedgerPaths, create: bool = True) -> Iterator[None]:
    """Hold ledger/'s lock; on taking it, finish the switch a killed command left. `create=False` (the
    commands that only read) makes no ledger/ where there is none."""
    root = paths.root
    if not root.is_dir():
        if not create:
            yield
            return
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise LedgerError(f"{root}：无法建立台账文件夹（{why(err)}）") from err
    try:
        fd = os.open(root / LOCK, os.O_RDONLY | os.O_CREAT, 0o666)
    except OSError as err:
        if err.errno not in (errno.EACCES, errno.EPERM, errno.EROFS) or create:
            raise LedgerError(f"没有权限写入台账 {root}（只读或权限不足）") from err
        yield  # a read-only ledger can still be read
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise LedgerBusy(BUSY.format(root=root)) from err
        try:
            recover(root)
            sweep(root)
        except (OutputDamaged, UnsafePath) as err:
            raise LedgerError(
                f"{root / JOURNAL}：上次中断的台账写入留下的日志已损坏，无法完成也无法退回；"
                f"请从版本库或备份恢复 {root}（并删除这个文件）后重新运行"
            ) from err
        yield
    finally:
        os.close(fd)


@dataclass
class Change:
    """What a command changes in ledger/: files written whole (CSV files, archives) and files removed."""

    paths: LedgerPaths
    writes: dict[Path, bytes] = field(default_factory=dict)
    # archives: target → (the file to copy, its sha256), read when staged (a city's quarter is 2,000
    # returns: their bytes are not held all at once)
    copies: dict[Path, tuple[Path, str]] = field(default_factory=dict)
    removes: list[Path] = field(default_factory=list)

    def archive(self, target: Path, source: Path, sha: str) -> None:
        """Keep a return at its content-addressed name: already there with these bytes, nothing to do;
        there with other bytes, refused (an archived return is never written over)."""
        if target.is_file():
            if _sha256(target) == sha:
                return
            raise LedgerError(f"{target}：台账中已有同名的存档文件，内容不同，不予覆盖；请检查台账文件夹")
        if target in self.copies and self.copies[target][1] != sha:
            raise LedgerError(f"{target}：同一存档文件名对应两份不同的报表，不予覆盖")
        self.copies[target] = (source, sha)

    def move(self, source: Path, target: Path, sha: str) -> None:
        """Move an archived return to `target` (被替换/, 撤回/): a copy there, then the old name removed, in
        the same switch."""
        self.archive(target, source, sha)
        self.removes.append(source)

    def commit(self) -> list[str]:
        """Switch everything in, at once (hold ledger_lock). Returns the paths written, relative to ledger/."""
        root = self.paths.root
        staging = Staging(root, pause_env=RENAME_PAUSE_ENV)
        try:
            for path, (source, sha) in self.copies.items():
                data = source.read_bytes()
                if hashlib.sha256(data).hexdigest() != sha:
                    raise LedgerError(f"{source}：文件在收取过程中被改动，台账保持不变；请重新运行")
                staging.put(path.relative_to(root).as_posix(), data)
            for path, data in self.writes.items():
                staging.put(path.relative_to(root).as_posix(), data)
            removes = [p.relative_to(root).as_posix() for p in self.removes if os.path.lexists(p)]
            return staging.commit(removes, None)
        except OSError as err:
            raise LedgerError(f"无法写入台账 {root}（{why(err)}）：台账保持不变") from err
        finally:
            staging.discard()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
