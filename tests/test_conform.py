"""`plandocs conform`: GB/T 9704 rules on the .docx and the PDF, and that a broken document fails them."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from generators.cli import main
from generators.conform import check_docx, check_pdf, format_table
from generators.pipeline import build

PLAN_DIR = Path(__file__).resolve().parent.parent / "plan"


@pytest.fixture(scope="module")
def opinion_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("conform")
    result = build(PLAN_DIR, out, select=lambda job: job.kind == "opinion")
    (entry,) = [e for e in result.entries if e["kind"] == "opinion"]
    return out / entry["path"]


def rewrite(docx: Path, target: Path, part: str, pattern: str, new: str) -> Path:
    """A copy of docx with the first match of a regular expression in one XML part replaced."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == part:
                text, count = re.subn(pattern, new, data.decode("utf-8"), count=1, flags=re.S)
                assert count == 1
                data = text.encode("utf-8")
            copy.writestr(item, data)
    return target


def failing(checks) -> list[str]:
    return [c.rule for c in checks if not c.passed]


def test_built_opinion_docx_passes_every_rule(opinion_docx, layout):
    checks = check_docx(opinion_docx, layout)
    assert not failing(checks), format_table(checks)
    clauses = {c.clause for c in checks}
    assert {"5.1", "5.2.1", "5.2.3", "7.3.1", "7.3.3", "7.3.7", "7.5", "8"} <= clauses


def test_wrong_body_font_margin_and_footer_fail(opinion_docx, layout, tmp_path):
    broken = rewrite(
        opinion_docx,
        tmp_path / "a.docx",
        "word/styles.xml",
        r'(w:styleId="正文">.*?w:eastAsia=")仿宋_GB2312',
        r"\g<1>宋体",
    )
    assert "样式“正文”字体字号" in failing(check_docx(broken, layout))
    document = zipfile.ZipFile(opinion_docx).read("word/document.xml").decode()
    top = re.search(r'w:top="(\d+)"', document).group(0)
    broken = rewrite(opinion_docx, tmp_path / "b.docx", "word/document.xml", top, 'w:top="1800"')
    assert failing(check_docx(broken, layout)) == ["页边距（版心 156×225mm）"]
    broken = rewrite(opinion_docx, tmp_path / "c.docx", "word/settings.xml", "<w:evenAndOddHeaders/>", "")
    assert set(failing(check_docx(broken, layout))) == {"单页页码", "双页页码"}


def test_title_directly_under_the_annex_label_fails(opinion_docx, layout, tmp_path):
    document = zipfile.ZipFile(opinion_docx).read("word/document.xml").decode()
    blank = '<w:p><w:pPr><w:pStyle w:val="附件标签"/></w:pPr></w:p>'
    assert blank in document
    broken = rewrite(opinion_docx, tmp_path / "d.docx", "word/document.xml", blank, "")
    rows = [c for c in check_docx(broken, layout) if not c.passed]
    assert len(rows) == 1 and "标题在第 2 行" in rows[0].measured


def test_table_lists_clause_result_and_measured_value(opinion_docx, layout):
    table = format_table(check_docx(opinion_docx, layout)).splitlines()
    assert table[0].split() == ["条款", "来源", "检查项", "要求", "实测", "结果"]
    assert any(line.startswith("5.2.3") and "579 缇" in line and line.endswith("通过") for line in table)


def test_conform_cli_exits_1_when_a_rule_fails(opinion_docx, tmp_path):
    broken = rewrite(opinion_docx, tmp_path / "e.docx", "word/styles.xml", 'w:val="44"', 'w:val="36"')
    result = CliRunner().invoke(main, ["conform", str(broken)])
    assert result.exit_code == 1
    assert "样式“公文标题”字体字号" in result.output and "18磅" in result.output


def test_pdf_with_a_page_missing_fails_page_numbers(printed, layout, tmp_path):
    entries = _manifest(printed)
    opinion = next(e["path"] for e in entries if e["kind"] == "opinion")
    (entry,) = [e for e in entries if e["kind"] == "pdf" and e.get("source") == opinion]
    reader = PdfReader(printed / entry["path"])
    writer = PdfWriter()
    for index, page in enumerate(reader.pages):
        if index != 2:
            writer.add_page(page)
    out = BytesIO()
    writer.write(out)
    (tmp_path / "gap.pdf").write_bytes(out.getvalue())
    assert "页码文字" in failing(check_pdf(tmp_path / "gap.pdf", layout))
    assert "页码文字" not in failing(check_pdf(printed / entry["path"], layout))


def test_landscape_page_number_upright_or_on_the_wrong_end_fails(printed, layout, tmp_path):
    """8: the annex's odd pages with their page number upright, or at the upper end, fail; the built ones pass."""
    from generators.pdf.soffice import convert_batch

    entries = _manifest(printed)
    opinion = next(e["path"] for e in entries if e["kind"] == "opinion")
    (entry,) = [e for e in entries if e["kind"] == "pdf" and e.get("source") == opinion]
    rows = {c.rule: c for c in check_pdf(printed / entry["path"], layout)}
    assert rows["页码位置（横排页）"].passed and rows["页码位置（横排页）"].clause == "8"
    with zipfile.ZipFile(printed / opinion) as z:
        (odd_footer,) = [
            n
            for n in z.namelist()
            if "wps:txbx" in (x := z.read(n).decode(errors="ignore")) and 'w:val="right"' in x
        ]
    source = printed / opinion
    upright = rewrite(source, tmp_path / "upright.docx", odd_footer, r'vert="vert"', 'vert="horz"')
    upper_end = rewrite(
        source, tmp_path / "upper_end.docx", odd_footer, 'w:jc w:val="right"', 'w:jc w:val="left"'
    )
    with pdfplumber.open(printed / entry["path"]) as built:
        odd = [n for n, page in enumerate(built.pages, 1) if page.width > page.height and n % 2]
    assert len(odd) == 4  # the annex's odd pages, where the rewritten footer prints
    for pdf in convert_batch([upright, upper_end], tmp_path, timeout_s=120):
        rows = {c.rule: c for c in check_pdf(pdf, layout)}
        assert not rows["页码位置（横排页）"].passed, pdf.name
        assert "第 " + "、".join(map(str, odd)) + " 页" in rows["页码位置（横排页）"].measured
        assert rows["页码位置（纵向页）"].passed
    assert rows["页码文字"].passed  # the number is right, only its place is wrong


def _manifest(out: Path) -> list[dict]:
    import json

    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]


# --- chart colours (汇总表, 年度推进台账): one palette, the sheets' shading -------------------------------


@pytest.fixture(scope="module")
def summary_with_chart(tmp_path_factory, plan, views, layout):
    from returns_kit import fill, form_bytes

    from generators.collect import collect
    from generators.formspec import FormsLayout

    folder = tmp_path_factory.mktemp("chart-returns")
    spec = FormsLayout.of(layout)
    for unit in ("区应急局", "城桥镇"):
        fill(form_bytes(plan, views, layout, 1, unit), folder / f"{unit}.xlsx", spec, date="2023年4月3日")
    return collect(plan, views, layout, 1, folder)


def _summary_file(plan, views, layout, collection, target: Path) -> Path:
    from generators.collect.summary_xlsx import render_summary

    target.write_bytes(render_summary(plan, views, layout, collection).data)
    return target


def test_the_summary_chart_paints_every_status_from_the_palette(
    summary_with_chart, plan, views, layout, tmp_path
):
    from generators.conform import check_file

    path = _summary_file(plan, views, layout, summary_with_chart, tmp_path / "汇总表.xlsx")
    (check,) = check_file(path, layout)
    assert check.passed, check.measured
    assert (
        check.measured == f"{len(layout.status_colours) - 1} 个状态系列均按配色"
    )  # 未报送 is no series here


def test_conform_fails_a_chart_left_to_the_spreadsheet_programs_colours(
    summary_with_chart, plan, views, layout, tmp_path, monkeypatch
):
    """Planted defects: the chart as before (no colours), and a chart painted from another palette."""
    from dataclasses import replace

    from generators.collect import summary_xlsx
    from generators.conform import check_file

    monkeypatch.setattr(summary_xlsx, "paint_status_series", lambda chart, statuses, layout: None)
    bare = _summary_file(plan, views, layout, summary_with_chart, tmp_path / "无颜色.xlsx")
    (check,) = check_file(bare, layout)
    assert not check.passed and "图表1 系列“按计划推进”未指定颜色（由表格软件自选）" in check.measured
    monkeypatch.undo()
    swapped = dict(layout.status_colours)
    swapped["已完成"], swapped["滞后"] = swapped["滞后"], swapped["已完成"]
    other = replace(layout, status_colours=tuple(swapped.items()))
    painted = _summary_file(plan, views, other, summary_with_chart, tmp_path / "别的配色.xlsx")
    (check,) = check_file(painted, layout)
    assert not check.passed
    assert (
        f"系列“已完成”为 {swapped['已完成']}，配色为 {dict(layout.status_colours)['已完成']}"
        in check.measured
    )
