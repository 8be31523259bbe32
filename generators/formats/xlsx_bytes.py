"""An openpyxl workbook as reproducible .xlsx bytes, no text from data written as a formula.

In: an openpyxl Workbook, fully built (properties included). Out: its members as openpyxl writes them
(workbook_members) or the .xlsx bytes (workbook_bytes), written by zipwriter: same workbook, same
bytes, whatever the clock says. Invariant: every cell openpyxl would write as a formula (<f>) is written
as the text it holds, unless FORMULA_CELLS allows it; the workbook is changed in place to do so.

Why not Workbook.save: openpyxl's save_workbook stamps the current time into docProps/core.xml, so the
bytes would differ from run to run. ExcelWriter.write_data is the step of save_workbook that writes the
members without the clock.

No text from data ever becomes a spreadsheet formula: openpyxl stores any string that starts with "="
as a formula, so a measure text "=1+1" or a unit's returned "=HYPERLINK(…)" would run in Excel. No
workbook plandocs writes defines a formula in any cell (FORMULA_CELLS is empty; the forms' status
dropdown is a data validation on a defined name, not a cell formula), so every such cell is turned back
into the text it was: Excel, WPS and LibreOffice show an inline string that starts with = + - @ as text.
Strings starting with + - @ are already text for openpyxl.

Library internals used (openpyxl 3.1.5, pinned in pyproject.toml): openpyxl.writer.excel.ExcelWriter
(not part of the documented API) and Worksheet._cells, the dict of the cells that exist (iter_rows would
create the missing ones). A change shows as an AttributeError or as a formula in tests/test_formulas.py.
"""

from __future__ import annotations

import io
from zipfile import ZipFile

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from generators.formats.zipwriter import zip_members

FORMULA_CELLS: frozenset[tuple[str, str]] = frozenset()  # (sheet, cell) allowed to hold a formula: none


def formulas_as_text(wb: Workbook) -> Workbook:
    """Every formula cell not in FORMULA_CELLS written as the text it holds."""
    for ws in wb.worksheets:
        for cell in ws._cells.values():  # only the cells that exist; iter_rows would create the rest
            if cell.data_type == "f" and (ws.title, cell.coordinate) not in FORMULA_CELLS:
                cell.data_type = "s"
    return wb


def workbook_members(wb: Workbook) -> dict[str, bytes]:
    """Every member of the .xlsx as openpyxl writes it (formulas as text), by name."""
    buffer = io.BytesIO()
    with ZipFile(buffer, "w") as archive:  # stored: the members are compressed once, by zipwriter
        ExcelWriter(formulas_as_text(wb), archive).write_data()
    with ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as reproducible .xlsx bytes."""
    return zip_members(dict(workbook_members(wb)))
