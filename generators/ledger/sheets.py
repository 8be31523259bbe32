"""Shared sheet writing for the ledger's workbooks: text stays text, titles, headers, print setup.

A city's year grid is 60,000 rows: openpyxl spends most of a minute creating, styling and serialising
its cells one by one. So a table of plain text may be deferred: openpyxl writes the title, the header and
the first data row (whose cell styles every later row repeats), and `stamp` writes the other rows into
the saved sheet's XML the way openpyxl writes them (formats/xlsx_stamp: cell_xml, SheetRows, as collect's
summary and the forms are stamped). The bytes equal openpyxl's own (tests/test_ledger.py compares them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generators.collect.cells import UNWRITABLE
from generators.collect.summary_xlsx import HEADER_ROW, cell_styles, printable
from generators.formats.xlsx import StyleCache
from generators.formats.xlsx_stamp import SheetRows, cell_xml, set_last_row
from generators.formats.zipwriter import Deflated, zip_members
from generators.layout import Layout

TITLE_ROW = 1


def put(ws: Worksheet, row: int, col: int, value: str | float | None) -> Cell:
    """A cell whose text is never a formula: a leading = from the data stays literal text."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def styles(layout: Layout) -> StyleCache:
    """The summary workbook's cell styles, plus a percentage."""
    base = cell_styles(layout)
    return base.extended(percent={**base.specs["number"], "number_format": "0%"})


@dataclass(frozen=True)
class Deferred:
    """Text rows of a worksheet left for `stamp` to write into its XML after the workbook is saved."""

    sheet: int  # the worksheet's index in the workbook: xl/worksheets/sheet{sheet + 1}.xml
    first: int  # the table's first row, which openpyxl writes too: its cell styles are every row's
    rows: list[list[str | None]]


def _all_text(rows: list[list]) -> bool:
    return all(value is None or isinstance(value, str) for row in rows for value in row)


def table(
    ws: Worksheet,
    cache: StyleCache,
    title: str,
    header: Sequence[tuple[str, float]],
    rows: list[list],
    deferred: list[Deferred] | None = None,
) -> int:
    """Title, header (name, width in characters) and rows; returns the last row of the table. With
    `deferred`, rows of plain text after the first are left to `stamp` (listed in `deferred`)."""
    if deferred is not None and len(rows) > 1 and _all_text(rows):
        index = next(i for i, sheet in enumerate(ws.parent.worksheets) if sheet is ws) if ws.parent else 0
        deferred.append(Deferred(index, HEADER_ROW + 1, rows))
        last = HEADER_ROW + len(rows)
        rows = rows[:1]
    else:
        last = HEADER_ROW + len(rows)
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(header))
    cache.apply(put(ws, TITLE_ROW, 1, title), "title")
    ws.row_dimensions[TITLE_ROW].height = 30
    for col, (name, width) in enumerate(header, start=1):
        cache.apply(put(ws, HEADER_ROW, col, name), "header")
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
            cache.apply(put(ws, r, col, value), kind)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1).coordinate
    if rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(header))}{last}"
    return last


def _cell(ref: str, style: str | None, value: str | None) -> str:
    """A text cell as openpyxl writes it, without what no .xlsx can hold (openpyxl would refuse it)."""
    return cell_xml(ref, style, UNWRITABLE.sub("", value) if value else value)


def _stamp_sheet(sheet: str, d: Deferred) -> str:
    """The sheet openpyxl wrote with the table's first row, with every row (the first as it was)."""
    cut = SheetRows.cut(sheet, d.first)
    letters = [get_column_letter(c) for c in range(1, len(cut.styles) + 1)]
    body = [
        f'<row r="{r}">'
        + "".join(_cell(f"{col}{r}", s, v) for col, s, v in zip(letters, cut.styles, values, strict=True))
        + "</row>"
        for r, values in enumerate(d.rows, start=d.first)
    ]
    return set_last_row(cut.head, d.first + len(d.rows) - 1) + "".join(body) + cut.tail


def stamp(members: dict[str, bytes], deferred: list[Deferred]) -> bytes:
    """The workbook's members (formats.xlsx_bytes.workbook_members) with the deferred rows written into
    their sheets, as reproducible .xlsx bytes."""
    stamped: dict[str, bytes | Deflated] = dict(members)
    for d in deferred:
        name = f"xl/worksheets/sheet{d.sheet + 1}.xml"
        stamped[name] = _stamp_sheet(members[name].decode("ascii"), d).encode("ascii")
    return zip_members(stamped)


def centred(cell: Cell) -> None:
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


__all__ = ["Deferred", "Font", "centred", "printable", "put", "stamp", "styles", "table"]
