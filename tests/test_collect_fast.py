"""collect at city scale: the fast reader gives what openpyxl gives, cell for cell, and the summary written
by stamping rows into openpyxl's sheet XML is openpyxl's workbook byte for byte.

Speed is measured by `make bench` (phase (f)), not here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from returns_kit import fill, form_bytes, rezip

from generators.collect import Outcome, collect, fast_book, reading, summary_artifacts
from generators.collect.summary_xlsx import build_summary, summary_bytes
from generators.formats.xlsx_bytes import workbook_bytes
from generators.formspec import FormsLayout
from generators.ledger.synthetic import form as synthetic_form

# Any text a unit can type into a workbook (none of the characters XML forbids), markup and whitespace
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30).map(
    lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)
) | st.sampled_from(
    ("", " ", "a & b < c > d", "=1+1", "  前后空格  ", "换行\n第二行", "_x0001_", "x005F_x0041_")
)
DATES = st.sampled_from((dt.datetime(2023, 4, 3), "2023年4月3日", "2023-04-03", 45019, 45019.5, None))


@pytest.fixture(scope="module")
def spec(layout):
    return FormsLayout.of(layout)


def openpyxl_rows(data: bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    book = reading._OpenpyxlBook(wb, reading.LIMITS, time.monotonic())
    try:
        return {name: book.rows(name) for name in book.sheetnames}
    finally:
        wb.close()


def fast_rows(data: bytes) -> dict[str, list[tuple]]:
    book = reading._FastBook(data, reading.LIMITS, time.monotonic())
    return {name: book.rows(name) for name in book.sheetnames}


def assert_same_reading(data: bytes) -> None:
    """Same sheets in the same order, the same rows, each cell the same value of the same type."""
    fast, slow = fast_rows(data), openpyxl_rows(data)
    assert list(fast) == list(slow)
    for name in slow:
        assert len(fast[name]) == len(slow[name]), name
        for got, want in zip(fast[name], slow[name], strict=True):
            assert got == want
            assert [type(v) for v in got] == [type(v) for v in want]


def read_with_openpyxl(monkeypatch, path: Path, spec):
    with monkeypatch.context() as patch:
        patch.setattr(fast_book.FastBook, "__init__", _unmodelled)
        return reading.read_form(path, spec)


def _unmodelled(self, data):
    raise fast_book.Unmodelled("openpyxl, for comparison")


def filled_with(plan, views, layout, spec, folder: Path, unit: str, texts: list[str], **given) -> Path:
    """A unit's form filled in, its 进展情况 cells taking the texts in turn."""
    turn = iter(range(10_000))
    given.setdefault("date", "2023年4月3日")
    return fill(
        form_bytes(plan, views, layout, 1, unit),
        folder / f"{unit}.xlsx",
        spec,
        progress=lambda key: texts[next(turn) % len(texts)],
        **given,
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXT, min_size=1, max_size=5), date=DATES, reporter=TEXT)
def test_fast_reader_agrees_with_openpyxl_on_filled_forms(
    plan, views, layout, spec, tmp_path_factory, monkeypatch, texts, date, reporter
):
    """Forms filled as a unit fills them (openpyxl writes inline strings, dates, numbers)."""
    folder = tmp_path_factory.mktemp("filled")
    path = filled_with(plan, views, layout, spec, folder, "区应急局", texts, date=date, reporter=reporter)
    data = path.read_bytes()
    assert_same_reading(data)
    fast = reading.read_form(path, spec)
    assert fast == read_with_openpyxl(monkeypatch, path, spec)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quarter=st.integers(1, 4), unit_index=st.integers(0, 51))
def test_fast_reader_agrees_with_openpyxl_on_synthetic_returns(plan, views, spec, quarter, unit_index):
    """The bench's returns (written as XML, inline strings, no styles part)."""
    unit = list(views.assignments)[unit_index]
    assert_same_reading(synthetic_form(plan, views, spec, quarter, unit, "2023-04-03"))


INLINE = re.compile(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is>(.*?)</is></c>', re.DOTALL)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def shared_strings(data: bytes) -> bytes:
    """The workbook with every inline string of its sheets moved into a shared string table, one entry
    per distinct text item, as Excel and LibreOffice store text."""
    table: dict[bytes, int] = {}

    def shared(match: re.Match) -> bytes:
        index = table.setdefault(match.group(2), len(table))
        return match.group(1) + b' t="s"><v>' + str(index).encode() + b"</v></c>"

    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = {n: src.read(n) for n in src.namelist()}
    for name in [n for n in members if n.startswith("xl/worksheets/sheet")]:
        members[name] = INLINE.sub(shared, members[name])
    items = b"".join(b"<si>" + item + b"</si>" for item in table)
    members["xl/sharedStrings.xml"] = (
        f'<sst xmlns="{MAIN}" count="{len(table)}">'.encode() + items + b"</sst>"
    )
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>'
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"</Types>", override.encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, body in members.items():
            dst.writestr(name, body)
    return out.getvalue()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXT, min_size=1, max_size=4))
def test_fast_reader_agrees_with_openpyxl_on_shared_strings(
    plan, views, layout, spec, tmp_path_factory, texts
):
    path = filled_with(plan, views, layout, spec, tmp_path_factory.mktemp("shared"), "城桥镇", texts)
    data = shared_strings(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b't="s"><v>' in z.read("xl/worksheets/sheet1.xml")
        assert b"<is>" not in z.read("xl/worksheets/sheet1.xml")  # empty cells stay empty inline strings
    assert_same_reading(data)


RICH = (
    '<r><rPr><b/></rPr><t xml:space="preserve">加粗 </t></r><r><t>普通</t></r>',
    '<t>甲</t><rPh sb="0" eb="1"><t>jia</t></rPh><phoneticPr fontId="1"/>',
    "<t/>",
    "<t>一</t><t>二</t>",
)


@pytest.mark.parametrize("inner", RICH, ids=["runs", "phonetic", "empty", "two-t"])
def test_rich_and_odd_text_items_read_as_openpyxl_reads_them(plan, views, layout, spec, tmp_path, inner):
    path = filled_with(plan, views, layout, spec, tmp_path, "堡镇", ["MARK"])
    marked = rezip(path.read_bytes(), lambda b: b.replace(b"<t>MARK</t>", inner.encode(), 1))
    assert marked != path.read_bytes()
    data = shared_strings(marked)
    assert_same_reading(marked)
    assert_same_reading(data)


def test_libreoffice_resaved_returns_read_the_same(plan, views, layout, spec, tmp_path, monkeypatch):
    """LibreOffice writes shared strings, its own styles and dimensions: both readers agree."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("未安装 LibreOffice（soffice）")
    filled = tmp_path / "filled"
    units = ("区应急局", "城桥镇")
    for unit in units:
        fill(
            form_bytes(plan, views, layout, 1, unit),
            filled / f"{unit}.xlsx",
            spec,
            date=dt.datetime(2023, 4, 3),
            progress=lambda key: f"{key} 进展 & <标记>\n第二行 =1+1",
        )
    resaved = tmp_path / "resaved"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(resaved),
            *(str(filled / f"{u}.xlsx") for u in units),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    for unit in units:
        path = resaved / f"{unit}.xlsx"
        data = path.read_bytes()
        with zipfile.ZipFile(path) as z:
            assert "xl/sharedStrings.xml" in z.namelist()
        assert_same_reading(data)
        fast = reading.read_form(path, spec)
        assert fast == read_with_openpyxl(monkeypatch, path, spec)
        assert fast.rows[0].values["progress"].endswith("进展 & <标记>\n第二行 =1+1")
        assert reading.file_date(fast, spec) == dt.date(2023, 4, 3)


def test_what_the_fast_reader_does_not_model_is_read_by_openpyxl(plan, views, layout, spec, tmp_path):
    """A row outside <sheetData>, a cell-less element in a row: openpyxl reads the file (same answer)."""
    path = fill(
        form_bytes(plan, views, layout, 1, "新河镇"), tmp_path / "新河镇.xlsx", spec, date="2023年4月3日"
    )
    odd = rezip(path.read_bytes(), lambda b: b.replace(b"</row>", b"<extLst/></row>", 1))
    with pytest.raises(fast_book.Unmodelled):
        fast_rows(odd)
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "新河镇.xlsx").write_bytes(odd)
    (verdict,) = collect(plan, views, layout, 1, tmp_path / "odd").verdicts
    assert verdict.outcome in (Outcome.ACCEPTED, Outcome.REJECTED)  # whatever openpyxl says, not a crash


def test_a_dtd_is_refused_on_both_paths(plan, views, layout, spec, tmp_path):
    path = fill(form_bytes(plan, views, layout, 1, "庙镇"), tmp_path / "庙镇.xlsx", spec, date="2023年4月3日")
    entity = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x "x">]>'
    bad = rezip(path.read_bytes(), lambda b: entity + b)
    (tmp_path / "庙镇.xlsx").write_bytes(bad)
    with pytest.raises(reading.NotAForm, match="文件内容异常，不像季度报表，不予读取") as caught:
        reading.read_form(tmp_path / "庙镇.xlsx", spec)
    assert "含 DTD（实体声明）" in caught.value.where


@pytest.fixture(scope="module")
def returns(tmp_path_factory, plan, views, layout, spec):
    folder = tmp_path_factory.mktemp("returns")
    for i, unit in enumerate(("区应急局", "城桥镇", "堡镇", "新河镇", "庙镇")):
        fill(
            form_bytes(plan, views, layout, 1, unit),
            folder / f"{unit}.xlsx",
            spec,
            date="2023年4月3日",
            progress=lambda key, i=i: f"{key} 第{i}家 & <检查> =1+1",
        )
    (folder / "竖新镇.xlsx").write_text("这不是工作簿", encoding="utf-8")
    return folder


def test_stamped_summary_is_openpyxls_workbook_byte_for_byte(returns, plan, views, layout):
    collection = collect(plan, views, layout, 1, returns)
    assert len(collection.reports) == 5 and len(collection.returned) == 1
    stamped = summary_bytes(plan, views, layout, collection)
    assert stamped == workbook_bytes(build_summary(plan, views, layout, collection))
    summary, *_ = summary_artifacts(plan, views, layout, collection)
    assert summary.data == stamped


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXT, min_size=1, max_size=4))
def test_stamped_summary_matches_openpyxl_for_any_returned_text(
    plan, views, layout, spec, tmp_path_factory, texts
):
    folder = tmp_path_factory.mktemp("any")
    for unit in ("区应急局", "城桥镇"):
        filled_with(plan, views, layout, spec, folder, unit, texts)
    collection = collect(plan, views, layout, 1, folder)
    assert summary_bytes(plan, views, layout, collection) == workbook_bytes(
        build_summary(plan, views, layout, collection)
    )


def test_workers_check_the_folder_as_one_process_does(plan, views, layout, spec, tmp_path, monkeypatch):
    """A city's returns are checked by a process per core: the same verdicts, in the same order, and the
    same summary as one process makes."""
    from generators.collect import collection

    folder = tmp_path / "returns"
    folder.mkdir()
    for unit in list(views.assignments)[:20]:
        (folder / f"{unit}.xlsx").write_bytes(synthetic_form(plan, views, spec, 1, unit, "2023-04-03"))
    (folder / "坏文件.xlsx").write_text("这不是工作簿", encoding="utf-8")
    (folder / "说明.txt").write_text("请查收", encoding="utf-8")
    monkeypatch.setattr(collection, "PARALLEL_FROM", 2)
    alone = collect(plan, views, layout, 1, folder, workers=1)
    together = collect(plan, views, layout, 1, folder, workers=2)

    def seen(c):
        return [(v.name, v.outcome, v.unit, v.errors, v.warnings, v.rows) for v in c.verdicts]

    assert seen(together) == seen(alone)
    assert len(alone.reports) == 20 and len(alone.unmatched) == 2
    assert [a.data for a in summary_artifacts(plan, views, layout, together)] == [
        a.data for a in summary_artifacts(plan, views, layout, alone)
    ]
