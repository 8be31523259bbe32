"""模板引导脚本（tools/make_*.py）共用的 python-docx 构件：GB/T 9704-2012 页面、命名样式、页码，
docxtpl 段落块与表格行块，每页重复表头的任务表格，以及可复现的保存。

只供这些一次性脚本使用，不属于构建流程。
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, Twips

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generators.formats.docx_tables import column_twips as grid_twips  # noqa: E402
from generators.formats.zipwriter import normalize_zip  # noqa: E402
from generators.layout import Layout, StyleSpec  # noqa: E402

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
# Built-in styles kept from python-docx's default template; the rest would only clutter the style list.
KEEP_STYLES = {
    "Normal",
    "Header",
    "Footer",
    "Default Paragraph Font",
    "Normal Table",
    "Table Grid",
    "No List",
}
THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
FIXED_DATE = dt.datetime(2023, 1, 1)
# Child order of w:pPr and w:rPr in the OOXML schema (ECMA-376 17.3.1.26, 17.3.2.28).
PPR_SEQ = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]
RPR_SEQ = [
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
]


# Child order of w:trPr and w:tblPr (ECMA-376 17.4.82, 17.4.60).
TRPR_SEQ = [
    "w:cnfStyle",
    "w:divId",
    "w:gridBefore",
    "w:gridAfter",
    "w:wBefore",
    "w:wAfter",
    "w:cantSplit",
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
]
TBLPR_SEQ = [
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
]


def twips(mm: float) -> Twips:
    return Twips(round(mm * 1440 / 25.4))


def insert_ordered(parent, child, tag_seq: list[str]):
    """Insert child before its schema successors: Word rejects out-of-order children."""
    tag = child.tag
    for old in parent.findall(tag):
        parent.remove(old)
    names = [qn(t) for t in tag_seq]
    successors = names[names.index(tag) + 1 :]
    for i, existing in enumerate(parent):
        if existing.tag in successors:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def w_el(tag: str, **attrs: str):
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def set_fonts(rPr, east_asia: str, latin: str) -> None:
    rFonts = rPr.get_or_add_rFonts()
    for attr in THEME_FONT_ATTRS:
        rFonts.attrib.pop(qn(attr), None)
    for attr, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asia), ("cs", latin)):
        rFonts.set(qn(f"w:{attr}"), value)


def clean_defaults(doc, layout: Layout) -> None:
    """Drop unused built-in styles, theme font references and the Japanese theme language."""
    styles = doc.styles.element
    for style in list(styles.findall(qn("w:style"))):
        name = style.find(qn("w:name"))
        if name is None or name.get(qn("w:val")) not in KEEP_STYLES:
            styles.remove(style)
    fonts = dict(layout.fonts)
    body = layout.style("正文")
    rPr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rPr, body.east_asia, body.latin)
    rPr.find(qn("w:sz")).set(qn("w:val"), str(int(body.size_pt * 2)))
    rPr.find(qn("w:szCs")).set(qn("w:val"), str(int(body.size_pt * 2)))
    rPr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    pPr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = pPr.find(qn("w:spacing"))
    for attr in ("after", "line", "lineRule"):
        spacing.attrib.pop(qn(f"w:{attr}"), None)
    spacing.set(qn("w:after"), "0")
    # No mark hangs past the type area. LibreOffice 7.4 reads w:overflowPunct inverted (val 0 hangs, val 1
    # does not): measured, see grid.hanging_punctuation in layout.yaml.
    punct = "0" if layout.hanging_punctuation else "1"
    insert_ordered(pPr, w_el("w:overflowPunct", val=punct), PPR_SEQ)
    for rFonts in styles.iter(qn("w:rFonts")):  # any rFonts left must name its fonts explicitly
        for attr in THEME_FONT_ATTRS:
            rFonts.attrib.pop(qn(attr), None)
        rFonts.set(qn("w:ascii"), rFonts.get(qn("w:ascii"), fonts["latin"]))
        rFonts.set(qn("w:hAnsi"), rFonts.get(qn("w:hAnsi"), fonts["latin"]))
        rFonts.set(qn("w:eastAsia"), rFonts.get(qn("w:eastAsia"), body.east_asia))
    # stylesWithEffects.xml (a Word 2010 leftover) would contradict the styles above: drop it.
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rId)
    # The default template's thumbnail shows an empty US Letter page: drop it too.
    package_rels = doc.part.package.rels
    for rId, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rId)
    lang = doc.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def add_style(doc, spec: StyleSpec) -> None:
    style = doc.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    pf = style.paragraph_format
    pf.alignment = ALIGN[spec.align]
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.left_indent = Twips(0)
    pf.right_indent = Twips(0)
    pf.first_line_indent = Pt(spec.size_pt * spec.first_indent_chars)
    if spec.first_indent_chars:  # in characters too, so it follows a changed font size
        style.element.pPr.find(qn("w:ind")).set(qn("w:firstLineChars"), str(spec.first_indent_chars * 100))
    if spec.line_exact_pt:
        pf.line_spacing = Pt(spec.line_exact_pt)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.keep_with_next = spec.keep_next
    pf.widow_control = spec.widow_control
    pPr = style.element.get_or_add_pPr()
    if not spec.snap_to_grid:
        insert_ordered(pPr, w_el("w:snapToGrid", val="0"), PPR_SEQ)
    if spec.outline_level is not None:
        insert_ordered(pPr, w_el("w:outlineLvl", val=str(spec.outline_level)), PPR_SEQ)
    font = style.font
    font.size = Pt(spec.size_pt)
    font.bold = spec.bold
    rPr = style.element.get_or_add_rPr()
    set_fonts(rPr, spec.east_asia, spec.latin)
    if spec.char_scale_percent != 100:  # 28 characters of 3号 in a 156mm line (grid.char_scale_percent)
        insert_ordered(rPr, w_el("w:w", val=str(spec.char_scale_percent)), RPR_SEQ)


def setup_page(section, layout: Layout, landscape: bool) -> None:
    page = layout.landscape if landscape else layout.page
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = twips(page.width_mm)
    section.page_height = twips(page.height_mm)
    section.top_margin = twips(page.margin_top_mm)
    section.bottom_margin = twips(page.margin_bottom_mm)
    section.left_margin = twips(page.margin_left_mm)
    section.right_margin = twips(page.margin_right_mm)
    section.footer_distance = twips(page.footer_distance_mm)
    section.header_distance = twips(15)
    section.gutter = Twips(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(layout.line_pitch_twips))


def page_number(paragraph, layout: Layout) -> None:
    """ "— N —": a PAGE field between the dashes, so Word/WPS fill in each page's number."""
    paragraph.add_run(layout.page_number_prefix)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            run._r.append(w_el("w:fldChar", fldCharType=kind))
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    paragraph.add_run(layout.page_number_suffix)


def add_footers(doc, section, layout: Layout) -> None:
    """Odd pages right, even pages left, each one character in (7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles["页码"]
        place_page_number(p, layout, align)


def place_page_number(paragraph, layout: Layout, align: str) -> None:
    """ "— N —" aligned right (odd pages) or left (even pages), one character in from that end (7.5)."""
    indent = Pt(layout.style("页码").size_pt * layout.page_number_indent_chars)
    paragraph.alignment = ALIGN[align]
    if align == "right":
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent
    page_number(paragraph, layout)


def add_turned_footers(doc, section, layout: Layout) -> None:
    """Landscape table pages (8): "— N —" stays where a portrait page has it. The page is turned clockwise
    (binding edge up), so the number runs down the left edge in a text box whose text is turned 90°
    clockwise: odd pages toward the bottom, even pages toward the top, one character in from the type
    area's ends."""
    doc.settings.odd_and_even_pages_header_footer = True
    box = layout.landscape_number_box
    for shape_id, (footer, align) in enumerate(
        ((section.footer, "right"), (section.even_page_footer, "left")), start=TURNED_BOX_FIRST_ID
    ):
        footer.is_linked_to_previous = False
        anchor = footer.paragraphs[0]
        for child in list(anchor._p):
            if child.tag != qn("w:pPr"):
                anchor._p.remove(child)
        anchor.style = doc.styles["页码"]
        shape = parse_xml(
            TURNED_BOX.format(
                ns=DRAWING_NS,
                id=shape_id,
                name=f"page_number_{align}",
                width=Mm(box.width_mm).emu,
                height=Mm(box.height_mm).emu,
            )
        )
        anchor._p.append(shape)
        number = footer.add_paragraph(style="页码")
        place_page_number(number, layout, align)
        shape.find(".//" + qn("w:txbxContent")).append(number._p)  # moved into the box


DRAWING_NS = (
    f'{nsdecls("w")} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)
TURNED_BOX_FIRST_ID = 1001  # wp:docPr ids, unique within a document
# A DrawingML text box in the left margin beside the type area, its text turned 90° clockwise
# (bodyPr vert="vert": each line turned, glyphs as in horizontal text). Not VML layout-flow:vertical, nor eaVert: those set the text in
# vertical writing, where LibreOffice 7.4 prints the em dashes as nothing (measured: "— 19 —" showed "19").
# Across by alignment (LibreOffice ignored page offsets on a leader sheet's first page), down by a zero
# offset from the type area (aligned "top", LibreOffice set some pages' number 6 pt low): layout.yaml.
TURNED_BOX = (
    '<w:r {ns}><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" '
    'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="leftMargin"><wp:align>right</wp:align></wp:positionH>'
    '<wp:positionV relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionV>'
    '<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="{id}" name="{name}"/><wp:cNvGraphicFramePr/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/>'
    '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
    "<wps:txbx><w:txbxContent/></wps:txbx>"
    '<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr">'
    "<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
)


# --- 版记 (7.4): shared by the issued document (its last page's footer) and the letters (10.1) ---

MM_PER_PT = 25.4 / 72


def imprint_styles(layout: Layout) -> list[StyleSpec]:
    """版记 text in 4号仿宋, and a 1 pt paragraph that carries a rule or ends a footer."""
    imprint = layout.notice["imprint"]
    plain = replace(layout.style("正文"), first_indent_chars=0, keep_next=False)
    return [
        replace(plain, name="版记", size_pt=imprint["size_pt"], align="left", clause="7.4"),
        replace(plain, name="版记末行", size_pt=1, line_exact_pt=1, snap_to_grid=False, clause="7.4.1"),
    ]


def imprint_rule(tag: str, mm: float):
    """A black border `mm` thick (in eighths of a point, as Word stores it), flush with the text."""
    return w_el(tag, val="single", sz=str(round(mm / MM_PER_PT * 8)), space="0", color="000000")


def add_imprint_table(container, layout: Layout, rows: int, copies: str):
    """版记 (7.4) as a one-column table the type area wide at the end of `container` (a footer, or a
    document's body): first and last rules 0.35mm, 0.25mm between rows (7.4.1); the first row holds
    "抄送：" + `copies`, one character in on either side, a second line running on under the first name
    (7.4.2). The caller fills the other rows (印发机关 and 印发日期)."""
    imprint = layout.notice["imprint"]
    page = layout.page
    width = twips(page.width_mm - page.margin_left_mm - page.margin_right_mm)
    table = container.add_table(rows=rows, cols=1, width=width)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblPr = table._tbl.tblPr
    borders = w_el("w:tblBorders")
    outer, inner = imprint["outer_rule_mm"], imprint["inner_rule_mm"]
    for tag, mm in (("w:top", outer), ("w:left", None), ("w:bottom", outer), ("w:right", None)):
        borders.append(imprint_rule(tag, mm) if mm else w_el(tag, val="nil"))
    borders.append(imprint_rule("w:insideH", inner))
    borders.append(w_el("w:insideV", val="nil"))
    insert_ordered(tblPr, borders, TBLPR_SEQ)
    margins = w_el("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margins.append(w_el(side, w="0", type="dxa"))
    insert_ordered(tblPr, margins, TBLPR_SEQ)
    table.columns[0].width = width
    for row in table.rows:
        row.cells[0].paragraphs[0].style = "版记"
    first = table.rows[0].cells[0].paragraphs[0]
    first.text = f"抄送：{copies}"
    char = imprint["size_pt"]
    first.paragraph_format.left_indent = Pt(char * (imprint["indent_chars"] + 3))
    first.paragraph_format.first_line_indent = Pt(-char * 3)
    first.paragraph_format.right_indent = Pt(char * imprint["indent_chars"])
    return table


def para(container, text: str, style: str):
    return container.add_paragraph(text, style=style)


def paras(container, style: str, *texts: str) -> list:
    return [container.add_paragraph(text, style=style) for text in texts]


def keep_with_next(*paragraphs) -> None:
    """Each paragraph on the page of the one after it (w:keepNext, honoured by Word, WPS and LibreOffice).

    Set on the last lines of body text before a 署名 and on the lines between: when the signature and date
    do not fit the page, the word processor carries these body lines over with them, so the signature's
    page always has body text (GB/T 9704-2012 7.3.5.4) — no blank text is inserted."""
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def block_tags(kind: str, statement: str) -> tuple[str, str]:
    """docxtpl's opening and closing tags of a paragraph ("p") or table row ("tr") block."""
    keyword = statement.split()[0]  # if / for
    return f"{{%{kind} {statement} %}}", f"{{%{kind} end{keyword} %}}"


@contextmanager
def paragraph_block(container, statement: str, style: str, end_style: str | None = None) -> Iterator[None]:
    """Paragraphs written inside the with-statement are repeated or shown by `{%p statement %}`."""
    opening, closing = block_tags("p", statement)
    para(container, opening, style)
    yield
    para(container, closing, end_style or style)


def set_cell(cell, lines: Sequence[str], style: str) -> None:
    first = cell.paragraphs[0]
    first.text = lines[0]
    first.style = style
    for line in lines[1:]:
        cell.add_paragraph(line, style=style)


def merged_row(table, text: str, style: str = "表格分组"):
    row = table.add_row()
    keep_whole(row)
    cell = row.cells[0].merge(row.cells[-1])
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    set_cell(cell, [text], style)
    return row


def keep_whole(row) -> None:
    """The row is not split across pages (a row taller than a page would still break, its continuation
    without the 序号: generators/render/row_split.py cuts such a row into rows that each fit a page). No w:trHeight: the height is "at least" its text, so no last line is clipped."""
    insert_ordered(row._tr.get_or_add_trPr(), w_el("w:cantSplit"), TRPR_SEQ)


@contextmanager
def row_block(table, statement: str, style: str = "表格分组") -> Iterator[None]:
    """Rows added inside the with-statement are repeated or shown by `{%tr statement %}`."""
    opening, closing = block_tags("tr", statement)
    merged_row(table, opening, style)
    yield
    merged_row(table, closing, style)


@dataclass(frozen=True)
class TableColumn:
    name: str  # header text
    width_mm: float
    style: str  # paragraph style of the body cell
    lines: tuple[str, ...]  # body cell content, one paragraph each


def task_column(
    name: str, width_mm: float, field: str, style: str, list_fields: Iterable[str], prefix: str = "task"
) -> TableColumn:
    """A column showing one field of `task`; a list field gets one paragraph per item."""
    if field in list_fields:
        lines = (f"{{%p for item in {prefix}.{field} %}}", "{{ item }}", "{%p endfor %}")
    else:
        lines = (f"{{{{ {prefix}.{field} }}}}",)
    return TableColumn(name, width_mm, style, lines)


def column_twips(columns: Sequence[TableColumn]) -> list[Twips]:
    """The columns' widths in twips, adding up to the table's width rounded once: the remainder of rounding
    each goes to the widest (18 + 61 + 41 + 36 mm is the 156 mm type area, 8844 twips, not 8843). The
    rule the renderer uses when it widens a rendered table (formats/docx_tables.py)."""
    return [Twips(w) for w in grid_twips([c.width_mm for c in columns])]


def fill_row(row, columns: Sequence[TableColumn], contents: Iterable[tuple[Sequence[str], str]]) -> None:
    widths = column_twips(columns)
    for cell, width, (lines, style) in zip(row.cells, widths, contents, strict=True):
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        set_cell(cell, lines, style)


def add_table(doc, columns: Sequence[TableColumn], layout: Layout):
    """A centred grid of fixed column widths whose header row repeats on every page; narrow cell margins
    so two characters fit a narrow column (序号) without wrapping."""
    table = doc.add_table(rows=0, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblW = table._tbl.tblPr.find(qn("w:tblW"))
    tblW.set(qn("w:type"), "dxa")
    tblW.set(qn("w:w"), str(sum(w.twips for w in column_twips(columns))))
    margins = w_el("w:tblCellMar")  # schema order: top, left, bottom, right
    for side, mm in (
        ("top", layout.cell_margin_v_mm),
        ("left", layout.cell_margin_mm),
        ("bottom", layout.cell_margin_v_mm),
        ("right", layout.cell_margin_mm),
    ):
        margins.append(w_el(f"w:{side}", w=str(twips(mm).twips), type="dxa"))
    insert_ordered(table._tbl.tblPr, margins, TBLPR_SEQ)
    for column, width in zip(table.columns, column_twips(columns), strict=True):
        column.width = width  # w:gridCol: WPS prefers it to tblW
    header = table.add_row()
    keep_whole(header)
    insert_ordered(header._tr.get_or_add_trPr(), w_el("w:tblHeader"), TRPR_SEQ)  # repeats on every page
    fill_row(header, columns, (([c.name], "表头") for c in columns))
    return table


def add_body_row(table, columns: Sequence[TableColumn]) -> None:
    row = table.add_row()
    keep_whole(row)
    fill_row(row, columns, ((c.lines, c.style) for c in columns))


def layout_columns(columns, list_fields: Iterable[str], prefix: str = "task") -> list[TableColumn]:
    """The layout profile's columns of a table as template columns showing `prefix.field`."""
    return [task_column(c.name, c.width_mm, c.field, c.style, list_fields, prefix) for c in columns]


def new_document(layout: Layout, landscape: bool = False):
    """A document with the layout's styles, one page setup and page-number footers (turned on a
    landscape page, clause 8)."""
    doc = Document()
    clean_defaults(doc, layout)
    for spec in layout.styles:
        add_style(doc, spec)
    props = doc.core_properties
    props.author = props.last_modified_by = ""
    props.title = props.subject = props.comments = props.keywords = ""
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    section = doc.sections[0]
    setup_page(section, layout, landscape)
    add_footers(doc, section, layout)
    if landscape:
        add_turned_footers(doc, section, layout)
    return doc


def finish(doc, path: Path) -> None:
    # Keep spaces in every run (the padded leader names 李  峻 land in these runs).
    for t in doc.element.body.iter(qn("w:t")):
        t.set(qn("xml:space"), "preserve")
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(normalize_zip(buffer.getvalue()))
    print(f"已生成 {path}")
