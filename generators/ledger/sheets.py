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
from generators.collect.summary_xlsx import HEADER_ROW, SAFETY, cell_lines, cell_styles, printable, sheet_page
from generators.formats.widths import ColumnText, broken_list, fit_widths, list_atoms, text_em
from generators.formats.xlsx import CELL_PADDING_MM, StyleCache, column_mm, column_units, text_lines
from generators.formats.xlsx_stamp import SheetRows, cell_xml, row_xml, set_last_row
from generators.formats.zipwriter import Deflated, zip_members
from generators.layout import Layout

TITLE_ROW = 1


def _atoms(value: object) -> list[str]:
    return list_atoms(value) if isinstance(value, str) else []


def put(ws: Worksheet, row: int, col: int, value: str | float | None) -> Cell:
    """A cell whose text is never a formula: a leading = from the data stays literal text."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


class SheetStyles(StyleCache):
    """The summary workbook's cell styles, plus a percentage, and how tall a line of their text prints
    (layout.yaml xlsx): rows are sized to their wrapped text, so nothing overprints when printed."""

    def __init__(self, layout: Layout) -> None:
        base = cell_styles(layout)
        title = {
            **base.specs["title"],
            "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
        }
        percent = {**base.specs["number"], "number_format": "0%"}
        super().__init__({**base.specs, "title": title, "percent": percent})
        self.title_pt = layout.xlsx.title_size_pt
        self.size_pt, self.line_pt = layout.xlsx.size_pt, layout.xlsx.line_height_pt
        page = sheet_page(layout)  # the sheets print landscape (printable)
        self.type_width_mm = page.width_mm - page.margin_left_mm - page.margin_right_mm
        self.layout = layout

    def fitted(
        self,
        header: Sequence[tuple[str, bool]],
        rows: Sequence[Sequence[object]],
        lists: Sequence[int] = (),
    ) -> list[float]:
        """Column widths (Excel units) from the content (formats/widths.py), together the type area: a
        wider sheet would be shrunk to fit the page, its text printed under 10 pt. A column kept on one
        line (names, dates, keys, statuses, counts) is as wide as its longest value; the text columns
        share the rest by how much they hold."""
        fit = self.layout.xlsx.fit
        assert fit is not None, "layout.yaml xlsx.fit"
        columns = [
            ColumnText(
                name,
                [row[i] for row in rows],
                keep,
                # a list column at least as wide as its widest item: the program breaks lines between items
                min_em=max((text_em(a, fit.other_em) for row in rows for a in _atoms(row[i])), default=0.0)
                if i in lists
                else 0.0,
            )
            for i, (name, keep) in enumerate(header)
        ]
        padding = CELL_PADDING_MM + WRAP_SLACK_MM  # what row_height takes off each column
        mm = fit_widths(columns, self.type_width_mm * SAFETY, self.size_pt, fit, padding)
        return [column_units(w, self.size_pt) for w in mm]

    def broken(self, value: object, width: float) -> object:
        """A list cell's text with its line breaks written in for a column `width` (Excel units) wide."""
        fit = self.layout.xlsx.fit
        assert fit is not None, "layout.yaml xlsx.fit"
        if not isinstance(value, str) or not value:
            return value
        width_mm = column_mm(width, self.size_pt)
        padding = CELL_PADDING_MM + WRAP_SLACK_MM + LIST_SLACK_MM
        return broken_list(value, width_mm, self.size_pt, padding, fit.other_em)

    def row_height(self, values: Sequence[object], widths: Sequence[float]) -> float:
        """Points for a row of these values in columns of these widths (Excel units of the base font)."""
        lines = max(
            cell_lines(v, column_mm(w, self.size_pt) - WRAP_SLACK_MM, self.size_pt)
            if isinstance(v, str)
            else 1
            for v, w in zip(values, widths, strict=True)
        )
        return lines * self.line_pt + ROW_PADDING_PT

    def title_height(self, title: str, widths: Sequence[float]) -> float:
        """Points for the title over the whole table, wrapped when the table is narrower than it."""
        width_mm = sum(column_mm(w, self.size_pt) for w in widths)
        lines = text_lines(title, width_mm, self.title_pt)
        return max(TITLE_ROW_PT, lines * self.title_pt * TITLE_LINE_EM + ROW_PADDING_PT)


ROW_PADDING_PT = 4  # as the summary's rows
# A list broken by the program leaves this much more of its cell unused: LibreOffice's glyphs run a little
# wider than the estimate, and a line one item too long would wrap inside the next item.
LIST_SLACK_MM = 1.0
# LibreOffice never breaks inside a number ("2023年10月18日"), where text_lines fills half characters:
# counting on a slightly narrower column keeps a row from being a line short (its text over the next).
WRAP_SLACK_MM = 1.5
TITLE_ROW_PT = 30  # a one-line title's row
TITLE_LINE_EM = 1.3  # line height of the wrapped title, in its size


def styles(layout: Layout) -> SheetStyles:
    return SheetStyles(layout)


@dataclass(frozen=True)
class Deferred:
    """Text rows of a worksheet left for `stamp` to write into its XML after the workbook is saved."""

    sheet: int  # the worksheet's index in the workbook: xl/worksheets/sheet{sheet + 1}.xml
    first: int  # the table's first row, which openpyxl writes too: its cell styles are every row's
    rows: list[list[str | None]]
    heights: list[float]  # each row's, in points


def _all_text(rows: list[list]) -> bool:
    return all(value is None or isinstance(value, str) for row in rows for value in row)


def table(
    ws: Worksheet,
    cache: SheetStyles,
    title: str,
    header: Sequence[tuple[str, bool]],
    rows: list[list],
    deferred: list[Deferred] | None = None,
    lists: Sequence[int] = (),
) -> int:
    """Title, header (name, kept on one line) and rows; returns the last row of the table. With
    `deferred`, rows of plain text after the first are left to `stamp` (listed in `deferred`). The columns
    `lists` hold generated lists (names or 编号 joined by 、，；): their line breaks are written in between
    the items (LibreOffice applies no 避头尾 in .xlsx cells and would break inside a name)."""
    widths = cache.fitted(header, rows, lists)
    if lists:
        rows = [[cache.broken(v, widths[i]) if i in lists else v for i, v in enumerate(row)] for row in rows]
    heights = [cache.row_height(values, widths) for values in rows]
    if deferred is not None and len(rows) > 1 and _all_text(rows):
        index = next(i for i, sheet in enumerate(ws.parent.worksheets) if sheet is ws) if ws.parent else 0
        deferred.append(Deferred(index, HEADER_ROW + 1, rows, heights))
        last = HEADER_ROW + len(rows)
        rows = rows[:1]
    else:
        last = HEADER_ROW + len(rows)
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(header))
    cache.apply(put(ws, TITLE_ROW, 1, title), "title")
    ws.row_dimensions[TITLE_ROW].height = cache.title_height(title, widths)
    ws.row_dimensions[HEADER_ROW].height = cache.row_height([name for name, _ in header], widths)
    for col, ((name, _), width) in enumerate(zip(header, widths, strict=True), start=1):
        cache.apply(put(ws, HEADER_ROW, col, name), "header")
        ws.column_dimensions[get_column_letter(col)].width = width
    r = HEADER_ROW
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        ws.row_dimensions[r].height = heights[r - HEADER_ROW - 1]
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
        row_xml(
            r,
            height,
            [_cell(f"{col}{r}", s, v) for col, s, v in zip(letters, cut.styles, values, strict=True)],
        )
        for r, (values, height) in enumerate(zip(d.rows, d.heights, strict=True), start=d.first)
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


__all__ = ["Deferred", "SheetStyles", "Font", "centred", "printable", "put", "stamp", "styles", "table"]
