"""Quarterly forms stamped from one openpyxl-built prototype per quarter.

Building each form with openpyxl costs about 45 ms (cell objects, style hashing, a temporary file per
sheet); 2,000 units × 4 quarters would take minutes. Every form of a quarter is the same workbook but
for the unit: its row-2 line, its task rows (values and heights), the data-validation range, the
dimension, the hidden identification (form id, unit), the title and custom properties. So the first
unit's form is built with openpyxl (styles, validation, protection, print setup, defined names, hidden
sheet, properties all come from forms.build_form), and every other form copies its parts and writes
those pieces the way openpyxl writes them. The result is byte for byte what build_form + to_bytes gives
(tests/test_fast_writers.py compares every form of the real plan and forms with markup in their text);
a unit whose text openpyxl would treat specially (control characters) or that holds nothing is built with
openpyxl instead. Text starting with "=" is an inline string on both paths (xlsx_text.as_text).
"""

from __future__ import annotations

import functools
import io
import re
from xml.sax.saxutils import escape
from zipfile import ZipFile

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from generators.formats.zipwriter import Deflated, zip_members
from generators.formspec import PROPERTY_NAMES, PROPERTY_PREFIX, FormsLayout, identification
from generators.layout import Layout
from generators.model import Plan
from generators.render import form_workbook as forms
from generators.render.annex_xlsx import to_bytes
from generators.render.xlsx_text import as_text
from generators.views import UnitAssignments, Views

SHEET = "xl/worksheets/sheet1.xml"
ID_SHEET = "xl/worksheets/sheet2.xml"
CORE = "docProps/core.xml"
CUSTOM = "docProps/custom.xml"


def sheet_text(text: str) -> str:
    """A text node as openpyxl's worksheet writer emits it: ASCII, everything else as &#N; references."""
    return escape(text).replace("\r", "&#13;").encode("ascii", "xmlcharrefreplace").decode("ascii")


def cell_xml(ref: str, style: str | None, value: object) -> str:
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
    return f'<row r="{row}" ht="{format(height, ".16g")}" customHeight="1">{"".join(cells)}</row>'


def _plain(value: object) -> bool:
    """Written as plain text or a number by openpyxl (no illegal character; a leading "=" is text too, see
    xlsx_text)."""
    if isinstance(value, str):
        return not ILLEGAL_CHARACTERS_RE.search(value)
    return value is None or type(value) in (int, float)


def _replace_one(pattern: str, replacement, text: str) -> str:
    result, count = re.subn(pattern, replacement, text, count=1, flags=re.DOTALL)
    if count != 1:
        raise ValueError(f"原型表单中找不到 {pattern}")
    return result


class QuarterForms:
    """Every unit's form of one quarter, from a prototype built lazily (in the worker that needs it)."""

    def __init__(self, plan: Plan, views: Views, layout: Layout, quarter: int, rows: dict | None = None):
        self.plan, self.views, self.layout, self.quarter = plan, views, layout, quarter
        self.spec = FormsLayout.of(layout)
        # id(held) → (held, its task rows), the same in every quarter: one dict shared by the four quarters
        self._rows = {} if rows is None else rows

    def _openpyxl(self, held: UnitAssignments) -> bytes:
        return to_bytes(forms.build_form(self.plan, self.views, self.layout, self.quarter, held))

    @functools.cached_property
    def _prototype(self) -> dict:
        held = next((h for h in self.views.assignments.values() if h.all), None)
        if held is None:
            return {}
        buffer = io.BytesIO()
        with ZipFile(buffer, "w") as archive:
            ExcelWriter(
                as_text(forms.build_form(self.plan, self.views, self.layout, self.quarter, held)), archive
            ).write_data()
        with ZipFile(buffer) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        sheet = members[SHEET].decode("ascii")
        first_task = forms.HEADER_ROW + 1
        found = re.search(rf'<row r="{first_task}".*?</row>', sheet, re.DOTALL)  # text may hold newlines
        if found is None:
            raise ValueError(
                f"openpyxl wrote no row {first_task} in {SHEET}: its XML is not what this expects"
            )
        task_row = found.group(0)
        return {
            "members": {name: Deflated.of(data) for name, data in members.items()},
            "head": sheet[: sheet.index(f'<row r="{first_task}"')],
            "tail": sheet[sheet.index("</sheetData>") :],
            "styles": re.findall(r'<c r="[A-Z]+\d+" s="(\d+)"', task_row),
            "id_sheet": members[ID_SHEET].decode("ascii"),
            "core": members[CORE].decode("utf-8"),
            "custom": members[CUSTOM].decode("utf-8"),
        }

    def form(self, held: UnitAssignments) -> bytes:
        cached = self._rows.get(id(held))  # (held, rows): keeping held keeps its id from being reused
        if cached is None:
            cached = self._rows[id(held)] = (held, forms.task_rows(self.views, self.spec, self.layout, held))
        rows = cached[1]
        ids = identification(self.plan, self.quarter, held.unit.name)
        texts = [v for values, _ in rows for v in values] + [held.unit.full_name, *ids.values()]
        prototype = self._prototype
        if not rows or not prototype or not all(_plain(v) for v in texts):
            return self._openpyxl(held)
        members = dict(prototype["members"])
        members[SHEET] = self._sheet(prototype, held, rows).encode("ascii")
        members[ID_SHEET] = self._id_sheet(prototype, ids).encode("ascii")
        members[CORE] = self._core(prototype, held).encode("utf-8")
        members[CUSTOM] = self._custom(prototype, ids).encode("utf-8")
        return zip_members(members)

    def _sheet(self, prototype: dict, held: UnitAssignments, rows: list) -> str:
        first, last = forms.HEADER_ROW + 1, forms.HEADER_ROW + len(rows)
        letters = [get_column_letter(col) for col in range(1, len(self.spec.columns) + 1)]
        body = [
            row_xml(
                row,
                height,
                [
                    cell_xml(f"{c}{row}", s, v)
                    for c, s, v in zip(letters, prototype["styles"], values, strict=True)
                ],
            )
            for row, (values, height) in enumerate(rows, start=first)
        ]
        unit_line = self.spec.unit_line.format(unit=held.unit.full_name)
        head = _replace_one(
            r'<c r="A2" s="(\d+)" t="inlineStr">.*?</c>',
            lambda m: cell_xml("A2", m.group(1), unit_line),
            prototype["head"],
        )
        head = _replace_one(r'(<dimension ref="[A-Z]+1:[A-Z]+)\d+"', rf'\g<1>{last}"', head)
        status = letters[self.spec.columns.index(self.spec.column("status"))]
        tail = _replace_one(
            r'(<dataValidation sqref=")[^"]*"', rf'\g<1>{status}{first}:{status}{last}"', prototype["tail"]
        )
        return head + "".join(body) + tail

    def _id_sheet(self, prototype: dict, ids: dict[str, str]) -> str:
        sheet = prototype["id_sheet"]
        for row, name in enumerate(ids, start=1):
            sheet = _replace_one(
                rf'<c r="D{row}" t="inlineStr">.*?</c>', cell_xml(f"D{row}", None, ids[name]), sheet
            )
        return sheet

    def _core(self, prototype: dict, held: UnitAssignments) -> str:
        title = forms.form_title(self.plan, self.spec, self.quarter, held.unit.name)
        return _replace_one(
            r"(<dc:title[^>]*>).*?(</dc:title>)",
            lambda m: m.group(1) + escape(title) + m.group(2),
            prototype["core"],
        )

    def _custom(self, prototype: dict, ids: dict[str, str]) -> str:
        custom = prototype["custom"]
        for name in ids:
            prop = re.escape(PROPERTY_PREFIX + PROPERTY_NAMES[name])
            custom = _replace_one(
                rf'(<property name="{prop}"[^>]*><vt:lpwstr[^>]*>).*?(</vt:lpwstr>)',
                lambda m, value=ids[name]: m.group(1) + escape(value) + m.group(2),
                custom,
            )
        return custom
