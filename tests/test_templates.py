"""The docxtpl templates: they open, their Jinja compiles, the styles they need exist, the XML is valid."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from conftest import TEMPLATES_DIR, THEME_FONT, schema_errors
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from generators.render import annex, opinion
from generators.render.docx import ENV, compile_template

COMMON_STYLES = {
    "附件标签",
    "附件标题",
    "稿件状态",
    "表头",
    "表格分组",
    "表格文字",
    "表格居中",
    "表格姓名",
    "页码",
}
REQUIRED = {
    "opinion": COMMON_STYLES | {"公文标题", "正文", "一级标题", "二级标题"},
    "annex": COMMON_STYLES,
}


@pytest.fixture(params=["opinion", "annex"])
def kind(request) -> str:
    return request.param


def test_layout_names_the_committed_templates(layout, kind):
    assert layout.template(kind) == TEMPLATES_DIR / f"{kind}.docx"
    assert layout.template(kind).is_file()


def test_template_opens_and_its_tags_compile(layout, kind):
    parts = compile_template(layout.template(kind))
    assert "/word/document.xml" in parts
    assert any("footer" in p for p in parts)


def test_template_variables_are_exactly_what_the_context_gives(plan, layout, kind):
    module = {"opinion": opinion, "annex": annex}[kind]
    wanted = DocxTemplate(str(layout.template(kind))).get_undeclared_template_variables(ENV)
    given = set(module.context(plan, layout)) if kind == "opinion" else {"annex"}
    assert wanted == given


def test_required_styles_exist_as_paragraph_styles(layout, kind):
    doc = Document(str(layout.template(kind)))
    names = {s.name for s in doc.styles if s.type == 1}
    assert REQUIRED[kind] <= names
    for name in REQUIRED[kind]:
        spec = layout.style(name)
        style = doc.styles[name]
        rFonts = style.element.rPr.rFonts
        assert rFonts.get(qn("w:eastAsia")) == spec.east_asia
        assert rFonts.get(qn("w:ascii")) == rFonts.get(qn("w:hAnsi")) == spec.latin
        assert style.font.size.pt == spec.size_pt


def test_template_uses_named_styles_and_no_auto_numbering(layout, kind):
    xml = zipfile.ZipFile(layout.template(kind)).read("word/document.xml").decode()
    assert "<w:numPr>" not in xml
    used = set(re.findall(r'<w:pStyle w:val="([^"]+)"', xml))
    assert used <= REQUIRED[kind] | {"Normal"}
    # Jinja tags stay whole inside one run, so Word/WPS edits around them do not split them.
    for tag in re.findall(r"\{[{%][^<]*?[}%]\}", xml):
        assert tag.count("{") == tag.count("}")


def test_template_page_setup(layout, kind):
    doc = Document(str(layout.template(kind)))
    sections = doc.sections
    if kind == "opinion":
        assert [s.orientation for s in sections] == [0, 1]
        assert round(sections[0].page_width.mm) == 210 and round(sections[0].page_height.mm) == 297
    else:
        assert [s.orientation for s in sections] == [1]
    for sectPr in doc.element.body.iter(qn("w:sectPr")):
        grid = sectPr.find(qn("w:docGrid"))
        assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == (
            "lines",
            str(layout.line_pitch_twips),
        )
    assert doc.settings.odd_and_even_pages_header_footer


def test_template_table_has_repeating_header_and_loops(layout, kind):
    doc = Document(str(layout.template(kind)))
    (table,) = doc.tables
    assert [c.text for c in table.rows[0].cells] == [c.name for c in layout.columns]
    assert table._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None
    xml = table._tbl.xml
    for tag in (
        "{%tr for group in annex.groups %}",
        "{%tr for task in group.tasks %}",
        "{%p for item in task.leaders %}",
    ):
        assert tag in xml


def test_template_has_no_theme_fonts_and_is_schema_valid(layout, kind):
    path = layout.template(kind)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                assert not THEME_FONT.search(z.read(name).decode("utf-8")), name
    assert schema_errors(path) == []


def test_templates_are_real_docx_files(layout, kind):
    data = layout.template(kind).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist()[0] == "[Content_Types].xml"
        assert "word/stylesWithEffects.xml" not in z.namelist()


def test_each_template_part_is_compiled_once_and_recompiled_after_an_edit(
    plan, layout, tmp_path, monkeypatch
):
    import os
    import shutil

    from generators.render import docx

    compiled = []
    from_string = docx.ENV.from_string
    monkeypatch.setattr(
        docx.ENV, "from_string", lambda source: compiled.append(source) or from_string(source)
    )
    path = tmp_path / "annex.docx"
    shutil.copy(layout.template("annex"), path)
    ctx = {"annex": annex.context(plan, layout)}
    first = docx.render(path, ctx, plan.meta)
    parts = len(compiled)
    assert parts == len(docx.compile_template(path)) >= 2  # the body and at least a footer
    assert docx.render(path, ctx, plan.meta) == first
    assert len(compiled) == parts  # reused, not recompiled
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a clerk saved the template
    docx.render(path, ctx, plan.meta)
    assert len(compiled) == 2 * parts
