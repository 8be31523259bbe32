"""The one workbook helper every .xlsx producer uses (forms, annex, matrix, summary, ledger, year summary,
supervision list): cell styles applied fast, the print setup from templates/layout.yaml, document
properties, and the sizes openpyxl leaves to the reader (column widths in Excel's units, row heights
estimated from the text).

Depends on openpyxl 3.1.5 (pinned in pyproject.toml). Private members are touched in two places, on
purpose, both measured:
- `cell._style`, the cell's array of style indexes: openpyxl hashes every style object on each assignment
  (about 90 % of a form's build time), so StyleCache works a combination out once and hands the resulting
  array to every other cell that gets it.
- `wb._fonts` and `wb._named_styles`: the workbook's base font has no public setter (default_font).
A newer openpyxl must be checked against tests/test_fast_writers.py and the byte-equality tests before
the pin moves.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass, replace
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from generators.layout import PageSpec

MM_PER_INCH = 25.4
MM_PER_PT = MM_PER_INCH / 72
CELL_PADDING_MM = 2.0  # what a cell leaves of its width on both sides together
WIDE = ("W", "F")  # East Asian width classes printed one full character wide
_UNSTYLED = tuple(StyleArray())


# --- Cell styles ---------------------------------------------------------------------------------------


class StyleCache:
    """Named combinations of cell formatting, applied fast and small.

    The style a cell ends up with depends only on its style before and the attributes set, so each such
    pair is worked out once by openpyxl and its index array reused. By default every cell gets its own
    copy of the array, so a later `cell.font = …` changes that cell alone. With share=True the cells
    share one array (a 2,000-unit matrix of 880,000 cells styles in seconds, in 90 MB less); then every
    later style change to those cells must go through a StyleCache too, never through cell attributes,
    which change the shared array in place."""

    def __init__(self, specs: Mapping[str, Mapping[str, Any]] | None = None, *, share: bool = False):
        self.specs: dict[str, dict[str, Any]] = {name: dict(spec) for name, spec in (specs or {}).items()}
        self._share = share
        self._after: dict[tuple, StyleArray | None] = {}

    def apply(self, cell: Any, name: str, **attrs: Any) -> None:
        """Give the cell (a Cell or MergedCell: openpyxl types neither with its _style) the combination
        `name`: its spec, or the attributes given with it."""
        before = (name, *(cell._style or _UNSTYLED))  # a fresh cell has no array yet: all defaults
        after = self._after.get(before)
        if after is None:
            cell._style = copy(cell._style) if cell._style is not None else None  # never change a shared one
            for attr, value in (attrs or self.specs[name]).items():
                setattr(cell, attr, value)
            after = self._after[before] = cell._style
        cell._style = after if self._share else copy(after)

    def extended(self, **specs: Mapping[str, Any]) -> StyleCache:
        """A new cache with these combinations added to this one's."""
        return StyleCache({**self.specs, **specs}, share=self._share)


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


# --- Sizes ---------------------------------------------------------------------------------------------


def column_units(width_mm: float, size_pt: float) -> float:
    """A width in Excel's units: digits of the base font (half a character of size_pt)."""
    return round(width_mm / (size_pt / 2 * MM_PER_PT), 2)


def column_mm(units: float, size_pt: float) -> float:
    """The inverse of column_units: a column's width in mm."""
    return units * size_pt / 2 * MM_PER_PT


def text_width(text: object) -> int:
    """Width in half characters: a Chinese character (or full-width mark) is two, a Latin letter one."""
    return sum(2 if unicodedata.east_asian_width(ch) in WIDE else 1 for ch in str(text))


def text_lines(text: object, width_mm: float, size_pt: float) -> int:
    """How many lines a wrapped cell needs, filled character by character: a Chinese character (or
    full-width mark) is one character wide, a Latin letter or digit half of one; explicit line breaks
    start new lines."""
    return _text_lines(str(text), width_mm, size_pt)


@functools.lru_cache(maxsize=8192)  # the same measure's text is measured for every unit that holds it
def _text_lines(text: str, width_mm: float, size_pt: float) -> int:
    room = max(2, int(2 * (width_mm - CELL_PADDING_MM) / (size_pt * MM_PER_PT)))  # in half characters
    lines = 0
    for part in text.split("\n"):
        lines += 1
        used = 0
        for ch in part:
            width = 2 if unicodedata.east_asian_width(ch) in WIDE else 1
            if used + width > room and used:
                lines += 1
                used = 0
            used += width
    return lines


# --- Print setup ---------------------------------------------------------------------------------------


def footer_code(text: str, font: str, size_pt: float) -> str:
    """Excel's header/footer code with its own font: without one, LibreOffice prints the digits in
    DejaVu Sans."""
    if text[:1].isdigit():  # "&16" + "2023年…" would read as size 162023: the size first, then the font
        return f'&{size_pt:g}&"{font},Regular"{text}'
    return f'&"{font},Regular"&{size_pt:g}{text}'


def with_margins(page: PageSpec, margins_mm: Mapping[str, float]) -> PageSpec:
    """The page with other margins, e.g. {top: 20, bottom: 20, left: 15, right: 15} from layout.yaml."""
    return replace(page, **{f"margin_{side}_mm": float(mm) for side, mm in margins_mm.items()})


@dataclass(frozen=True)
class PrintSetup:
    """How a sheet prints. Every number comes from templates/layout.yaml through the caller's page."""

    page: PageSpec  # paper size is A4 either way; the margins are the page's
    footer: str  # Excel's header/footer code (&P = page number, &N = pages)
    footer_font: str
    footer_size_pt: float
    title_rows: str | None = None  # rows repeated on every page, e.g. "4:4"
    title_cols: str | None = None  # columns repeated on every page, e.g. "A:A"
    orientation: Literal["portrait", "landscape"] = "landscape"
    fit_width: int = 1  # pages wide; 0: printed at `scale` %, broken where the sheet's breaks say
    fit_height: int = 0  # 0: as many pages tall as the rows need, never shrunk to fit a height
    scale: int | None = None  # % when not fitted
    footer_distance: bool = False  # the page's footer_distance_mm as the footer margin
    centred: bool = True  # horizontally on the page


def set_print(ws: Worksheet, setup: PrintSetup) -> None:
    page = setup.page
    ws.page_setup.orientation = setup.orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if setup.fit_width:
        ws.page_setup.fitToWidth = setup.fit_width
        ws.page_setup.fitToHeight = setup.fit_height
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    elif setup.scale is not None:
        ws.page_setup.scale = setup.scale
    ws.page_margins.top = page.margin_top_mm / MM_PER_INCH
    ws.page_margins.bottom = page.margin_bottom_mm / MM_PER_INCH
    ws.page_margins.left = page.margin_left_mm / MM_PER_INCH
    ws.page_margins.right = page.margin_right_mm / MM_PER_INCH
    if setup.footer_distance:
        ws.page_margins.footer = page.footer_distance_mm / MM_PER_INCH
    if setup.centred:
        ws.print_options.horizontalCentered = True
    if setup.title_rows:
        ws.print_title_rows = setup.title_rows
    if setup.title_cols:
        ws.print_title_cols = setup.title_cols
    odd_footer(ws).center.text = footer_code(setup.footer, setup.footer_font, setup.footer_size_pt)


# --- Document properties -------------------------------------------------------------------------------


def set_properties(wb: Workbook, *, title: str, author: str, when: dt.datetime) -> None:
    """Title, author and dates: the dates from plan data (成文日期), never the clock, so the same plan
    gives the same bytes."""
    props = wb.properties
    props.title = title
    props.creator = props.lastModifiedBy = author
    props.created = props.modified = when
