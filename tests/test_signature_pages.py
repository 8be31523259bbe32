"""The signature block's page (GB/T 9704-2012 7.3.5.4): the 署名 and the 成文日期 on one page, that page with
body text, no page holding only the 版记 — in every letter of both 分工函样式, as LibreOffice prints them,
and after revisions of the plan move where the letters end. conform measures it on the PDF and names the
letter and the page; planted defects (a page break before the 署名, between 署名 and date, before the 版记)
fail it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from generators.conform.issue_checks import check_letter_pdf
from generators.conform.pdf_checks import PT_PER_MM, Line, Page, read_pages
from generators.conform.signature import RULES, find_block, signature_checks
from generators.layout import load_layout

SIGNATURE = "上海市崇明区安全生产委员会办公室"
DATE_TEXT = "2023 年 3 月 1 日"
RULE_NAMES = [rule for rule, _ in RULES]


@pytest.fixture(scope="module")
def layout():
    return load_layout()


# --- The rules on pages drawn by hand: what counts as body text, which page is named. ---


def line(text: str, row: int, x0_chars: float = 0, size: float = 16) -> Line:
    left = 28 * PT_PER_MM
    top = 37 * PT_PER_MM + row * 28.95
    return Line(text, left + x0_chars * 16, left + x0_chars * 16 + 16 * len(text), top, top + size, size, ())


def page(layout, number: int, *lines: Line) -> Page:
    return Page(number, 210 * PT_PER_MM, 297 * PT_PER_MM, layout.page, tuple(lines), None)


def body(rows: range) -> list[Line]:
    return [line("请于每季度结束后，对照上述任务逐项梳理落实情况，按时", row, 2) for row in rows]


def signature_at(row: int) -> list[Line]:
    return [line(SIGNATURE, row, 8), line(DATE_TEXT, row + 1, 10)]


def verdicts(pages: list[Page], layout) -> dict[str, tuple[bool, str]]:
    return {check.rule: (check.passed, check.measured) for check in signature_checks(pages, layout)}


def test_a_signature_under_its_last_lines_of_text_passes(layout):
    pages = [
        page(layout, 1, *body(range(22))),
        page(
            layout,
            2,
            *body(range(3)),
            line("特此函告。", 3, 2),
            *signature_at(5),
            line("抄送：区委办公室。", 20, 1),
        ),
    ]
    found = verdicts(pages, layout)
    assert list(found) == RULE_NAMES
    assert all(passed for passed, _ in found.values())
    assert found["署名页有正文"][1] == "第 2 页有正文 4 行"
    block = find_block(pages, 16)
    assert block is not None and (block.signature, block.signature_page, block.date_page) == (SIGNATURE, 2, 2)


def test_a_signature_alone_on_its_page_fails_naming_the_page(layout):
    pages = [
        page(layout, 1, *body(range(22))),
        page(layout, 2, *body(range(21))),
        page(layout, 3, *signature_at(0), line("抄送：区委办公室。", 20, 1)),
    ]
    passed, measured = verdicts(pages, layout)["署名页有正文"]
    assert not passed and measured.startswith("第 3 页只有署名、成文日期")


def test_the_attachment_note_is_no_body_text(layout):
    pages = [
        page(layout, 1, *body(range(22))),
        page(layout, 2, line("附件：崇明区2023年安全生产工作意见", 0, 2), *signature_at(2)),
    ]
    assert verdicts(pages, layout)["署名页有正文"][0] is False


def test_a_date_on_the_page_after_its_signature_fails(layout):
    pages = [
        page(layout, 1, *body(range(21)), line(SIGNATURE, 21, 8)),
        page(layout, 2, line(DATE_TEXT, 0, 10)),
    ]
    found = verdicts(pages, layout)
    assert found["署名与成文日期同页"] == (False, "署名在第 1 页，成文日期在第 2 页")


def test_a_page_of_nothing_but_the_imprint_fails(layout):
    pages = [
        page(layout, 1, *body(range(18)), *signature_at(19)),
        page(layout, 2, line("抄送：区委办公室，区政府办公室。", 20, 1)),
    ]
    found = verdicts(pages, layout)
    assert found["无只印版记的页"] == (False, "第 2 页只印版记")
    assert found["署名页有正文"][0] and found["署名与成文日期同页"][0]


def test_no_signature_no_rule(layout):
    """The opinion prints no 落款; a date in a table cell (smaller than the body) or at the margin is none."""
    assert signature_checks([page(layout, 1, *body(range(22)))], layout) == []
    cell = [line("区应急局", 3, 8, size=12), line("2023年4月5日", 4, 10, size=12)]
    assert signature_checks([page(layout, 1, *body(range(3)), *cell)], layout) == []
    at_margin = [line("特此函告。", 3, 2), line("2023年4月5日", 4, 0)]
    assert signature_checks([page(layout, 1, *at_margin)], layout) == []


# --- Every letter of both styles, and planted defects, through LibreOffice (one soffice batch). ---

PLANTED = ("署名另起一页", "成文日期另起一页", "版记另起一页")
PLANTED_UNIT = "区应急局"


PAGE_BREAK = f'<w:r {nsdecls("w")}><w:br w:type="page"/></w:r>'


def _page_break_before(data: bytes, style: str) -> bytes:
    """The letter with a page break at the start of the last paragraph in `style`: a defect planted. For
    the 版记 (a table floating at the foot of the last page) the table is set in the text after a break."""
    doc = Document(io.BytesIO(data))
    if style == "版记":
        table = next(
            t
            for t in doc.element.body.iter(qn("w:tbl"))
            if t.find(f"{qn('w:tblPr')}/{qn('w:tblpPr')}") is not None
        )
        position = table.find(f"{qn('w:tblPr')}/{qn('w:tblpPr')}")
        position.getparent().remove(position)
        table.addprevious(parse_xml(f"<w:p {nsdecls('w')}>{PAGE_BREAK}</w:p>"))
    else:
        target = [p for p in doc.paragraphs if p.style is not None and p.style.name == style][-1]
        target._p.insert(1, parse_xml(PAGE_BREAK))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def printed_letters(tmp_path_factory, plan, views, layout) -> dict[str, Path]:
    """Each unit's letter in 全文 and in 摘要, and the planted defects, converted in one soffice call."""
    import dataclasses

    from generators.pdf.soffice import convert_batch, find_soffice
    from generators.render import letters
    from generators.views import Views

    if find_soffice() is None:
        pytest.skip("未安装 LibreOffice（soffice），跳过 PDF 测试")
    work = tmp_path_factory.mktemp("signature")
    sources: dict[str, Path] = {}
    for style in ("全文", "摘要"):
        styled = dataclasses.replace(plan, meta=dataclasses.replace(plan.meta, letter_style=style))
        for artifact in letters.render(styled, Views(styled), layout, units=list(views.assignments)):
            name = f"{style}-{Path(artifact.path).stem}"
            sources[name] = work / f"{name}.docx"
            sources[name].write_bytes(artifact.data)
    whole = sources[f"全文-{PLANTED_UNIT}"].read_bytes()
    for name, style in zip(PLANTED, ("发文机关署名", "成文日期", "版记"), strict=True):
        sources[name] = work / f"{name}.docx"
        sources[name].write_bytes(_page_break_before(whole, style))
    pdfs = convert_batch(list(sources.values()), work / "pdf", timeout_s=300)
    return dict(zip(sources, pdfs, strict=True))


def test_every_letter_of_both_styles_signs_on_a_page_of_text(printed_letters, views, layout):
    units = list(views.assignments)
    assert len(units) == 52
    failures, pages = [], {"全文": 0, "摘要": 0}
    for style in pages:
        for unit in units:
            path = printed_letters[f"{style}-{unit}"]
            read = read_pages(path, layout)
            pages[style] += len(read)
            block = find_block(read, layout.style("正文").size_pt)
            assert block is not None, f"{style} {unit}: 未找到署名和成文日期"
            assert block.signature == SIGNATURE
            failures += [f"{style} {unit}：{text}" for ok, text in block.results() if not ok]
            assert block.body_lines >= 2  # 联系人 and 特此函告 at least go over with the signature
    assert failures == []
    assert pages["全文"] > pages["摘要"] > 2 * len(units)


def test_planted_defects_fail_conform_naming_the_page(printed_letters, layout):
    def failed(name: str) -> dict[str, str]:
        checks = check_letter_pdf(printed_letters[name], layout)
        return {c.rule: c.measured for c in checks if c.clause == "7.3.5.4" and not c.passed}

    whole = check_letter_pdf(printed_letters[f"全文-{PLANTED_UNIT}"], layout)
    assert [c.passed for c in whole if c.clause == "7.3.5.4"] == [True, True, True]
    stranded = failed("署名另起一页")
    assert list(stranded) == ["署名页有正文"]
    assert "只有署名、成文日期" in stranded["署名页有正文"]
    split = failed("成文日期另起一页")
    assert "署名与成文日期同页" in split and "成文日期在第" in split["署名与成文日期同页"]
    imprint = failed("版记另起一页")
    assert list(imprint) == ["无只印版记的页"] and imprint["无只印版记的页"].endswith("页只印版记")


# --- Bold 仿宋 is an emboldened 仿宋, never another face (fonts/fonts.conf). ---

FANGSONG_NAMES = ("仿宋_GB2312", "仿宋", "FangSong")


@pytest.mark.parametrize("family", FANGSONG_NAMES)
def test_bold_fangsong_is_fandolfang_emboldened(family):
    import subprocess

    from generators.pdf.soffice import converter_env

    if shutil.which("fc-match") is None:
        pytest.skip("未安装 fontconfig（fc-match）")
    shown = subprocess.run(
        ["fc-match", "--format=%{family}|%{embolden}|%{file}", f"{family}:bold"],
        capture_output=True,
        text=True,
        env=converter_env(),
        check=True,
    ).stdout
    names, embolden, file = shown.split("|")
    assert "FandolFang" in names.split(",") and embolden == "True" and "FandolFang" in file


def test_bold_task_titles_print_in_fangsong(printed_letters, layout):
    """第N项… (任务标题, bold 仿宋) of a 全文 letter: every CJK glyph in a FandolFang subset."""
    from generators.conform.fonts import short_name

    titles = [
        ln
        for page in read_pages(printed_letters[f"全文-{PLANTED_UNIT}"], layout)
        for ln in page.lines
        if ln.text.startswith("第") and "项" in ln.text[:6]
    ]
    assert titles
    faces = {short_name(c["fontname"]) for ln in titles for c in ln.chars if ord(c["text"]) > 0x2E80}
    assert faces and all("FandolFang" in face for face in faces), faces
