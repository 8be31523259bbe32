"""Record a quarter's accepted returns in the ledger: rows, an archived copy, a history line.

A return already recorded (same bytes) is left alone, so collecting the same folder twice changes
nothing. A different return for a unit and quarter already recorded replaces it when it is not older
(填报日期): the old rows give way, the old copy moves to 被替换/, and the new rows and the history say
what was replaced. Nothing in ledger/ is ever deleted.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from generators.collect.collection import Collection
from generators.collect.tally import Tally
from generators.dates import chinese_date
from generators.formspec import FormsLayout
from generators.model import Plan
from generators.output import atomic_write
from generators.views import Views

from .registers import sync
from .store import Entry, Event, LedgerError, LedgerPaths, load, save

ACCEPTED, REPLACED, KEPT = "接收", "替换", "保留"


@dataclass
class Recorded:
    added: list[str] = field(default_factory=list)  # units recorded for the first time this quarter
    replaced: list[str] = field(default_factory=list)  # "unit：old file → new file"
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # a newer return was already recorded: why


def record(
    paths: LedgerPaths, plan: Plan, views: Views, spec: FormsLayout, collection: Collection
) -> Recorded:
    quarter = collection.quarter
    ledger = load(paths)
    ids = sync(ledger, plan, views, spec, quarter)
    latest = {}  # (quarter, unit id) → the event of the return that counts now
    for event in ledger.events:
        if event.action in (ACCEPTED, REPLACED):
            latest[(event.quarter, event.unit_id)] = event
    rows_of: dict[str, list] = {}
    for row in Tally(views, spec, collection).rows:
        rows_of.setdefault(row.unit, []).append(row)
    done = Recorded()
    for unit, verdict in collection.reports.items():
        unit_id = ids.unit_of[unit]
        data = verdict.path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        date = verdict.date.isoformat() if verdict.date else ""
        before = latest.get((quarter, unit_id))
        if before is not None and before.sha256 == sha:
            done.unchanged.append(unit)
            continue
        if before is not None and date < before.date:
            note = f"账本中已有填报日期更晚的报表 {before.file}（{chinese_date(before.date)}），{verdict.path.name} 未替换它"
            done.kept.append(f"{unit}：{note}")
            ledger.events.append(Event(quarter, unit_id, unit, KEPT, verdict.path.name, sha, date, "", note))
            continue
        archive = paths.archive(quarter, unit_id)
        replaces = ""
        if before is not None:
            moved = paths.replaced(quarter, unit_id, before.sha256)
            moved.parent.mkdir(parents=True, exist_ok=True)
            if archive.is_file():
                os.replace(archive, moved)
            shown = chinese_date(before.date) if before.date else "未填"
            replaces = f"替换 {before.file}（填报日期 {shown}，存档 {paths.relative(moved)}）"
            ledger.entries = [
                e for e in ledger.entries if not (e.quarter == quarter and e.unit_id == unit_id)
            ]
            done.replaced.append(f"{unit}：{before.file} → {verdict.path.name}")
        else:
            done.added.append(unit)
        atomic_write(archive, data)
        if hashlib.sha256(archive.read_bytes()).hexdigest() != sha:
            raise LedgerError(f"{archive}：存档副本与 {verdict.path} 不一致，请检查磁盘后重试")
        relative = paths.relative(archive)
        reporter = str(verdict.returned.reporter.get(spec.reporter[0]) or "").strip()
        for row in rows_of.get(unit, []):
            ledger.entries.append(
                Entry(
                    quarter,
                    unit_id,
                    unit,
                    ids.task_of[row.key],
                    row.key_text,
                    row.task,
                    row.status,
                    row.progress,
                    row.problems,
                    row.next_steps,
                    reporter,
                    date,
                    verdict.path.name,
                    relative,
                    replaces,
                )
            )
        action = REPLACED if before is not None else ACCEPTED
        ledger.events.append(
            Event(quarter, unit_id, unit, action, verdict.path.name, sha, date, relative, replaces)
        )
    save(paths, ledger)
    return done
