"""责任矩阵 (.xlsx): every unit × every measure and key task, the unit's role in each cell.

The office's overview of who does what; read from Views.assignments, so it can never disagree with the
letters. Printed legibly (layout.yaml `matrix`): landscape A4 at 100 %, so the text prints at its own size
(10 pt), the item columns broken into page-wide bands (between two parts where that leaves a page well
filled), the header rows and the unit column repeated on every page. Headers frozen on screen.
"""

from __future__ import annotations

import html
import math
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from generators.artifact import Artifact, Job
from generators.context import BuildContext
from generators.filenames import safe_name
from generators.formats.xlsx import (
    CELL_PADDING_MM,
    MM_PER_PT,
    PrintSetup,
    StyleCache,
    column_units,
    default_font,
    first_sheet,
    footer_code,
    odd_footer,
    set_print,
    set_properties,
    text_lines,
    text_width,
    with_margins,
)
from generators.formats.xlsx_bytes import workbook_members
from generators.formats.xlsx_stamp import cell_xml
from generators.formats.zipwriter import zip_members
from generators.layout import Layout, MatrixSpec
from generators.model import Plan
from generators.render.docx import meta_datetime
from generators.views import Assignment, Role, UnitAssignments, Views

# A cell's mark per role: the ● / ○ convention of Chinese 分工表, refined for group references.
MARKS = {
    Role.PRIME: "★",
    Role.LEAD_NAMED: "●",
    Role.LEAD_VIA_GROUP: "◎",
    Role.SUPPORT: "○",
    Role.CONCERNED: "△",
}
LEGEND = "图例：● 责任单位（列明）  ◎ 责任单位（以集合称谓列明）  ○ 配合单位  △ 结合职责落实（“有关”单位）"
PRIME_LEGEND = "★ 牵头单位  "  # told first, only in a plan that names 牵头 units (〔A牵头，B配合〕)
FILLS = {
    Role.PRIME: "F4B183",
    Role.LEAD_NAMED: "F4B183",
    Role.LEAD_VIA_GROUP: "FBE5D6",
    Role.SUPPORT: "DEEBF7",
    Role.CONCERNED: "F2F2F2",
}
SHEET_TITLE = "责任矩阵"
TITLE = "{title}任务分工矩阵"
HEAD_UNIT = "单位"
HEAD_MEASURES = "{items}（{short}正文）"  # 工作措施（意见正文）: the kind of document, from its title
HEAD_TASKS = "重点工作任务（附件）"
HEAD_COUNTS = ("责任", "配合", "结合职责")
FOOT_HOLDERS = "单位数"
FIRST_ITEM_COL = 2  # column A holds the unit
HEADER_ROWS = 4  # title, measures/tasks, part/group, number
SHEET = "xl/worksheets/sheet1.xml"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def columns(plan: Plan, views: Views) -> list[tuple[str, str, str]]:
    """(key, group label, number) per item column: measures by part, then key tasks by annex group. A measure
    the draft numbers itself (（一）, a restarted 1.) is named as forms and 督办单 name it (Measure.reference)."""
    cols = [
        (f"M{m.number}", views.place_of(m)[0].number, m.reference if m.label else str(m.number))
        for m in plan.measures
    ]
    for task in plan.key_tasks:
        group = views.task_group[task.number]
        cols.append((f"K{task.number}", group.part or group.name, str(task.number)))
    return cols


def bands(widths: list[float], groups: list[str], room: float, min_fill: float) -> list[int]:
    """Where each page-wide band of columns starts (indexes into widths). A band is as wide as fits
    `room`; it ends between two groups when that leaves it at least `min_fill` of the room, else where
    the room runs out."""
    starts, start, used = [0], 0, 0.0
    for i, width in enumerate(widths):
        if used + width <= room or i == start:
            used += width
            continue
        cut = i
        boundaries = [j for j in range(start + 1, i) if groups[j] != groups[j - 1]]
        if (
            groups[i] == groups[i - 1]
            and boundaries
            and sum(widths[start : boundaries[-1]]) >= min_fill * room
            and sum(widths[boundaries[-1] : i + 1]) <= room
        ):
            cut = boundaries[-1]
        starts.append(cut)
        start, used = cut, sum(widths[cut : i + 1])
    return starts


def _merge_runs(ws: Worksheet, row: int, labels: list[str], cuts: set[int]) -> list[tuple[int, int, str]]:
    """Write a header row where equal neighbouring labels share one merged cell, never across a page
    band (`cuts`: the label indexes that start a band): each band prints its own label.
    Returns (first, last, label) per merged run, as sheet columns."""
    runs, start = [], 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start] or i in cuts:
            first, last = FIRST_ITEM_COL + start, FIRST_ITEM_COL + i - 1
            ws.cell(row, first, labels[start])
            if last > first:
                ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
            runs.append((first, last, labels[start]))
            start = i
    return runs


def _style_range(ws: Worksheet, rows: range, cols: range, font: Font) -> None:
    # shared style arrays: every later change to these cells goes through a StyleCache too
    restyle = StyleCache(share=True)
    for r in rows:
        for c in cols:
            restyle.apply(ws.cell(r, c), "body", font=font, alignment=CENTER, border=BORDER)


def legend_of(views: Views) -> str:
    """The marks explained; ★ 牵头单位 only where the plan names 牵头 units."""
    prime = any(a.role is Role.PRIME for held in views.assignments.values() for a in held.all)
    text = LEGEND.replace("图例：", "图例：" + PRIME_LEGEND) if prime else LEGEND
    return text + deadline_line(views)


def deadline_line(views: Views) -> str:
    """A line under the legend naming each item's deadline (时限) as written: the cells hold marks only."""
    shown = [
        f"{m.reference}{views.deadlines[f'M{m.number}'].text}"
        for m in views.plan.measures
        if views.deadlines[f"M{m.number}"]
    ]
    shown += [
        f"任务{t.number}{views.deadlines[f'K{t.number}'].text}"
        for t in views.plan.key_tasks
        if views.deadlines[f"K{t.number}"]
    ]
    return f"\n时限：{'；'.join(shown)}" if shown else ""


def unit_width_mm(names: list[str], spec: MatrixSpec) -> float:
    """The unit column: the longest name on one line, never narrower than the layout's minimum."""
    longest = max((text_width(n) for n in [HEAD_UNIT, FOOT_HOLDERS, *names]), default=0)
    needed = longest / 2 * spec.size_pt * MM_PER_PT + CELL_PADDING_MM
    return max(spec.unit_min_width_mm, math.ceil(needed * 2) / 2)  # to the half mm above


UnitRow = tuple[dict[int, Role], tuple[int, int, int]]  # unit_cells: roles by column, the counts


def unit_cells(held: UnitAssignments, col_of: dict[str, int]) -> UnitRow:
    """A unit's row: the role shown per item column (a measure's sub-tasks share its column: the strongest
    role shows), and its counts (责任, 配合, 结合职责)."""
    by_key: dict[str, Assignment] = {}
    for item in held.all:
        column_key = f"M{item.number}" if item.measure is not None else item.key
        if column_key not in by_key or item.role > by_key[column_key].role:
            by_key[column_key] = item
    marks = {col: by_key[key].role for key, col in col_of.items() if key in by_key}
    roles = [a.role for a in held.all]
    return marks, (sum(r.is_lead for r in roles), roles.count(Role.SUPPORT), roles.count(Role.CONCERNED))


def unit_rows(plan: Plan, views: Views) -> list[UnitRow]:
    """Every unit's row (unit_cells), in the order of Views.assignments."""
    col_of = {key: FIRST_ITEM_COL + i for i, (key, _, _) in enumerate(columns(plan, views))}
    return [unit_cells(held, col_of) for held in views.assignments.values()]


def build_sheet(
    ws: Worksheet,
    plan: Plan,
    views: Views,
    layout: Layout,
    full_rows: int | None = None,
    rows: list[UnitRow] | None = None,
) -> None:
    """The sheet; with full_rows, only the first full_rows unit rows get their item and count cells.
    `rows`: unit_rows, when the caller has them."""
    spec = matrix_spec(layout)
    if full_rows is None:
        full_rows = len(views.assignments)
    if rows is None:
        rows = unit_rows(plan, views)
    cols = columns(plan, views)
    n_measures = len(plan.measures)
    last_item = FIRST_ITEM_COL + len(cols) - 1
    last_col = last_item + len(HEAD_COUNTS)
    body = Font(name=layout.xlsx.font, size=spec.size_pt)
    header = Font(name=layout.xlsx.header_font, size=spec.size_pt)
    legend_text = legend_of(views)

    # Page bands over the item and count columns; column A repeats on every page.
    page = with_margins(layout.landscape, spec.margins_mm)
    room = (
        page.width_mm
        - page.margin_left_mm
        - page.margin_right_mm
        - unit_width_mm(list(views.assignments), spec)
    )
    head_measures = HEAD_MEASURES.format(items=views.kind.items, short=views.kind.short)
    parts = [head_measures] * n_measures + [HEAD_TASKS] * (len(cols) - n_measures)
    groups = [f"{part}{group}" for part, (_, group, _) in zip(parts, cols, strict=True)]
    widths = [spec.item_width_mm] * len(cols) + [spec.count_width_mm] * len(HEAD_COUNTS)
    starts = bands(widths, groups + ["counts"] * len(HEAD_COUNTS), room, spec.band_min_fill)
    for start in starts[1:]:
        ws.col_breaks.append(Break(id=FIRST_ITEM_COL + start - 1))  # after the sheet column before it
    spans = [(a, b - 1) for a, b in zip(starts, [*starts[1:], len(widths)], strict=True)]  # per band
    first_band_end = FIRST_ITEM_COL + spans[0][1]

    # The title over the first band's item columns, the legend under each band's: a cell merged over a
    # page break prints cut in two, and column A repeats on every page (with whatever it holds).
    title = ws.cell(1, FIRST_ITEM_COL, TITLE.format(title=plan.meta.title))
    title.font = Font(name=layout.xlsx.header_font, size=spec.title_size_pt)
    title.alignment = CENTER
    ws.merge_cells(start_row=1, start_column=FIRST_ITEM_COL, end_row=1, end_column=first_band_end)
    ws.row_dimensions[1].height = spec.title_size_pt * 2
    ws.cell(2, 1, HEAD_UNIT)
    ws.merge_cells(start_row=2, start_column=1, end_row=HEADER_ROWS, end_column=1)
    cuts = set(starts)
    header_runs = [_merge_runs(ws, 2, parts, cuts), _merge_runs(ws, 3, [group for _, group, _ in cols], cuts)]
    for i, (_, _, number) in enumerate(cols):
        ws.cell(HEADER_ROWS, FIRST_ITEM_COL + i, int(number) if number.isdigit() else number)
    for j, label in enumerate(HEAD_COUNTS):
        ws.cell(2, last_item + 1 + j, label)
        ws.merge_cells(
            start_row=2, start_column=last_item + 1 + j, end_row=HEADER_ROWS, end_column=last_item + 1 + j
        )
    _style_range(ws, range(2, HEADER_ROWS + 1), range(1, last_col + 1), header)

    holders = [0] * len(cols)
    fill = StyleCache(share=True)
    row = HEADER_ROWS
    for index, (name, (shown, counts)) in enumerate(zip(views.assignments, rows, strict=True)):
        row += 1
        ws.cell(row, 1, name)
        for col, role in shown.items():
            holders[col - FIRST_ITEM_COL] += 1
            if index < full_rows:
                fill.apply(
                    ws.cell(row, col, MARKS[role]), role.name, fill=PatternFill("solid", fgColor=FILLS[role])
                )
        if index < full_rows:
            for j, count in enumerate(counts):
                ws.cell(row, last_item + 1 + j, count)
    row += 1
    ws.cell(row, 1, FOOT_HOLDERS)
    for i, count in enumerate(holders):
        ws.cell(row, FIRST_ITEM_COL + i, count)
    # Rows past full_rows hold only their unit: their other cells are written into the XML (fast_bytes).
    # Their styles are those of the rows before, so the styles are registered in the same order.
    _style_range(ws, range(HEADER_ROWS + 1, HEADER_ROWS + 1 + full_rows), range(1, last_col + 1), body)
    _style_range(ws, range(HEADER_ROWS + 1 + full_rows, row), range(1, 2), body)
    _style_range(ws, range(row, row + 1), range(1, last_col + 1), body)
    left = StyleCache(share=True)
    for r in range(HEADER_ROWS + 1, row + 1):
        left.apply(ws.cell(r, 1), "left", alignment=Alignment(horizontal="left", vertical="center"))
        ws.row_dimensions[r].height = spec.row_height_pt
    for first, last in spans:
        legend = ws.cell(row + 1, FIRST_ITEM_COL + first, legend_text)
        legend.font = body
        legend.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.merge_cells(
            start_row=row + 1,
            start_column=FIRST_ITEM_COL + first,
            end_row=row + 1,
            end_column=FIRST_ITEM_COL + last,
        )

    # Widths in the base font's digits (default_font), heights from the text they hold.
    unit_mm = unit_width_mm(list(views.assignments), spec)
    ws.column_dimensions["A"].width = column_units(unit_mm, spec.size_pt)
    for c, width in enumerate(widths, start=FIRST_ITEM_COL):
        ws.column_dimensions[get_column_letter(c)].width = column_units(width, spec.size_pt)
    for r, runs in zip((2, 3), header_runs, strict=True):
        lines = max(
            text_lines(label, (last - first + 1) * spec.item_width_mm, spec.size_pt)
            for first, last, label in runs
        )
        ws.row_dimensions[r].height = lines * spec.row_height_pt
    ws.row_dimensions[HEADER_ROWS].height = spec.row_height_pt
    legend_lines = max(text_lines(legend_text, sum(widths[a : b + 1]), spec.size_pt) for a, b in spans)
    ws.row_dimensions[row + 1].height = legend_lines * spec.row_height_pt
    ws.freeze_panes = ws.cell(HEADER_ROWS + 1, FIRST_ITEM_COL).coordinate
    set_print(
        ws,
        PrintSetup(
            page,
            footer=f"{layout.page_number_prefix}&P{layout.page_number_suffix}",
            footer_font=dict(layout.fonts)["songti"],
            footer_size_pt=layout.style("页码").size_pt,
            title_rows=f"2:{HEADER_ROWS}",
            title_cols="A:A",
            fit_width=0,  # at 100 %: the text prints at its own size, never shrunk
            scale=100,
        ),
    )
    # Every page carries the title, centred on the page, in its header and the marks' legend beside the
    # page number in its footer: a cell prints on one page only (the title sat over the first band's
    # columns, 19 mm off the page's centre, the legend under the last rows of each band). The sheet's own
    # title row is for the screen; the legend row prints only when it names deadlines (时限).
    page_head = ws.oddHeader
    assert page_head is not None  # openpyxl makes it with the sheet
    page_head.center.text = footer_code(
        TITLE.format(title=plan.meta.title), layout.xlsx.header_font, spec.title_size_pt
    )
    marks = legend_text.split("\n", 1)[0]
    footer = odd_footer(ws)  # the legend on the left, the page number on the right: one line each side
    footer.left.text = footer_code(marks, layout.xlsx.font, spec.size_pt)
    footer.right.text, footer.center.text = footer.center.text, None
    last_printed = row + 1 if "\n" in legend_text else row
    ws.print_area = f"A2:{get_column_letter(last_col)}{last_printed}"


def matrix_spec(layout: Layout) -> MatrixSpec:
    if layout.matrix is None:
        raise KeyError("版式配置 templates/layout.yaml 中缺少 matrix 一节")
    return layout.matrix


def file_name(plan: Plan) -> str:
    return f"{TITLE.format(title=safe_name(plan.meta.stem))}.xlsx"


def workbook(
    plan: Plan,
    views: Views,
    layout: Layout,
    full_rows: int | None = None,
    rows: list[UnitRow] | None = None,
) -> Workbook:
    wb = Workbook()
    default_font(wb, layout.xlsx.font, matrix_spec(layout).size_pt)  # column widths count its digits
    ws = first_sheet(wb)
    ws.title = SHEET_TITLE
    build_sheet(ws, plan, views, layout, full_rows, rows)
    set_properties(
        wb, title=TITLE.format(title=plan.meta.title), author=plan.meta.issuer, when=meta_datetime(plan.meta)
    )
    return wb


def fast_bytes(plan: Plan, views: Views, layout: Layout) -> bytes:
    """The matrix's .xlsx bytes, those workbook_bytes(workbook(…)) gives, without a cell object per unit ×
    item: 2,000 units × 420 items made 850,000 of them, 260 MB and 6 s of a city-scale build.

    openpyxl builds the sheet with its unit rows complete only until every role has shown (so it registers
    the cell styles in the order the full build does); the later unit rows hold only their unit, and their
    item and count cells are written into the sheet's XML here, with the styles openpyxl gave the same
    cells above (formats/xlsx_stamp writes a cell as openpyxl does). tests/test_fast_writers.py holds the
    two side by side."""
    rows = unit_rows(plan, views)
    seen: set[Role] = set()
    every = {role for marks, _ in rows for role in marks.values()}
    full_rows = 0
    while seen != every:  # the rows until the last role first shows
        seen.update(rows[full_rows][0].values())
        full_rows += 1
    full_rows = max(full_rows, 1)  # a row of blanks and counts gives the body style's number
    members = workbook_members(workbook(plan, views, layout, full_rows, rows))
    if full_rows >= len(rows):
        return zip_members(members)
    sheet = members[SHEET].decode("ascii")
    styles = _cell_styles(sheet, full_rows)
    last_item = FIRST_ITEM_COL + len(columns(plan, views)) - 1
    letters = [get_column_letter(c) for c in range(1, last_item + len(HEAD_COUNTS) + 1)]

    def cells(number: int, marks: dict[int, Role], counts: tuple[int, int, int]) -> str:
        out = []
        for col in range(FIRST_ITEM_COL, last_item + 1):
            role = marks.get(col)
            ref = f"{letters[col - 1]}{number}"
            shown = None if role is None else MARKS[role]
            out.append(cell_xml(ref, styles[role], shown))
        for j, count in enumerate(counts):
            out.append(cell_xml(f"{letters[last_item + j]}{number}", styles[None], count))
        return "".join(out)

    pieces, at = [], 0
    for index in range(full_rows, len(rows)):
        number = HEADER_ROWS + 1 + index
        start = sheet.index(f'<row r="{number}" ', at)
        end = sheet.index("</row>", start)
        pieces += [sheet[at:end], cells(number, *rows[index])]
        at = end
    pieces.append(sheet[at:])
    members[SHEET] = "".join(pieces).encode("ascii")
    return zip_members(members)


def _cell_styles(sheet: str, full_rows: int) -> dict[Role | None, str]:
    """The style numbers openpyxl gave the complete unit rows' cells: per role of a marked cell, and
    (None) a blank or count cell."""
    by_mark = {mark: role for role, mark in MARKS.items()}
    first = sheet.index(f'<row r="{HEADER_ROWS + 1}" ')
    rows = sheet[first : sheet.index(f'<row r="{HEADER_ROWS + 1 + full_rows}" ', first)]
    styles: dict[Role | None, str] = {}
    for column, style, value in _CELL.findall(rows):
        if column != "A":  # the unit's own cell is aligned left
            styles.setdefault(by_mark[html.unescape(value)] if value else None, style)
    return styles


# A cell of a unit row as openpyxl writes it: its column, style and the text of a mark (none for a blank
# or a count)
_CELL = re.compile(
    r'<c r="([A-Z]+)\d+" s="(\d+)" t="(?:inlineStr|n)">(?:<is><t>([^<]*)</t></is>|<v>[^<]*</v>)?</c>'
)


def jobs(ctx: BuildContext) -> list[Job]:
    plan, views, layout = ctx.plan, ctx.views, ctx.layout
    inputs = {
        "meta": plan.meta,
        "items": columns(plan, views),
        "cells": {name: [(a.key, a.role.name) for a in held.all] for name, held in views.assignments.items()},
        "xlsx": layout.xlsx,
        "print": layout.matrix,
        "page_number": (layout.page_number_prefix, layout.page_number_suffix),
    }
    return [
        Job(
            kind="matrix",
            path=file_name(plan),
            inputs=inputs,
            templates=(),
            make=lambda: fast_bytes(plan, views, layout),
        )
    ]


def render(plan: Plan, views: Views, layout: Layout) -> list[Artifact]:
    return [job.artifact(job.make()) for job in jobs(BuildContext.of(plan, layout, views))]
