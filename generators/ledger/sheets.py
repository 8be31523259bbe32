"""Shared sheet writing for the ledger's workbooks: text stays text, titles, headers, print setup."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generators.collect.summary_xlsx import HEADER_ROW, _styles, printable
from generators.layout import Layout
from generators.render.forms import CellStyles

TITLE_ROW = 1


def put(ws: Worksheet, row: int, col: int, value):
    """A cell whose text is never a formula: a leading = from the data stays literal text."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def styles(layout: Layout) -> CellStyles:
    """The summary workbook's cell styles, plus a percentage."""
    base = dict(_styles(layout)._specs)
    percent = {**base["number"], "number_format": "0%"}
    return CellStyles({**base, "percent": percent})


def table(
    ws: Worksheet, cell_styles: CellStyles, title: str, header: Sequence[tuple[str, float]], rows: list[list]
) -> int:
    """Title, header (name, width in characters) and rows; returns the last row written."""
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(header))
    cell_styles.apply(put(ws, TITLE_ROW, 1, title), "title")
    ws.row_dimensions[TITLE_ROW].height = 30
    for col, (name, width) in enumerate(header, start=1):
        cell_styles.apply(put(ws, HEADER_ROW, col, name), "header")
        ws.column_dimensions[get_column_letter(col)].width = width
    r = HEADER_ROW
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        for col, value in enumerate(values, start=1):
            if isinstance(value, float):
                kind = "percent"
            elif isinstance(value, int) and not isinstance(value, bool):
                kind = "number"
            else:
                kind = "text"
            cell_styles.apply(put(ws, r, col, value), kind)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1).coordinate
    if rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(header))}{r}"
    return r


def centred(cell) -> None:
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


__all__ = ["Font", "centred", "printable", "put", "styles", "table"]
