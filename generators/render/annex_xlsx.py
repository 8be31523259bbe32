"""附件（任务清单）as .xlsx: the same table as the .docx annex, set up to print landscape on A4."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from generators.artifact import Artifact, Job
from generators.context import BuildContext
from generators.formats.xlsx import (
    PrintSetup,
    column_units,
    default_font,
    first_sheet,
    set_print,
    set_properties,
    text_lines,
)
from generators.formats.xlsx_bytes import workbook_bytes
from generators.layout import Layout
from generators.model import Plan
from generators.render import annex
from generators.render.docx import meta_datetime

LIST_FIELDS = ("leaders", "leads", "supports")

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def context(plan: Plan, layout: Layout) -> dict:
    """Model → rows: a title, an optional status line, the header, then banner/group/task rows."""
    data = annex.context(plan, layout, fill_first_page=False)
    rows: list[dict] = []
    for group in data["groups"]:
        if group["banner"]:
            rows.append({"kind": "group", "text": group["banner"]})
        rows.append({"kind": "group", "text": group["label"]})
        for task in group["tasks"]:
            # Units and leaders one per line: a line break inside the cell.
            cells = [
                "\n".join(task[c.field]) if c.field in LIST_FIELDS else task[c.field] for c in layout.columns
            ]
            cells[0] = int(cells[0])  # 序号 as a number, not text
            rows.append({"kind": "task", "cells": cells})
    return {
        "title": data["title"],
        "status_line": data["status_line"],
        "header": [c.name for c in layout.columns],
        "rows": rows,
    }


def build(ctx: dict, layout: Layout, plan: Plan) -> Workbook:
    spec = layout.xlsx
    columns = annex.columns(plan, layout)  # as the .docx prints them: the longest name on one line
    last = get_column_letter(len(columns))
    body = Font(name=spec.font, size=spec.size_pt)
    head = Font(name=spec.header_font, size=spec.size_pt)
    wb = Workbook()
    default_font(wb, spec.font, spec.size_pt)
    ws = first_sheet(wb)
    ws.title = spec.sheet_title
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column_units(column.width_mm, spec.size_pt)

    def banner(row: int, text: str, font: Font, horizontal: str, border: bool) -> None:
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if border:
            for col in range(1, len(columns) + 1):
                ws.cell(row=row, column=col).border = BORDER
        ws.row_dimensions[row].height = spec.line_height_pt * 1.5

    row = 1
    banner(
        row,
        ctx["title"],
        Font(name=dict(layout.fonts)["xiaobiaosong"], size=spec.title_size_pt),
        "center",
        False,
    )
    ws.row_dimensions[row].height = spec.title_size_pt * 2
    if ctx["status_line"]:
        row += 1
        banner(
            row,
            ctx["status_line"],
            Font(name=dict(layout.fonts)["kaiti"], size=spec.size_pt + 3),
            "center",
            False,
        )
    row += 1
    header_row = row
    for col, name in enumerate(ctx["header"], start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font = head
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[row].height = spec.line_height_pt * 1.5
    for item in ctx["rows"]:
        row += 1
        if item["kind"] == "group":
            banner(row, item["text"], head, "left", True)
            continue
        lines = 1
        for col, (column, value) in enumerate(zip(columns, item["cells"], strict=True), start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font = body
            cell.border = BORDER
            horizontal = "center" if layout.style(column.style).align == "center" else "left"
            cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
            lines = max(lines, text_lines(value, column.width_mm, spec.size_pt))
        # Excel does not grow rows for wrapped text written by a program: estimate the height.
        ws.row_dimensions[row].height = lines * spec.line_height_pt + 4

    set_print(
        ws,
        PrintSetup(
            layout.landscape,
            footer=f"{layout.page_number_prefix}&P{layout.page_number_suffix}",
            footer_font=dict(layout.fonts)["songti"],
            footer_size_pt=layout.style("页码").size_pt,
            title_rows=f"{header_row}:{header_row}",  # the header repeats on every printed page
            footer_distance=True,
        ),
    )
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate

    set_properties(wb, title=ctx["title"], author=plan.meta.issuer, when=meta_datetime(plan.meta))
    return wb


def render(plan: Plan, layout: Layout) -> list[Artifact]:
    """Render now (for tests and one-off use); the build goes through jobs()."""
    return [job.artifact(job.make()) for job in jobs(BuildContext.of(plan, layout))]


def jobs(ctx: BuildContext) -> list[Job]:
    plan, layout = ctx.plan, ctx.layout
    if not plan.has_annex:
        return []
    data = context(plan, layout)
    return [
        Job(
            kind="annex-xlsx",
            path=f"{annex.file_stem(plan)}.xlsx",
            inputs={"context": data, "meta": plan.meta},
            templates=(),
            make=lambda: workbook_bytes(build(data, layout, plan)),
        )
    ]
