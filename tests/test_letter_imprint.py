"""The letters' 版记 (GB/T 9704-2012 10.1: 抄送 only, without 印发机关 and 印发日期): 分工函抄送 from
plan/meta.yaml in the issued document's 版记 table (rules 0.35mm, the type area wide), floating at the bottom
of the type area of each letter's last page, in the per-unit letters and in the print file; none when the
plan has no 抄送. On the LibreOffice PDF: conform finds it on the last page with its rules measured, and a
版记 on the wrong page, off the bottom or without a rule fails."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import schema_errors
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_pdf import pdf_of
from test_validation import edit

from generators.conform import check_file
from generators.conform.issue_checks import LETTER_IMPRINT_RULES, letter_imprint_checks, read_rules
from generators.conform.pdf_checks import read_pages
from generators.layout import load_layout
from generators.plan import load_plan
from generators.render import letters
from generators.views import Views

COPIES_LINE = "分工函抄送: 区委办公室，区政府办公室。"
IMPRINT_RULES = {rule for _, rule, _ in LETTER_IMPRINT_RULES}
UNIT = "区应急局"


@pytest.fixture(scope="module")
def layout():
    return load_layout()


def _render(plan, layout, units=(UNIT,)) -> dict[str, bytes]:
    """These units' letters and their print file."""
    common, contexts = letters.contexts(plan, Views(plan), layout)
    chosen = [c for c in contexts if c["unit"] in units]
    (letter, *_) = letters.render(plan, Views(plan), layout, units=units)
    return {"letter": letter.data, "letters-print": letters.print_job(plan, layout, common, chosen).make()}


def imprint_tables(data: bytes, body=None) -> list:
    """The body's floating tables placed at the bottom of the type area: the 版记, one per letter."""
    body = Document(io.BytesIO(data)).element.body if body is None else body
    found = []
    for tbl in body.iter(qn("w:tbl")):
        pos = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblpPr')}")
        if pos is not None and pos.get(qn("w:tblpYSpec")) == "bottom":
            found.append(tbl)
    return found


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def cell_text(tbl) -> list[str]:
    return [text_of(p) for p in tbl.iter(qn("w:p"))]


def test_the_letter_closes_with_the_copies_from_meta(plan, layout):
    data = _render(plan, layout)["letter"]
    (tbl,) = imprint_tables(data)
    assert cell_text(tbl) == [f"抄送：{plan.meta.letter_copies_to}"] == ["抄送：区委办公室，区政府办公室。"]
    pos = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblpPr')}")
    assert (pos.get(qn("w:vertAnchor")), pos.get(qn("w:tblpYSpec"))) == ("margin", "bottom")
    page = layout.page
    assert int(pos.get(qn("w:tblpX"))) == round(page.margin_left_mm * 1440 / 25.4)  # flush with the type area
    width = round((page.width_mm - page.margin_left_mm - page.margin_right_mm) * 1440 / 25.4)
    assert tbl.find(f"{qn('w:tblGrid')}/{qn('w:gridCol')}").get(qn("w:w")) == str(width)
    borders = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    eighths = round(layout.notice["imprint"]["outer_rule_mm"] / (25.4 / 72) * 8)
    assert [borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "bottom")] == [str(eighths)] * 2
    assert [borders.find(qn(f"w:{side}")).get(qn("w:val")) for side in ("left", "right")] == ["nil"] * 2
    # after everything the letter says: the signature's date is the last paragraph before it
    body = list(Document(io.BytesIO(data)).element.body)
    texts = [text_of(el).strip() for el in body]
    place = next(i for i, el in enumerate(body) if el.tag == qn("w:tbl") and texts[i].startswith("抄送："))
    assert [t for t in texts[:place] if t][-2:] == [plan.meta.office_full_name, "2023年3月1日"]
    assert not any(texts[place + 1 :])


def test_each_letter_of_the_print_file_ends_with_its_own_imprint(plan, views, layout):
    units = list(views.assignments)[:4]
    data = _render(plan, layout, units)["letters-print"]
    element = Document(io.BytesIO(data)).element.body
    body = list(element)
    tables = imprint_tables(data, element)
    assert len(tables) == len(units)
    breaks = [i for i, el in enumerate(body) if el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]
    assert len(breaks) == len(units) - 1  # a section break before every letter but the first
    places = [body.index(t) for t in tables]
    # one 版记 in each letter: before the section break that starts the next letter
    assert all(b0 < p < b1 for p, b0, b1 in zip(places, [-1, *breaks], [*breaks, len(body)], strict=True))


def test_no_copies_means_no_imprint(plan_copy, layout):
    edit(plan_copy / "meta.yaml", COPIES_LINE, '分工函抄送: ""')
    assert imprint_tables(_render(load_plan(plan_copy), layout)["letter"]) == []
    edit(plan_copy / "meta.yaml", '分工函抄送: ""', "")
    plan = load_plan(plan_copy)
    assert plan.meta.letter_copies_to == ""
    rendered = _render(plan, layout)
    assert imprint_tables(rendered["letter"]) == imprint_tables(rendered["letters-print"]) == []


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noise=st.text(alphabet="&<>\"'{}%# R区", min_size=1, max_size=12))
def test_copies_come_out_literally(plan, layout, noise):
    from dataclasses import replace

    text = f"区委办公室{noise}。"
    changed = replace(plan, meta=replace(plan.meta, letter_copies_to=text))
    (tbl,) = imprint_tables(_render(changed, layout)["letter"])
    assert cell_text(tbl) == [f"抄送：{text}"]


def test_the_letters_with_imprint_are_schema_valid(plan, layout, tmp_path):
    for kind, data in _render(plan, layout).items():
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(data)
        assert schema_errors(path) == [], kind


def test_check_lists_the_copies_among_the_fields_to_confirm(plan):
    assert "分工函抄送" in plan.meta.assumed_fields


# --- on the LibreOffice PDF ---------------------------------------------------------------------------


def imprint_results(checks) -> dict[str, tuple[bool, str]]:
    return {c.rule: (c.passed, c.measured) for c in checks if c.rule in IMPRINT_RULES}


def test_every_converted_letter_has_its_imprint_at_the_bottom_of_its_last_page(printed, layout):
    entries = pdf_of(printed, "letter")
    assert entries
    for entry in entries:
        found = imprint_results(check_file(printed / entry["path"], layout, printed))
        assert set(found) == IMPRINT_RULES, entry["path"]
        assert all(ok for ok, _ in found.values()), (entry["path"], found)
        assert found["信函版记分隔线"][1].startswith("2 条：0.35/0.35mm")


def test_the_print_file_has_each_letters_imprint_on_that_letters_last_page(printed, layout):
    (entry,) = pdf_of(printed, "letters-print")
    path = printed / entry["path"]
    checks = letter_imprint_checks(read_pages(path, layout), read_rules(path), layout)
    count = len(pdf_of(printed, "letter"))
    assert [(c.rule, c.measured, c.passed) for c in checks] == [
        (rule, f"{count} 封函均符合", True)
        for rule in ("信函版记在最后一页版心下端", "信函版记分隔线", "信函版记抄送")
    ]


def _planted(source: Path, folder: Path, name: str, change) -> Path:
    """A copy of the letter whose document.xml went through `change` (which must change it)."""
    out = folder / f"{name}.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                changed = change(data.decode("utf-8"))
                assert changed != data.decode("utf-8"), name
                data = changed.encode("utf-8")
            zout.writestr(item, data)
    return out


ANCHOR = re.compile(r'(<w:p><w:pPr><w:pStyle w:val="版记末行"/></w:pPr></w:p>)')
PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
DEFECTS = {
    # the 版记 alone on a page after the letter's last page of text... and then one more page of text
    "wrong_page": lambda xml: ANCHOR.sub(
        r"\1" + PAGE_BREAK + "<w:p><w:r><w:t>特此函告。</w:t></w:r></w:p>", xml, 1
    ),
    "no_last_rule": lambda xml: re.sub(
        r'(<w:tblBorders>.*?)<w:bottom w:val="single"[^>]*/>', r'\1<w:bottom w:val="nil"/>', xml, count=1
    ),
    "not_at_the_bottom": lambda xml: re.sub(r"<w:tblpPr [^>]*/>", "", xml, count=1),
}
FAILING = {
    "wrong_page": "信函版记在最后一页版心下端",
    "no_last_rule": "信函版记分隔线",
    "not_at_the_bottom": "信函版记分隔线",
}


def test_a_planted_imprint_defect_fails(printed, layout, tmp_path):
    from generators.pdf.soffice import convert_batch

    (entry,) = [e for e in pdf_of(printed, "letter")][:1]
    source = printed / entry["source"]
    docs = [_planted(source, tmp_path, name, change) for name, change in DEFECTS.items()]
    pdfs = convert_batch(docs, tmp_path / "pdf", timeout_s=300)
    for name, pdf in zip(DEFECTS, pdfs, strict=True):
        found = imprint_results(check_file(pdf, layout))
        assert found[FAILING[name]][0] is False, (name, found)


LETTERHEAD_RULES = {
    "信函发文机关标志：红色，居中，上边缘距上页边",
    "标志下红色双线（上粗下细）",
    "下页边红色双线（上细下粗）",
    "标题与上一要素相距二行",
    "信函首页不编页码",
}
KINDS_OF_UNIT = ("区应急局", "崇明海事局", "庙镇")  # a district department, a 驻区单位, a town


def test_compact_letters_keep_the_letter_format_and_imprint_alone_and_joined(plan_copy, layout, tmp_path):
    """分工函样式 摘要 (a task table instead of the measures' text), for each kind of unit: the letterhead,
    both red double rules, the title, the unnumbered first page and the 版记, measured on LibreOffice's PDF
    of each letter and, letter by letter, in the joined print file."""
    import os

    from generators.conform.issue_checks import letter_checks, letter_spans
    from generators.pdf import find_soffice
    from generators.pdf.join import join_letters
    from generators.pdf.soffice import convert_batch

    if find_soffice() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI 中未安装 LibreOffice")
        pytest.skip("未安装 LibreOffice（soffice），跳过 PDF 测试")
    edit(plan_copy / "meta.yaml", "分工函样式: 全文", "分工函样式: 摘要")
    plan = load_plan(plan_copy)
    docs = []
    for artifact in letters.render(plan, Views(plan), layout, units=KINDS_OF_UNIT):
        path = tmp_path / f"{artifact.unit}.docx"
        path.write_bytes(artifact.data)
        docs.append(path)
    assert {p.stem for p in docs} == set(KINDS_OF_UNIT)
    pdfs = convert_batch(docs, tmp_path / "pdf", timeout_s=600)
    for pdf, doc in zip(pdfs, docs, strict=True):
        checks = {c.rule: (c.passed, c.measured) for c in check_file(pdf, layout, None)}
        wanted = {rule: checks.get(rule) for rule in LETTERHEAD_RULES | IMPRINT_RULES}
        assert all(found and found[0] for found in wanted.values()), (doc.stem, wanted)
        # and every other rule: the body-grid and heading rules see only task tables after page 1
        assert {rule: m for rule, (ok, m) in checks.items() if not ok} == {}, doc.stem
        assert checks["每面行数"] == (True, "无整页正文（只有表格页），不适用")
    joined = tmp_path / "joined.pdf"
    joined.write_bytes(join_letters((p.stem, p.read_bytes()) for p in pdfs))
    pages, rules = read_pages(joined, layout), read_rules(joined)
    spans = letter_spans(pages, layout)
    assert len(spans) == len(KINDS_OF_UNIT)
    failed = [
        (span.start + 1, c.rule, c.measured)
        for span in spans
        for c in letter_checks([pages[i] for i in span], [rules[i] for i in span], layout)
        if not c.passed
    ]
    assert failed == []
    imprint = letter_imprint_checks(pages, rules, layout)
    assert [(c.measured, c.passed) for c in imprint] == [(f"{len(KINDS_OF_UNIT)} 封函均符合", True)] * 3
