"""Copies of one openpyxl-written workbook with a few pieces of its XML rewritten, as openpyxl writes them.

Building a workbook with openpyxl costs tens of milliseconds (cell objects, style hashing, a temporary
file per sheet); copying one written workbook and rewriting only what differs costs a few. In: a
Prototype (the members of one workbook, written by xlsx_bytes.workbook_members), and per copy the
members to replace, made with the functions here from the prototype's XML. Out: the copy's .xlsx bytes
(Prototype.copy), by zipwriter. Invariant: when every replaced piece holds what openpyxl would write for
the same values, the copy is byte for byte the workbook openpyxl would have built (tests/test_fast_writers.py
compares every quarterly form of the seed and forms with markup in their text).

What the functions know is the XML openpyxl 3.1.5 (pinned in pyproject.toml) writes: a worksheet's
<sheetData> rows (<row r ht customHeight>), cells (<c r s t>, text as inline strings in ASCII with
&#N; references, numbers in repr form), <dimension ref>, <dataValidation sqref>, the <dc:title> of
docProps/core.xml and the <property name><vt:lpwstr> of docProps/custom.xml. No private member is
touched; what can break is that shape: if an openpyxl release writes any of it differently, a pattern
is not found (replace_one raises ValueError) or the bytes differ (the test fails). Text openpyxl would
treat specially (control characters, see stampable) must go through openpyxl instead.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from generators.formats.zipwriter import Deflated, zip_members

Value = str | int | float | None


def escape(text: str) -> str:
    """&, < and > as entities, as xml.sax.saxutils.escape gives them (whose import loads urllib.request,
    http and email: 20 ms of every build's start spent on nothing)."""
    return html.escape(text, quote=False)


@dataclass(frozen=True)
class Prototype:
    """A written workbook whose members every copy shares, each compressed once."""

    members: dict[str, Deflated]

    @classmethod
    def of(cls, members: Mapping[str, bytes]) -> Prototype:
        return cls({name: Deflated.of(data) for name, data in members.items()})

    def text(self, name: str) -> str:
        """A member's XML as text (openpyxl writes worksheets in ASCII, properties in UTF-8)."""
        return self.members[name].data.decode("utf-8")

    def copy(self, replaced: Mapping[str, str]) -> bytes:
        """The workbook's .xlsx bytes with these members' XML replaced."""
        members: dict[str, bytes | Deflated] = dict(self.members)
        members.update((name, xml.encode("utf-8")) for name, xml in replaced.items())
        return zip_members(members)


def stampable(value: object) -> bool:
    """openpyxl writes this value as plain text or a number (no illegal character; text starting with
    "=" is text too, see xlsx_bytes), so cell_xml gives its bytes."""
    if isinstance(value, str):
        return not ILLEGAL_CHARACTERS_RE.search(value)
    return value is None or type(value) in (int, float)


@functools.lru_cache(maxsize=8192)  # a measure's text recurs in the form of every unit that holds it
def sheet_text(text: str) -> str:
    """A text node as openpyxl's worksheet writer emits it: ASCII, everything else as &#N; references."""
    return escape(text).replace("\r", "&#13;").encode("ascii", "xmlcharrefreplace").decode("ascii")


def cell_xml(ref: str, style: str | None, value: Value) -> str:
    """A <c> element as openpyxl writes a cell holding value (text as an inline string)."""
    attrs = f'r="{ref}"' + (f' s="{style}"' if style is not None else "")
    if value is None:
        return f'<c {attrs} t="n"></c>'
    if isinstance(value, str):
        if value == "":
            return f'<c {attrs} t="inlineStr"></c>'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c {attrs} t="inlineStr"><is><t{space}>{sheet_text(value)}</t></is></c>'
    return f'<c {attrs} t="n"><v>{format(value, ".16g")}</v></c>'


def row_xml(row: int, height: float, cells: list[str]) -> str:
    """A <row> with a custom height, as openpyxl writes a row whose height was set."""
    return f'<row r="{row}" ht="{format(height, ".16g")}" customHeight="1">{"".join(cells)}</row>'


def replace_one(pattern: str, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
    """text with the one match of pattern replaced; ValueError when the pattern is not there."""
    result, count = re.subn(pattern, replacement, text, count=1, flags=re.DOTALL)
    if count != 1:
        raise ValueError(f"原型表单中找不到 {pattern}")
    return result


@dataclass(frozen=True)
class SheetRows:
    """A worksheet's XML cut around its rows from `first` on: what comes before, the cell styles of
    row `first` (left to right), and what comes after the rows (from </sheetData>)."""

    head: str
    styles: list[str]
    tail: str

    @classmethod
    def cut(cls, sheet: str, first: int) -> SheetRows:
        start = sheet.index(f'<row r="{first}"')
        row = re.search(rf'<row r="{first}".*?</row>', sheet, re.DOTALL)  # text may hold newlines
        if row is None:
            raise ValueError(f"原型表单中找不到第 {first} 行")
        styles = re.findall(r'<c r="[A-Z]+\d+" s="(\d+)"', row.group(0))
        return cls(sheet[:start], styles, sheet[sheet.index("</sheetData>") :])


def set_text_cell(sheet: str, ref: str, value: str) -> str:
    """The sheet with the text cell ref (an inline string, styled or not) holding value instead."""
    return replace_one(
        rf'<c r="{ref}"(?: s="(\d+)")? t="inlineStr">.*?</c>',
        lambda m: cell_xml(ref, m.group(1), value),
        sheet,
    )


def set_last_row(sheet: str, last: int) -> str:
    """The sheet's <dimension> ending on row last."""
    return replace_one(r'(<dimension ref="[A-Z]+1:[A-Z]+)\d+"', rf'\g<1>{last}"', sheet)


def set_validation_range(sheet: str, sqref: str) -> str:
    """The sheet's first <dataValidation> applied to sqref."""
    return replace_one(r'(<dataValidation sqref=")[^"]*"', rf'\g<1>{sqref}"', sheet)


def set_title(core: str, title: str) -> str:
    """docProps/core.xml with dc:title title."""
    return replace_one(
        r"(<dc:title[^>]*>).*?(</dc:title>)", lambda m: m.group(1) + escape(title) + m.group(2), core
    )


def set_custom_text(custom: str, name: str, value: str) -> str:
    """docProps/custom.xml with the text property name holding value."""
    return replace_one(
        rf'(<property name="{re.escape(name)}"[^>]*><vt:lpwstr[^>]*>).*?(</vt:lpwstr>)',
        lambda m: m.group(1) + escape(value) + m.group(2),
        custom,
    )
