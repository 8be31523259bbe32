"""How every workbook sheet prints: landscape A4, one page wide, header rows on every page, page
numbers in the footer, margins from the layout profile's landscape page."""

from __future__ import annotations

from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from generators.layout import PageSpec

MM_PER_INCH = 25.4


def print_landscape(
    ws: Worksheet, page: PageSpec, *, header_rows: str, footer: str, footer_distance: bool = False
) -> None:
    """header_rows like "4:4"; footer is Excel's header/footer code (&P = page number)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.top = page.margin_top_mm / MM_PER_INCH
    ws.page_margins.bottom = page.margin_bottom_mm / MM_PER_INCH
    ws.page_margins.left = page.margin_left_mm / MM_PER_INCH
    ws.page_margins.right = page.margin_right_mm / MM_PER_INCH
    if footer_distance:
        ws.page_margins.footer = page.footer_distance_mm / MM_PER_INCH
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = header_rows
    ws.oddFooter.center.text = footer
