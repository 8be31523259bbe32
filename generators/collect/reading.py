"""Read one returned file into what it says, without judging it; never write to it.

The bytes are read once and parsed from memory (cached values, as openpyxl's read-only mode gives them:
fast_book for the shape every spreadsheet program writes, openpyxl itself for anything else), so the
returned file is never opened for writing, re-saved or locked. Every read is bounded (file size, unpacked size and
compression ratio of the archive, rows, columns, time), so one hostile or broken file is refused with a
reason (NotAForm) and never stops the others. .xls, .et and .ods returns (and an old-format workbook named
.xlsx) are converted by LibreOffice into a temporary copy when it is installed.

The reading API (used by collect and the year ledger): read_form(path, spec) → ReturnedForm, or NotAForm
with the reason in Chinese. Cell texts in ReturnedForm.rows are trimmed and cleaned of characters no
workbook can hold (ReturnedForm.notes says where that happened).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import signal
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from generators.errors import os_reason
from generators.formspec import ID_FIELDS, ID_SHEET, PROPERTY_NAMES, PROPERTY_PREFIX, FormsLayout

from . import cells, fast_book
from .convert import NotConverted, to_xlsx

HEADER_SEARCH_ROWS = 30  # the header is on row 4 of a form; allow a unit to insert a few rows above it
CONVERTED = (".xls", ".et", ".ods")  # other spreadsheet formats LibreOffice turns into .xlsx
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: .xls/.et, or an encrypted .xlsx
SAVE_AS = "请用 Excel/WPS 另存为 .xlsx 后再交"


@dataclass(frozen=True)
class Limits:
    """How much one return may cost. A form of a unit with 300 tasks is about 60 KB packed, 1 MB unpacked."""

    file_bytes: int = 20 * 2**20
    unpacked_bytes: int = 20 * 2**20  # all archive members together, as declared (zipfile reads no more)
    ratio: int = 100  # unpacked/packed of a member over 1 MB: XML compresses about 10:1, bombs 1000:1
    members: int = 1000
    rows: int = 20_000
    columns: int = 64  # cells further right are not read
    seconds: float = 30.0  # per file; a form reads in well under a second


LIMITS = Limits()
RATIO_FROM_BYTES = 2**20


class NotAForm(Exception):
    """The file cannot be read as a quarterly form. The message says why in words the unit can act on (no
    file name, cell address or exception text: it goes into the 退回通知); `where` holds what the office
    may want to see besides (the extension, the exception, the sizes), for the console and the 汇总表."""

    def __init__(self, text: str, where: str = "") -> None:
        super().__init__(text)
        self.where = where


FILL_IN = "请在下发的报表中填写后重报"
DAMAGED = f"文件已损坏，无法作为表格打开，{FILL_IN}"
HOSTILE = f"文件内容异常，不像季度报表，不予读取，{FILL_IN}"


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
    notes: tuple[str, ...] = field(default=())  # what reading did to the file (converted, text cleaned)
    stated_unit: str = ""  # the visible 填报单位 line's unit (a full name), "" when the line is gone


def read_form(path: Path, spec: FormsLayout, limits: Limits | None = None) -> ReturnedForm:
    limits = limits or LIMITS
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", *CONVERTED):
        raise NotAForm(f"交来的文件不是报表工作簿，{FILL_IN}", f"扩展名 {cells.shown(path.suffix) or '无'}")
    try:
        size = path.stat().st_size
        if size > limits.file_bytes:
            raise NotAForm(HOSTILE, f"文件过大：{_mb(size)}，上限 {_mb(limits.file_bytes)}")
        data = path.read_bytes()
    except OSError as err:
        raise NotAForm("文件无法读取，请重新发送", os_reason(err)) from err
    notes: list[str] = []
    if data.startswith(OLE_MAGIC) and _encrypted(data):
        raise NotAForm("文件设有密码，请去掉密码后重报")
    if data.startswith(OLE_MAGIC) or (suffix != ".xlsx" and not _is_xlsx(data)):
        data = _converted(data, ".xls" if data.startswith(OLE_MAGIC) and suffix == ".xlsx" else suffix)
        notes.append(f"不是 .xlsx 格式，已由 LibreOffice 转换后读取（原文件未改动）；今后{SAVE_AS}")
    _check_archive(data, limits)
    try:
        with _time_limit(limits.seconds):
            form = _parse(data, path, spec, limits)
    except _TooSlow as err:
        raise NotAForm(*_too_slow(limits)) from err
    return dataclasses.replace(form, notes=(*notes, *form.notes)) if notes else form


def _parse(data: bytes, path: Path, spec: FormsLayout, limits: Limits) -> ReturnedForm:
    """The streaming reader first; openpyxl for what it does not model (and for its verdict on a damaged
    file): both give the same sheets and rows, so the form reads the same either way."""
    started = time.monotonic()
    try:
        return _read_book(_FastBook(data, limits, started), path, spec)
    except NotAForm:
        raise
    except Exception:  # noqa: BLE001, S110 — Unmodelled, or damage that openpyxl will name below
        pass
    _refuse_dtd(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # noqa: BLE001 — whatever a damaged file raises, it is refused, not fatal
        raise NotAForm(DAMAGED, _why(err)) from err
    try:
        return _read_book(_OpenpyxlBook(wb, limits, started), path, spec)
    except NotAForm:
        raise
    except Exception as err:  # noqa: BLE001 — a truncated or malformed sheet fails while it is read
        raise NotAForm(DAMAGED, _why(err)) from err
    finally:
        wb.close()


def _read_book(book: _Book, path: Path, spec: FormsLayout) -> ReturnedForm:
    ident = _identification(book)
    if not ident.get("表单编号"):
        raise NotAForm(f"不是下发的季度报表（找不到报表的隐藏标识），{FILL_IN}", "无表单标识")
    return _read_sheet(book, path, path.stat().st_mtime, ident, spec)


class _Book(Protocol):
    """A workbook as the form reader sees it: sheet names, each sheet's rows, the custom properties."""

    sheetnames: list[str]

    def rows(self, name: str) -> list[tuple]:
        """Every row from the first, `Limits.columns` values wide, up to the limits."""
        ...

    def properties(self) -> dict[str, str]:
        """The custom document properties by name, as text."""
        ...


class _OpenpyxlBook:
    def __init__(self, wb: Workbook, limits: Limits, started: float) -> None:
        self.wb, self.limits, self.started = wb, limits, started
        self.sheetnames = wb.sheetnames

    def rows(self, name: str) -> list[tuple]:
        ws = self.wb[name]
        ws.reset_dimensions()  # LibreOffice and WPS may write a stale or no <dimension>
        return _rows(ws, self.limits, self.started)

    def properties(self) -> dict[str, str]:
        return {p.name: cells.text(p.value) for p in getattr(self.wb, "custom_doc_props", [])}


class _FastBook:
    def __init__(self, data: bytes, limits: Limits, started: float):
        self.book = fast_book.FastBook(data)
        self.sheetnames = self.book.sheetnames
        self.limits = fast_book.Limits(
            rows=limits.rows, columns=limits.columns, deadline=started + limits.seconds
        )
        self.given = limits

    def rows(self, name: str) -> list[tuple]:
        try:
            return self.book.rows(name, self.limits)
        except fast_book.RowLimit as err:
            raise NotAForm(*_too_many_rows(name, self.limits.rows)) from err
        except fast_book.TimeLimit as err:
            raise NotAForm(*_too_slow(self.given)) from err

    def properties(self) -> dict[str, str]:
        raise fast_book.Unmodelled("custom properties")  # a form without its hidden sheet: rare


def _refuse_dtd(data: bytes) -> None:
    """No part of a form declares a DTD (which may define entities): such a file is not read."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")) or name == "[Content_Types].xml":
                try:
                    fast_book.refuse_dtd(archive.read(name))
                except fast_book.Unmodelled as err:
                    raise NotAForm(HOSTILE, f"{cells.shown(name)} 含 DTD（实体声明）") from err
                except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
                    return  # a damaged member: openpyxl names the damage


class _TooSlow(BaseException):
    """Raised by the timer inside openpyxl's parsing; a BaseException so no `except Exception` swallows it."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """A real time limit where signals work (the main thread: the command line): one huge row or string is
    parsed in a single step, between the row-by-row checks. Elsewhere the row-by-row check alone."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum, frame):
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-6))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _too_many_rows(sheet: str, rows: int) -> tuple[str, str]:
    return HOSTILE, f"{cells.shown(sheet)} 表超过 {rows} 行"


def _too_slow(limits: Limits) -> tuple[str, str]:
    return HOSTILE, f"读取超过 {limits.seconds:g} 秒仍未读完"


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def _why(err: Exception) -> str:
    """What kind of damage, in Chinese for the console and the summary: the library's class name and English
    text mean nothing to the office (and the project never shows them)."""
    if isinstance(err, OSError):
        return os_reason(err)
    if isinstance(err, zipfile.BadZipFile | zipfile.LargeZipFile | EOFError):
        return "压缩结构损坏或不完整"
    if isinstance(err, KeyError):
        return "缺少工作簿的必要部件"
    if (
        isinstance(err, SyntaxError) or "xml" in type(err).__module__.lower()
    ):  # lxml and ElementTree parse errors
        return "工作簿中的 XML 内容不完整或格式有误"
    if isinstance(err, ValueError | TypeError):
        return "工作簿中有无法识别的值"
    return "工作簿结构无法解析"


def _encrypted(data: bytes) -> bool:
    """A password-protected .xlsx is a compound file holding EncryptionInfo/EncryptedPackage streams (names
    stored in UTF-16LE in the directory)."""
    return "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data


def _is_xlsx(data: bytes) -> bool:
    """An .xlsx whatever its name says (a unit renamed 单位.xlsx to 单位.xls): read as it is."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return False


def _converted(data: bytes, suffix: str) -> bytes:
    try:
        return to_xlsx(data, suffix)
    except NotConverted as err:
        raise NotAForm(f"文件是其他表格格式，无法转换读取，{SAVE_AS}", f"{suffix} 格式：{err}") from err


def _check_archive(data: bytes, limits: Limits) -> None:
    """A .xlsx is a zip archive: refuse one that is not, or that unpacks to far more than a form (a bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as err:
        raise NotAForm(DAMAGED, f"不是 zip 压缩包（{_why(err)}）") from err
    if len(members) > limits.members:
        raise NotAForm(HOSTILE, f"压缩包内有 {len(members)} 个文件（上限 {limits.members}）")
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.unpacked_bytes:
        raise NotAForm(
            HOSTILE, f"解压后共 {_mb(unpacked)}（上限 {_mb(limits.unpacked_bytes)}），疑似压缩炸弹"
        )
    for m in members:
        if m.file_size > RATIO_FROM_BYTES and m.file_size > limits.ratio * max(m.compress_size, 1):
            raise NotAForm(
                HOSTILE,
                f"压缩包成员 {cells.shown(m.filename)} 压缩比 {m.file_size // max(m.compress_size, 1)}:1"
                f"（上限 {limits.ratio}:1），疑似压缩炸弹",
            )


def _identification(book: _Book) -> dict[str, str]:
    """The hidden sheet first; the custom document properties when a program dropped the sheet."""
    ident: dict[str, str] = {}
    if ID_SHEET in book.sheetnames:
        for row in book.rows(ID_SHEET):
            if len(row) >= 4 and cells.text(row[2]) in ID_FIELDS:
                ident[cells.text(row[2])] = cells.text(row[3])
    if not all(ident.get(name) for name in ID_FIELDS):
        props = book.properties()
        for name in ID_FIELDS:
            if not ident.get(name):
                ident[name] = props.get(PROPERTY_PREFIX + PROPERTY_NAMES[name], "")
    return ident


def _read_sheet(
    book: _Book, path: Path, mtime: float, ident: dict[str, str], spec: FormsLayout
) -> ReturnedForm:
    wanted = {c.name: c.field for c in spec.columns}
    for name in book.sheetnames:
        if name == ID_SHEET:
            continue
        rows = book.rows(name)
        header_at = _header_row(rows, wanted)
        if header_at is None:
            continue
        columns = {wanted[cells.text(v)]: i for i, v in enumerate(rows[header_at]) if cells.text(v) in wanted}
        reporter, reporter_cells = _reporter(rows[:header_at], spec)
        stated_unit = _stated_unit(rows[:header_at], spec)
        key_col = columns["key"]
        found, cleaned = [], []
        fields = list(columns.items())
        for r, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
            key_text = cells.text(row[key_col]) if key_col < len(row) else ""
            if not key_text:
                continue
            values = {}
            for f, i in fields:
                raw = row[i] if i < len(row) else None
                values[f] = shown = cells.text(raw)
                # text() only shortens a string by trimming, unless it dropped characters: look then
                if isinstance(raw, str) and len(shown) != len(raw) and cells.unwritable(raw):
                    cleaned.append(f"{get_column_letter(i + 1)}{r}")
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
            notes=(f"{'、'.join(cleaned)} 含表格无法保存的控制字符，已删去后汇总",) if cleaned else (),
            stated_unit=stated_unit,
        )
    raise NotAForm(
        f"报表的表头被改动，找不到“{spec.column('key').name}”“{spec.column('status').name}”等栏，{FILL_IN}",
        "找不到表头行",
    )


def _rows(ws: ReadOnlyWorksheet, limits: Limits, started: float) -> list[tuple]:
    """The sheet's rows up to the limits: a sheet of a million rows is refused, not read into memory."""
    rows = []
    # types-openpyxl types ReadOnlyWorksheet.iter_rows as Worksheet's: the ignore is for the stubs
    for row in ws.iter_rows(max_col=limits.columns, values_only=True):  # type: ignore[misc]
        rows.append(row)
        if len(rows) > limits.rows:
            raise NotAForm(*_too_many_rows(ws.title, limits.rows))
        if time.monotonic() - started > limits.seconds:
            raise NotAForm(*_too_slow(limits))
    return rows


def _stated_unit(rows: list[tuple], spec: FormsLayout) -> str:
    """The unit the form shows above its table (layout forms.unit_line, 填报单位：…)."""
    before, _, after = spec.unit_line.partition("{unit}")
    for row in rows:
        for value in row:
            shown = cells.text(value)
            if before and shown.startswith(before):
                return (
                    shown[len(before) :].removesuffix(after).strip()
                    if after
                    else shown[len(before) :].strip()
                )
    return ""


def _header_row(rows: list[tuple], wanted: dict[str, str]) -> int | None:
    """The first row holding 编号 and 完成状态 among the column names."""
    needed = {name for name, f in wanted.items() if f in ("key", "status")}
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if needed <= {cells.text(v) for v in row if v is not None}:
            return i
    return None


def _reporter(rows: list[tuple], spec: FormsLayout) -> tuple[dict[str, object], dict[str, str]]:
    """填报人 / 联系电话 / 填报日期: the cell right of each label, wherever the label ended up."""
    values: dict[str, object] = {}
    where: dict[str, str] = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            name = cells.label(value)
            if name in spec.reporter and name not in values:
                values[name] = row[c + 1] if c + 1 < len(row) else None
                where[name] = f"{get_column_letter(c + 2)}{r}"
    return values, where


def file_date(form: ReturnedForm, spec: FormsLayout) -> dt.date | None:
    return cells.as_date(form.reporter.get(spec.date_label))
