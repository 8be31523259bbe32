"""Every .docx template in templates/ (the clerk edits them in Word/WPS): it opens, its Jinja compiles
with the shared strict environment, its styles name an East Asian font, it has no theme fonts, no Word
auto-numbering, and no schema error Word would repair."""

from __future__ import annotations

import zipfile

import pytest
from conftest import TEMPLATES_DIR, THEME_FONT, schema_errors
from docx import Document
from docx.oxml.ns import qn

from generators.layout import load_layout
from generators.render.docx import compile_template

TEMPLATES = sorted(TEMPLATES_DIR.glob("*.docx"))


def test_every_template_is_named_in_the_layout_profile():
    named = {file for _, file in load_layout().templates if file.endswith(".docx")}
    assert {t.name for t in TEMPLATES} == named


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_template_compiles_and_is_clean(path):
    assert compile_template(path)  # raises on a Jinja syntax error
    with zipfile.ZipFile(path) as z:
        xml = {name: z.read(name).decode("utf-8") for name in z.namelist() if name.endswith(".xml")}
    for name, text in xml.items():
        assert not THEME_FONT.search(text), f"{path.name}:{name} uses a theme font"
    assert "<w:numPr>" not in xml["word/document.xml"], "numbers must be text, not Word auto-numbering"
    doc = Document(path)
    for style in doc.styles:
        r_fonts = style.element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        if (
            style.type == 1 and r_fonts is not None and r_fonts.get(qn("w:ascii"))
        ):  # paragraph styles with fonts
            assert r_fonts.get(qn("w:eastAsia")), f"{path.name}: style {style.name} lacks w:eastAsia"
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    default_fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert default_fonts is not None and default_fonts.get(qn("w:eastAsia"))
    assert schema_errors(path) == []
