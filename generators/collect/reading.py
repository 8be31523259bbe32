"""Read one returned file into what it says, without judging it; never write to it.

The bytes are read once and parsed from memory (openpyxl read-only, cached values), so the returned file
is never opened for writing, re-saved or locked.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from generators.formspec import ID_FIELDS, ID_SHEET, PROPERTY_NAMES, PROPERTY_PREFIX, FormsLayout

from . import cells

HEADER_SEARCH_ROWS = 30  # the header is on row 4 of a form; allow a unit to insert a few rows above it


class NotAForm(Exception):
    """The file cannot be read as a quarterly form; the message says why, in Chinese."""


@dataclass(frozen=True)
class FormRow:
    key_text: str  # 编号 as found
    row: int  # sheet row number, for messages
    values: dict[str, str]  # field → trimmed text (progress, status, problems, next_steps …)


@dataclass(frozen=True)
class ReturnedForm:
    path: Path
    mtime: float
    ident: dict[str, str]  # ID_FIELDS → value
    sheet: str
    reporter: dict[str, object]  # label → raw value (None when the cell is empty)
    reporter_cells: dict[str, str]  # label → cell address, for messages
    columns: dict[str, str]  # field → column letter
    rows: tuple[FormRow, ...]
    missing_columns: tuple[str, ...] = field(default=())


def read_form(path: Path, spec: FormsLayout) -> ReturnedForm:
    if path.suffix.lower() != ".xlsx":
        hint = (
            "，请用 Excel/WPS 另存为 .xlsx 后再交" if path.suffix.lower() in (".xls", ".et", ".ods") else ""
        )
        raise NotAForm(f"不是 .xlsx 工作簿（扩展名 {path.suffix or '无'}）{hint}")
    data = path.read_bytes()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as err:
        raise NotAForm(
            f"无法作为 Excel 工作簿打开（{type(err).__name__}），文件可能已损坏或并非 .xlsx"
        ) from err
    try:
        ident = _identification(wb)
        if not ident.get("表单编号"):
            raise NotAForm("不是本系统下发的季度报表：找不到隐藏的表单标识")
        return _read_sheet(wb, path, path.stat().st_mtime, ident, spec)
    finally:
        wb.close()


def _identification(wb) -> dict[str, str]:
    """The hidden sheet first; the custom document properties when a program dropped the sheet."""
    ident: dict[str, str] = {}
    if ID_SHEET in wb.sheetnames:
        ws = wb[ID_SHEET]
        ws.reset_dimensions()
        for row in ws.iter_rows(values_only=True):
            if len(row) >= 4 and cells.text(row[2]) in ID_FIELDS:
                ident[cells.text(row[2])] = cells.text(row[3])
    props = {p.name: cells.text(p.value) for p in getattr(wb, "custom_doc_props", [])}
    for name in ID_FIELDS:
        if not ident.get(name):
            ident[name] = props.get(PROPERTY_PREFIX + PROPERTY_NAMES[name], "")
    return ident


def _read_sheet(wb, path: Path, mtime: float, ident: dict[str, str], spec: FormsLayout) -> ReturnedForm:
    wanted = {c.name: c.field for c in spec.columns}
    for name in wb.sheetnames:
        if name == ID_SHEET:
            continue
        ws = wb[name]
        ws.reset_dimensions()  # LibreOffice and WPS may write a stale or no <dimension>
        rows = list(ws.iter_rows(values_only=True))
        header_at = _header_row(rows, wanted)
        if header_at is None:
            continue
        columns = {wanted[cells.text(v)]: i for i, v in enumerate(rows[header_at]) if cells.text(v) in wanted}
        reporter, reporter_cells = _reporter(rows[:header_at], spec)
        key_col = columns["key"]
        found = []
        for r, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
            key_text = cells.text(row[key_col]) if key_col < len(row) else ""
            if not key_text:
                continue
            values = {f: cells.text(row[i]) if i < len(row) else "" for f, i in columns.items()}
            found.append(FormRow(key_text=key_text, row=r, values=values))
        return ReturnedForm(
            path=path,
            mtime=mtime,
            ident=ident,
            sheet=name,
            reporter=reporter,
            reporter_cells=reporter_cells,
            columns={f: get_column_letter(i + 1) for f, i in columns.items()},
            rows=tuple(found),
            missing_columns=tuple(n for n, f in wanted.items() if f not in columns),
        )
    raise NotAForm(f"找不到表头行（应含“{spec.column('key').name}”“{spec.column('status').name}”等列）")


def _header_row(rows: list[tuple], wanted: dict[str, str]) -> int | None:
    """The first row holding 编号 and 完成状态 among the column names."""
    needed = {name for name, f in wanted.items() if f in ("key", "status")}
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if needed <= {cells.text(v) for v in row}:
            return i
    return None


def _reporter(rows: list[tuple], spec: FormsLayout) -> tuple[dict[str, object], dict[str, str]]:
    """填报人 / 联系电话 / 填报日期: the cell right of each label, wherever the label ended up."""
    values: dict[str, object] = {}
    where: dict[str, str] = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            name = cells.label(value)
            if name in spec.reporter and name not in values:
                values[name] = row[c + 1] if c + 1 < len(row) else None
                where[name] = f"{get_column_letter(c + 2)}{r}"
    return values, where


def file_date(form: ReturnedForm, spec: FormsLayout) -> dt.date | None:
    return cells.as_date(form.reporter.get(spec.date_label))
