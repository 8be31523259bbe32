"""Stable identities across plan revisions: which task and which unit of the current plan each ledger
record belongs to.

Tasks are matched by their text with the diff machinery's matcher (generators/diff/matching.py), so a
renumbered or reworded measure keeps its id and its history; a task gone from the plan keeps its rows and
is marked as left from that quarter; a new task gets a new id and starts in the quarter it first appears.
Units are matched by name, and a vanished name is paired with a new one the way diff recognises a rename
(generators/diff/identity.py: same full name, same places in the plan, or a similar name), so a renamed
unit's history follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from generators.diff.identity import rename_score
from generators.diff.matching import match_texts
from generators.formspec import FormsLayout
from generators.model import Category, Plan, Unit
from generators.render.form_workbook import RowCells, row_cells
from generators.views import Views

from .store import Ledger, TaskRecord, UnitRecord

RENAMED = 0.5  # diff's threshold for a rename


@dataclass(frozen=True)
class Identities:
    task_of: dict[str, str]  # assignment key now (M12 / K5) → task id
    unit_of: dict[str, str]  # unit name now → unit id


def _plan_tasks(plan: Plan, views: Views, spec: FormsLayout) -> dict[str, TaskRecord]:
    """Every measure and key task of the plan as a register record (id not yet known), plan order."""
    out: dict[str, TaskRecord] = {}
    labels: dict[str, RowCells] = {}
    for held in views.assignments.values():
        for index, a in enumerate(held.all, start=1):
            if a.key not in labels:
                labels[a.key] = row_cells(views, spec, index, a)
    for part in plan.parts:
        for section in part.sections:
            for m in section.measures:
                subs = [
                    (f"M{m.subtask_key(i)}", spec.subtask_key(m, i), f"{m.text}{s.text}")
                    for i, s in enumerate(m.subtasks, 1)
                ]
                for key, key_text, words in subs or [(f"M{m.number}", spec.measure_key(m), m.text)]:
                    task = labels[key]["task"] if key in labels else section.title
                    out[key] = TaskRecord("", "measure", m.number, key_text, task, words, "", part.heading)
    parts = {p.number: p.heading for p in plan.parts}
    for group in plan.annex.groups:
        for t in group.tasks:
            out[f"K{t.number}"] = TaskRecord(
                "",
                "task",
                t.number,
                spec.key["task"].format(number=t.number),
                t.name,
                f"{t.name}\n{t.content}",
                "、".join(t.leaders),
                parts.get(group.part or "", group.name),
            )
    return out


def _fresh_id(key: str, quarter: int, taken: set[str]) -> str:
    candidate, n = key, 1
    while candidate in taken:
        candidate = f"{key}-Q{quarter}" if n == 1 else f"{key}-Q{quarter}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def sync(ledger: Ledger, plan: Plan, views: Views, spec: FormsLayout, quarter: int) -> Identities:
    """Bring the registers up to the current plan as of `quarter` (in place) and return the mapping."""
    first = not ledger.tasks and not ledger.units
    start = 1 if first else quarter
    task_of = _sync_tasks(ledger, _plan_tasks(plan, views, spec), quarter, start)
    unit_of = _sync_units(ledger, plan, views, task_of, quarter, start)
    return Identities(task_of, unit_of)


def _sync_tasks(ledger: Ledger, now: dict[str, TaskRecord], quarter: int, start: int) -> dict[str, str]:
    task_of: dict[str, str] = {}
    taken = {t.task_id for t in ledger.tasks}
    last_seen: dict[str, int] = {}  # read from every row only when a task has left the plan
    for kind in ("measure", "task"):
        active = [t for t in ledger.tasks if t.kind == kind and not t.end]
        keys = [k for k, t in now.items() if t.kind == kind]
        pairs = match_texts([t.text for t in active], [now[k].text for k in keys])
        for i, record in enumerate(active):
            if i not in pairs:
                if not last_seen:
                    for quarter_of_row, _, task_id in ledger.facts():
                        last_seen[task_id] = max(last_seen.get(task_id, 0), quarter_of_row)
                # left the plan: its rows stay, it is no longer expected (a late return for an
                # earlier quarter does not cut off the quarters it was reported in)
                record.end = max(quarter, last_seen.get(record.task_id, 0) + 1)
                continue
            key = keys[pairs[i]]
            fresh = now[key]
            record.number, record.key_text, record.task = fresh.number, fresh.key_text, fresh.task
            record.text, record.leaders, record.part = fresh.text, fresh.leaders, fresh.part
            task_of[key] = record.task_id
        for key in keys:
            if key not in task_of:
                record = now[key]
                record.task_id, record.start = _fresh_id(key, quarter, taken), start
                ledger.tasks.append(record)
                task_of[key] = record.task_id
    return task_of


def _unit(record: UnitRecord) -> Unit:
    return Unit(record.name, record.full_name, Category(record.category))


def _sync_units(
    ledger: Ledger, plan: Plan, views: Views, task_of: dict[str, str], quarter: int, start: int
) -> dict[str, str]:
    units = {u.name: u for u in plan.units if u.name in views.assignments}
    active = {r.name: r for r in ledger.units if not r.end}
    unit_of = {name: active[name].unit_id for name in units if name in active}
    gone = [r for name, r in active.items() if name not in units]
    came = [u for name, u in units.items() if name not in active]
    if gone and came:
        held_before: dict[str, set] = {}
        for _, unit_id, task_id in ledger.facts():
            held_before.setdefault(unit_id, set()).add(("任务", task_id))
        held_now = {u.name: {("任务", task_of[a.key]) for a in views.assignments[u.name].all} for u in came}
        scored = sorted(
            (-score, r.unit_id, u.name)
            for r in gone
            for u in came
            if (score := rename_score(_unit(r), u, held_before.get(r.unit_id, set()), held_now[u.name]))
            >= RENAMED
        )
        by_id = {r.unit_id: r for r in gone}
        for _, unit_id, name in scored:
            record = by_id[unit_id]
            if name in unit_of or unit_id in unit_of.values():
                continue
            record.former.append(record.name)
            record.name = name
            unit_of[name] = unit_id
    for record in gone:
        if record.unit_id not in unit_of.values():
            record.end = quarter
    taken = {r.unit_id for r in ledger.units}
    by_id = {r.unit_id: r for r in ledger.units}
    for name, unit in units.items():
        kept = by_id.get(unit_of.get(name, ""))
        if kept is None:
            kept = UnitRecord(
                _fresh_id(name, quarter, taken), name, unit.full_name, unit.category.value, [], start
            )
            ledger.units.append(kept)
            unit_of[name] = kept.unit_id
        kept.full_name, kept.category = unit.full_name, unit.category.value
    return unit_of
