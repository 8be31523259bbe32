"""督办单 (plandocs supervise --quarter N): one letter per unit with tasks to chase after quarter N —
tasks it reported 滞后 or 未启动, rows it left unfilled, or a quarter it did not report at all — and one
list for the office. A unit with nothing to chase gets no letter (the chases: generators/ledger/supervision)."""

from __future__ import annotations

from openpyxl import Workbook

from generators.artifact import Artifact
from generators.dates import chinese_date
from generators.formats.xlsx import default_font, first_sheet, set_properties
from generators.formats.xlsx_bytes import workbook_bytes
from generators.layout import Layout
from generators.ledger import sheets
from generators.ledger.store import safe_name
from generators.ledger.supervision import OVERDUE, Chase, chases
from generators.ledger.workbook import latest_progress
from generators.ledger.year import Line, Year
from generators.periods import Cycle
from generators.render import docx
from generators.render.docx import meta_datetime
from generators.render.letter_parts import common_context, date_indent


def runs(tasks: list, key: dict[str, str]) -> str:
    """措施1—6、10、12—15，任务1—21: numbers in runs, so a unit that sent nothing still gets one page."""
    shown = []
    # a measure named as its draft numbers it (（十三）) is listed by that name, not in a run of numbers
    printed = [
        t for t in tasks if t.kind == "measure" and t.key_text != key["measure"].format(number=t.number)
    ]
    if printed:
        shown.append("、".join(dict.fromkeys(t.key_text for t in sorted(printed, key=lambda t: t.number))))
        tasks = [t for t in tasks if t not in printed]
    for kind in ("measure", "task"):
        numbers = sorted({t.number for t in tasks if t.kind == kind})
        spans: list[list[int]] = []
        for n in numbers:
            if spans and n == spans[-1][1] + 1:
                spans[-1][1] = n
            else:
                spans.append([n, n])
        if spans:
            parts = [f"{a}—{b}" if b > a else str(a) for a, b in spans]
            shown.append(key[kind].format(number=parts[0]) + "".join(f"、{p}" for p in parts[1:]))
    return "，".join(shown)


def status_text(year: Year, line: Line, quarter: int, chase: Chase) -> str:
    """The status the unit reported, and 逾期 with the deadline when the task is past it: 按计划推进，逾期（时限：4月底前）."""
    status = line.statuses[quarter - 1]
    if line not in chase.overdue:
        return status
    deadline = year.overdue(line, quarter)
    return f"{status}，{OVERDUE}（时限：{deadline.text if deadline else ''}）"


def _reasons(chase: Chase, year: Year, quarter: int) -> str:
    counts = []
    for status in (*year.lspec.chase, year.spec.summary.not_filled):
        n = sum(1 for line in chase.lagging if line.statuses[quarter - 1] == status)
        if n:
            counts.append(
                f"{n}项任务{status}" if status != year.spec.summary.not_filled else f"{n}项任务{status}"
            )
    if chase.overdue:
        counts.append(f"{len(chase.overdue)}项任务{OVERDUE}")
    if chase.sent_back:
        counts.append(f"{year.period_names[quarter - 1]}报表被退回、尚未重报")
    elif chase.missing:
        counts.append(f"未报送{year.period_names[quarter - 1]}报表")
    return "，".join(counts)


SHOWN_PROBLEMS = 5  # a 督办单 quotes this many of a refused return's problems; the 退回通知 lists them all


def _missing_reason(chase: Chase, name: str) -> str:
    """Why the unit's period (`name`: 第一季度 …) counts as not reported: nothing sent, or a return sent back
    and why."""
    if not chase.sent_back:
        return f"贵单位未报送{name}进展情况报表"
    problems = list(chase.returned)
    shown = "；".join(problems[:SHOWN_PROBLEMS])
    if len(problems) > SHOWN_PROBLEMS:
        shown += f"等{len(problems)}处问题，详见退回通知"
    return f"贵单位报送的{name}进展情况报表被退回（{shown}），至今未按要求修改重报"


def context(year: Year, layout: Layout, quarter: int, chase: Chase) -> dict:
    plan, spec = year.plan, year.lspec.supervision
    common = common_context(plan, layout)
    reply = plan.meta.reply_dates[quarter - 1] if plan.meta.reply_dates else plan.meta.due_dates[quarter - 1]
    return {
        "title": spec["title"],
        "addressee": chase.full_name,
        "period": f"{plan.meta.year}年{year.period_names[quarter - 1]}",
        "reasons": _reasons(chase, year, quarter),
        "reply_due": chinese_date(reply),
        "office_short": plan.meta.office,
        "missing_reason": _missing_reason(chase, year.period_names[quarter - 1]),
        "returned": list(chase.returned),
        "missing": [line.task.key_text for line in chase.missing],
        "missing_text": runs([line.task for line in chase.missing], year.spec.key),
        "tasks": [
            {
                "key_text": line.task.key_text,
                "task": line.task.task,
                "status": status_text(year, line, quarter, chase),
                "progress": latest_progress(line, quarter, year.period_names) or "（未报送过进展）",
            }
            for line in chase.lagging
        ],
        "contact": plan.meta.contact,
        "phone": plan.meta.phone,
        "office": common["office"],
        # dated like the quarter's 通报: the report due date, plan data, never the clock
        "date": chinese_date(plan.meta.due_dates[quarter - 1]),
        "date_indent": date_indent(common["office"], chinese_date(plan.meta.due_dates[quarter - 1]), layout),
    }


def _names(year: Year, quarter: int) -> dict:
    return Cycle(year.plan.meta.cycle).names(year.plan.meta.year, quarter)


def office_list(year: Year, layout: Layout, quarter: int, found: list[Chase]) -> bytes:
    """The office's list of this quarter's 督办单: one row per unit (its 督办单 is the file named after it; no
    folder of output/ is printed)."""
    spec = year.lspec.supervision
    title = spec["list_title"].format(**_names(year, quarter))
    plan = year.plan
    reply = plan.meta.reply_dates[quarter - 1] if plan.meta.reply_dates else plan.meta.due_dates[quarter - 1]
    header = [
        ("序号", True),
        ("单位", True),
        ("类别", True),
        ("督办事项", False),
        ("督办任务", False),
        ("回复期限", True),
    ]
    rows = []
    for i, chase in enumerate(found, start=1):
        listed = [
            f"{line.task.key_text}（{status_text(year, line, quarter, chase)}）" for line in chase.lagging
        ]
        if (
            chase.missing
        ):  # in runs, as the 督办单 names them (措施1—44，任务1—21): every one, on a line or two
            listed.append(runs([line.task for line in chase.missing], year.spec.key))
        rows.append(
            [
                i,
                chase.unit.name,
                chase.unit.category,
                _reasons(chase, year, quarter),
                "、".join(listed),
                chinese_date(reply),
            ]
        )
    wb = Workbook()
    default_font(wb, layout.xlsx.font, layout.xlsx.size_pt)  # column widths count its digits, not Calibri's
    ws = first_sheet(wb)
    ws.title = "督办清单"
    sheets.table(ws, sheets.styles(layout), title, header, rows, lists=(3, 4))
    sheets.printable(ws, layout, year.spec)
    set_properties(wb, title=title, author=plan.meta.office, when=meta_datetime(plan.meta))
    return workbook_bytes(wb)


def render(year: Year, layout: Layout, quarter: int) -> tuple[list[Artifact], list[Chase]]:
    spec = year.lspec.supervision
    found = chases(year, quarter)
    out = []
    for chase in found:
        path = spec["path"].format(unit=safe_name(chase.unit.name, "单位"), **_names(year, quarter))
        data = docx.render(
            layout.template("supervision"),
            context(year, layout, quarter, chase),
            year.plan.meta,
            title=spec["title"],
        )
        out.append(Artifact(kind="supervision", path=path, data=data, unit=chase.unit.name, quarter=quarter))
    list_path = spec["list_path"].format(**_names(year, quarter))
    out.append(
        Artifact(
            kind="supervision",
            path=list_path,
            data=office_list(year, layout, quarter, found),
            quarter=quarter,
        )
    )
    return out, found
