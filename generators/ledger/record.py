"""Record a quarter's accepted returns in the ledger: rows, an archived copy, a history line.

A return already recorded (same bytes) is left alone, so collecting the same folder twice changes
nothing. A different return for a unit and quarter already recorded replaces it: the ledger and the
summary follow one rule, the return the latest collect counted counts (within one folder, the newest
填报日期: checking.resolve_duplicates). The old rows give way, the old copy moves to 被替换/, and the new
rows and the history say what was replaced (and when the replaced one bore a later 填报日期, the console
says so: collecting the folder of that one again puts it back). Nothing in ledger/ is ever deleted.

Besides the rows, the quarter's register (应报.csv: every unit asked, 已报/退回/未报送, the tasks it held)
and its task list (季度任务.csv) are brought up to date, so the quarter's summary and 通报 can be rebuilt
from the ledger alone: a unit whose return the ledger holds stays 已报 whatever a later folder lacks.

Everything is prepared first (`prepare`, which reads and checks the whole ledger and changes nothing),
then committed as one transaction (journal.Change): collect checks the ledger before it writes its summary.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from generators.collect.collection import Collection
from generators.collect.tally import Tally
from generators.dates import chinese_date
from generators.formspec import FormsLayout
from generators.model import Plan
from generators.views import Views

from .journal import Change, ledger_lock
from .registers import Identities, sync
from .store import (
    NOT_REPORTED,
    REPORTED,
    RETURNED,
    Entry,
    Event,
    Expected,
    Ledger,
    LedgerPaths,
    QuarterTask,
    files,
    load,
)

ACCEPTED, REPLACED, KEPT, WITHDRAWN = "接收", "替换", "保留", "撤回"
# Files are named as the summary shows them (Verdict.name): a name that is not UTF-8 or holds a control
# character cannot go into a CSV or a workbook as it is.


@dataclass
class Recorded:
    added: list[str] = field(default_factory=list)  # units recorded for the first time this quarter
    replaced: list[str] = field(default_factory=list)  # "unit：old file → new file"
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the office should know (a later-dated one replaced)
    migrated: bool = False  # the ledger was in an older format and is now written in the current one


@dataclass
class Pending:
    """A recording prepared and checked, not yet in ledger/: commit() switches it in, all at once."""

    recorded: Recorded
    change: Change
    ledger: Ledger  # the quarter's ledger as the commit writes it (other quarters kept as text)

    def commit(self) -> None:
        self.change.commit()


def current(ledger: Ledger) -> dict[tuple[int, str], Event]:
    """(quarter, unit id) → the event of the return that counts now (a withdrawn one counts no more)."""
    latest: dict[tuple[int, str], Event] = {}
    for event in ledger.events:
        if event.action in (ACCEPTED, REPLACED):
            latest[(event.quarter, event.unit_id)] = event
        elif event.action == WITHDRAWN:
            latest.pop((event.quarter, event.unit_id), None)
    return latest


def record(
    paths: LedgerPaths,
    plan: Plan,
    views: Views,
    spec: FormsLayout,
    collection: Collection,
    tally: Tally | None = None,
) -> Recorded:
    """Record the collection's accepted returns, as one transaction; `tally` is the summary's, when it
    was made already."""
    with ledger_lock(paths):
        pending = prepare(paths, plan, views, spec, collection, tally)
        pending.commit()
    return pending.recorded


def prepare(
    paths: LedgerPaths,
    plan: Plan,
    views: Views,
    spec: FormsLayout,
    collection: Collection,
    tally: Tally | None = None,
) -> Pending:
    """What recording the collection changes in ledger/, checked and staged in memory (hold ledger_lock
    from here to the commit). Raises LedgerError on a damaged ledger, before anything is written."""
    quarter = collection.quarter
    ledger = load(paths, only=quarter)
    ids = sync(ledger, plan, views, spec, quarter)
    latest = current(ledger)
    withdrawn = {(e.quarter, e.unit_id, e.sha256) for e in ledger.events if e.action == WITHDRAWN}
    rows_of: dict[str, list] = {}
    tally = tally or Tally(views, spec, collection)
    for row in tally.rows:
        rows_of.setdefault(row.unit, []).append(row)
    done = Recorded(migrated=ledger.migrated)
    change = Change(paths)
    fresh: set[str] = set()  # units whose return is recorded by this collection
    # rows an older ledger recorded without 责任类型: filled in when the same return comes again
    roleless = {e.unit_id for e in ledger.entries if e.quarter == quarter and not e.role}
    roles: dict[str, dict[str, str]] = {}
    dropped: set[str] = set()  # units whose rows of the quarter this collection's return replaces
    recorded: list[Entry] = []
    for unit, verdict in collection.reports.items():
        unit_id = ids.unit_of[unit]
        data = verdict.path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        date = verdict.date.isoformat() if verdict.date else ""
        before = latest.get((quarter, unit_id))
        if before is not None and before.sha256 == sha:
            done.unchanged.append(unit)
            if unit_id in roleless:
                roles[unit_id] = {ids.task_of[r.key]: r.role for r in rows_of.get(unit, [])}
            continue
        archive = paths.archive(quarter, unit_id, sha)
        change.archive(archive, verdict.path, sha)
        replaces = ""
        if before is not None:
            moved = _move_away(paths, change, quarter, unit_id, before, archive)
            shown = chinese_date(before.date) if before.date else "未填"
            replaces = f"替换 {before.file}（填报日期 {shown}，存档 {paths.relative(moved)}）"
            done.replaced.append(f"{unit}：{before.file} → {verdict.name}")
            if date and before.date and date < before.date:
                done.notes.append(
                    f"{unit}：{verdict.name}（填报日期 {chinese_date(date)}）替换了填报日期更晚的 {before.file}"
                    f"（{chinese_date(before.date)}）；如收错了，请重新收取那一份"
                )
        else:
            done.added.append(unit)
            if (quarter, unit_id, sha) in withdrawn:
                done.notes.append(f"{unit}：{verdict.name} 曾被撤回，现重新记入台账")
        dropped.add(unit_id)  # also rows a killed older plandocs wrote without their event
        relative, name = paths.relative(archive), verdict.name
        reporter = str(verdict.returned.reporter.get(spec.reporter[0]) or "").strip()
        for row in rows_of.get(unit, []):
            recorded.append(
                Entry(
                    quarter,
                    unit_id,
                    unit,
                    ids.task_of[row.key],
                    row.key_text,
                    row.task,
                    row.role,
                    row.status,
                    row.progress,
                    row.problems,
                    row.next_steps,
                    reporter,
                    date,
                    name,
                    relative,
                    replaces,
                )
            )
        action = REPLACED if before is not None else ACCEPTED
        fresh.add(unit)
        ledger.events.append(
            Event(quarter, unit_id, unit, action, verdict.name, sha, date, relative, replaces)
        )
    if dropped:  # the rows of the returns replaced, once for all of them
        ledger.entries = [e for e in ledger.entries if not (e.quarter == quarter and e.unit_id in dropped)]
    ledger.entries += recorded
    if roles:
        _fill_roles(ledger, quarter, roles)
    _register_quarter(ledger, views, spec, collection, ids, fresh, tally)
    change.writes.update(files(paths, ledger))
    return Pending(done, change, ledger)


def _move_away(
    paths: LedgerPaths, change: Change, quarter: int, unit_id: str, before: Event, archive: Path
) -> Path:
    """The replaced return's archive goes to 被替换/, named by the bytes it holds (an older ledger's
    archive name may hold other bytes than its event says, after a kill in an older plandocs)."""
    old = paths.recorded(before.archive)
    if old is None or not old.is_file() or old == archive:
        return paths.replaced(quarter, unit_id, before.sha256)
    held = hashlib.sha256(old.read_bytes()).hexdigest()
    moved = paths.replaced(quarter, unit_id, held)
    change.move(old, moved, held)
    return moved


def _fill_roles(ledger: Ledger, quarter: int, roles: dict[str, dict[str, str]]) -> None:
    """Rows an older ledger recorded without 责任类型 get it from the same return read again."""
    ledger.entries = [
        replace(e, role=roles[e.unit_id].get(e.task_id, ""))
        if e.quarter == quarter and e.unit_id in roles and not e.role
        else e
        for e in ledger.entries
    ]


def _register_quarter(
    ledger: Ledger,
    views: Views,
    spec: FormsLayout,
    collection: Collection,
    ids: Identities,
    fresh: set[str],
    tally: Tally,
) -> None:
    """应报.csv and 季度任务.csv for the quarter: this collection merged into what the ledger had.

    A unit whose return was recorded now gets a fresh 已报 row; one whose earlier return the ledger keeps
    stays as it was; a refused file makes a unit 退回 unless the ledger already holds a return of it; a
    unit with nothing anywhere is 未报送. Units the ledger had for the quarter but the plan no longer
    asks stay, after the plan's units."""
    quarter = collection.quarter
    before = {x.unit_id: x for x in ledger.expected if x.quarter == quarter}
    category = tally.category
    rows: list[Expected] = []
    for unit in collection.units:
        unit_id = ids.unit_of[unit]
        old = before.pop(unit_id, None)
        tasks = tuple(ids.task_of[a.key] for a in views.assignments[unit].all)
        verdict = collection.reports.get(unit)
        if verdict is not None and (unit in fresh or old is None or old.outcome != REPORTED):
            form = verdict.returned
            reporter = str(form.reporter.get(spec.reporter[0]) or "").strip() if form else ""
            version = form.ident.get("计划版本", "") if form else ""
            date = verdict.date.isoformat() if verdict.date else ""
            row = Expected(quarter, unit_id, unit, category[unit], REPORTED, verdict.name, reporter, date)
            rows.append(replace(row, version=version, tasks=tasks))
        elif old is not None and (old.outcome == REPORTED or unit not in collection.returned):
            rows.append(old)
        elif unit in collection.returned:
            refused = collection.returned[unit]
            reason = collection.reason(unit)  # every problem, as the unit is told them
            rows.append(
                Expected(
                    quarter,
                    unit_id,
                    unit,
                    category[unit],
                    RETURNED,
                    refused.name,
                    reason=reason,
                    tasks=tasks,
                )
            )
        else:
            rows.append(Expected(quarter, unit_id, unit, category[unit], NOT_REPORTED, tasks=tasks))
    rows += before.values()
    ledger.expected = [x for x in ledger.expected if x.quarter != quarter] + rows
    listed = [QuarterTask(quarter, ids.task_of[t.key], t.key_text, t.task) for t in tally.by_task]
    known = {t.task_id for t in listed}
    listed += [t for t in ledger.quarter_tasks if t.quarter == quarter and t.task_id not in known]
    ledger.quarter_tasks = [t for t in ledger.quarter_tasks if t.quarter != quarter] + listed
