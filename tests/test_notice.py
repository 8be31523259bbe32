"""印发通知 and the issued document: the text from plan/meta.yaml in the right styles and order, the 版头
and 版记 as GB/T 9704-2012 asks, validation at file:line, and the rendered PDFs pass the 文件格式 rules."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner
from conftest import PLAN_DIR, schema_errors
from docx import Document
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st
from test_validation import edit, one_problem

from generators.cli import main
from generators.errors import TemplateBroken
from generators.layout import load_layout
from generators.plan import load_plan
from generators.render import notice
from generators.render.titles import break_title, text_width


@pytest.fixture(scope="module")
def rendered(plan, views, layout):
    return {a.kind: a for a in notice.render(plan, layout)}


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    doc = Document(io.BytesIO(data))
    return [(p.style.name, p.text) for p in doc.paragraphs if p.text.strip()]


def test_the_notice_prints_meta_in_order_and_style(rendered, plan):
    n = plan.meta.notice
    shown = paragraphs(rendered["notice"].data)
    assert shown == [
        ("发文机关标志", "上海市崇明区安全生产委员会文件"),
        ("发文字号", "崇安委〔2023〕1号"),
        ("公文标题", "关于印发《上海市崇明区2023年"),
        ("公文标题", "安全生产工作意见》的通知"),
        ("主送机关", f"{n.addressees}："),
        *[("正文", text) for text in n.body],
        ("附件说明", f"附件：{n.attachment}"),
        ("发文机关署名", "\u3000" * 14 + n.signature),
        ("成文日期", "2023年3月1日"),
    ]
    assert rendered["notice"].path == "崇明区2023年安全生产工作意见_印发通知.docx"


def test_the_header_is_red_and_the_separator_spans_the_type_area(rendered, layout):
    doc = Document(io.BytesIO(rendered["notice"].data))
    mark = doc.styles["发文机关标志"]
    assert (
        str(mark.font.color.rgb) == "FF0000" and mark.font.size.pt == layout.notice["organ_mark"]["size_pt"]
    )
    east_asia = mark.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia"))
    assert east_asia == layout.style("公文标题").east_asia
    border = doc.styles["发文字号"].element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert border.get(qn("w:color")) == "FF0000"
    date = doc.styles["成文日期"].paragraph_format
    assert date.right_indent.pt == 4 * layout.style("正文").size_pt


def test_the_issued_document_is_notice_attachment_and_imprint_on_an_even_page(rendered, plan):
    doc = Document(io.BytesIO(rendered["issue"].data))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert texts[0] == "上海市崇明区安全生产委员会文件"
    label = texts.index("附件")
    assert texts[label + 1] == plan.meta.title and texts[label - 1] == "2023年3月1日"
    sections = doc.sections
    last = sections[-1]
    assert last._sectPr.find(qn("w:type")).get(qn("w:val")) == "evenPage"
    assert last.footer_distance == last.bottom_margin  # the 版记's last rule on the type area's bottom
    even = last.even_page_footer
    (table,) = even.tables
    assert [c.text for row in table.rows for c in row.cells] == [
        f"抄送：{plan.meta.notice.copies_to}",
        f"{plan.meta.notice.printer}\t2023年3月1日印发",
    ]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    sizes = {side: borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "insideH", "bottom")}
    assert sizes == {"top": "8", "insideH": "6", "bottom": "8"}  # 0.35 / 0.25 / 0.35 mm in eighths of a pt
    assert not "".join(p.text for p in last.footer.paragraphs).strip()  # the odd (blank) page stays blank
    assert [s.orientation for s in sections].count(1) == 1  # the annex alone is landscape


def test_outputs_are_schema_valid_and_reproducible(rendered, plan, views, layout, tmp_path):
    again = {a.kind: a.data for a in notice.render(plan, layout)}
    for kind, artifact in rendered.items():
        assert again[kind] == artifact.data
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(artifact.data)
        assert schema_errors(path) == []


def test_text_comes_out_literally(plan_copy, layout):
    edit(plan_copy / "meta.yaml", "主送机关: 各乡镇人民政府", '主送机关: "R&D <办> {{ x }} 各乡镇人民政府')
    edit(plan_copy / "meta.yaml", "区有关直属单位\n  正文", '区有关直属单位"\n  正文')
    plan = load_plan(plan_copy)
    (art, _) = notice.render(plan, layout)
    assert (
        "主送机关",
        "R&D <办> {{ x }} 各乡镇人民政府，区安委会各成员单位，区有关直属单位：",
    ) in paragraphs(art.data)


def test_no_notice_in_meta_means_no_notice(plan_copy, layout):
    text = (plan_copy / "meta.yaml").read_text(encoding="utf-8")
    (plan_copy / "meta.yaml").write_text(text[: text.index("# 印发本意见的通知")], encoding="utf-8")
    plan = load_plan(plan_copy)
    assert notice.render(plan, layout) == []


def test_a_layout_without_its_notice_part_is_one_message_naming_it(plan, layout):
    """A layout.yaml that lost its notice part: the notice is refused with a message (TemplateBroken), not a
    TypeError from indexing None."""
    with pytest.raises(TemplateBroken, match="layout.yaml 缺少“notice”一节"):
        notice.render(plan, replace(layout, notice=None))


def test_a_bad_date_is_reported_at_its_line(plan_copy):
    line = edit(plan_copy / "meta.yaml", '印发日期: "2023-03-01"', '印发日期: "2023年3月1日"')
    assert "“印发日期”应写成 YYYY-MM-DD" in one_problem(plan_copy, "meta.yaml", line)


def test_title_lines_must_spell_the_title(plan_copy):
    line = edit(
        plan_copy / "meta.yaml",
        "  主送机关:",
        "  标题分行: [关于印发《上海市崇明区2023年, 安全生产工作意见》]\n  主送机关:",
    )
    assert "“标题分行”连起来应与“标题”相同" in one_problem(plan_copy, "meta.yaml", line)


def test_the_office_may_break_the_title_itself(plan_copy, layout):
    edit(
        plan_copy / "meta.yaml",
        "  主送机关:",
        "  标题分行: [关于印发《上海市崇明区, 2023年安全生产工作意见》的通知]\n  主送机关:",
    )
    plan = load_plan(plan_copy)
    doc = notice.render(plan, layout)[0].data
    assert [t for s, t in paragraphs(doc) if s == "公文标题"] == [
        "关于印发《上海市崇明区",
        "2023年安全生产工作意见》的通知",
    ]


def test_an_addressee_line_with_its_own_colon_is_refused(plan_copy):
    line = edit(plan_copy / "meta.yaml", "区有关直属单位\n  正文", "区有关直属单位：\n  正文")
    assert "末尾不写冒号" in one_problem(plan_copy, "meta.yaml", line)


def test_the_seed_title_breaks_between_whole_words():
    assert break_title("关于印发《上海市崇明区2023年安全生产工作意见》的通知", 20) == (
        "关于印发《上海市崇明区2023年",
        "安全生产工作意见》的通知",
    )
    assert break_title("关于加强市场监管区域安全生产工作的通知", 12) == (
        "关于加强市场监管区域",
        "安全生产工作的通知",
    )
    assert break_title("短标题", 20) == ("短标题",)


WORDS = st.lists(
    st.sampled_from(
        ["关于", "印发", "《", "》", "上海市", "崇明区", "2023年", "安全生产", "工作", "意见", "的通知"]
    ),
    min_size=1,
    max_size=14,
)


@given(WORDS, st.integers(min_value=8, max_value=24))
def test_broken_titles_keep_every_character_and_fit_when_they_can(words, limit):
    title = "".join(words)
    lines = break_title(title, limit)
    assert "".join(lines) == title
    if len(lines) > 1:
        assert max(text_width(line) for line in lines) <= limit


def test_check_and_build_list_the_notice(tmp_path, plan_copy):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--plan", str(plan_copy), "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"kind": "notice"' in manifest and '"kind": "issue"' in manifest


# --- PDF: the rendered notice and issued document pass the 文件格式 rules ---


@pytest.fixture(scope="module")
def issued_pdfs(tmp_path_factory, plan):
    import os

    from generators.pdf import convert_outputs, find_soffice
    from generators.pipeline import build

    if find_soffice() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI 中未安装 LibreOffice")
        pytest.skip("未安装 LibreOffice（soffice），跳过 PDF 测试")
    out = tmp_path_factory.mktemp("issued")
    build(PLAN_DIR, out, select=lambda job: job.kind in ("notice", "issue"))
    convert_outputs(out, plan)
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    sources = {e["path"]: e["kind"] for e in manifest["artifacts"] if e["kind"] in ("notice", "issue")}
    return {sources[e["source"]]: out / e["path"] for e in manifest["artifacts"] if e["kind"] == "pdf"}


def test_conform_checks_the_issued_pdfs_it_finds_in_the_manifest(issued_pdfs):
    from generators.conform import check_issued

    out = issued_pdfs["issue"].parent.parent
    checks, paths = check_issued(out, load_layout())
    assert sorted(paths) == sorted(issued_pdfs.values())
    assert checks and all(c.passed for c in checks)


@pytest.mark.parametrize("kind", ["notice", "issue"])
def test_the_pdf_passes_the_document_format_rules(issued_pdfs, kind):
    from generators.conform import check_file

    checks = check_file(issued_pdfs[kind], load_layout())
    failed = [(c.rule, c.measured) for c in checks if not c.passed]
    assert failed == []
    rules = {c.rule for c in checks}
    assert any(r.startswith("发文机关标志") for r in rules) and any(
        r.startswith("版头红色分隔线") for r in rules
    )
    if kind == "issue":
        assert any(r.startswith("版记分隔线") for r in rules)


def test_conform_fails_an_issued_document_that_prints_a_draft_status(issued_pdfs, plan, layout, tmp_path):
    """Planted defect: the issued document rendered as before this rule (the opinion's （送审稿） kept)."""
    from generators.conform import check_file
    from generators.conform.status_checks import draft_statuses
    from generators.pdf.soffice import convert_batch

    good = check_file(issued_pdfs["issue"], layout)
    (rule,) = [c for c in good if c.rule.startswith("印发件不印稿件状态")]
    assert rule.passed and rule.measured == "无"
    original = notice.issued
    try:
        notice.issued = lambda ctx: None  # the defect: the issue keeps the draft's status lines
        issue = next(a for a in notice.render(plan, layout) if a.kind == "issue")
    finally:
        notice.issued = original
    source = tmp_path / "印发件.docx"
    source.write_bytes(issue.data)
    (pdf,) = convert_batch([source], tmp_path / "pdf", timeout_s=120)
    (rule,) = [c for c in check_file(pdf, layout) if c.rule.startswith("印发件不印稿件状态")]
    assert not rule.passed
    assert rule.measured.count("“（送审稿）”") == 2, rule.measured  # the opinion's and the annex's title
    assert draft_statuses([(1, "（ 征求意见稿 ）"), (2, "（正式稿）"), (3, "（送审稿）说明")], layout) == [
        "第1页“（征求意见稿）”"
    ]


def test_the_imprint_is_on_the_last_even_page(issued_pdfs):
    import pdfplumber

    with pdfplumber.open(issued_pdfs["issue"]) as pdf:
        count = len(pdf.pages)
        last = pdf.pages[-1].extract_text()
    assert count % 2 == 0
    assert last.startswith("抄送：") and re.search(r"2023\s*年\s*3\s*月\s*1\s*日印发$", last)


def pdf_with_pages(count: int, last_width: float = 595.3) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for i in range(count):
        writer.add_blank_page(
            width=last_width if i == count - 1 else 842.0, height=841.9 if i == count - 1 else 595.3
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("count", [1, 2, 27, 28])
def test_the_imprint_page_is_padded_to_an_even_page_deterministically(count):
    from pypdf import PdfReader

    from generators.pdf.parity import imprint_on_even_page

    original = pdf_with_pages(count)
    padded = imprint_on_even_page(original)
    assert padded == imprint_on_even_page(original)  # same input, same bytes
    pages = PdfReader(io.BytesIO(padded)).pages
    assert len(pages) == count + count % 2
    if count % 2 == 0:
        assert padded == original
    else:  # the blank page goes before the 版记 page, which stays last, portrait
        assert float(pages[-1].mediabox.height) > float(pages[-1].mediabox.width)
        assert float(pages[-2].mediabox.width) == float(pages[-1].mediabox.width)
        assert not (pages[-2].extract_text() or "").strip()


def test_check_lists_the_notice_fields_still_to_confirm_and_dates_of_another_year(plan_copy):
    edit(plan_copy / "meta.yaml", '印发日期: "2023-03-01"', '印发日期: "2021-03-01"')
    result = CliRunner().invoke(main, ["check", "--plan", str(plan_copy)])
    assert result.exit_code == 0, result.output
    assert "尚待核实：meta.yaml 印发通知 待核实：发文机关标志、发文字号" in result.output
    assert "印发通知 印发日期 2021-03-01 不在 2023 年度" in result.output


DRAFT_STATUSES = ("送审稿", "征求意见稿")


@pytest.mark.parametrize("status", [*DRAFT_STATUSES, "正式稿"])
def test_the_issued_document_prints_no_draft_status_whatever_meta_says(plan_copy, layout, status):
    """An issued document is the 正式稿: neither the opinion's nor the annex's title carries （送审稿）, while
    the opinion built beside it still does (it is the draft under review)."""
    edit(plan_copy / "meta.yaml", "状态: 送审稿", f"状态: {status}")
    plan = load_plan(plan_copy)
    issue = next(a for a in notice.render(plan, layout) if a.kind == "issue")
    doc = Document(io.BytesIO(issue.data))
    texts = [p.text for p in doc.paragraphs]
    texts += [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert not [t for t in texts if any(s in t for s in DRAFT_STATUSES)]
    assert plan.meta.title in texts  # the attachment is there, only its status line is not
    shown = layout.status_text(status)
    assert bool(shown) == (status != "正式稿")  # the plain opinion keeps printing a draft status


@pytest.mark.parametrize("status", DRAFT_STATUSES)
def test_check_warns_when_a_draft_is_to_be_issued(plan_copy, status):
    edit(plan_copy / "meta.yaml", "状态: 送审稿", f"状态: {status}")
    result = CliRunner().invoke(main, ["check", "--plan", str(plan_copy)])
    assert result.exit_code == 0, result.output
    assert f"警告：meta.yaml 状态为“{status}”，但写有印发通知" in result.output
    assert "请把状态改为“正式稿”" in result.output


def test_check_says_nothing_of_the_status_of_an_issued_plan(plan_copy):
    edit(plan_copy / "meta.yaml", "状态: 送审稿", "状态: 正式稿")
    result = CliRunner().invoke(main, ["check", "--plan", str(plan_copy)])
    assert result.exit_code == 0 and "状态为" not in result.output, result.output


def test_a_plan_without_annex_issues_no_empty_landscape_page(plan_copy, layout):
    (plan_copy / "tasks.yaml").unlink()
    plan = load_plan(plan_copy)
    issue = next(a for a in notice.render(plan, layout) if a.kind == "issue")
    doc = Document(io.BytesIO(issue.data))
    assert [s.orientation for s in doc.sections] == [0, 0, 0]  # notice, opinion, 版记: all portrait
    assert doc.sections[-1]._sectPr.find(qn("w:type")).get(qn("w:val")) == "evenPage"
