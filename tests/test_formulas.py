"""No text from plan/ or from a return ever becomes a spreadsheet formula, in any workbook plandocs writes.

Every sheet's XML is read: no <f> element anywhere (no workbook defines a formula cell: FORMULA_CELLS is
empty), and text that starts with = + - @ is an inline string holding exactly that text, which Excel, WPS
and LibreOffice show as text.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from returns_kit import fill, form_bytes, tree_hashes

from generators.cli import main
from generators.collect import Outcome, cells, collect, summary_artifacts
from generators.formats.xlsx_bytes import FORMULA_CELLS, workbook_bytes
from generators.formspec import FormsLayout
from generators.render import annex_xlsx, form_workbook, forms, matrix
from generators.render.form_copies import QuarterForms
from generators.views import Views

HOSTILE = (
    "=1+1",
    '=HYPERLINK("http://evil.example/x","点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(1,2)",
    "=<w:t>&amp;{{ x }}</w:t>",
)
FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
# Any text, half of it starting like a formula
TEXT = st.one_of(
    ANY_TEXT, st.builds(str.__add__, st.sampled_from(("=", "+", "-", "@", "=HYPERLINK(")), ANY_TEXT)
)


def sheets(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")}


def assert_no_formula(data: bytes, what: str) -> None:
    assert frozenset() == FORMULA_CELLS  # no template defines a formula cell
    for name, xml in sheets(data).items():
        assert not FORMULA.search(xml), f"{what} {name}: {FORMULA.search(xml).group(0)!r}"


def texts(data: bytes) -> set[str]:
    """Every cell value of every sheet, asserting that each string is a text cell."""
    out = set()
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    out.add(cell.value)
    return out


def hostile_plan(plan):
    """The real plan with every measure text, key task name and content, and the titles starting with
    spreadsheet-formula characters (titles without "/": they also name files)."""
    count = iter(range(10_000))

    def h(text: str) -> str:
        return HOSTILE[next(count) % len(HOSTILE)] + text

    parts = tuple(
        dataclasses.replace(
            p,
            sections=tuple(
                dataclasses.replace(
                    s, measures=tuple(dataclasses.replace(m, text=h(m.text)) for m in s.measures)
                )
                for s in p.sections
            ),
        )
        for p in plan.parts
    )
    groups = tuple(
        dataclasses.replace(
            g,
            tasks=tuple(dataclasses.replace(t, name=h(t.name), content=h(t.content)) for t in g.tasks),
        )
        for g in plan.annex.groups
    )
    return dataclasses.replace(
        plan,
        meta=dataclasses.replace(plan.meta, title="=SUM(1,2)" + plan.meta.title),
        parts=parts,
        annex=dataclasses.replace(plan.annex, title="@" + plan.annex.title, groups=groups),
    )


@pytest.fixture(scope="module")
def hostile(plan):
    bad = hostile_plan(plan)
    return bad, Views(bad)


def test_forms_keep_formula_text_as_text_on_both_paths(hostile, layout):
    plan, views = hostile
    spec = FormsLayout.of(layout)
    jobs = forms.quarter_jobs(plan, views, layout, 1)
    seen = set()
    for job in jobs:
        data = job.make()
        assert_no_formula(data, job.path)
        held = views.assignments[job.unit]
        if held.all and job.unit in ("区应急局", "城桥镇"):
            # the stamped form is byte for byte what openpyxl writes for the same unit
            reference = workbook_bytes(form_workbook.build_form(plan, views, layout, 1, held))
            assert data == reference
            seen |= texts(data)
    for measure in plan.measures:
        if any(a.measure is measure for a in views.assignments["区应急局"].all):
            assert measure.text in seen
    assert any(t.startswith("=HYPERLINK(") for t in seen) and any(t.startswith("@SUM") for t in seen)
    assert spec.column("content").name in seen


def test_annex_and_matrix_keep_formula_text_as_text(hostile, layout):
    plan, views = hostile
    (annex,) = annex_xlsx.render(plan, layout)
    assert_no_formula(annex.data, annex.path)
    values = texts(annex.data)
    task = plan.annex.groups[0].tasks[0]
    assert task.name in values and task.content in values
    assert any(v.startswith(plan.annex.title) for v in values)  # the title starts with "@"
    (grid,) = matrix.render(plan, views, layout)
    assert_no_formula(grid.data, grid.path)
    assert any(v.startswith("=SUM(1,2)") for v in texts(grid.data))


@pytest.fixture(scope="module")
def hostile_returns(tmp_path_factory, plan, views, layout):
    """Two units answer with formulas in every text cell (and in 填报人)."""
    spec = FormsLayout.of(layout)
    folder = tmp_path_factory.mktemp("formula-returns")
    for i, unit in enumerate(("区应急局", "城桥镇")):
        data = form_bytes(plan, views, layout, 1, unit)
        target = folder / f"{unit}.xlsx"
        fill(data, target, spec, date="2023年4月3日", reporter="=1+1", progress=lambda k, i=i: HOSTILE[i] + k)
        # text cells in the return: what openpyxl used to write back into the summary as formulas
        sheet = sheets(target.read_bytes())["xl/worksheets/sheet1.xml"]
        assert b"<t>=1+1</t>" in sheet and not FORMULA.search(sheet)
    return folder


def test_summary_and_report_keep_returned_formulas_as_text(hostile_returns, plan, views, layout, tmp_path):
    collection = collect(plan, views, layout, 1, hostile_returns)
    assert sorted(collection.reports) == ["区应急局", "城桥镇"]
    summary, report = summary_artifacts(plan, views, layout, collection)
    assert_no_formula(summary.data, summary.path)
    spec = FormsLayout.of(layout)
    wb = load_workbook(io.BytesIO(summary.data))
    detail = wb[spec.summary.sheets["rows"]]
    progress = [c.value for c in detail["F"][2:]]
    assert "=1+1措施1" in progress and '=HYPERLINK("http://evil.example/x","点击查看")措施1' in progress
    assert all(c.data_type == "s" for c in detail["F"][2:] if c.value)
    assert {c.value for c in detail["I"][2:]} == {"=1+1"}  # 填报人 as typed, as text
    texts(summary.data)
    path = tmp_path / "report.docx"
    path.write_bytes(report.data)
    Document(path)  # the 通报 opens


def test_libreoffice_reads_the_text_back_as_text(hostile_returns, plan, views, layout, tmp_path):
    """As the office's spreadsheet program sees it: LibreOffice converts the summary to CSV and the cells
    hold the typed text, not a computed 2 or a hyperlink."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("未安装 LibreOffice（soffice）")
    spec = FormsLayout.of(layout)
    summary, _ = summary_artifacts(plan, views, layout, collect(plan, views, layout, 1, hostile_returns))
    source = tmp_path / "summary.xlsx"
    source.write_bytes(summary.data)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",  # every sheet
            "--outdir",
            str(tmp_path / "csv"),
            str(source),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    (csv,) = (tmp_path / "csv").glob(f"*{spec.summary.sheets['rows']}*.csv")
    text = csv.read_text(encoding="utf-8")
    assert '"=1+1措施1"' in text or ",=1+1措施1," in text
    assert "=HYPERLINK(" in text.replace('""', '"')


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
def test_any_measure_text_makes_a_form_without_formulas(plan, views, layout, text):
    """Measure text is what the plan says (control characters are refused by `plandocs check`): whatever
    legal text it is, the form is written, it holds the text exactly, and nothing is a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    held = views.assignments["区应急局"]
    measure = next(a.measure for a in held.all if a.measure is not None)
    bad = _with_measure_text(plan, measure.number, text)
    bad_views = Views(bad)
    data = QuarterForms(bad, bad_views, layout, 1).form(bad_views.assignments["区应急局"])
    assert_no_formula(data, "form")
    if text:
        assert text in texts(data)


def _with_measure_text(plan, number: int, text: str):
    return dataclasses.replace(
        plan,
        parts=tuple(
            dataclasses.replace(
                p,
                sections=tuple(
                    dataclasses.replace(
                        s,
                        measures=tuple(
                            dataclasses.replace(m, text=text) if m.number == number else m for m in s.measures
                        ),
                    )
                    for s in p.sections
                ),
            )
            for p in plan.parts
        ),
    )


@pytest.fixture(scope="module")
def marked_return(plan, views, layout):
    """A filled form whose 进展情况 cells hold a marker, to be replaced by any text in the sheet XML."""
    spec = FormsLayout.of(layout)
    data = form_bytes(plan, views, layout, 1, "区应急局")
    buffer = io.BytesIO()
    wb = load_workbook(io.BytesIO(data))
    ws = wb[spec.sheet_title]
    ws.cell(3, spec.reporter_columns[0] + 1).value = "张三"
    ws.cell(3, spec.reporter_columns[1] + 1).value = "021-12345678"
    ws.cell(3, spec.reporter_columns[2] + 1).value = "2023年4月3日"
    for row in ws.iter_rows(min_row=5):
        row[5].value, row[6].value = "MARKER", "已完成"
    wb.save(buffer)
    return buffer.getvalue()


def _with_text(data: bytes, raw: str) -> bytes:
    """The return with MARKER replaced by raw in the sheet XML (XML-escaped; characters XML forbids stay
    raw, which makes the sheet unreadable: such a return must be refused, not crash collect)."""
    escaped = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<t>MARKER</t>", f'<t xml:space="preserve">{escaped}</t>'.encode())
            dst.writestr(info, body)
    return out.getvalue()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
def test_any_returned_text_is_summarised_or_refused_never_a_formula(
    plan, views, layout, marked_return, tmp_path_factory, text
):
    folder = tmp_path_factory.mktemp("any-return")
    (folder / "区应急局.xlsx").write_bytes(_with_text(marked_return, text))
    collection = collect(plan, views, layout, 1, folder)
    (verdict,) = collection.verdicts
    summary, report, *notices = summary_artifacts(plan, views, layout, collection)  # always written
    assert_no_formula(summary.data, "summary")
    for notice in notices:  # a refused return's 退回通知 quotes what the unit typed: still a valid .docx
        assert notice.kind == "return-notice"
        Document(io.BytesIO(notice.data))
    if cells.text(text) and verdict.outcome is Outcome.ACCEPTED:
        spec = FormsLayout.of(layout)
        detail = load_workbook(io.BytesIO(summary.data))[spec.summary.sheets["rows"]]
        shown = {c.value for c in detail["F"][2:]}
        assert shown == {cells.text(text.replace("\r\n", "\n").replace("\r", "\n"))}  # as XML reads it
    else:
        assert verdict.outcome in (Outcome.ACCEPTED, Outcome.REJECTED)
        assert collection.returned.get("区应急局", verdict) is verdict


def test_collect_command_writes_returned_formulas_as_text(hostile_returns, tmp_path):
    """From the outside: `plandocs collect` exits 0, leaves the returns as they were, and the summary it
    writes holds no formula."""
    out = tmp_path / "out"
    before = tree_hashes(hostile_returns)
    result = CliRunner().invoke(main, ["collect", "--quarter", "1", str(hostile_returns), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "已报 2 个" in result.output
    assert tree_hashes(hostile_returns) == before
    written = {p: out / p for p in tree_hashes(out) if p.endswith(".xlsx")}
    assert list(written) == ["summary/2023Q1/2023年第一季度进展情况汇总表.xlsx"]
    for path in written.values():
        assert_no_formula(path.read_bytes(), path.name)
        assert "=1+1措施1" in texts(path.read_bytes())
