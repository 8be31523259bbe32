"""The office withdraws a return recorded by mistake (`plandocs collect --withdraw 单位 --quarter N`).

Nothing is lost: the withdrawal is an event in 记录.csv (操作 撤回, naming the file and its sha256), the
archived return moves to 撤回/Q<N>/, and only the unit's rows of that quarter leave 2023.csv; in 应报.csv
the unit is 未报送 for the quarter again. Collecting a return for it later records it as any first return
(the same file again too: the latest collect counts, see record.py). One transaction, like a collect.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from generators.numerals import to_chinese

from .journal import Change
from .record import WITHDRAWN, current
from .store import NOT_REPORTED, Event, Ledger, LedgerError, LedgerPaths, files, load


@dataclass(frozen=True)
class Withdrawn:
    unit: str  # as the ledger names it now
    quarter: int
    file: str  # the withdrawn return's file name, as collected
    archive: str  # where its copy is now, relative to ledger/ ("" when the ledger held no copy)
    rows: int  # rows of 2023.csv that left


def withdraw(paths: LedgerPaths, unit: str, quarter: int) -> tuple[Withdrawn, Ledger, Change]:
    """The withdrawal of `unit`'s return of `quarter`, prepared (hold journal.ledger_lock, commit the
    Change): the ledger as it will be, for the summary to be made again from it. LedgerError when the
    ledger is damaged or holds no such return."""
    ledger = load(paths)
    record = next((u for u in ledger.units if u.name == unit), None) or next(
        (u for u in ledger.units if unit in u.former), None
    )
    q = to_chinese(quarter)
    if not any(e.quarter == quarter for e in ledger.events):  # no ledger yet, or nothing of that quarter
        raise LedgerError(f"台账中还没有第{q}季度的记录，无从撤回{unit}的报表")
    if record is None:
        raise LedgerError(f"{paths.units}：台账中没有单位“{unit}”，无从撤回；请用计划中的单位名称")
    event = current(ledger).get((quarter, record.unit_id))
    if event is None:
        raise LedgerError(
            f"{paths.history}：台账中没有{record.name}第{q}季度在用的报表（未收到或已撤回），无从撤回"
        )
    change = Change(paths)
    moved = ""
    held = paths.recorded(event.archive)
    if held is not None and held.is_file():
        sha = hashlib.sha256(held.read_bytes()).hexdigest()
        target = paths.withdrawn(quarter, record.unit_id, sha)
        change.move(held, target, sha)
        moved = paths.relative(target)
    kept = [e for e in ledger.entries if not (e.quarter == quarter and e.unit_id == record.unit_id)]
    rows = len(ledger.entries) - len(kept)
    ledger.entries = kept
    ledger.expected = [
        replace(x, outcome=NOT_REPORTED, file="", reporter="", date="", version="", reason="")
        if x.quarter == quarter and x.unit_id == record.unit_id
        else x
        for x in ledger.expected
    ]
    note = f"撤回 {event.file}（存档移至 {moved}）" if moved else f"撤回 {event.file}"
    ledger.events.append(
        Event(
            quarter, record.unit_id, record.name, WITHDRAWN, event.file, event.sha256, event.date, moved, note
        )
    )
    change.writes.update(files(paths, ledger))
    return Withdrawn(record.name, quarter, event.file, moved, rows), ledger, change
