"""责任矩阵 (.xlsx): every unit × every measure and key task, the unit's role in each cell.

The office's one-page overview of who does what; read from Views.assignments, so it can never disagree
with the letters. Landscape, fit to one page wide, headers frozen and repeated on every printed page.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from generators.artifact import Artifact, Job
from generators.context import BuildContext
from generators.filenames import safe_name
from generators.formats.xlsx import StyleCache, first_sheet, footer_code, odd_footer, set_properties
from generators.formats.xlsx_bytes import workbook_bytes
from generators.layout import Layout
from generators.model import Plan
from generators.render.docx import meta_datetime
from generators.views import Assignment, Role, Views

# A cell's mark per role: the ● / ○ convention of Chinese 分工表, refined for group references.
MARKS = {
    Role.LEAD_NAMED: "●",
    Role.LEAD_VIA_GROUP: "◎",
    Role.SUPPORT: "○",
    Role.CONCERNED: "△",
}
LEGEND = "图例：● 责任单位（列明）  ◎ 责任单位（以集合称谓列明）  ○ 配合单位  △ 结合职责落实（“有关”单位）"
FILLS = {
    Role.LEAD_NAMED: "F4B183",
    Role.LEAD_VIA_GROUP: "FBE5D6",
    Role.SUPPORT: "DEEBF7",
    Role.CONCERNED: "F2F2F2",
}
SHEET_TITLE = "责任矩阵"
TITLE = "{title}任务分工矩阵"
HEAD_UNIT = "单位"
HEAD_MEASURES = "工作措施（意见正文）"
HEAD_TASKS = "重点工作任务（附件）"
HEAD_COUNTS = ("责任", "配合", "结合职责")
FOOT_HOLDERS = "单位数"
FIRST_ITEM_COL = 2  # column A holds the unit
HEADER_ROWS = 4  # title, measures/tasks, part/group, number
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def columns(plan: Plan, views: Views) -> list[tuple[str, str, str]]:
    """(key, group label, number) per item column: measures by part, then key tasks by annex group."""
    cols = [(f"M{m.number}", views.place_of(m)[0].number, str(m.number)) for m in plan.measures]
    for task in plan.key_tasks:
        group = views.task_group[task.number]
        cols.append((f"K{task.number}", group.part or group.name, str(task.number)))
    return cols


def _merge_runs(ws: Worksheet, row: int, labels: list[str]) -> None:
    """Write a header row where equal neighbouring labels share one merged cell."""
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            first, last = FIRST_ITEM_COL + start, FIRST_ITEM_COL + i - 1
            ws.cell(row, first, labels[start])
            if last > first:
                ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
            start = i


def _style_range(ws: Worksheet, rows: range, cols: range, font: Font) -> None:
    # shared style arrays: every later change to these cells goes through a StyleCache too
    restyle = StyleCache(share=True)
    for r in rows:
        for c in cols:
            restyle.apply(ws.cell(r, c), "body", font=font, alignment=CENTER, border=BORDER)


def build_sheet(ws: Worksheet, plan: Plan, views: Views, layout: Layout) -> None:
    cols = columns(plan, views)
    n_measures = len(plan.measures)
    last_item = FIRST_ITEM_COL + len(cols) - 1
    last_col = last_item + len(HEAD_COUNTS)
    body, header = Font(name=layout.xlsx.font, size=9), Font(name=layout.xlsx.header_font, size=9)

    ws.cell(1, 1, TITLE.format(title=plan.meta.title)).font = Font(
        name=layout.xlsx.header_font, size=layout.xlsx.title_size_pt
    )
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    ws.cell(1, 1).alignment = CENTER
    ws.cell(2, 1, HEAD_UNIT)
    ws.merge_cells(start_row=2, start_column=1, end_row=HEADER_ROWS, end_column=1)
    _merge_runs(ws, 2, [HEAD_MEASURES] * n_measures + [HEAD_TASKS] * (len(cols) - n_measures))
    _merge_runs(ws, 3, [group for _, group, _ in cols])
    for i, (_, _, number) in enumerate(cols):
        ws.cell(HEADER_ROWS, FIRST_ITEM_COL + i, int(number))
    for j, label in enumerate(HEAD_COUNTS):
        ws.cell(2, last_item + 1 + j, label)
        ws.merge_cells(
            start_row=2, start_column=last_item + 1 + j, end_row=HEADER_ROWS, end_column=last_item + 1 + j
        )
    _style_range(ws, range(2, HEADER_ROWS + 1), range(1, last_col + 1), header)

    col_of = {key: FIRST_ITEM_COL + i for i, (key, _, _) in enumerate(cols)}
    holders = [0] * len(cols)
    fill = StyleCache(share=True)
    row = HEADER_ROWS
    for name, held in views.assignments.items():
        row += 1
        ws.cell(row, 1, name)
        by_key: dict[str, Assignment] = {a.key: a for a in held.all}
        for key, col in col_of.items():
            a = by_key.get(key)
            if a is not None:
                fill.apply(
                    ws.cell(row, col, MARKS[a.role]),
                    a.role.name,
                    fill=PatternFill("solid", fgColor=FILLS[a.role]),
                )
                holders[col - FIRST_ITEM_COL] += 1
        roles = [a.role for a in held.all]
        counts = (
            sum(r.is_lead for r in roles),
            roles.count(Role.SUPPORT),
            roles.count(Role.CONCERNED),
        )
        for j, count in enumerate(counts):
            ws.cell(row, last_item + 1 + j, count)
    row += 1
    ws.cell(row, 1, FOOT_HOLDERS)
    for i, count in enumerate(holders):
        ws.cell(row, FIRST_ITEM_COL + i, count)
    _style_range(ws, range(HEADER_ROWS + 1, row + 1), range(1, last_col + 1), body)
    left = StyleCache(share=True)
    for r in range(HEADER_ROWS + 1, row + 1):
        left.apply(ws.cell(r, 1), "left", alignment=Alignment(horizontal="left", vertical="center"))
    ws.cell(row + 1, 1, LEGEND).font = body
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=last_col)

    ws.column_dimensions["A"].width = 18
    for c in range(FIRST_ITEM_COL, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 3.2 if c <= last_item else 5
    ws.row_dimensions[3].height = 30  # group labels such as 总体目标 wrap to two lines
    ws.freeze_panes = ws.cell(HEADER_ROWS + 1, FIRST_ITEM_COL).coordinate
    setup_print(ws, layout)


def setup_print(ws: Worksheet, layout: Layout) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"2:{HEADER_ROWS}"
    ws.print_title_cols = "A:A"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    odd_footer(ws).center.text = footer_code(
        f"{layout.page_number_prefix}&P{layout.page_number_suffix}",
        dict(layout.fonts)["songti"],
        layout.style("页码").size_pt,
    )


def file_name(plan: Plan) -> str:
    return f"{TITLE.format(title=safe_name(plan.meta.stem))}.xlsx"


def workbook(plan: Plan, views: Views, layout: Layout) -> Workbook:
    wb = Workbook()
    ws = first_sheet(wb)
    ws.title = SHEET_TITLE
    build_sheet(ws, plan, views, layout)
    set_properties(
        wb, title=TITLE.format(title=plan.meta.title), author=plan.meta.issuer, when=meta_datetime(plan.meta)
    )
    return wb


def jobs(ctx: BuildContext) -> list[Job]:
    plan, views, layout = ctx.plan, ctx.views, ctx.layout
    inputs = {
        "meta": plan.meta,
        "items": columns(plan, views),
        "cells": {name: [(a.key, a.role.name) for a in held.all] for name, held in views.assignments.items()},
        "xlsx": layout.xlsx,
        "page_number": (layout.page_number_prefix, layout.page_number_suffix),
    }
    return [
        Job(
            kind="matrix",
            path=file_name(plan),
            inputs=inputs,
            templates=(),
            make=lambda: workbook_bytes(workbook(plan, views, layout)),
        )
    ]


def render(plan: Plan, views: Views, layout: Layout) -> list[Artifact]:
    return [job.artifact(job.make()) for job in jobs(BuildContext.of(plan, layout, views))]
