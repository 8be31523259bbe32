"""How every workbook sheet prints: landscape A4, one page wide (never shrunk to fit a page's height),
header rows on every page, page numbers in a 宋体 footer, margins from the layout profile's landscape page;
and the sizes openpyxl leaves to the reader: column widths in Excel's units, row heights from the text."""

from __future__ import annotations

import unicodedata

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from generators.layout import PageSpec

MM_PER_INCH = 25.4
MM_PER_PT = MM_PER_INCH / 72
CELL_PADDING_MM = 2.0  # what a cell leaves of its width on both sides together
WIDE = ("W", "F")  # East Asian width classes printed one full character wide


def default_font(wb: Workbook, name: str, size_pt: float) -> None:
    """The workbook's base font, before any cell is styled. Column widths are counted in its digit
    width: with Calibri, which LibreOffice replaces by the much wider DejaVu Sans, every column printed
    a third wider than meant, and the sheet shrank to fit. A Chinese font's digits are half a character
    wide in Excel, WPS and LibreOffice alike."""
    font = Font(name=name, size=size_pt)
    # openpyxl has no public way to set the base font: these are its own private members
    wb._fonts = IndexedList([font])  # type: ignore[attr-defined]
    wb._named_styles["Normal"].font = font  # type: ignore[attr-defined]


def first_sheet(wb: Workbook) -> Worksheet:
    """A new workbook's one sheet, typed as the Worksheet it is (openpyxl's `active` may also be a chart
    sheet or nothing)."""
    ws = wb.active
    if not isinstance(ws, Worksheet):
        raise TypeError(f"the workbook's active sheet is {type(ws).__name__}, not a worksheet")
    return ws


def odd_footer(ws: Worksheet) -> HeaderFooterItem:
    """The footer printed on every page (the sheets here set no even or first-page footer). openpyxl
    makes it with the sheet; its type allows none."""
    footer = ws.oddFooter
    if footer is None:
        footer = ws.oddFooter = HeaderFooterItem()
    return footer


def column_units(width_mm: float, size_pt: float) -> float:
    """A width in Excel's units: digits of the base font (half a character of size_pt)."""
    return round(width_mm / (size_pt / 2 * MM_PER_PT), 2)


def text_lines(text: object, width_mm: float, size_pt: float) -> int:
    """How many lines a wrapped cell needs, filled character by character: a Chinese character (or
    full-width mark) is one character wide, a Latin letter or digit half of one; explicit line breaks
    start new lines."""
    room = max(2, int(2 * (width_mm - CELL_PADDING_MM) / (size_pt * MM_PER_PT)))  # in half characters
    lines = 0
    for part in str(text).split("\n"):
        lines += 1
        used = 0
        for ch in part:
            width = 2 if unicodedata.east_asian_width(ch) in WIDE else 1
            if used + width > room and used:
                lines += 1
                used = 0
            used += width
    return lines


def footer_code(text: str, font: str, size_pt: float) -> str:
    """Excel's header/footer code with its own font: without one, LibreOffice prints the digits in
    DejaVu Sans."""
    return f'&"{font},Regular"&{size_pt:g}{text}'


def print_landscape(
    ws: Worksheet,
    page: PageSpec,
    *,
    header_rows: str,
    footer: str,
    footer_font: str,
    footer_size_pt: float,
    footer_distance: bool = False,
) -> None:
    """header_rows like "4:4"; footer is Excel's header/footer code (&P = page number)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as the rows need: never shrunk to fit a height
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.top = page.margin_top_mm / MM_PER_INCH
    ws.page_margins.bottom = page.margin_bottom_mm / MM_PER_INCH
    ws.page_margins.left = page.margin_left_mm / MM_PER_INCH
    ws.page_margins.right = page.margin_right_mm / MM_PER_INCH
    if footer_distance:
        ws.page_margins.footer = page.footer_distance_mm / MM_PER_INCH
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = header_rows
    odd_footer(ws).center.text = footer_code(footer, footer_font, footer_size_pt)
