"""No text from data ever becomes a spreadsheet formula.

openpyxl stores any string that starts with "=" as a formula (<f>), so a measure text "=1+1" or a unit's
returned "=HYPERLINK(…)" would run in Excel. No workbook plandocs writes defines a formula in any cell
(FORMULA_CELLS is empty; the status dropdown is a data validation on a defined name, not a cell formula),
so every such cell is turned back into the text it was before the workbook is written: Excel, WPS and
LibreOffice show an inline string that starts with = + - @ as text. Strings starting with + - @ are
already text for openpyxl.
"""

from __future__ import annotations

from openpyxl import Workbook

FORMULA_CELLS: frozenset[tuple[str, str]] = frozenset()  # (sheet, cell) allowed to hold a formula: none


def as_text(wb: Workbook) -> Workbook:
    """Every formula cell not in FORMULA_CELLS written as the text it holds."""
    for ws in wb.worksheets:
        for cell in ws._cells.values():  # only the cells that exist; iter_rows would create the rest
            if cell.data_type == "f" and (ws.title, cell.coordinate) not in FORMULA_CELLS:
                cell.data_type = "s"
    return wb
