"""The UNO converter (generators/pdf/uno_convert.py): spreadsheets print with 避头尾 in their cells, text
documents print as `soffice --convert-to` prints them, and a file LibreOffice cannot open fails alone."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from generators.conform.typeset import NO_START, breaks
from generators.pdf import soffice
from generators.pdf.convert import converter_key
from generators.pdf.pool import UNREADABLE, Source, convert_many

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="无 LibreOffice")

# Calc fills a cell's lines character by character: some line ends just before "，" or "。" unless the
# forbidden-characters rule pulls a character down with the mark.
LINE = "安全生产责任落实到位"
TEXT = f"{LINE}，{LINE}。{LINE}；（{LINE}）"


@pytest.fixture(autouse=True)
def uno_needed(monkeypatch):
    monkeypatch.delenv(soffice.CONVERTER_SETTING, raising=False)
    if soffice.uno_python() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI 中未安装 python3-uno：.ci/run 应安装它")
        pytest.skip("无可导入 uno 的 python（python3-uno）")


def sheet_bytes(protected: bool) -> bytes:
    """A sheet with one narrow column of running text, like a form's 工作内容 (and protected like one)."""
    book = Workbook()
    sheet = book.active
    sheet.column_dimensions["A"].width = 22
    for row in range(1, 25):  # the marks shifted one place a row: some fall where a line ends
        cell = sheet.cell(row, 1, "安" * row + TEXT * 2)
        cell.font = Font(name="宋体", size=11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 110
    if protected:
        sheet.protection.sheet = True
        book.security = None
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def printed(name: str, data: bytes, tmp_path: Path) -> Path:
    (made,) = list(convert_many([Source(name, data)], workers=1))
    assert made.pdf is not None, made.reason
    path = tmp_path / f"{Path(name).stem}.pdf"
    path.write_bytes(made.pdf)
    return path


def closing_marks_first(pdf: Path) -> list[str]:
    return [b.after for b in breaks(pdf) if b.after[:1] in NO_START]


@pytest.mark.parametrize("protected", [False, True])
def test_a_spreadsheet_cell_breaks_no_line_before_a_closing_mark(protected, tmp_path, monkeypatch):
    data = sheet_bytes(protected)
    assert closing_marks_first(printed("uno.xlsx", data, tmp_path)) == []
    # the same cells through --convert-to start lines with marks: the rule above is what mends them
    monkeypatch.setenv(soffice.CONVERTER_SETTING, "soffice")
    assert closing_marks_first(printed("plain.xlsx", data, tmp_path))


def test_a_text_document_prints_as_convert_to_prints_it(tmp_path, monkeypatch):
    word = Document()
    for i in range(60):
        word.add_paragraph(f"第{i + 1}段。{TEXT}" * 3)
    data = io.BytesIO()
    word.save(data)
    by_uno = printed("uno.docx", data.getvalue(), tmp_path)
    monkeypatch.setenv(soffice.CONVERTER_SETTING, "soffice")
    by_soffice = printed("plain.docx", data.getvalue(), tmp_path)

    def text(pdf: Path) -> str:
        return subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True
        ).stdout.decode()

    assert text(by_uno) == text(by_soffice)
    assert text(by_uno).count("\f") > 1  # several pages, the same on both sides


def test_a_file_libreoffice_cannot_open_fails_alone(tmp_path):
    good = sheet_bytes(False)
    results = {
        r.name: r
        for r in convert_many(
            [Source("a.xlsx", good), Source("b.xlsx", b"PK\x03\x04 not a workbook"), Source("c.xlsx", good)],
            workers=1,
        )
    }
    assert results["a.xlsx"].pdf and results["c.xlsx"].pdf
    assert results["b.xlsx"].pdf is None and results["b.xlsx"].reason == UNREADABLE


def test_the_converter_is_part_of_the_pdfs_key(monkeypatch):
    """PDFs made by the other converter are remade: only the UNO one prints cells with 避头尾."""
    by_uno = converter_key()
    monkeypatch.setenv(soffice.CONVERTER_SETTING, "soffice")
    assert converter_key() != by_uno
