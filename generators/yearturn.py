"""`plandocs new-year`: last year's plan/, ledger/, output/ and 稿次/ moved under 归档/<年度>/ (nothing
deleted, every file as it was), then the new year's draft made the plan in plan/, so `make docs` builds it.

The new plan is made first, in a staging folder: a draft that cannot be read changes nothing. The folders
are then moved with renames into a hidden 归档/.<年度>-归档中 folder, which is renamed to 归档/<年度> once all
are in; an interrupted run is put back by the next one (the journal in the hidden folder says from where).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BAD_INPUT, UserError, os_reason
from .importer import ImportReport
from .importer.newplan import new_plan
from .ledger.store import LEDGER_DIR
from .plan import PlanError, load_plan
from .rounds import ROUNDS_DIR

ARCHIVE_DIR = "归档"
JOURNAL = "归档记录.json"
STAGING_PREFIX = ".plan-new-year-"  # the new plan, made before anything moves


class YearTurnError(UserError):
    exit_code = BAD_INPUT


@dataclass
class YearTurn:
    year: int = 0
    archive: Path = Path()
    moved: list[tuple[Path, Path]] = field(default_factory=list)  # (where it was, where it is now)
    report: ImportReport = field(default_factory=ImportReport)
    restored: list[Path] = field(default_factory=list)  # put back from an interrupted run


def archive_of(plan_dir: Path, year: int) -> Path:
    return plan_dir.resolve().parent / ARCHIVE_DIR / str(year)


def turn_year(draft: Path, plan_dir: Path, out_dir: Path, year: int | None = None) -> YearTurn:
    turn = YearTurn()
    turn.restored = _resume(plan_dir)
    turn.year = year if year is not None else _year_of(plan_dir)
    turn.archive = archive_of(plan_dir, turn.year)
    if turn.archive.parent.is_symlink():  # the year's folders would leave the project through it
        raise YearTurnError(
            f"{turn.archive.parent}：是指向别处的链接，年度归档只移入计划目录旁的 {ARCHIVE_DIR}/ 本身；"
            "请删去该链接后重新运行"
        )
    if turn.archive.exists():
        raise YearTurnError(
            f"{turn.archive}：{turn.year} 年度已经归档过，不再覆盖；如要归档别的年度请用 --year"
        )
    base = plan_dir.resolve().parent
    folders = [
        ("plan", plan_dir.resolve()),
        (LEDGER_DIR, base / LEDGER_DIR),
        ("output", out_dir.resolve()),
        (ROUNDS_DIR, base / ROUNDS_DIR),
    ]
    staging = Path(tempfile.mkdtemp(dir=base, prefix=STAGING_PREFIX))
    try:
        turn.report = new_plan(draft, staging / "plan")
        if turn.report.problems:
            shown = str(staging / "plan")
            turn.report.problems = [p.replace(shown, str(plan_dir)) for p in turn.report.problems]
            return turn
        new_year = load_plan(staging / "plan").meta.year
        if new_year == turn.year:
            raise YearTurnError(
                f"{draft}：新草稿的年度也是 {new_year}，与要归档的计划相同；新年度的草稿标题应写新的年度"
                "（同一年度的修改稿请用 plandocs import）"
            )
        with _output_held(out_dir):  # not while a build, collect or pdf is writing output/
            turn.moved = _archive([(name, path) for name, path in folders if path.exists()], turn.archive)
        os.rename(staging / "plan", plan_dir)
        turn.report.written = [plan_dir / path.name for path in turn.report.written]
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # the staging folder this run made (empty on success)
    return turn


@contextlib.contextmanager
def _output_held(out_dir: Path) -> Iterator[None]:
    """output/'s lock, when output/ exists (BuildLocked when another command holds it)."""
    if not out_dir.is_dir():
        yield
        return
    from .output import build_lock

    with build_lock(out_dir):
        yield


def _year_of(plan_dir: Path) -> int:
    try:
        return load_plan(plan_dir).meta.year
    except PlanError as err:
        raise YearTurnError(
            f"{plan_dir}：读不出当前计划的年度（{err.problems[0] if err.problems else ''}）；请用 --year 指定要归档的年度"
        ) from err


def _partial(archive: Path) -> Path:
    return archive.parent / f".{archive.name}-归档中"


def _archive(folders: list[tuple[str, Path]], archive: Path) -> list[tuple[Path, Path]]:
    """Each folder renamed into the archive; on any failure every move is undone (no folder is lost)."""
    partial = _partial(archive)
    partial.mkdir(parents=True)
    journal = {name: str(path) for name, path in folders}
    (partial / JOURNAL).write_text(json.dumps(journal, ensure_ascii=False, indent=1), encoding="utf-8")
    moved: list[tuple[Path, Path]] = []
    try:
        for name, path in folders:
            try:
                os.rename(path, partial / name)
            except OSError as err:
                raise YearTurnError(
                    f"{path}：无法移入 {archive}（{os_reason(err)}）；{path} 须与计划目录在同一磁盘上，且没有被其他程序打开"
                ) from err
            moved.append((path, archive / name))
        os.rename(partial, archive)
    except BaseException:
        for (path, _), (name, _) in zip(reversed(moved), reversed(folders[: len(moved)]), strict=True):
            os.rename(partial / name, path)
        (partial / JOURNAL).unlink()
        partial.rmdir()
        raise
    return moved


def _resume(plan_dir: Path) -> list[Path]:
    """Folders a killed run left in a hidden 归档中 folder, put back where its journal says they were."""
    base = plan_dir.resolve().parent
    for stale in base.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)  # a new plan a killed run had staged: it is made again
    root = base / ARCHIVE_DIR
    restored: list[Path] = []
    for partial in sorted(root.glob(".*-归档中")) if root.is_dir() else ():
        try:
            journal = json.loads((partial / JOURNAL).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise YearTurnError(
                f"{partial}：上次归档未完成且没有可读的归档记录，请把其中的目录移回原处后再运行"
            ) from None
        for name, original in journal.items():
            if (partial / name).exists():
                if Path(original).exists():
                    raise YearTurnError(
                        f"{partial / name}：上次归档未完成，而 {original} 已另有内容；请核对后手工移回"
                    )
                os.rename(partial / name, original)
                restored.append(Path(original))
        (partial / JOURNAL).unlink()
        partial.rmdir()
    return restored
