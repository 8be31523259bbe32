"""A command's files wait in output/.staging-<pid>/new until every one has rendered; then one journalled
switch moves them into place, with the manifest.

The switch: check that every target can be written (no file where a folder should be, no folder where a
file should be), write the journal output/.plandocs-switch.json (the commit point), then move. Each file
the switch replaces or removes is first kept in .staging-<pid>/old, so a switch that fails half way is rolled
back, and a switch cut short by a kill is finished by the next command that takes the lock (recover). Either
way output/ ends as the old build or the new one, never a mix; what the interrupted build would have
reported (written, removed, the units whose letters to reprint) is kept for the next build to report.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
import time
from pathlib import Path

from .errors import OutputDamaged, UnsafePath
from .filenames import shown_path
from .guard import MARKER
from .output import LOCK, MANIFEST, atomic_write, inside, manifest_source, read_only, sha256

STAGING = ".staging"  # prefix: each command stages into its own .staging-<pid>
JOURNAL = ".plandocs-switch.json"
UNREPORTED = ".plandocs-unreported.json"  # what an interrupted build did, for the next build to report
RESERVED = (MANIFEST, LOCK, JOURNAL, UNREPORTED, MARKER)
GENERATED = "生成的文件名"
NAME_ADVICE = "请运行 plandocs check 检查 plan/ 中的名称"
# For tests of a kill during the switch: "N:FILE" makes the switch touch FILE and wait after N moves.
PAUSE_ENV = "PLANDOCS_SWITCH_PAUSE"
# The same for the ledger's switch (ledger/journal.py), counting every rename: a removal's too.
RENAME_PAUSE_ENV = "PLANDOCS_LEDGER_PAUSE"


def sweep(out_dir: Path) -> None:
    """Leftovers of killed commands go (call it holding the lock, after recover, which may still need
    one): a kill after a switch and before its staging was dropped leaves one behind."""
    for old in out_dir.glob(f"{STAGING}-*"):
        shutil.rmtree(old, ignore_errors=True)


class Staging:
    def __init__(self, out_dir: Path, pause_env: str = PAUSE_ENV):
        self.pause_env = pause_env
        recover(out_dir)
        # Each build has its own folder, so a worker orphaned by a killed build can never drop a file into
        # this build's staging.
        sweep(out_dir)
        self._attach(out_dir, out_dir / f"{STAGING}-{os.getpid()}")
        try:
            self.new.mkdir(parents=True)
        except OSError as err:
            if err.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise
            raise OutputDamaged(read_only(out_dir)) from err

    def _attach(self, out_dir: Path, root: Path) -> None:
        self.out_dir, self.root = out_dir, root
        self.new = root / "new"
        # the folders of new/ this process has made, and found no link (output.inside): new/ is this
        # command's own, nobody else writes there (each process keeps its own sets)
        self._made: set[Path] = set()
        self._no_links: set[str] = set()

    def put(self, path: str, data: bytes) -> str:
        """Stage one file; returns its sha256. Bytes equal to what output/ already holds, in a plain file,
        are not staged: the switch would only put the same bytes there again (build --clean too: the
        bytes on disk are compared, whatever the manifest says, so a damaged file is still replaced)."""
        target = inside(self.out_dir, path, GENERATED, NAME_ADVICE)
        if path in RESERVED or path.startswith(STAGING):
            raise OutputDamaged(f"生成的文件名“{path}”与 plandocs 自用的文件重名。{NAME_ADVICE}")
        if not _holds(target, data):
            staged = inside(self.new, path, GENERATED, NAME_ADVICE, self._no_links)
            _make_folder(staged.parent, self._made)
            atomic_write(staged, data, folder_made=True)
        return sha256(data)

    def staged(self) -> list[str]:
        """The staged files' paths, sorted (new/ holds only files and folders plandocs made)."""
        found: list[str] = []
        base = str(self.new)
        for top, _, files in os.walk(base):
            prefix = top[len(base) + 1 :] + "/" if top != base else ""
            found += [prefix + name for name in files]
        return sorted(found)

    def commit(
        self,
        removes: list[str],
        manifest: bytes | None,
        summary: dict | None = None,
        staged: list[str] | None = None,
    ) -> list[str]:
        """Switch the staged files, the removals and the manifest (None: unchanged) into output/ at once;
        returns the paths written. `staged`: what staged() returned, when the caller has just asked."""
        written = self.staged() if staged is None else staged
        moves = written + ([MANIFEST] if manifest is not None else [])
        if manifest is not None:
            atomic_write(self.new / MANIFEST, manifest)
        if moves or removes:
            switch(self.out_dir, self.root, moves, removes, summary or {}, self.pause_env)
        return written

    def discard(self) -> None:
        """Drop what is staged, unless a switch from it was cut short (Ctrl-C while it moved): then the
        journal still needs the staged and the kept files, and the next command finishes it (recover)."""
        if _pending(self.out_dir) == self.root.name:
            return
        shutil.rmtree(self.root, ignore_errors=True)


def _pending(out_dir: Path) -> str | None:
    """The staging folder a journal left in out_dir names, if any."""
    try:
        journal = json.loads((out_dir / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return str(journal.get("staging")) if isinstance(journal, dict) else None


def _holds(target: Path, data: bytes) -> bool:
    """target is a plain file (not a link, which the switch would replace) holding exactly these bytes;
    one it cannot read does not hold them (the switch replaces it)."""
    try:
        found = os.lstat(target)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False


def switch(
    out_dir: Path, root: Path, moves: list[str], removes: list[str], summary: dict, pause_env: str = PAUSE_ENV
) -> None:
    _preflight(out_dir, moves, removes)
    journal = {"staging": root.name, "moves": moves, "remove": removes, "summary": summary}
    atomic_write(out_dir / JOURNAL, json.dumps(journal, ensure_ascii=False).encode("utf-8"))
    try:
        _forward(out_dir, journal, _pause_point(pause_env))
    except OSError:
        with contextlib.suppress(OSError):  # if even that fails, the journal stays: the next start ends it
            _backward(out_dir, journal)
            (out_dir / JOURNAL).unlink()
        raise
    (out_dir / JOURNAL).unlink()


def recover(out_dir: Path) -> None:
    """Finish a switch a killed command left (or roll it back if it cannot be finished); keep its summary
    for the next build to report. Call it holding the lock."""
    path = out_dir / JOURNAL
    if not path.exists():
        return
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        if not all(isinstance(p, str) for p in [*journal["moves"], *journal["remove"]]):
            raise TypeError("paths")
        if not str(journal["staging"]).startswith(STAGING):
            raise ValueError(journal["staging"])
    except (ValueError, KeyError, TypeError) as err:
        raise OutputDamaged(
            f"{path}（上次中断的生成留下的记录）已损坏：删除它后运行 plandocs build --clean 重新生成"
        ) from err
    try:
        _forward(out_dir, journal)
    except (OSError, UnsafePath):
        _backward(out_dir, journal)
        path.unlink()
        return
    summary = journal.get("summary") or {}
    if summary:
        merged = merge_summaries(read_unreported(out_dir), summary)
        atomic_write(out_dir / UNREPORTED, json.dumps(merged, ensure_ascii=False).encode("utf-8"))
    path.unlink()
    shutil.rmtree(out_dir / journal["staging"], ignore_errors=True)


def read_unreported(out_dir: Path) -> dict:
    try:
        data = json.loads((out_dir / UNREPORTED).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def forget_unreported(out_dir: Path) -> None:
    if (out_dir / UNREPORTED).exists():  # (unlinking a missing file on a read-only disk is EROFS)
        (out_dir / UNREPORTED).unlink()


def merge_summaries(first: dict, second: dict) -> dict:
    """Lists under the same key joined, each item once, in order."""
    keys = list(dict.fromkeys([*first, *second]))
    return {k: list(dict.fromkeys([*first.get(k, []), *second.get(k, [])])) for k in keys}


def _root(out_dir: Path, journal: dict) -> tuple[Path, str]:
    """The journal's staging folder (held inside output/) and the name paths are reported under."""
    return inside(out_dir, journal["staging"], JOURNAL), manifest_source(out_dir)


def _places(
    out_dir: Path, root_source: tuple[Path, str], path: str, folders: set[str] | None = None
) -> tuple[Path, Path, Path]:
    """(staged, target, backup) of one path of the journal, each held inside its folder (`folders`: see
    output.inside)."""
    root, source = root_source
    return (
        inside(root / "new", path, source, folders=folders),
        inside(out_dir, path, source, folders=folders),
        inside(root / "old", path, source, folders=folders),
    )


def _forward(out_dir: Path, journal: dict, pause: tuple[int, str, bool] | None = None) -> None:
    """Do the switch; every step can be done again after a kill (it looks at what is where)."""
    renamed = 0
    at = _root(out_dir, journal)
    folders: set[Path] = set()  # made (or found) during this switch: one mkdir each, not one per file
    no_links: set[str] = set()  # folders found to be no symbolic link (output.inside)
    for path in journal["remove"]:
        _, target, backup = _places(out_dir, at, path, no_links)
        if os.path.lexists(target) and not os.path.lexists(backup):
            _make_folder(backup.parent, folders)
            os.replace(target, backup)
            renamed += 1
            if pause and pause[2] and renamed == pause[0]:
                _wait(pause[1])
    for count, path in enumerate(journal["moves"], 1):
        staged, target, backup = _places(out_dir, at, path, no_links)
        if not os.path.lexists(staged):
            continue  # moved before the kill
        if os.path.lexists(target) and not os.path.lexists(backup):
            _make_folder(backup.parent, folders)
            try:
                os.link(target, backup, follow_symlinks=False)  # the old file stays in place meanwhile
            except OSError:
                os.replace(target, backup)
        _make_folder(target.parent, folders)
        os.replace(staged, target)
        if pause and (renamed + count if pause[2] else count) == pause[0]:
            _wait(pause[1])
    for path in journal["remove"]:
        _remove_empty_parents(out_dir, out_dir / path)


def _make_folder(folder: Path, made: set[Path]) -> None:
    """mkdir -p, once per folder in one switch or one staging (nothing there removes a folder it puts
    files in: a switch removes only emptied parents of removed files, at its end)."""
    if folder not in made:
        folder.mkdir(parents=True, exist_ok=True)
        made.add(folder)


def _backward(out_dir: Path, journal: dict) -> None:
    """Undo a switch: the new files go back to staging, the old ones back into place."""
    at = _root(out_dir, journal)
    for path in reversed(journal["moves"]):
        staged, target, backup = _places(out_dir, at, path)
        if not os.path.lexists(staged) and os.path.lexists(target):
            staged.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, staged)
        if os.path.lexists(backup):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(backup, target)
        _remove_empty_parents(out_dir, target)
    for path in journal["remove"]:
        _, target, backup = _places(out_dir, at, path)
        if os.path.lexists(backup):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(backup, target)


def _pause_point(env: str) -> tuple[int, str, bool] | None:
    """(after how many, the flag file, whether removals count) from the test's environment variable."""
    value = os.environ.get(env)
    if not value:
        return None
    count, _, flag = value.partition(":")
    return int(count), flag, env == RENAME_PAUSE_ENV


def _wait(flag: str) -> None:
    Path(flag).touch()
    time.sleep(300)


def _preflight(out_dir: Path, moves: list[str], removes: list[str]) -> None:
    """Refuse, before anything moves, a switch that could not finish: a file where a folder should be, a
    folder where a file should be, a folder without write permission."""
    removing = set(removes)
    folders = {out_dir}
    checked: set[str] = set()  # ancestors already looked at (the seed's 208 forms share 4 folders)
    source = manifest_source(out_dir)
    no_links: set[str] = set()
    for path in [*moves, *removes]:  # no link on the way out, before the journal makes it a promise
        inside(out_dir, path, source, folders=no_links)
    for path in moves:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            ancestor = "/".join(parts[:depth])
            if ancestor in removing:
                break
            if ancestor in checked:
                continue
            checked.add(ancestor)
            place = out_dir / ancestor
            if os.path.lexists(place) and not place.is_dir():
                raise OutputDamaged(
                    f"{shown_path(place)} 是一个文件，这里应是文件夹：请移走或删除它后重新运行（它不是 plandocs 写的，--clean 也不会删除它）"
                )
            folders.add(place)
        target = out_dir / path
        if target.is_dir() and path not in removing:
            raise OutputDamaged(
                f"{shown_path(target)} 是一个文件夹，这里应是文件：请移走或删除它后重新运行（它不是 plandocs 写的，--clean 也不会删除它）"
            )
    folders |= {(out_dir / path).parent for path in removes}
    for folder in sorted(folders):
        if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
            raise OutputDamaged(f"没有权限写入 {folder}：请去掉它的只读属性（如 chmod u+w）后重新运行")


def _remove_empty_parents(out_dir: Path, path: Path) -> None:
    parent = path.parent
    while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
