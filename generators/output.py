"""Writing output/: atomic files, a manifest, paths held inside output/, and skipping unchanged bytes.

Every command writes output/ through one Transaction (`transaction`): under the lock, its files are staged,
then switched into place with the manifest in one journalled move (staging.py), so a command's change
shows all at once or not at all. Each command declares the manifest kinds it owns; this module knows no
command.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .artifact import Artifact
from .errors import BuildLocked, OutputDamaged, UnsafePath, os_reason
from .filenames import shown_path
from .guard import MARKER, Inputs, claim_output
from .model import Plan

if TYPE_CHECKING:
    from .staging import Staging

__all__ = ["BuildLocked", "OutputDamaged", "UnsafePath"]

MANIFEST = "manifest.json"
LOCK = ".plandocs.lock"
# plandocs' own bookkeeping in output/ (the marker, the lock, the switch's journal and its report); the
# staging folders (.staging-<pid>) and temporary files (.tmp-<hex>) are its own too (own_file).
BOOKKEEPING = (MARKER, LOCK, ".plandocs-switch.json", ".plandocs-unreported.json")
CLEAN_ADVICE = "请运行 plandocs build --clean 重新生成"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes, folder_made: bool = False) -> None:
    """Write to a temporary name beside the file, then rename it into place. The file gets the mode the
    umask gives (0666 & ~umask), like any file the user creates; the temporary name is short, so a long
    file name never makes it too long. `folder_made`: the caller has made the file's folder."""
    if not folder_made:
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


def own_file(name: str) -> bool:
    """A name in output/ that only plandocs' own bookkeeping uses (not the manifest: that one is read)."""
    return name in BOOKKEEPING or name.startswith((".staging-", ".tmp-"))


_UNSAFE_CHARACTER = re.compile(r"[\\\x00-\x1f]")  # a backslash or a control character (NUL included)


def path_problem(relative: object) -> str | None:
    """Why a manifest or generated path is not a plain relative path below a folder (None if it is)."""
    if not isinstance(relative, str) or not relative:
        return "不是文件路径"
    if _UNSAFE_CHARACTER.search(relative):
        return "含有反斜杠或控制字符"
    if relative.startswith("/") or relative[1:2] == ":":  # (a POSIX path is absolute when it starts with /)
        return "是绝对路径"
    if any(part in ("", ".", "..") for part in relative.split("/")):
        return "含有“..”或空的路径段"
    return None


def inside(
    base: Path, relative: object, source: str, advice: str = CLEAN_ADVICE, folders: set[str] | None = None
) -> Path:
    """base/relative, refused (UnsafePath) unless it stays inside base: no absolute path, no `..`, and no
    symbolic link on the way that leads out. `source` names where the path came from, for the message.
    `folders`: the folders already found to be no link by one caller checking many paths at once (a
    switch), each looked at once; only the caller's own moves change what is there meanwhile."""
    problem = path_problem(relative)
    if problem is None:
        target = base / str(relative)
        if not _link_on_the_way(base, str(relative), folders):
            return target  # no link below base: realpath(target) is realpath(base)/relative, inside it
        real_base = os.path.realpath(base)
        real = os.path.realpath(target)
        if real == real_base or not real.startswith(real_base.rstrip(os.sep) + os.sep):
            problem = "经符号链接指向外部"
        else:
            return target
    raise UnsafePath(f"{source}中的路径“{relative}”{problem}，不在 {base} 之内，已拒绝。{advice}")


def _link_on_the_way(base: Path, relative: str, folders: set[str] | None = None) -> bool:
    """Whether a symbolic link is among base/relative's own components (base itself not looked at): one
    lstat per component instead of two full realpath walks (the switch checks every path four times),
    none for a folder in `folders` (found no link before; the folders found now are added)."""
    place = str(base)
    parts = relative.split("/")
    last = len(parts) - 1
    for index, part in enumerate(parts):
        place = f"{place}/{part}"
        known = folders if index < last else None
        if known is not None and place in known:
            continue
        try:
            if stat.S_ISLNK(os.lstat(place).st_mode):
                return True
        except OSError:  # missing (or unreadable): realpath, too, keeps the rest of the path as written
            return False
        if known is not None:
            known.add(place)
    return False


def contained(base: Path, relative: object) -> bool:
    """Whether `inside` would accept the path."""
    try:
        inside(base, relative, "")
    except UnsafePath:
        return False
    return True


def manifest_source(out_dir: Path) -> str:
    return str(out_dir / MANIFEST)


def _why_not_json(err: ValueError | OSError) -> str:
    """json's and the codec's own text is English: where the manifest stops being JSON, in Chinese."""
    if isinstance(err, json.JSONDecodeError):
        return f"不是有效的 JSON：第 {err.lineno} 行第 {err.colno} 列"
    if isinstance(err, UnicodeDecodeError):
        return f"不是 UTF-8 文本：第 {err.start + 1} 个字节"
    return "不是文件，是文件夹或指向别处的链接"


def read_manifest(out_dir: Path, tolerant: bool = False, strict: bool = False) -> dict:
    """The manifest, checked: a dict with a list of artifacts, each with a text kind, path and sha256.
    A file that is not that is refused with advice (OutputDamaged); an odd entry is skipped, or refused too
    when `strict` (the build, which deletes what the old manifest lists). `tolerant` (build --clean, which
    starts over) reads a damaged file as empty and keeps only the sound entries whose paths stay inside
    output/. Paths are not refused here: whoever reads, writes or deletes through one holds it inside
    output/ first (`inside`)."""
    path = out_dir / MANIFEST
    try:
        # a manifest is a regular file plandocs wrote: a link would read a file elsewhere, a fifo never ends
        if not stat.S_ISREG(path.lstat().st_mode):
            raise IsADirectoryError(path)
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"artifacts": []}
    except (UnicodeDecodeError, json.JSONDecodeError, IsADirectoryError) as err:
        if tolerant:
            return {"artifacts": []}
        raise OutputDamaged(f"{path} 已损坏（{_why_not_json(err)}）。{CLEAN_ADVICE}") from err
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
def build_lock(out_dir: Path, inputs: Inputs | None = None) -> Iterator[int]:
    """Serialise builds into the same output/: a second one fails at once with a clear message. First the
    folder is claimed (guard.claim_output: never one of the user's folders, never a folder of other
    files); on taking the lock, a switch a killed command left half done is finished (staging.recover).
    Yields the lock's file descriptor (worker processes close their inherited copy)."""
    created = not os.path.lexists(out_dir)
    try:
        yield from _locked(out_dir, inputs)
    except BaseException:
        if created:
            _forget_new_folder(out_dir)
        raise


def _forget_new_folder(out_dir: Path) -> None:
    """A command that failed on an --out folder it created itself leaves no empty claimed folder behind:
    removed when it holds nothing but plandocs' own marker and lock."""
    try:
        if not set(os.listdir(out_dir)) <= {MARKER, LOCK}:
            return
        for name in (MARKER, LOCK):
            with contextlib.suppress(FileNotFoundError):
                (out_dir / name).unlink()
        out_dir.rmdir()
    except OSError:
        pass  # kept: a folder plandocs cannot tidy is harmless, and claimed by its marker


def _locked(out_dir: Path, inputs: Inputs | None) -> Iterator[int]:
    from .staging import recover, sweep

    try:
        claim_output(out_dir, inputs or Inputs(), own_file)
    except (FileExistsError, NotADirectoryError) as err:
        raise OutputDamaged(
            f"{shown_path(out_dir)} 是一个文件，应是输出文件夹：请移走或改名后重新运行"
        ) from err
    if not out_dir.is_dir():
        raise OutputDamaged(f"{shown_path(out_dir)} 是一个文件，应是输出文件夹：请移走或改名后重新运行")
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
        sweep(out_dir)
        yield fd
    finally:
        os.close(fd)


def manifest_for(plan: Plan, artifacts: Iterable[Artifact], extra: dict | None = None) -> dict:
    entries = [a.manifest_entry(sha256(a.data)) for a in artifacts]
    manifest = {"plan": plan_fields(plan), "artifacts": entries}
    if extra:
        manifest.update(extra)
    return manifest


SET_ASIDE = "manifest.json.已损坏"


def set_aside_manifest(out_dir: Path) -> str | None:
    """build --clean starts over: a manifest that is a link, no regular file, or unreadable is renamed inside
    output/ (never followed, never deleted) so the build can write a new one; returns the new name. Whatever
    the old manifest listed is then a file plandocs cannot prove it wrote, and is kept."""
    path = out_dir / MANIFEST
    try:
        read_manifest(out_dir)
        return None
    except OutputDamaged:
        pass
    name, number = SET_ASIDE, 1
    while os.path.lexists(out_dir / name):
        number += 1
        name = f"{SET_ASIDE}{number}"
    try:
        os.rename(path, out_dir / name)  # renames the link or the folder itself, never what it points to
    except OSError as err:
        raise OutputDamaged(
            f"{shown_path(path)} 已损坏，也无法改名移开（{os_reason(err)}）：请移走它后重新运行"
        ) from err
    return name


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@contextlib.contextmanager
def transaction(
    out_dir: Path,
    kinds: frozenset[str],
    *,
    clean: bool = False,
    tolerant: bool = False,
    strict: bool = False,
    inputs: Inputs | None = None,
) -> Iterator[Transaction]:
    """Hold the lock on output/ (build_lock) and open one command's transaction over it: `kinds` are the
    manifest kinds the command owns (build, collect, pdf … each declares its own). Read the manifest as
    read_manifest does (`tolerant`, `strict`); `clean` (build --clean) keeps other commands' entries only
    when their files are intact. `inputs` are the command's own folders (plan, templates, returns),
    never taken as output/. Whatever is staged and not committed is discarded on the way out."""
    with build_lock(out_dir, inputs) as lock_fd:
        set_aside = set_aside_manifest(out_dir) if tolerant else None
        tx = Transaction(out_dir, kinds, read_manifest(out_dir, tolerant, strict), lock_fd, clean, strict)
        tx.set_aside = set_aside
        try:
            yield tx
        finally:
            tx.discard()
            if set_aside and not os.path.lexists(
                out_dir / MANIFEST
            ):  # failed: nothing changes, not even that
                with contextlib.suppress(OSError):
                    os.rename(out_dir / set_aside, out_dir / MANIFEST)


class Transaction:
    """One command's change to output/: its files are staged (staging.py), then switched into place with
    the manifest in one journalled move, all or nothing. The command owns some manifest kinds; entries of
    every other kind (other commands' files) are carried over as they are. Open it with `transaction`."""

    def __init__(
        self, out_dir: Path, kinds: frozenset[str], manifest: dict, lock_fd: int, clean: bool, strict: bool
    ) -> None:
        self.out_dir, self.kinds, self.manifest = out_dir, kinds, manifest
        self.lock_fd, self.clean, self.strict = lock_fd, clean, strict
        self._staging: Staging | None = None
        self.set_aside: str | None = None  # build --clean: the damaged manifest's new name in output/

    @property
    def entries(self) -> list[dict]:
        """The manifest's entries, every command's: as the transaction found them, or as its commit left
        them."""
        return self.manifest["artifacts"]

    def owns(self, entry: dict) -> bool:
        return entry["kind"] in self.kinds

    @property
    def staging(self) -> Staging:
        """The staging folder, made on first use (a command with nothing to write makes none)."""
        from .staging import Staging

        if self._staging is None:
            self._staging = Staging(self.out_dir)
        return self._staging

    def put(self, path: str, data: bytes) -> str:
        """Stage one file (unless output/ already holds these bytes); returns its sha256."""
        return self.staging.put(path, data)

    def read(self, path: str) -> bytes:
        """A file as this transaction will leave it: the staged bytes, else what output/ holds."""
        if self._staging is not None:
            staged = self._staging.new / path
            if path_problem(path) is None and staged.is_file():
                return staged.read_bytes()
        return inside(self.out_dir, path, manifest_source(self.out_dir)).read_bytes()

    def intact(self, entry: dict) -> bool:
        """The file an entry names is in output/ with the sha256 the entry records."""
        if not contained(self.out_dir, entry["path"]):
            return False
        path = self.out_dir / entry["path"]
        return path.is_file() and sha256(path.read_bytes()) == entry["sha256"]

    def write(
        self, artifacts: list[Artifact], plan: Plan, replaced: Callable[[dict], bool] = lambda entry: True
    ) -> WriteReport:
        """Stage these artifacts and commit them (see commit); the manifest names `plan`."""
        entries = [artifact.manifest_entry(self.put(artifact.path, artifact.data)) for artifact in artifacts]
        return self.commit(entries, update={"plan": plan_fields(plan)}, replaced=replaced)

    def commit(
        self,
        entries: list[dict],
        *,
        replaced: Callable[[dict], bool] = lambda entry: True,
        fields: dict | None = None,
        update: dict | None = None,
        owned_last: bool = False,
        more_removes: Callable[[set[str]], list[str]] | None = None,
        summary: Callable[[list[str]], dict] | None = None,
    ) -> WriteReport:
        """Switch what is staged into output/ with the new manifest, at once.

        `entries` are the command's new entries (their files staged, or already in output/). Its old
        entries that `replaced` selects are replaced: removed unless listed again; the others stay when
        their files are still in output/ (read again for their sha256). Other commands' entries stay as
        they are (with `clean`, only those whose files are intact). The manifest's other fields are
        `fields` (default: the old manifest's) updated by `update`; the command's entries come first, or
        after the others' with `owned_last`. `more_removes(listed paths)` adds paths to delete;
        `summary(removed)` is what a kill during the switch leaves for the next build to report (with
        the paths written). Returns what was written, left unchanged and removed."""
        new_paths = {e["path"] for e in entries}
        carried = [
            {**e, "sha256": sha256((self.out_dir / e["path"]).read_bytes())}
            for e in self.entries
            if self.owns(e)
            and not replaced(e)
            and e["path"] not in new_paths
            and contained(self.out_dir, e["path"])
            and (self.out_dir / e["path"]).is_file()
        ]
        others = [e for e in self.entries if not self.owns(e) and (not self.clean or self.intact(e))]
        listed = new_paths | {e["path"] for e in carried} | {e["path"] for e in others}
        # Strict (the build): a path leading out of output/ stops the switch before anything moves.
        # Otherwise such an entry is dropped from the manifest, its file left alone.
        removed = list(
            dict.fromkeys(
                e["path"]
                for e in self.entries
                if e["path"] not in listed and (self.strict or contained(self.out_dir, e["path"]))
            )
        )
        if more_removes is not None:
            removed += [p for p in more_removes(listed) if p not in set(removed)]
        owned = entries + carried
        manifest = dict(self.manifest if fields is None else fields)
        manifest.update(update or {})
        manifest["artifacts"] = others + owned if owned_last else owned + others
        data = manifest_bytes(manifest)
        staged = self._staging.staged() if self._staging is not None else []
        journal_note = {} if summary is None else {**summary(removed), "written": staged}
        changed = data if read_bytes_or_none(self.out_dir / MANIFEST) != data else None
        if changed is not None or staged or removed:
            written = self.staging.commit(removed, changed, journal_note, staged)
        else:
            written = []
        self.manifest = manifest
        done = set(written)
        return WriteReport(
            written=written, unchanged=[e["path"] for e in owned if e["path"] not in done], removed=removed
        )

    def discard(self) -> None:
        if self._staging is not None:
            self._staging.discard()
            self._staging = None


def plan_fields(plan: Plan) -> dict:
    """The manifest's "plan": which plan output/ was made from."""
    return {"title": plan.meta.title, "status": plan.meta.status, "hash": plan.digest}


def write_output(out_dir: Path, plan: Plan, artifacts: list[Artifact], kinds: frozenset[str]) -> WriteReport:
    """Write these artifacts of `kinds` as one transaction, replacing every old entry of those kinds
    (tests, bench: a whole output/ written at once)."""
    with transaction(out_dir, kinds) as tx:
        return tx.write(artifacts, plan)


def read_bytes_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
