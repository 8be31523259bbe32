"""年度完成情况 (plandocs year-summary): the draft report (templates/year_summary.docx) and the workbook,
both printing the figures of one YearEnd (generators/ledger/year_summary), so they cannot disagree."""

from __future__ import annotations

from openpyxl import Workbook

from generators.artifact import Artifact
from generators.dates import chinese_date
from generators.formats.xlsx import default_font, first_sheet, set_properties
from generators.formats.xlsx_bytes import workbook_bytes
from generators.layout import Layout
from generators.ledger import sheets
from generators.ledger.workbook import LEADER_HEADER, LEADER_STATUS, leader_rows
from generators.ledger.year import Year
from generators.ledger.year_summary import YearEnd
from generators.render import docx
from generators.render.docx import meta_datetime
from generators.render.letter_parts import date_indent


def context(end: YearEnd, layout: Layout) -> dict:
    year, plan = end.year, end.year.plan
    title = year.lspec.year_summary["title"].format(year=plan.meta.year)
    date = chinese_date(plan.meta.due_dates[-1])
    leaders: list[dict] = []
    for row in leader_rows(year):
        if not leaders or leaders[-1]["name"] != row[0]:
            leaders.append({"name": row[0], "tasks": []})
        leaders[-1]["tasks"].append({"key_text": row[1], "task": row[2], "status": row[5] or "无报送"})
    return {
        "title": title,
        "plan_title": plan.meta.title,
        "measures": sum(1 for t in year.tasks if t.kind == "measure" and not t.end),
        "key_tasks": sum(1 for t in year.tasks if t.kind == "task" and not t.end),
        "units": len(year.views.assignments),
        "lines": len(end.lines),
        "office": plan.meta.office,
        "office_full_name": plan.meta.office_full_name,
        "quarters": "、".join(year.period_names[q - 1] for q in year.collected),
        "period": f"{plan.meta.year}年{year.period_names[end.quarter - 1]}",
        "status_text": end.status_text(end.by_status),
        "parts": [
            {"name": p, "total": sum(c.values()), "status_text": end.status_text(c)}
            for p, c in end.by_part.items()
        ],
        "never_started": [
            {"key_text": task.key_text, "task": task.task, "units": "、".join(units)}
            for task, units in end.never_started
        ],
        "never_reported": [u.name for u in end.never_reported],
        "leaders": leaders,
        "date": date,
        "date_indent": date_indent(plan.meta.office_full_name, date, layout),
    }


def workbook(end: YearEnd, layout: Layout) -> bytes:
    year = end.year
    spec = year.lspec.year_summary
    title = spec["title"].format(year=year.plan.meta.year)
    names = spec["sheets"]
    styles = sheets.styles(layout)
    wb = Workbook()
    default_font(wb, layout.xlsx.font, layout.xlsx.size_pt)  # column widths count its digits, not Calibri's
    total = sum(end.by_status.values())
    ws = first_sheet(wb)
    ws.title = names["status"]
    rows = [[s, end.by_status[s], end.by_status[s] / total if total else 0.0] for s in year.statuses]
    sheets.table(
        ws,
        styles,
        f"{title}（{names['status']}）",
        [("完成状态", True), ("项数", True), ("占比", True)],
        rows + [["合计", total, 1.0 if total else 0.0]],
    )
    header = [("部分", False)] + [(s, True) for s in year.statuses] + [("合计", True)]
    rows = [[p, *(c[s] for s in year.statuses), sum(c.values())] for p, c in end.by_part.items()]
    sheets.table(wb.create_sheet(names["parts"]), styles, f"{title}（{names['parts']}）", header, rows)
    rows = [[task.key_text, task.task, "、".join(units)] for task, units in end.never_started]
    sheets.table(
        wb.create_sheet(names["never_started"]),
        styles,
        f"{title}（{names['never_started']}）",
        [("编号", True), ("任务", False), ("单位", False)],
        rows,
        lists=(2,),
    )
    rows = [[i, u.name, u.category] for i, u in enumerate(end.never_reported, start=1)]
    sheets.table(
        wb.create_sheet(names["never_reported"]),
        styles,
        f"{title}（{names['never_reported']}）",
        [("序号", True), ("单位", True), ("类别", True)],
        rows,
    )
    sheets.table(
        wb.create_sheet(names["leaders"]),
        styles,
        f"{title}（{names['leaders']}）",
        LEADER_HEADER,
        leader_rows(year),
        lists=(LEADER_STATUS,),
    )
    for sheet in wb.worksheets:
        sheets.printable(sheet, layout, year.spec)
    set_properties(wb, title=title, author=year.plan.meta.office, when=meta_datetime(year.plan.meta))
    return workbook_bytes(wb)


def render(year: Year, layout: Layout) -> tuple[list[Artifact], YearEnd]:
    end = YearEnd(year)
    spec = year.lspec.year_summary
    names = {"year": year.plan.meta.year}
    ctx = context(end, layout)
    report = docx.render(layout.template("year_summary"), ctx, year.plan.meta, title=ctx["title"])
    return [
        Artifact(kind="year-summary", path=spec["path"].format(**names), data=report),
        Artifact(kind="year-summary", path=spec["xlsx_path"].format(**names), data=workbook(end, layout)),
    ], end
