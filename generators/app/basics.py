"""The plan's basic facts the draft does not print (meta.yaml: 状态, 发文机关, 成文日期, 文号, 函件发出单位 and its
全称, 联系人, 联系电话, 季度报送截止日期) and their 待核实 marks, edited as a form and saved through the
same validated temporary copy of plan/ as the roster."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedSeq

from .roster import RosterOutcome, dump_yaml, load_yaml, validated_write

FIELDS = ("状态", "发文机关", "成文日期", "文号", "函件发出单位", "函件发出单位全称", "联系人", "联系电话")
DUE = "季度报送截止日期"
LISTS = (DUE, "督办回复期限")  # one date a quarter; 督办回复期限 only when the plan has it
ASSUMED = "待核实"


@dataclass(frozen=True)
class Basics:
    values: dict[str, str]  # FIELDS → text
    dates: dict[str, tuple[str, ...]]  # LISTS present in meta.yaml → ISO dates, Q1..Q4
    assumed: frozenset[str] = field(default_factory=frozenset)  # fields still 待核实


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else ("" if value is None else str(value))


def read_basics(plan_dir: Path) -> Basics:
    doc = load_yaml(plan_dir / "meta.yaml")
    return Basics(
        {name: _iso(doc.get(name)) for name in FIELDS},
        {name: tuple(_iso(d) for d in doc.get(name) or ()) for name in LISTS if name in doc},
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
    doc = load_yaml(plan_dir / "meta.yaml")
    for name in FIELDS:
        if name in doc or basics.values.get(name):
            old = doc.get(name)
            new: object = basics.values.get(name, "")
            if name == "成文日期" and isinstance(old, dt.date):
                new = _date_or_text(str(new))
            if _iso(old) != _iso(new):
                doc[name] = new
    for name, dates in basics.dates.items():
        if tuple(_iso(d) for d in doc.get(name) or ()) != dates:
            seq = CommentedSeq(_date_or_text(d) for d in dates)
            seq.fa.set_flow_style()
            doc[name] = seq
    # the marks of fields this form does not edit (分工函抄送 …) stay as they are, in their order
    managed = (*FIELDS, *LISTS)
    existing = [str(x) for x in doc.get(ASSUMED) or ()]
    marks = [x for x in existing if x not in managed or x in basics.assumed]
    marks += [x for x in managed if x in basics.assumed and x not in existing]
    if existing != marks:
        seq = CommentedSeq(marks)
        seq.fa.set_flow_style()
        doc[ASSUMED] = seq
    return validated_write(plan_dir, {"meta.yaml": dump_yaml(doc)})
