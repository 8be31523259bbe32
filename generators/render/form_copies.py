"""Quarterly forms stamped from one openpyxl-built prototype per quarter.

Building each form with openpyxl costs about 45 ms; 2,000 units × 4 quarters would take minutes. Every
form of a quarter is the same workbook but for the unit: its row-2 line, its task rows (values and
heights), the data-validation range, the dimension, the hidden identification (form id, unit), the title
and custom properties. So the first unit's form is built with openpyxl (styles, validation, protection,
print setup, defined names, hidden sheet, properties all come from form_workbook.build_form), and every
other form is a copy with those pieces rewritten by the formats kit (formats/xlsx_stamp.py), which
writes them the way openpyxl does. The result is byte for byte what build_form + workbook_bytes gives
(tests/test_fast_writers.py compares every form of the real plan and forms with markup in their text);
a unit whose text openpyxl would treat specially (control characters) or that holds nothing is built
with openpyxl instead. Text starting with "=" is an inline string on both paths (formats/xlsx_bytes.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from generators.formats.xlsx_bytes import workbook_bytes, workbook_members
from generators.formats.xlsx_stamp import (
    Prototype,
    SheetRows,
    cell_xml,
    row_xml,
    set_custom_text,
    set_last_row,
    set_text_cell,
    set_title,
    set_validation_range,
    stampable,
)
from generators.formspec import PROPERTY_NAMES, PROPERTY_PREFIX, FormsLayout, identification
from generators.layout import Layout
from generators.model import Plan
from generators.render import form_workbook as forms
from generators.render.form_workbook import Prefill
from generators.views import UnitAssignments, Views

SHEET = "xl/worksheets/sheet1.xml"
ID_SHEET = "xl/worksheets/sheet2.xml"
CORE = "docProps/core.xml"
CUSTOM = "docProps/custom.xml"

TaskRows = list[tuple[list, float]]  # per task row: its cell values, its height


@dataclass(frozen=True)
class _FormPrototype:
    """One quarter's form as openpyxl wrote it, cut where the units' forms differ."""

    workbook: Prototype
    rows: SheetRows  # the main sheet around its task rows


def _all_stampable(rows: TaskRows) -> bool:
    return all(stampable(v) for values, _ in rows for v in values)


class QuarterForms:
    """Every unit's form of one quarter, from a prototype built lazily (in the worker that needs it)."""

    def __init__(self, plan: Plan, views: Views, layout: Layout, quarter: int, rows: dict | None = None):
        self.plan, self.views, self.layout, self.quarter = plan, views, layout, quarter
        self.spec = FormsLayout.for_views(layout, views)
        # id(held) → (held, its task rows, …) as form() keeps them: one dict shared by the four quarters
        self._rows = {} if rows is None else rows

    def _openpyxl(self, held: UnitAssignments, prefill: Prefill | None = None) -> bytes:
        return workbook_bytes(
            forms.build_form(self.plan, self.views, self.layout, self.quarter, held, prefill)
        )

    @functools.cached_property
    def _prototype(self) -> _FormPrototype | None:
        held = next((h for h in self.views.assignments.values() if h.all), None)
        if held is None:
            return None
        members = workbook_members(forms.build_form(self.plan, self.views, self.layout, self.quarter, held))
        workbook = Prototype.of(members)
        return _FormPrototype(workbook, SheetRows.cut(workbook.text(SHEET), forms.HEADER_ROW + 1))

    def form(
        self, held: UnitAssignments, prefill: Prefill | None = None, ids: dict[str, str] | None = None
    ) -> bytes:
        """The unit's form; with `prefill` (一表通) its rows carry what the unit last reported. `ids`: its
        identification (formspec.identification) when the caller has it already."""
        # (held, rows, bodies, whether every row value is stampable), the same in every quarter: keeping
        # held keeps its id from being reused
        cached = self._rows.get(id(held))
        if cached is None:
            rows = forms.task_rows(self.views, self.spec, self.layout, held)
            cached = self._rows[id(held)] = (held, rows, {}, _all_stampable(rows))
        rows, plain = cached[1], cached[3]
        if prefill:
            rows = forms.task_rows(self.views, self.spec, self.layout, held, prefill)
            plain = _all_stampable(rows)
        if ids is None:
            ids = identification(self.views, self.quarter, held.unit.name)
        prototype = self._prototype
        named = [held.unit.full_name, *ids.values()]
        if not rows or prototype is None or not plain or not all(stampable(v) for v in named):
            return self._openpyxl(held, prefill)
        workbook = prototype.workbook
        title = forms.form_title(self.plan, self.spec, self.quarter, held.unit.name)
        custom = workbook.text(CUSTOM)
        for name, value in ids.items():
            custom = set_custom_text(custom, PROPERTY_PREFIX + PROPERTY_NAMES[name], value)
        id_sheet = workbook.text(ID_SHEET)
        for row, value in enumerate(ids.values(), start=1):
            id_sheet = set_text_cell(id_sheet, f"D{row}", value)
        return workbook.copy(
            {
                SHEET: self._sheet(prototype.rows, held, rows, None if prefill else cached[2]),
                ID_SHEET: id_sheet,
                CORE: set_title(workbook.text(CORE), title),
                CUSTOM: custom,
            }
        )

    def _sheet(
        self, sheet: SheetRows, held: UnitAssignments, rows: TaskRows, bodies: dict[tuple, str] | None
    ) -> str:
        """The main sheet; `bodies`: the unit's task rows as XML by cell styles, the same in every quarter
        (None for rows of this quarter only: prefilled)."""
        first, last = forms.HEADER_ROW + 1, forms.HEADER_ROW + len(rows)
        letters = [get_column_letter(col) for col in range(1, len(self.spec.columns) + 1)]
        key = tuple(sheet.styles)
        body = None if bodies is None else bodies.get(key)
        if body is None:
            body = "".join(
                row_xml(
                    row,
                    height,
                    [
                        cell_xml(f"{c}{row}", s, v)
                        for c, s, v in zip(letters, sheet.styles, values, strict=True)
                    ],
                )
                for row, (values, height) in enumerate(rows, start=first)
            )
            if bodies is not None:
                bodies[key] = body
        unit_line = self.spec.unit_line.format(unit=held.unit.full_name)
        head = set_last_row(set_text_cell(sheet.head, f"A{forms.UNIT_ROW}", unit_line), last)
        status = letters[self.spec.columns.index(self.spec.column("status"))]
        tail = set_validation_range(sheet.tail, f"{status}{first}:{status}{last}")
        return head + body + tail
