"""意见正文 .docx: fidelity to the seed, page setup, fonts, footers, status line, escaping, schema."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import openpyxl
import pytest
from conftest import THEME_FONT, norm, schema_errors
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.render import annex, annex_xlsx, opinion

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TRICKY = "R&D <b>x</b> \"双引号\" 'single' {{ x }} {% if %} &amp; ]]>"


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


@pytest.fixture(scope="session")
def opinion_bytes(plan, layout) -> bytes:
    (artifact,) = opinion.render(plan, layout)
    return artifact.data


@pytest.fixture(scope="session")
def opinion_doc(opinion_bytes):
    return Document(io.BytesIO(opinion_bytes))


def body_texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def assert_in_order(expected: list[str], actual: list[str]) -> None:
    """Each expected text is a whole paragraph, in this order (other paragraphs may come between)."""
    actual = [norm(a) for a in actual]
    pos = 0
    for text in expected:
        try:
            pos = actual.index(norm(text), pos) + 1
        except ValueError:
            pytest.fail(f"段落缺失或顺序不对：{text[:60]}")


def xml_part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def with_first_measure_text(plan, text: str):
    part = plan.parts[0]
    section = part.sections[0]
    measure = dataclasses.replace(section.measures[0], text=text)
    section = dataclasses.replace(section, measures=(measure, *section.measures[1:]))
    part = dataclasses.replace(part, sections=(section, *part.sections[1:]))
    return dataclasses.replace(plan, parts=(part, *plan.parts[1:]))


# --- (a) fidelity ----------------------------------------------------------------------------------


def test_opinion_reproduces_the_seed_in_order(opinion_doc, seed):
    expected = [seed.label, seed.title, seed.status, seed.preamble] + [text for _, text in seed.body]
    assert_in_order(expected, body_texts(opinion_doc))


def test_every_measure_is_one_paragraph_with_its_responsibility_line(opinion_doc, seed):
    texts = [norm(t) for t in body_texts(opinion_doc)]
    measures = [t for t in texts if re.match(r"^\d+\.", t)]
    seed_measures = [text for kind, text in seed.body if kind == "measure"]
    assert len(seed_measures) == 46
    assert measures == seed_measures
    assert all("（责任单位：" in m for m in measures)
    # Measure 10 keeps the seed's full stop after the bracket; measure 11 keeps its block order.
    assert measures[9].endswith("（责任单位：区安委会各专委会（办）牵头部门）。")
    assert measures[10].endswith("区安委会有关成员单位，区有关直属单位，各乡镇）")


def test_headings_use_their_styles(opinion_doc, seed):
    styles = {norm(p.text): p.style.name for p in opinion_doc.paragraphs}
    assert styles[seed.title] == "公文标题"
    assert styles[seed.label] == "附件标签"
    for kind, text in seed.body:
        want = {"part": "一级标题", "section": "二级标题", "intro": "正文", "measure": "正文"}[kind]
        assert styles[text] == want, text


def test_no_word_auto_numbering(opinion_bytes):
    assert "<w:numPr>" not in xml_part(opinion_bytes, "word/document.xml")


def test_file_name_and_kind(plan, layout):
    (artifact,) = opinion.render(plan, layout)
    assert artifact.kind == "opinion"
    assert artifact.path == "崇明区2023年安全生产工作意见.docx"


# --- (c) page setup, grid, fonts, footers --------------------------------------------------------


def sect_prs(doc):
    return doc.element.body.findall(f".//{W}sectPr")


def test_page_setup_portrait_then_landscape_annex(opinion_doc, layout):
    first, second = sect_prs(opinion_doc)
    for sectPr, page, orient in ((first, layout.page, None), (second, layout.landscape, "landscape")):
        size = sectPr.find(f"{W}pgSz")
        assert int(size.get(f"{W}w")) == twips(page.width_mm)
        assert int(size.get(f"{W}h")) == twips(page.height_mm)
        assert size.get(f"{W}orient") == orient
        margins = sectPr.find(f"{W}pgMar")
        assert int(margins.get(f"{W}top")) == twips(page.margin_top_mm)
        assert int(margins.get(f"{W}bottom")) == twips(page.margin_bottom_mm)
        assert int(margins.get(f"{W}left")) == twips(page.margin_left_mm)
        assert int(margins.get(f"{W}right")) == twips(page.margin_right_mm)
        grid = sectPr.find(f"{W}docGrid")
        assert grid.get(f"{W}type") == "lines"
        assert grid.get(f"{W}linePitch") == "579"
        assert sectPr.find(f"{W}pgNumType") is None  # numbering continues into the annex
    assert (twips(210), twips(297)) == (11906, 16838)
    portrait, landscape = opinion_doc.sections
    assert (portrait.top_margin.mm, portrait.left_margin.mm) == pytest.approx((37, 28), abs=0.05)
    assert (landscape.page_width.mm, landscape.page_height.mm) == pytest.approx((297, 210), abs=0.05)
    # The annex section starts on a new page with footers of its own (the turned page number, 8).
    assert second.find(f"{W}type") is None or second.find(f"{W}type").get(f"{W}val") == "nextPage"
    assert {ref.get(f"{W}type") for ref in second.findall(f"{W}footerReference")} == {"default", "even"}


def used_styles(data: bytes) -> set[str]:
    ids = set()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if re.match(r"word/(document|footer\d*)\.xml$", name):
                ids |= set(re.findall(r'<w:pStyle w:val="([^"]+)"', z.read(name).decode()))
    return ids


def test_every_used_style_names_its_fonts(opinion_bytes, opinion_doc, layout):
    styles = {s.style_id: s for s in opinion_doc.styles}
    used = used_styles(opinion_bytes)
    assert {
        "公文标题",
        "正文",
        "一级标题",
        "二级标题",
        "附件标签",
        "附件标题",
        "表头",
        "表格文字",
        "页码",
    } <= used
    for style_id in used:
        style = styles[style_id]
        rFonts = style.element.rPr.rFonts
        assert rFonts.get(qn("w:eastAsia")), style_id
        spec = layout.style(style.name)
        assert rFonts.get(qn("w:eastAsia")) == spec.east_asia
        assert rFonts.get(qn("w:ascii")) == rFonts.get(qn("w:hAnsi")) == spec.latin
        assert style.font.size.pt == spec.size_pt
    assert styles["公文标题"].element.rPr.sz_val.pt * 2 == 44
    assert styles["正文"].element.rPr.sz_val.pt * 2 == 32
    assert styles["正文"].element.rPr.rFonts.get(qn("w:ascii")) == "Times New Roman"
    assert styles["正文"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert styles["一级标题"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert styles["二级标题"].element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert styles["公文标题"].element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"


def test_body_styles_exact_line_and_character_spacing(opinion_doc):
    styles = {s.name: s for s in opinion_doc.styles}
    for name in ("正文", "一级标题", "二级标题"):
        pPr, rPr = styles[name].element.pPr, styles[name].element.rPr
        spacing = pPr.find(qn("w:spacing"))
        assert spacing.get(qn("w:line")) == "579"
        assert spacing.get(qn("w:lineRule")) == "exact"
        assert rPr.find(qn("w:spacing")) is None  # condensed spacing makes LibreOffice drop line-end marks
        assert rPr.find(qn("w:w")).get(qn("w:val")) == "98"  # 28 characters of 16 pt in 156 mm
    for name in ("表头", "表格文字", "表格分组", "表格居中"):
        assert styles[name].element.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    # No mark hangs past the type area: LibreOffice 7.4 reads overflowPunct inverted (layout.yaml).
    defaults = opinion_doc.styles.element.find(qn("w:docDefaults"))
    assert (
        defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:overflowPunct')}").get(qn("w:val")) == "1"
    )


def test_no_theme_fonts_anywhere(opinion_bytes):
    with zipfile.ZipFile(io.BytesIO(opinion_bytes)) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                assert not THEME_FONT.search(z.read(name).decode("utf-8")), name
    styles = xml_part(opinion_bytes, "word/styles.xml")
    defaults = re.search(r"<w:docDefaults>.*</w:docDefaults>", styles, re.S).group(0)
    assert 'w:eastAsia="仿宋_GB2312"' in defaults and 'w:ascii="Times New Roman"' in defaults
    assert 'w:eastAsia="ja-JP"' not in styles


def test_odd_and_even_footers_carry_a_page_field(opinion_bytes, opinion_doc, layout):
    assert "<w:evenAndOddHeaders/>" in xml_part(opinion_bytes, "word/settings.xml")
    section = opinion_doc.sections[0]
    for footer, align, side in (
        (section.footer, "right", "right"),
        (section.even_page_footer, "left", "left"),
    ):
        assert not footer.is_linked_to_previous
        xml = footer._element.xml
        assert re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", xml)
        assert xml.count("<w:fldChar") == 3
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert paragraph.style.name == "页码"
        assert f'<w:jc w:val="{align}"/>' in xml
        indent = getattr(paragraph.paragraph_format, f"{side}_indent")
        assert indent.pt == pytest.approx(14)  # one 4号 character in


EMU_PER_MM = 36000


def test_landscape_footers_turn_the_page_number_along_the_left_edge(opinion_doc, layout):
    """8: the landscape annex keeps the portrait page number's place: a text box down the left edge,
    text turned clockwise (binding edge up); odd pages at the lower end, even pages at the upper end."""
    portrait, landscape = opinion_doc.sections
    box = layout.landscape_number_box
    ids = []
    for footer, align, side in (
        (landscape.footer, "right", "right"),
        (landscape.even_page_footer, "left", "left"),
    ):
        assert not footer.is_linked_to_previous
        assert footer.part is not portrait.footer.part and footer.part is not portrait.even_page_footer.part
        xml = footer._element.xml
        assert footer._element.findall(f".//{W}p")[0].text == ""  # no horizontal "— N —" left behind
        # DrawingML text box, each line turned 90° clockwise (vert, not eaVert or VML layout-flow: those
        # set vertical writing, whose em dashes LibreOffice does not print)
        assert re.search(r'<wps:bodyPr [^>]*vert="vert"', xml) and "v:shape" not in xml
        # across: in the left margin against the type area; down: from the type area's top, as tall as it
        assert re.search(r'<wp:positionH relativeFrom="leftMargin">\s*<wp:align>right</wp:align>', xml)
        assert re.search(r'<wp:positionV relativeFrom="margin">\s*<wp:posOffset>0</wp:posOffset>', xml)
        extent = re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"/>', xml)
        assert int(extent.group(1)) / EMU_PER_MM == pytest.approx(box.width_mm, abs=0.01)
        assert int(extent.group(2)) / EMU_PER_MM == pytest.approx(box.height_mm, abs=0.01)
        landscape_page = layout.landscape
        assert (
            box.height_mm
            == landscape_page.height_mm - landscape_page.margin_top_mm - landscape_page.margin_bottom_mm
        )
        assert box.width_mm / 2 == layout.page_number_gap_mm  # its middle 7 mm left of the type area
        ids.append(re.search(r'<wp:docPr id="(\d+)"', xml).group(1))
        (number,) = [p for p in footer._element.iter(f"{W}p") if p.find(f"{W}r/{W}instrText") is not None]
        assert re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", xml)
        assert "".join(t.text for t in number.iter(f"{W}t")) == "— 1 —"
        assert number.find(f"{W}pPr/{W}jc").get(f"{W}val") == align
        assert int(number.find(f"{W}pPr/{W}ind").get(f"{W}{side}")) == 280  # one 4号 character in
    assert len(set(ids)) == 2  # drawing ids are unique within the document


# --- (d) status line -------------------------------------------------------------------------------


def test_status_line_only_for_a_draft(plan, layout, opinion_doc):
    assert body_texts(opinion_doc).count("（送审稿）") == 2  # under the title and under the annex title
    final = dataclasses.replace(plan, meta=dataclasses.replace(plan.meta, status="正式稿"))
    (artifact,) = opinion.render(final, layout)
    texts = body_texts(Document(io.BytesIO(artifact.data)))
    assert not [t for t in texts if "送审稿" in t or "正式稿" in t]
    assert texts[2] == plan.meta.title  # label, blank line, title on line 3 (7.3.7)
    (sheet,) = annex_xlsx.render(final, layout)
    values = [v for row in openpyxl.load_workbook(io.BytesIO(sheet.data)).active.values for v in row]
    assert values[0].startswith("区政府领导")
    assert not [v for v in values if isinstance(v, str) and "送审稿" in v]


def test_label_line_absent_when_meta_has_none(plan, layout):
    unlabelled = dataclasses.replace(plan, meta=dataclasses.replace(plan.meta, label=""))
    (artifact,) = opinion.render(unlabelled, layout)
    texts = body_texts(Document(io.BytesIO(artifact.data)))
    assert texts[0] == plan.meta.title


# --- (e) escaping ----------------------------------------------------------------------------------


def test_markup_in_the_data_comes_out_literally(plan, layout):
    tricky = with_first_measure_text(plan, TRICKY)
    (artifact,) = opinion.render(tricky, layout)
    texts = body_texts(Document(io.BytesIO(artifact.data)))
    assert tricky.measures[0].printed in texts
    assert texts.count(tricky.measures[1].printed) == 1  # nothing after it was eaten


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(
        # Markup characters on purpose, among any printable text.
        alphabet=st.one_of(
            st.sampled_from(list("&<>\"'{}%# ")), st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"))
        ),
        min_size=1,
        max_size=60,
    )
)
def test_any_text_round_trips(plan, layout, text):
    changed = with_first_measure_text(plan, text)
    (artifact,) = opinion.render(changed, layout)
    texts = body_texts(Document(io.BytesIO(artifact.data)))
    assert changed.measures[0].printed in texts


# --- reproducibility -------------------------------------------------------------------------------


def test_same_plan_same_bytes_and_dated_from_meta(plan, layout, opinion_bytes, opinion_doc):
    assert opinion.render(plan, layout)[0].data == opinion_bytes
    for info in zipfile.ZipFile(io.BytesIO(opinion_bytes)).infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
    props = opinion_doc.core_properties
    assert props.title == plan.meta.title
    assert props.created.date().isoformat() == plan.meta.date
    assert props.modified == props.created


# --- (g) schema ------------------------------------------------------------------------------------


def test_rendered_documents_are_schema_valid(plan, layout, tmp_path):
    tricky = with_first_measure_text(plan, TRICKY)
    artifacts = opinion.render(plan, layout) + annex.render(plan, layout) + opinion.render(tricky, layout)
    for i, artifact in enumerate(artifacts):
        path = tmp_path / f"{i}.docx"
        path.write_bytes(artifact.data)
        assert schema_errors(path) == [], artifact.path


def test_a_part_without_sections_prints_no_empty_heading(plan, layout):
    """A part whose measures stand directly under it (no （一） sections) gets no blank 二级标题."""
    last = plan.parts[-1]
    flat = dataclasses.replace(
        last.sections[0],
        number="",
        title="",
        intro=None,
        measures=tuple(m for s in last.sections for m in s.measures),
    )
    plan = dataclasses.replace(plan, parts=(*plan.parts[:-1], dataclasses.replace(last, sections=(flat,))))
    (artifact,) = opinion.render(plan, layout)
    doc = Document(io.BytesIO(artifact.data))
    headings = [p.text for p in doc.paragraphs if p.style.name == "二级标题"]
    assert "" not in headings
    assert len(headings) == 17 - len(last.sections)
    texts = body_texts(doc)
    assert texts.index(last.heading) + 1 == texts.index(last.sections[0].measures[0].printed)
