"""The plan's basic facts the draft does not print (meta.yaml: 状态, 发文机关, 成文日期, 文号, 函件发出单位 and its
全称, 联系人, 联系电话, 季度报送截止日期) and their 待核实 marks, edited as a form and saved through the
same validated temporary copy of plan/ as the roster."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedSeq

from .roster import RosterOutcome, _dump, _load, validated_write

FIELDS = ("状态", "发文机关", "成文日期", "文号", "函件发出单位", "函件发出单位全称", "联系人", "联系电话")
DUE = "季度报送截止日期"
ASSUMED = "待核实"


@dataclass(frozen=True)
class Basics:
    values: dict[str, str]  # FIELDS → text
    due_dates: tuple[str, ...]  # ISO, Q1..Q4
    assumed: frozenset[str] = field(default_factory=frozenset)  # fields still 待核实


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else ("" if value is None else str(value))


def read_basics(plan_dir: Path) -> Basics:
    doc = _load(plan_dir / "meta.yaml")
    return Basics(
        {name: _iso(doc.get(name)) for name in FIELDS},
        tuple(_iso(d) for d in doc.get(DUE) or ()),
        frozenset(str(x) for x in doc.get(ASSUMED) or ()),
    )


def _date_or_text(text: str) -> object:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text  # the loader reports it at its line


def save_basics(plan_dir: Path, basics: Basics) -> RosterOutcome:
    """Write meta.yaml when the plan loads with it; else nothing, and every problem at meta.yaml:line:col."""
    if basics == read_basics(plan_dir):
        return RosterOutcome()
    doc = _load(plan_dir / "meta.yaml")
    for name in FIELDS:
        if name in doc or basics.values.get(name):
            old = doc.get(name)
            new: object = basics.values.get(name, "")
            if name == "成文日期" and isinstance(old, dt.date):
                new = _date_or_text(str(new))
            if _iso(old) != _iso(new):
                doc[name] = new
    if tuple(_iso(d) for d in doc.get(DUE) or ()) != basics.due_dates:
        due = CommentedSeq(_date_or_text(d) for d in basics.due_dates)
        due.fa.set_flow_style()
        doc[DUE] = due
    marks = [name for name in (*FIELDS, DUE) if name in basics.assumed]
    if frozenset(str(x) for x in doc.get(ASSUMED) or ()) != frozenset(marks):
        seq = CommentedSeq(marks)
        seq.fa.set_flow_style()
        doc[ASSUMED] = seq
    return validated_write(plan_dir, {"meta.yaml": _dump(doc)})
