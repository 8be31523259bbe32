"""The year workbook's printed 任务进度: for each period collected, a status matrix like the 任务分工矩阵
(units down, measures and key tasks across, a one-character mark per cell on the status's colour).

The ledger's record — every unit × task with its status in each period, its last progress and remarks,
2,600 rows for the seed — is the office's table to filter and re-read; printed, it ran 150–190 pages. So
it has a workbook of its own (the 逐项记录, not printed by `plandocs pdf`), and the year workbook prints
this view instead: every status of every unit and task, a period on about four pages. Printed as the
matrix prints (layout.yaml `matrix`): landscape at 100 % (10 pt), the task columns in page-wide bands, the
header rows and the unit column on every page, the title in the page header and the marks' legend in the
footer of every page.
"""

from __future__ import annotations

import math
import re

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from generators.formats.xlsx import (
    CELL_PADDING_MM,
    MM_PER_PT,
    PrintSetup,
    StyleCache,
    column_units,
    footer_code,
    odd_footer,
    set_print,
    text_width,
    with_margins,
)
from generators.layout import Layout
from generators.render.matrix import BORDER, CENTER, bands, matrix_spec, unit_width_mm

from .year import Year

HEAD_UNIT = "单位"
FIRST_ITEM_COL = 2
TITLE_ROW, GROUP_ROW, NUMBER_ROW = 1, 2, 3


def legend(codes: dict[str, str]) -> str:
    """图例：完 已完成　进 按计划推进 … (the marks in the layout's order)."""
    marks = "　".join(f"{mark} {status}" for status, mark in codes.items())
    return f"图例：{marks}　空白 不承担或不在计划中"


def _number(key_text: str) -> str:
    """The column's number: 措施12 → 12, 任务3-1 → 3-1 (the group row says 措施 or 任务)."""
    return re.sub(r"^\D+", "", key_text) or key_text


def view_sheet(ws: Worksheet, year: Year, layout: Layout, period: int, title: str) -> None:
    """Period `period`'s matrix on ws: the units that held a task then, the tasks in the plan then."""
    spec = matrix_spec(layout)
    codes: dict[str, str] = dict(year.lspec.workbook["codes"])
    lines = [line for line in year.lines if line.statuses[period - 1]]
    task_ids = {line.task.task_id for line in lines}
    unit_ids = {line.unit.unit_id for line in lines}
    tasks = [t for t in year.tasks if t.task_id in task_ids]
    units = [u for u in year.units if u.unit_id in unit_ids]
    status = {(line.unit.unit_id, line.task.task_id): line.statuses[period - 1] for line in lines}
    groups = [t.key_text[: len(t.key_text) - len(_number(t.key_text))] or t.key_text for t in tasks]
    numbers = [_number(t.key_text) for t in tasks]
    body = Font(name=layout.xlsx.font, size=spec.size_pt)
    header = Font(name=layout.xlsx.header_font, size=spec.size_pt)

    em_mm = spec.size_pt * MM_PER_PT
    widths = [
        max(spec.item_width_mm, math.ceil((text_width(n) / 2 * em_mm + CELL_PADDING_MM) * 2) / 2)
        for n in numbers
    ]
    page = with_margins(layout.landscape, spec.margins_mm)
    unit_mm = unit_width_mm([u.name for u in units], spec)
    room = page.width_mm - page.margin_left_mm - page.margin_right_mm - unit_mm
    starts = bands(widths, groups, room, spec.band_min_fill) if tasks else [0]
    for start in starts[1:]:
        ws.col_breaks.append(Break(id=FIRST_ITEM_COL + start - 1))

    styles = StyleCache(share=True)
    last_col = FIRST_ITEM_COL + len(tasks) - 1
    ws.cell(TITLE_ROW, 1, title).font = Font(name=layout.xlsx.header_font, size=spec.title_size_pt)
    ws.row_dimensions[TITLE_ROW].height = spec.title_size_pt * 2
    ws.cell(GROUP_ROW, 1, HEAD_UNIT)
    ws.merge_cells(start_row=GROUP_ROW, start_column=1, end_row=NUMBER_ROW, end_column=1)
    cuts = set(starts)
    start = 0
    for i in range(1, len(tasks) + 1):  # a group label merged over its run, never across a band
        if i == len(tasks) or groups[i] != groups[start] or i in cuts:
            ws.cell(GROUP_ROW, FIRST_ITEM_COL + start, groups[start])
            if i - 1 > start:
                ws.merge_cells(
                    start_row=GROUP_ROW,
                    start_column=FIRST_ITEM_COL + start,
                    end_row=GROUP_ROW,
                    end_column=FIRST_ITEM_COL + i - 1,
                )
            start = i
    for i, number in enumerate(numbers):
        ws.cell(NUMBER_ROW, FIRST_ITEM_COL + i, number)  # text: "3-1" stays as written
    for r in (GROUP_ROW, NUMBER_ROW):
        ws.row_dimensions[r].height = spec.row_height_pt
        for c in range(1, max(last_col, 1) + 1):
            styles.apply(ws.cell(r, c), "header", font=header, alignment=CENTER, border=BORDER)
    left = Alignment(horizontal="left", vertical="center")
    column_of = {task.task_id: FIRST_ITEM_COL + i for i, task in enumerate(tasks)}
    held: dict[str, list[tuple[int, str]]] = {}
    for (unit_id, task_id), shown in status.items():
        held.setdefault(unit_id, []).append((column_of[task_id], shown))
    for r, unit in enumerate(units, start=NUMBER_ROW + 1):
        # A blank (a task the unit does not hold) is no cell at all: the row's format draws its border.
        # Most of a matrix is blank — at city scale millions of cells, most of the year workbook's time.
        row = ws.row_dimensions[r]
        row.height = spec.row_height_pt
        row.font, row.alignment, row.border = body, CENTER, BORDER
        styles.apply(ws.cell(r, 1, unit.name), "unit", font=body, alignment=left, border=BORDER)
        for col, shown in sorted(held.get(unit.unit_id, ())):
            styles.apply(
                ws.cell(r, col, codes.get(shown, shown)),
                shown,
                font=body,
                alignment=CENTER,
                border=BORDER,
                fill=PatternFill("solid", fgColor=layout.status_colour(shown)),
            )
    ws.column_dimensions["A"].width = column_units(unit_mm, spec.size_pt)
    for c, width in enumerate(widths, start=FIRST_ITEM_COL):
        ws.column_dimensions[get_column_letter(c)].width = column_units(width, spec.size_pt)
    ws.freeze_panes = ws.cell(NUMBER_ROW + 1, FIRST_ITEM_COL).coordinate
    set_print(
        ws,
        PrintSetup(
            page,
            footer=f"{layout.page_number_prefix}&P{layout.page_number_suffix}",
            footer_font=dict(layout.fonts)["songti"],
            footer_size_pt=layout.style("页码").size_pt,
            title_rows=f"{GROUP_ROW}:{NUMBER_ROW}",
            title_cols="A:A",
            fit_width=0,  # at 100 %, as the matrix: the marks print at 10 pt
            scale=100,
        ),
    )
    # the title centred in every page's header, the legend beside the page number in every footer
    page_head = ws.oddHeader
    assert page_head is not None
    page_head.center.text = footer_code(title, layout.xlsx.header_font, spec.title_size_pt)
    footer = odd_footer(ws)
    footer.left.text = footer_code(legend(codes), layout.xlsx.font, spec.size_pt)
    footer.right.text, footer.center.text = footer.center.text, None
    ws.print_area = f"A{GROUP_ROW}:{get_column_letter(max(last_col, 1))}{NUMBER_ROW + len(units)}"
