"""GB/T 9704 rules read from the .docx XML: page setup, grid, named styles, footers, annex, landscape."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from lxml import etree

from ..layout import Layout, PageSpec
from .result import TWIPS_PER_MM, Check, mm

SECTION_TOLERANCE_MM = 1.0  # the standard allows ±1 mm on the margins
_PAGE_FIELD = re.compile(r"\bPAGE\b")
_SIDES = {"top": "上", "bottom": "下", "left": "左", "right": "右"}


def _twips(element: etree._Element | None, attr: str) -> float:
    """An absent element (a section without w:pgSz or w:pgMar) reads as 0: its check fails, showing 0."""
    return int(element.get(qn(attr)) or 0) if element is not None else 0


def _mm(element: etree._Element | None, attr: str) -> float:
    return _twips(element, attr) / TWIPS_PER_MM


def _landscape(sect: etree._Element) -> bool:
    size = sect.find(qn("w:pgSz"))
    return size is not None and size.get(qn("w:orient")) == "landscape"


def _expected_page(layout: Layout, landscape: bool) -> PageSpec:
    return layout.landscape if landscape else layout.page


def _sections(body: etree._Element) -> list[etree._Element]:
    return body.findall(f".//{qn('w:sectPr')}")


def _style(styles: etree._Element, name: str) -> etree._Element | None:
    for style in styles.findall(qn("w:style")):
        label = style.find(qn("w:name"))
        if style.get(qn("w:styleId")) == name or (label is not None and label.get(qn("w:val")) == name):
            return style
    return None


def _prop(style: etree._Element, path: str, attr: str) -> str | None:
    node = style.find(path)
    return None if node is None else node.get(qn(attr))


def check_docx(path: Path, layout: Layout) -> list[Check]:
    document = Document(str(path))
    body: etree._Element = document.element.body
    styles = document.styles.element
    checks: list[Check] = []
    add = checks.append

    sections = _sections(body)
    sizes, margins = [], []
    for index, sect in enumerate(sections, 1):
        size = sect.find(qn("w:pgSz"))
        landscape = _landscape(sect)
        spec = _expected_page(layout, landscape)
        width, height = _mm(size, "w:w"), _mm(size, "w:h")
        sizes.append(abs(width - spec.width_mm) <= 0.5 and abs(height - spec.height_mm) <= 0.5)
        mar = sect.find(qn("w:pgMar"))
        measured = {s: _mm(mar, f"w:{s}") for s in ("top", "bottom", "left", "right")}
        bad = [
            f"第{index}节{_SIDES[side]} {mm(value)}"
            for side, value in measured.items()
            if abs(value - getattr(spec, f"margin_{side}_mm")) > SECTION_TOLERANCE_MM
        ]
        margins.append((index, landscape, measured, bad))
    add(
        Check(
            layout.clause("page.width_mm"),
            "纸张 A4",
            "210×297mm（横排页 297×210mm）",
            f"{len(sections)} 节，{sum(sizes)} 节合格",
            all(sizes),
            "docx",
        )
    )
    first = margins[0][2]
    bad = [b for _, _, _, problems in margins for b in problems]
    add(
        Check(
            layout.clause("page.margin_top_mm"),
            "页边距（版心 156×225mm）",
            f"上{layout.page.margin_top_mm:g} 下{layout.page.margin_bottom_mm:g} "
            f"左{layout.page.margin_left_mm:g} 右{layout.page.margin_right_mm:g}mm ±1",
            "、".join(bad) or " ".join(f"{_SIDES[k]}{v:.1f}" for k, v in first.items()),
            not bad,
            "docx",
        )
    )

    grids = [s.find(qn("w:docGrid")) for s in sections]
    pitches = sorted({int(g.get(qn("w:linePitch")) or 0) for g in grids if g is not None})
    add(
        Check(
            layout.clause("grid.line_pitch_twips"),
            "行距（文档网格）",
            f"{layout.line_pitch_twips} 缇（{layout.lines_per_page} 行/面）",
            "、".join(map(str, pitches)) + " 缇" if pitches else "无网格",
            pitches == [layout.line_pitch_twips],
            "docx",
        )
    )

    checks.extend(_style_checks(styles, layout))
    checks.extend(_footer_checks(document, layout))
    checks.extend(_annex_checks(document, layout))
    return checks


def _style_checks(styles: etree._Element, layout: Layout) -> list[Check]:
    """Font, size and (for 正文) the fixed line pitch of each named style the documents use."""
    results: list[Check] = []
    for name in ("正文", "公文标题", "一级标题", "二级标题", "附件标签", "附件标题"):
        spec = layout.style(name)
        style = _style(styles, name)
        if style is None:
            results.append(Check(spec.clause, f"样式“{name}”", "存在", "缺少", False, "docx"))
            continue
        fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        east_asia = None if fonts is None else fonts.get(qn("w:eastAsia"))
        themed = fonts is not None and any(
            fonts.get(qn(f"w:{a}Theme")) for a in ("ascii", "hAnsi", "eastAsia")
        )
        size = _prop(style, f"{qn('w:rPr')}/{qn('w:sz')}", "w:val")
        size_pt = int(size) / 2 if size else None
        expected = f"{spec.east_asia} {spec.size_pt:g}磅"
        measured = f"{east_asia} {size_pt:g}磅" if size_pt else f"{east_asia} 未设字号"
        ok = east_asia == spec.east_asia and size_pt == spec.size_pt and not themed
        if name == "正文":
            line = _prop(style, f"{qn('w:pPr')}/{qn('w:spacing')}", "w:line")
            rule = _prop(style, f"{qn('w:pPr')}/{qn('w:spacing')}", "w:lineRule")
            spacing = _prop(style, f"{qn('w:rPr')}/{qn('w:spacing')}", "w:val")
            scale = _prop(style, f"{qn('w:rPr')}/{qn('w:w')}", "w:val")
            expected += (
                f"，固定行距 {layout.line_pitch_twips} 缇，字距 0，字符缩放 {layout.char_scale_percent}%"
            )
            measured += f"，{rule} {line} 缇，字距 {spacing or 0} 缇，字符缩放 {scale or 100}%"
            ok = ok and rule == "exact" and int(line or 0) == layout.line_pitch_twips
            ok = ok and int(spacing or 0) == 0 and int(scale or 100) == layout.char_scale_percent
        if name in ("公文标题", "附件标题"):
            jc = _prop(style, f"{qn('w:pPr')}/{qn('w:jc')}", "w:val")
            expected += " 居中"
            measured += " 居中" if jc == "center" else f" 对齐 {jc}"
            ok = ok and jc == "center"
        results.append(
            Check(
                spec.clause,
                f"样式“{name}”字体字号",
                expected,
                measured + ("，含主题字体" if themed else ""),
                ok,
                "docx",
            )
        )
    return results


def _footer_checks(document: DocxDocument, layout: Layout) -> list[Check]:
    clause = layout.clause("page_number.prefix")
    settings = document.settings.element
    odd_even = settings.find(qn("w:evenAndOddHeaders")) is not None
    section = document.sections[0]
    indent_twips = round(layout.page_number_indent_chars * layout.style("页码").size_pt * 20)
    results = []
    for label, footer, align, side in (
        ("单页页码", section.footer, "right", "w:right"),
        ("双页页码", section.even_page_footer, "left", "w:left"),
    ):
        xml = footer._element
        text = "".join(t.text or "" for t in xml.iter(qn("w:t")))
        instr = "".join(t.text or "" for t in xml.iter(qn("w:instrText")))
        para = xml.find(qn("w:p"))
        ppr = para.find(qn("w:pPr")) if para is not None else None
        jc = (
            ppr.find(qn("w:jc")).get(qn("w:val"))
            if ppr is not None and ppr.find(qn("w:jc")) is not None
            else None
        )
        ind = ppr.find(qn("w:ind")) if ppr is not None else None
        indent = int(ind.get(qn(side)) or 0) if ind is not None else 0
        has_field = bool(_PAGE_FIELD.search(instr))
        shown = text.replace("\n", "")
        ok = (
            has_field
            and shown.startswith(layout.page_number_prefix)
            and shown.endswith(layout.page_number_suffix)
            and jc == align
            and indent == indent_twips
            and odd_even
        )
        where = "居右" if align == "right" else "居左"
        results.append(
            Check(
                clause,
                label,
                f"“{layout.page_number_prefix}N{layout.page_number_suffix}”{where}空一字（{indent_twips} 缇），奇偶页不同",
                f"“{shown}”{'含' if has_field else '无'} PAGE 域，{jc}，缩进 {indent} 缇"
                + ("" if odd_even else "，未设奇偶页不同"),
                ok,
                "docx",
            )
        )
    return results


def _paragraph_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _style_id(p: etree._Element) -> str | None:
    node = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return None if node is None else node.get(qn("w:val"))


def _annex_checks(document: DocxDocument, layout: Layout) -> list[Check]:
    """Every annex label paragraph: 黑体 label style, then the title on line 3 (one empty line between)."""
    body: etree._Element = document.element.body
    label = re.compile(rf"^{re.escape(layout.annex_label)}\d*$")
    blocks = list(body)
    results = []
    for index, block in enumerate(blocks):
        if block.tag != qn("w:p") or not label.match(_paragraph_text(block).strip()):
            continue
        blanks = 0
        for following in blocks[index + 1 :]:
            if following.tag == qn("w:p") and not _paragraph_text(following).strip():
                blanks += 1
                continue
            break
        ok = _style_id(block) == "附件标签" and blanks == 1
        results.append(
            Check(
                layout.clause("text.annex_label"),
                f"附件标签“{_paragraph_text(block)}”与标题位置",
                "样式“附件标签”，空一行，标题在第 3 行",
                f"样式“{_style_id(block)}”，空 {blanks} 行，标题在第 {blanks + 2} 行",
                ok,
                "docx",
            )
        )
    results.extend(_landscape_checks(document, layout))
    return results


def _landscape_checks(document: DocxDocument, layout: Layout) -> list[Check]:
    """A table wider than the portrait type area must sit in a landscape section (GB/T 9704 clause 8)."""
    body: etree._Element = document.element.body
    portrait_width_mm = layout.page.width_mm - layout.page.margin_left_mm - layout.page.margin_right_mm
    wide, misplaced = 0, 0
    landscape_sections = 0
    pending: list[float] = []
    for block in body:
        if block.tag == qn("w:tbl"):
            grid = block.find(qn("w:tblGrid"))
            width = sum(_mm(col, "w:w") for col in grid.findall(qn("w:gridCol"))) if grid is not None else 0
            pending.append(width)
        sect = block.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if block.tag == qn("w:p") else None
        if block.tag == qn("w:sectPr"):
            sect = block
        if sect is not None:
            landscape = _landscape(sect)
            landscape_sections += landscape
            for width in pending:
                if width > portrait_width_mm + 0.5:
                    wide += 1
                    misplaced += not landscape
            pending = []
    if not wide and not landscape_sections:
        return []
    return [
        Check(
            layout.clause("landscape.width_mm"),
            "宽表格横排",
            f"宽于 {portrait_width_mm:g}mm 的表格在横排节中",
            f"{wide} 个宽表格，{misplaced} 个不在横排节；横排节 {landscape_sections} 个",
            wide > 0 and misplaced == 0,
            "docx",
        )
    ]
