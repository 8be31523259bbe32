"""季度报表 built with openpyxl: one workbook per unit per quarter listing exactly its measures and key tasks.

Only the cells a unit fills in are unlocked; a hidden sheet and custom document properties identify the
form (form id, unit, year, quarter, and a version hashing that unit's tasks) so `plandocs collect` can match a returned file to its unit.
The build stamps most forms from one such workbook per quarter (form_copies.py); this is the reference.
"""

from __future__ import annotations

from typing import TypedDict, cast

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from generators.dates import chinese_date
from generators.formats.xlsx import (
    PrintSetup,
    StyleCache,
    column_units,
    default_font,
    first_sheet,
    set_print,
    set_properties,
    text_lines,
    with_margins,
)
from generators.formspec import (
    ID_SHEET,
    PROPERTY_NAMES,
    PROPERTY_PREFIX,
    STATUS_NAME,
    FormsLayout,
    identification,
)
from generators.layout import Layout, PageSpec
from generators.model import Plan, Unit
from generators.render.annex_xlsx import BORDER
from generators.render.docx import meta_datetime
from generators.views import Assignment, UnitAssignments, Views

TITLE_ROW, UNIT_ROW, REPORTER_ROW, HEADER_ROW = 1, 2, 3, 4
UNLOCKED = Protection(locked=False)


class RowCells(TypedDict):
    """A task row's filled fields (the input fields are left out)."""

    index: int
    key: str
    task: str
    role: str
    content: str
    deadline: str  # 时限 as written ("" when none): its column is there only when the plan sets any


CellValue = str | int | None


def row_cells(views: Views, spec: FormsLayout, index: int, a: Assignment) -> RowCells:
    """One task row by field: what the unit is asked about, with empty input cells."""
    if a.measure is not None:
        part, section = views.place_of(a.measure)
        task = section.title or part.title  # a part may hold measures directly
        sub = a.subtask  # a sub-task: its sentence, after the measure's own words for context
        content = f"{a.measure.text}{sub.text}" if sub is not None else a.measure.text
    else:
        task, content = a.item_task.name, a.item_task.content
    return {
        "index": index,
        "key": spec.key_text(a),
        "task": task,
        "role": a.role_text,
        "content": content,
        "deadline": views.deadline_of(a).text,
    }


def _title_rows(
    ws: Worksheet, plan: Plan, spec: FormsLayout, layout: Layout, quarter: int, unit: Unit
) -> None:
    last = get_column_letter(len(spec.columns))
    xl = layout.xlsx
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    title = ws.cell(TITLE_ROW, 1, spec.title.format(**spec.names(plan, quarter)))
    title.font = Font(name=dict(layout.fonts)["xiaobiaosong"], size=xl.title_size_pt)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[TITLE_ROW].height = xl.title_size_pt * 2.2

    # unit on the left half, due date on the right: split at the column that reaches half the width
    widths = [c.width_mm for c in spec.columns]
    split = next(i for i in range(1, len(widths) + 1) if sum(widths[:i]) >= sum(widths) / 2) + 1
    due = spec.due_line.format(due=chinese_date(plan.meta.due_dates[quarter - 1]), office=plan.meta.office)
    for first, end, text, horizontal in (
        (1, split - 1, spec.unit_line.format(unit=unit.full_name), "left"),
        (split, len(spec.columns), due, "right"),
    ):
        ws.merge_cells(start_row=UNIT_ROW, start_column=first, end_row=UNIT_ROW, end_column=end)
        cell = ws.cell(UNIT_ROW, first, text)
        cell.font = Font(name=xl.font, size=xl.size_pt + 1)
        cell.alignment = Alignment(horizontal=horizontal, vertical="center")
    ws.row_dimensions[UNIT_ROW].height = xl.line_height_pt * 1.6


def _reporter_row(ws: Worksheet, spec: FormsLayout, layout: Layout) -> None:
    xl = layout.xlsx
    fill = PatternFill("solid", fgColor=spec.input_fill)
    for label, column in zip(spec.reporter, spec.reporter_columns, strict=True):
        cell = ws.cell(REPORTER_ROW, column, label)
        cell.font = Font(name=xl.header_font, size=xl.size_pt)
        cell.alignment = Alignment(horizontal="right", vertical="center")
        value = ws.cell(REPORTER_ROW, column + 1)
        value.font = Font(name=xl.font, size=xl.size_pt)
        value.alignment = Alignment(horizontal="left", vertical="center", shrink_to_fit=True)
        value.border, value.fill, value.protection = BORDER, fill, UNLOCKED
        if label == spec.date_label:
            value.number_format = spec.date_format
    ws.row_dimensions[REPORTER_ROW].height = xl.line_height_pt * 1.8


# 一表通: per task key, what the unit last reported (status, progress), shown in its input cells
Prefill = dict[str, tuple[str, str]]


def _table(
    ws: Worksheet,
    views: Views,
    spec: FormsLayout,
    layout: Layout,
    held: UnitAssignments,
    prefill: Prefill | None = None,
) -> int:
    """Header and one row per task; returns the last row."""
    xl = layout.xlsx
    body = Font(name=xl.font, size=xl.size_pt)
    wrap_center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap_left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    styles = StyleCache(
        {
            "header": {
                "font": Font(name=xl.header_font, size=xl.size_pt),
                "border": BORDER,
                "alignment": wrap_center,
            },
            "input": {
                "font": body,
                "border": BORDER,
                "alignment": wrap_left,
                "protection": UNLOCKED,
                "fill": PatternFill("solid", fgColor=spec.input_fill),
            },
            "text": {"font": body, "border": BORDER, "alignment": wrap_left},
            "short": {"font": body, "border": BORDER, "alignment": wrap_center},
        }
    )
    for col, column in enumerate(spec.columns, start=1):
        styles.apply(ws.cell(HEADER_ROW, col, column.name), "header")
    ws.row_dimensions[HEADER_ROW].height = xl.line_height_pt * 2
    row = HEADER_ROW
    for values, height in task_rows(views, spec, layout, held, prefill):
        row += 1
        for col, (column, value) in enumerate(zip(spec.columns, values, strict=True), start=1):
            cell = ws.cell(row, col, value)
            if column.input:
                styles.apply(cell, "input")
            else:
                styles.apply(cell, "text" if column.field in ("task", "content") else "short")
        ws.row_dimensions[row].height = height
    return row


def task_rows(
    views: Views, spec: FormsLayout, layout: Layout, held: UnitAssignments, prefill: Prefill | None = None
) -> list[tuple[list[CellValue], float]]:
    """Each task row's cell values by column (None in the input cells, or what the unit last reported:
    `prefill`, 一表通) and its height in points."""
    xl = layout.xlsx
    rows = []
    for index, a in enumerate(held.all, start=1):
        fields = row_cells(views, spec, index, a)
        # a TypedDict looked up by a computed key is typed object: its values are str or int
        values = [cast(CellValue, fields.get(column.field)) for column in spec.columns]
        last = (prefill or {}).get(a.key)
        if last is not None:
            shown = {"status": last[0], "progress": last[1] or None}
            values = [
                shown.get(c.field, v) if c.input else v for c, v in zip(spec.columns, values, strict=True)
            ]
        lines = spec.min_input_lines
        for column, value in zip(spec.columns, values, strict=True):
            if not column.input or value:
                lines = max(lines, text_lines(value, column.width_mm, xl.size_pt))
        # Excel does not grow rows for wrapped text written by a program: estimate the height.
        rows.append((values, lines * xl.line_height_pt + 4))
    return rows


def _status_dropdown(wb: Workbook, ws: Worksheet, spec: FormsLayout, first: int, last: int) -> None:
    """完成状态 from a list on the hidden sheet: a defined name, since inline lists are capped at 255 chars."""
    hidden = wb[ID_SHEET]
    hidden.cell(1, 1, spec.column("status").name)
    for i, status in enumerate(spec.statuses, start=2):
        hidden.cell(i, 1, status)
    ref = f"{quote_sheetname(ID_SHEET)}!$A$2:$A${len(spec.statuses) + 1}"
    wb.defined_names[STATUS_NAME] = DefinedName(STATUS_NAME, attr_text=ref)
    options = "、".join(spec.statuses)
    validation = DataValidation(
        type="list",
        formula1=STATUS_NAME,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=spec.column("status").name,
        error=f"请从下拉列表中选择：{options}",
        showInputMessage=True,
        promptTitle=spec.column("status").name,
        prompt=options,
    )
    if last >= first:
        col = get_column_letter(spec.columns.index(spec.column("status")) + 1)
        validation.add(f"{col}{first}:{col}{last}")
    ws.add_data_validation(validation)


def _identify(wb: Workbook, views: Views, quarter: int, unit: str) -> None:
    hidden = wb[ID_SHEET]
    for row, (name, value) in enumerate(identification(views, quarter, unit).items(), start=1):
        hidden.cell(row, 3, name)
        hidden.cell(row, 4, value)
        wb.custom_doc_props.append(  # type: ignore[attr-defined]  # openpyxl 3.1 has it; its stubs lack it
            StringProperty(name=PROPERTY_PREFIX + PROPERTY_NAMES[name], value=value)
        )


def _print_setup(ws: Worksheet, spec: FormsLayout, layout: Layout) -> None:
    set_print(
        ws,
        PrintSetup(
            page(layout),
            footer=spec.footer,
            footer_font=dict(layout.fonts)["songti"],
            footer_size_pt=layout.xlsx.size_pt,
            title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
        ),
    )
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1).coordinate


def page(layout: Layout) -> PageSpec:
    """The landscape page with the forms' own (narrower) margins."""
    return with_margins(layout.landscape, layout.part("forms")["margins_mm"])


def _protect(wb: Workbook, ws: Worksheet) -> None:
    """Locked against accidents, not attackers: no password; rows and columns may still be resized."""
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    wb[ID_SHEET].protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)


def form_title(plan: Plan, spec: FormsLayout, quarter: int, unit: str) -> str:
    """The document title: the printed title and the unit's short name."""
    return f"{spec.title.format(**spec.names(plan, quarter))}（{unit}）"


def build_form(
    plan: Plan,
    views: Views,
    layout: Layout,
    quarter: int,
    held: UnitAssignments,
    prefill: Prefill | None = None,
) -> Workbook:
    spec = FormsLayout.for_views(layout, views)
    wb = Workbook()
    default_font(wb, layout.xlsx.font, layout.xlsx.size_pt)
    ws = first_sheet(wb)
    ws.title = spec.sheet_title
    hidden = wb.create_sheet(ID_SHEET)
    hidden.sheet_state = "hidden"
    for col, column in enumerate(spec.columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = column_units(
            column.width_mm, layout.xlsx.size_pt
        )
    _title_rows(ws, plan, spec, layout, quarter, held.unit)
    _reporter_row(ws, spec, layout)
    last = _table(ws, views, spec, layout, held, prefill)
    _status_dropdown(wb, ws, spec, HEADER_ROW + 1, last)
    _identify(wb, views, quarter, held.unit.name)
    _print_setup(ws, spec, layout)
    _protect(wb, ws)
    set_properties(
        wb,
        title=form_title(plan, spec, quarter, held.unit.name),
        author=plan.meta.office,
        when=meta_datetime(plan.meta),
    )
    return wb
