"""Synthetic returned forms for `make bench`: the smallest .xlsx the collector accepts, written as XML.

Each holds what a unit fills in (the hidden identification, 填报人/联系电话/填报日期, one row per task
with a status and progress), written directly into the zip so that making thousands costs little; the
statuses cycle deterministically so every status appears.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from generators.formspec import ID_SHEET, FormsLayout, identification
from generators.model import Plan
from generators.render.form_workbook import row_cells
from generators.views import Views

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
    "</Relationships>"
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _workbook(sheet: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS}><sheets>'
        f'<sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/>'
        f'<sheet name="{ID_SHEET}" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>'
    )


def _sheet(rows: list[list[str]]) -> str:
    out = []
    for r, values in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for c, v in enumerate(values)
            if v != ""
        )
        out.append(f'<row r="{r}">{cells}</row>')
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>{"".join(out)}</sheetData></worksheet>'


def form(plan: Plan, views: Views, spec: FormsLayout, quarter: int, unit: str, date: str) -> bytes:
    statuses = spec.statuses
    labels = ["填报人", "张三", "联系电话", "021-1", "填报日期", date]
    rows = [[spec.title], [], labels, [c.name for c in spec.columns]]
    for index, a in enumerate(views.assignments[unit].all, start=1):
        cells = row_cells(views, spec, index, a)
        status = statuses[(index + quarter + len(unit)) % len(statuses)]
        values = {
            **cells,
            "progress": f"{cells['key']}推进中",
            "status": status,
            "problems": "",
            "next_steps": "",
        }
        rows.append([str(values.get(c.field, "")) for c in spec.columns])
    ident = identification(views, quarter, unit)
    id_rows = [["", "", name, value] for name, value in ident.items()]
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _RELS,
        "xl/workbook.xml": _workbook(spec.sheet_title),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": _sheet(rows),
        "xl/worksheets/sheet2.xml": _sheet(id_rows),
    }
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buffer.getvalue()


def write_returns(plan: Plan, views: Views, spec: FormsLayout, quarter: int, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    date = plan.meta.due_dates[quarter - 1]
    for unit in views.assignments:
        (folder / f"{unit}.xlsx").write_bytes(form(plan, views, spec, quarter, unit, date))
    return len(views.assignments)
