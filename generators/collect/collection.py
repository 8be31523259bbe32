"""Which returned form counts for which unit: the folder read, checked and resolved.

Every unit of the plan is in exactly one of three groups: 已报 (a form that counts), 退回 (it sent a file
that was refused: the office sends it back with the reason) and 未报送 (nothing from it in the folder).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generators.formspec import FormsLayout
from generators.layout import Layout
from generators.model import Plan
from generators.views import Views

from ..guard import MARKER, is_output_folder
from .checking import PROBLEM_SEPARATOR, Outcome, Verdict, check_file, resolve_duplicates

NOT_REPORTED = "未报送"


def split_problems(reason: str) -> list[str]:
    """The problems of a reason joined by Collection.reason (as the ledger keeps it)."""
    return [p for p in reason.split(PROBLEM_SEPARATOR) if p]


@dataclass(frozen=True)
class Collection:
    quarter: int
    units: tuple[str, ...]  # every unit of the plan that reports, registry order
    verdicts: tuple[Verdict, ...]  # one per file, in path order
    reports: dict[str, Verdict]  # 已报: unit → the form that counts, registry order
    returned: dict[str, Verdict]  # 退回: unit → its refused file (errors[0] is the reason), registry order
    not_reported: tuple[str, ...]  # 未报送: units with no file at all, registry order
    unmatched: tuple[Verdict, ...] = ()  # refused files that name no unit of the plan

    @property
    def expected(self) -> int:
        return len(self.reports) + len(self.returned) + len(self.not_reported)

    def reason(self, unit: str) -> str:
        """Why a unit counts as not reported: 未报送, or every problem of its refused file, as the unit is told
        them (no file name, no cell address): the 汇总表 and the ledger's 退回原因."""
        verdict = self.returned.get(unit)
        return NOT_REPORTED if verdict is None else PROBLEM_SEPARATOR.join(verdict.problems)

    def problems(self, unit: str) -> list[str]:
        """Every problem of a 退回 unit's refused file ([] for any other unit)."""
        verdict = self.returned.get(unit)
        return [] if verdict is None else verdict.problems

    @property
    def missing(self) -> dict[str, str]:
        """Every unit without a form that counts (退回 and 未报送), registry order → its reason."""
        return {u: self.reason(u) for u in self.units if u not in self.reports}

    @property
    def has_returns(self) -> bool:
        """Whether any file in the folder is a unit's return (counted or sent back)."""
        return bool(self.reports or self.returned)


def returned_files(folder: Path, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """The files of the returns folder, in path order: not inside a hidden folder (.git, .venv) nor inside
    `exclude` (plandocs' own output, whose forms/ holds the blank forms it sent out, and the ledger)."""
    here = folder.resolve()  # a folder the returns folder is inside is not left out (ledger/2023/Q1 re-read)
    # any plandocs output folder below it too (output/ of `collect .` from a project root, whatever --out says)
    outputs = [m.parent for m in folder.rglob(MARKER)] + [m.parent for m in folder.rglob("manifest.json")]
    exclude = (*exclude, *(o for o in outputs if o != folder and is_output_folder(o)))
    skipped = tuple(p for p in (e.resolve() for e in exclude) if not here.is_relative_to(p))
    left_out: dict[Path, bool] = {}  # per folder, resolved once
    found = []
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if any(part.startswith(".") for part in parts[:-1]) or not path.is_file():
            continue
        if skipped and path.parent not in left_out:
            parent = path.parent.resolve()
            left_out[path.parent] = any(parent.is_relative_to(p) for p in skipped)
        if left_out.get(path.parent):
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _outside(path: Path, folder: Path) -> Verdict | None:
    """A link in the folder that points elsewhere is not read: collect reads the returns folder only."""
    if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
        verdict = Verdict(path)
        verdict.reject("是指向文件夹以外的链接，不予读取；请把报表文件本身放入文件夹")
        return verdict
    return None


# Checking one return costs a few milliseconds, all of it Python: a city's 2,000 returns are read by one
# worker process per core. Below PARALLEL_FROM files, starting the workers costs more than it saves.
PARALLEL_FROM = 64
# What the workers check, set before they fork so that they inherit the plan (it does not pickle cheaply).
_PENDING: list = []


def _check(index: int) -> Verdict:
    plan, views, spec, quarter, folder, paths, today = _PENDING
    path = paths[index]
    return _outside(path, folder) or check_file(path, plan, views, spec, quarter, folder, today)


def _checked(
    plan: Plan,
    views: Views,
    spec: FormsLayout,
    quarter: int,
    folder: Path,
    workers: int,
    exclude: tuple[Path, ...],
    today: dt.date,
) -> list[Verdict]:
    """Every file's verdict, in path order, whether one process or several checked them."""
    paths = returned_files(folder, exclude)
    _PENDING[:] = [plan, views, spec, quarter, folder, paths, today]
    try:
        forking = "fork" in multiprocessing.get_all_start_methods()
        if workers <= 1 or len(paths) < PARALLEL_FROM or not forking:
            return [_check(i) for i in range(len(paths))]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            chunk = max(1, len(paths) // (workers * 8))
            return list(pool.map(_check, range(len(paths)), chunksize=chunk))
    finally:
        _PENDING.clear()


def collect(
    plan: Plan,
    views: Views,
    layout: Layout,
    quarter: int,
    folder: Path,
    workers: int | None = None,
    exclude: tuple[Path, ...] = (),
    today: dt.date | None = None,
) -> Collection:
    """Read and check every file in folder (workers: processes; default one per core), leaving out the
    folders in `exclude` (the output folder, the ledger); no 填报日期 may be after `today` (the clock's)."""
    spec = FormsLayout.of(layout)
    workers = workers or os.cpu_count() or 1
    verdicts = _checked(plan, views, spec, quarter, folder, workers, exclude, today or dt.date.today())
    resolve_duplicates(verdicts, quarter)
    counted = {v.unit: v for v in verdicts if v.outcome is Outcome.ACCEPTED}
    refused: dict[str, Verdict] = {}
    for v in verdicts:  # a refused form that was matched first, then one that only its name claims
        owner = v.owner if v.outcome is Outcome.REJECTED else None
        if owner and owner not in counted and (owner not in refused or (v.unit and not refused[owner].unit)):
            refused[owner] = v
    units = tuple(views.assignments)
    return Collection(
        quarter=quarter,
        units=units,
        verdicts=tuple(verdicts),
        reports={u: counted[u] for u in units if u in counted},
        returned={u: refused[u] for u in units if u in refused},
        not_reported=tuple(u for u in units if u not in counted and u not in refused),
        unmatched=tuple(v for v in verdicts if v.outcome is Outcome.REJECTED and not v.owner),
    )
