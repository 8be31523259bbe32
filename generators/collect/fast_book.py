"""A returned workbook's sheets read as openpyxl reads them (read-only, cached values), several times
faster: each sheet is parsed in one call by ElementTree's C parser (openpyxl parses the same XML with the
same parser, element by element) and its cells converted as openpyxl's parse_cell converts them, without
openpyxl's per-cell objects.

What is read this way: the shared strings and the worksheets, the bulk of a return. The small package parts
(content types, workbook, its relationships, styles) are interpreted by openpyxl's own classes, once per
distinct content (every form plandocs sends out has the same ones), so sheet names, sheet order, hidden
sheets, part paths, the date epoch and which styles are dates are openpyxl's answers.

openpyxl internals relied on (openpyxl 3.1.5, pinned): reader.excel._find_workbook_part, the
Workbook's _date_formats/_timedelta_formats and Stylesheet.date_formats/timedelta_formats (which styles are
dates), and the conversions of worksheet/_reader.py's parse_cell mirrored in _value; the tests below hold
the two readers equal, so a version bump that changes any of them fails there.

The reader models the shape Excel, WPS, LibreOffice and openpyxl write. Anything else — a chart sheet, a
DTD, a row outside <sheetData>, a part too big to hold as a tree (openpyxl streams it), a value it cannot
convert, XML that is not well-formed — raises Unmodelled, and the caller reads the file with openpyxl
instead (whose verdict, or error, stands). The tests compare both readers cell by cell
(tests/test_collect_fast.py).
"""

from __future__ import annotations

import io
import time
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from openpyxl.cell.text import Text
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.reader.excel import _find_workbook_part  # type: ignore[attr-defined]  # private, see above
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.workbook import Workbook
from openpyxl.xml.constants import ARC_CONTENT_TYPES, ARC_STYLE, SHARED_STRINGS
from openpyxl.xml.functions import fromstring

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
WORKSHEET, SHEET_DATA, ROW, CELL = (MAIN + n for n in ("worksheet", "sheetData", "row", "c"))
VALUE, INLINE, TEXT, SST, STRING_ITEM = (MAIN + n for n in ("v", "is", "t", "sst", "si"))
TREE_BYTES = 4 * 2**20  # a part held whole as a tree (a 300-task form's sheet is about 1 MB); openpyxl
# streams a bigger one row by row
CACHED = 32  # distinct package parts remembered (one set per program that saved returns)


class Unmodelled(Exception):
    """The fast reader does not model this file (or part of it): read it with openpyxl."""


class RowLimit(Exception):
    """A sheet holds more rows than the caller allows."""


class TimeLimit(Exception):
    """Reading took longer than the caller allows."""


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    deadline: float  # time.monotonic() after which reading stops


@dataclass(frozen=True)
class _Package:
    strings_path: str | None
    sheets: tuple[tuple[str, str], ...]  # (name, part path), workbook order, parts that exist only
    epoch: object
    date_styles: frozenset[int]
    timedelta_styles: frozenset[int]


class FastBook:
    """sheetnames and each sheet's rows, as openpyxl's read-only, data-only workbook gives them."""

    def __init__(self, data: bytes):
        try:
            self._archive = zipfile.ZipFile(io.BytesIO(data))
            names = set(self._archive.namelist())
            self._package = _package_of(self._archive, names)
            path = self._package.strings_path
            self._strings = _shared_strings(self._part(path)) if path else []
        except Unmodelled:
            raise
        except Exception as err:  # noqa: BLE001 — openpyxl decides what a part it cannot read means
            raise Unmodelled(f"{type(err).__name__}: {err}") from err
        self.sheetnames = [name for name, _ in self._package.sheets]

    def rows(self, name: str, limits: Limits) -> list[tuple]:
        """Every row from the first, empty rows included, each `limits.columns` values wide: what
        `ws.reset_dimensions(); ws.iter_rows(max_col=columns, values_only=True)` yields."""
        path = next(p for n, p in self._package.sheets if n == name)  # the first of that name, as wb[name]
        try:
            return _sheet_rows(self._part(path), self._package, self._strings, limits)
        except (Unmodelled, RowLimit, TimeLimit):
            raise
        except Exception as err:  # noqa: BLE001 — malformed XML, a bad number: openpyxl's verdict
            raise Unmodelled(f"{type(err).__name__}: {err}") from err

    def _part(self, path: str) -> bytes:
        if self._archive.getinfo(path).file_size > TREE_BYTES:
            raise Unmodelled(f"{path} is too big for a tree")
        xml = self._archive.read(path)
        refuse_dtd(xml)
        return xml


def _package_of(archive: zipfile.ZipFile, names: set[str]) -> _Package:
    strings_path, workbook_path = _manifest(archive.read(ARC_CONTENT_TYPES))
    rels = archive.read(get_rels_path(workbook_path))
    epoch, sheets = _sheets(workbook_path, archive.read(workbook_path), rels)
    dates, durations = _date_styles(archive.read(ARC_STYLE) if ARC_STYLE in names else None)
    # openpyxl skips a sheet whose part is missing, and reads a chart sheet as a chart
    if any("chartsheet" in kind for _, path, kind in sheets if path in names):
        raise Unmodelled("chart sheet")
    return _Package(
        strings_path=strings_path,
        sheets=tuple((name, path) for name, path, _ in sheets if path in names),
        epoch=epoch,
        date_styles=dates,
        timedelta_styles=durations,
    )


@lru_cache(maxsize=CACHED)
def _manifest(content_types: bytes) -> tuple[str | None, str]:
    refuse_dtd(content_types)
    package: Any = Manifest.from_tree(cast(Any, fromstring(content_types)))
    strings = package.find(SHARED_STRINGS)
    return (strings.PartName[1:] if strings is not None else None), _find_workbook_part(package).PartName[1:]


class _Parts:
    """The two parts openpyxl's workbook parser reads, from memory."""

    def __init__(self, parts: dict[str, bytes]):
        self.parts = parts

    def read(self, name: str) -> bytes:
        return self.parts[name]


@lru_cache(maxsize=CACHED)
def _sheets(path: str, workbook: bytes, rels: bytes) -> tuple[object, tuple[tuple[str, str, str], ...]]:
    """The date epoch and every sheet as (name, part path, relationship type), as openpyxl finds them."""
    refuse_dtd(workbook)
    refuse_dtd(rels)
    parser = WorkbookParser(cast(Any, _Parts({path: workbook, get_rels_path(path): rels})), path)
    parser.parse()
    found = tuple((sheet.name, rel.target, rel.Type) for sheet, rel in parser.find_sheets())
    return parser.wb.epoch, found


@lru_cache(maxsize=CACHED)
def _date_styles(styles: bytes | None) -> tuple[frozenset[int], frozenset[int]]:
    """The cell styles (indexes) whose number format is a date or a duration, as apply_stylesheet sets
    them; a workbook without styles (or without cell styles) keeps a new Workbook's."""
    wb: Any = Workbook()
    dates, durations = wb._date_formats, wb._timedelta_formats
    if styles is not None:
        refuse_dtd(styles)
        sheet: Any = Stylesheet.from_tree(cast(Any, fromstring(styles)))
        if sheet.cell_styles:
            dates, durations = sheet.date_formats, sheet.timedelta_formats
    return frozenset(dates), frozenset(durations)


def refuse_dtd(xml: bytes) -> None:
    """A DTD can declare entities (a billion laughs): no form has one, and no part with one is read."""
    if any(mark in xml for mark in _DOCTYPE):
        raise Unmodelled("DTD")


_DOCTYPE = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _text(item: ET.Element) -> str:
    """openpyxl's Text.content of <si> or <is>: one plain <t> is the common case."""
    if len(item) == 1:
        only = item[0]
        if only.tag == TEXT and not len(only):
            return only.text or ""
    text: Any = Text.from_tree(cast(Any, item))
    return text.content


def _shared_strings(xml: bytes) -> list[str]:
    """openpyxl's read_string_table: each <si>'s text, with Excel's escape of "_x" undone its way."""
    root = ET.fromstring(xml)
    if root.tag != SST or any(item.find(".//" + STRING_ITEM) is not None for item in root):
        raise Unmodelled("not a plain string table")
    return [_text(item).replace("x005F_", "") for item in root.iter(STRING_ITEM)]


@lru_cache(maxsize=4096)
def _column(reference: str) -> int:
    return coordinate_to_tuple(reference)[1]


def _cast_number(value: str) -> int | float:
    """openpyxl's reading of a number: a float when it has a point or an exponent."""
    if "." in value or "E" in value or "e" in value:
        return float(value)
    return int(value)


def _row_number(row: ET.Element, previous: int) -> int:
    number = row.get("r")
    if number is None:
        return previous + 1
    try:
        return int(number)
    except ValueError:
        value = float(number)
        if not value.is_integer():
            raise
        return int(value)


def _sheet_rows(xml: bytes, package: _Package, strings: list[str], limits: Limits) -> list[tuple]:
    """openpyxl's parse_row and parse_cell (worksheet/_reader.py, data only) and _cells_by_row
    (worksheet/_read_only.py): missing rows come as empty rows, a row numbered at or before one already
    given is dropped, every row is `limits.columns` values wide."""
    root = ET.fromstring(xml)
    if root.tag != WORKSHEET:
        raise Unmodelled("not a worksheet")
    data = [row for part in root if part.tag == SHEET_DATA for row in part]
    if any(row.tag != ROW for row in data) or sum(1 for _ in root.iter(ROW)) != len(data):
        raise Unmodelled("rows outside <sheetData>")
    width = limits.columns
    empty = (None,) * width
    rows: list[tuple] = []
    expected = number = 0  # the row openpyxl yields next, less one; the last row number read
    for row in data:
        number = _row_number(row, number)
        gap = number - expected - 1
        if gap > 0:
            if len(rows) + gap > limits.rows:
                raise RowLimit
            rows.extend([empty] * gap)
            expected += gap
        if number == expected + 1:
            values: list[object] = [None] * width
            column = 0
            for cell in row:
                if cell.tag != CELL:
                    raise Unmodelled("not a cell in a row")
                reference = cell.get("r")
                column = _column(reference) if reference else column + 1
                if 1 <= column <= width:
                    values[column - 1] = _value(cell, package, strings)
                else:
                    _value(cell, package, strings)  # converted all the same: a bad one fails openpyxl
            rows.append(tuple(values))
            expected += 1
            if len(rows) > limits.rows:
                raise RowLimit
        else:  # dropped by openpyxl, but its cells are still converted
            for cell in row:
                if cell.tag != CELL:
                    raise Unmodelled("not a cell in a row")
                _value(cell, package, strings)
        if time.monotonic() > limits.deadline:
            raise TimeLimit
    return rows


def _value(cell: ET.Element, package: _Package, strings: list[str]) -> object:
    kind = cell.get("t", "n")
    style = cell.get("s", 0)
    if style:
        style = int(style)
    if kind == "inlineStr":
        item = cell.find(INLINE)
        return None if item is None else _text(item)
    value = cell.findtext(VALUE, None) or None
    if value is None:
        return None
    if kind == "n":
        number = _cast_number(value)
        if style not in package.date_styles:
            return number
        try:
            return from_excel(number, package.epoch, timedelta=style in package.timedelta_styles)
        except (OverflowError, ValueError):
            return "#VALUE!"
    if kind == "s":
        return strings[int(value)]
    if kind == "b":
        return bool(int(value))
    if kind == "d":
        return from_ISO8601(value)
    return value  # str (a formula's text result), e (an error), anything else: the text
