"""一次性引导脚本：生成分工函模板 templates/letter.docx、合订打印本模板 templates/letters_print.docx 和
区领导任务单模板 templates/leader_sheet.docx。

不属于构建流程。模板生成并提交后，版式和函件措辞以模板为准（文书可在 Word/WPS 中直接修改）；
重新运行会覆盖这些修改：

    .venv/bin/python tools/make_letter_templates.py

函件采用 GB/T 9704-2012 第 10.1 条信函格式：首页页眉印发文机关标志（上边缘距页边 30mm）和红色双线
（长 170mm），首页不印页码；其余页码单页居右、双页居左。合订本的每封函另起一节：奇数页开始
（双面打印时每封函从正面起印），页码从 1 重新编排。
模板中的数据字段由 generators/render/letters.py、leader_sheets.py 的 context() 提供。
"""

from __future__ import annotations

import copy
import sys
from dataclasses import replace
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx_build as build  # noqa: E402
from docx_build import para, paragraph_block, paras  # noqa: E402

from generators.layout import Layout, StyleSpec, load_layout  # noqa: E402

RED = RGBColor(0xFF, 0x00, 0x00)
# Child order of w:sectPr (ECMA-376 17.6.17).
SECT_SEQ = [
    "w:headerReference",
    "w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
]
LIST_FIELDS = ("leads", "supports", "others")


def letter_styles(layout: Layout) -> list[StyleSpec]:
    """The letter's own paragraph styles, derived from the body style of the layout profile."""
    body = layout.style("正文")
    title = layout.style("公文标题")
    return [
        replace(
            title,
            name="发文机关标志",
            size_pt=layout.letter_format["mark_size_pt"],
            line_exact_pt=None,
            clause="10.1",
        ),
        replace(body, name="版头分隔线", size_pt=4, line_exact_pt=None, first_indent_chars=0, clause="10.1"),
        replace(body, name="发文字号", align="right", first_indent_chars=0, clause="10.1"),
        replace(body, name="主送机关", align="left", first_indent_chars=0, clause="7.3.2"),
        replace(body, name="任务标题", bold=True, keep_next=True, clause="7.3.3"),
        replace(body, name="发文机关署名", align="right", first_indent_chars=0, clause="7.3.5.2"),
        replace(body, name="成文日期", align="left", first_indent_chars=0, clause="7.3.5.2"),
    ]


def add_letter_styles(doc, layout: Layout) -> None:
    for spec in letter_styles(layout):
        build.add_style(doc, spec)
    doc.styles["发文机关标志"].font.color.rgb = RED
    # 7.3.5.2: without a seal the organ name stands two characters in from the right.
    signature = doc.styles["发文机关署名"].paragraph_format
    signature.right_indent = Pt(layout.style("正文").size_pt * 2)


def add_letterhead(doc, section, layout: Layout) -> None:
    """First-page header (10.1): organ name in red 30mm from the top edge with a red double rule (thick
    over thin) 4mm below it, its bottom border; a red double rule (thin over thick) 20mm above the bottom
    edge, drawn on the page; both 170mm long, centred. No page number on the first page."""
    spec = layout.letter_format
    section.different_first_page_header_footer = True
    section.header_distance = build.twips(spec["header_distance_mm"])
    header = section.first_page_header
    header.is_linked_to_previous = False
    mark = header.paragraphs[0]
    mark.style = doc.styles["发文机关标志"]
    mark.text = "{{ office }}"
    page = layout.page
    overhang = build.twips(
        (spec["rule_length_mm"] - (page.width_mm - page.margin_left_mm - page.margin_right_mm)) / 2
    )
    mark.paragraph_format.left_indent = -overhang  # the border runs 170mm, the name stays centred
    mark.paragraph_format.right_indent = -overhang
    thick_thin = build.w_el(
        "w:bottom", val="thickThinSmallGap", sz="24", space=str(spec["rule_space_pt"]), color="FF0000"
    )
    borders = build.w_el("w:pBdr")
    borders.append(thick_thin)
    build.insert_ordered(mark._p.get_or_add_pPr(), borders, build.PPR_SEQ)
    for shape in bottom_double_rule(layout):  # one shape per run: LibreOffice reads only the first
        mark._p.append(shape)
    # Empty headers on the other pages, in a tiny style so they never push the text down: without them
    # LibreOffice repeats the first-page header on every page.
    for other in (section.header, section.even_page_header):
        other.is_linked_to_previous = False
        other.paragraphs[0].style = doc.styles["版头分隔线"]
    first_footer = section.first_page_footer
    first_footer.is_linked_to_previous = False
    first_footer.paragraphs[0].style = doc.styles["页码"]


def bottom_double_rule(layout: Layout):
    """Thin over thick red rules, their middle `bottom_rule_above_edge_mm` above the page's bottom edge:
    two filled VML rectangles placed on the page, one run each (a footer could not reach below the page number)."""
    spec = layout.letter_format
    page = layout.page
    type_width = page.width_mm - page.margin_left_mm - page.margin_right_mm
    left = Mm(page.margin_left_mm - (spec["rule_length_mm"] - type_width) / 2).pt  # centred like the top rule
    width = Mm(spec["rule_length_mm"]).pt
    thin, gap, thick = spec["thin_pt"], spec["gap_pt"], spec["thick_pt"]
    middle = Mm(page.height_mm - spec["bottom_rule_above_edge_mm"]).pt
    top = middle - (thin + gap + thick) / 2
    return [
        parse_xml(f"<w:r {VML_NS}><w:pict>{RULE_RECT.format(**shape)}</w:pict></w:r>")
        for shape in (
            {"id": "rule_thin", "left": left, "top": top, "width": width, "height": thin},
            {"id": "rule_thick", "left": left, "top": top + thin + gap, "width": width, "height": thick},
        )
    ]


VML_NS = f'{nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"'
RULE_RECT = (
    '<v:rect id="{id}" style="position:absolute;margin-left:{left:.2f}pt;margin-top:{top:.2f}pt;'
    "width:{width:.2f}pt;height:{height:.2f}pt;z-index:-1;mso-position-horizontal-relative:page;"
    'mso-position-vertical-relative:page" fillcolor="#FF0000" stroked="f"/>'
)


def restart_numbering(section, odd_page: bool) -> None:
    """Numbered from 1; in the print file each letter also starts on an odd page (duplex).

    A lone letter does not ask for an odd page: LibreOffice 7.4 then repeats the first-page header
    (the letterhead) on page 2; Word and WPS do not, so only the print file carries it."""
    if odd_page:
        section.start_type = WD_SECTION.ODD_PAGE
    build.insert_ordered(section._sectPr, build.w_el("w:pgNumType", start="1"), SECT_SEQ)


def letter_document(layout: Layout, odd_page: bool):
    doc = build.new_document(layout)
    add_letter_styles(doc, layout)
    section = doc.sections[0]
    add_letterhead(doc, section, layout)
    restart_numbering(section, odd_page)
    return doc


def add_letter_body(doc, layout: Layout) -> None:
    """One letter; fields of this unit under `letter`, fields shared by all letters at the top level."""
    with paragraph_block(doc, "if doc_number", "发文字号"):
        para(doc, "{{ doc_number }}", "发文字号")
    for _ in range(layout.letter_format["title_lines_below"]):  # two lines under the rule or 字号 (10.1)
        para(doc, "", "正文")
    # The opinion's title carries a computed line break (at a word boundary, never inside a word).
    para(doc, "关于落实《{{r opinion_title_broken }}》任务分工的函", "公文标题")
    para(doc, "", "正文")
    para(doc, "{{ letter.addressee }}：", "主送机关")
    paras(
        doc,
        "正文",
        "为全面贯彻落实《{{ opinion_title }}》（以下简称《{{ doc_short }}》），压紧压实安全生产责任，现将《{{ doc_short }}》"
        "{% if annex_title %}及其附件《{{ annex_title }}》{% endif %}中明确由贵单位承担的任务函告如下，"
        "请结合本单位职责认真抓好落实。",
        # A count of nothing is not printed ("结合职责落实0条"): each part only when it has tasks.
        "贵单位共承担{% if letter.counts.measures %}《{{ doc_short }}》{{ item_word }}{{ letter.counts.measures }}条"
        "{{ letter.breakdown }}{% endif %}"
        "{% if letter.counts.measures and letter.counts.tasks %}，{% endif %}"
        "{% if letter.counts.tasks %}重点工作任务{{ letter.counts.tasks }}项{% endif %}。",
    )
    para(doc, "{%p if compact %}", "一级标题")  # 分工函样式 摘要: one table; else every measure's text
    add_task_table(doc, layout)
    para(doc, "{%p else %}", "一级标题")
    add_measure_section(
        doc,
        "prime",
        "牵头任务",
        "以下{{ item_word }}由贵单位牵头，请牵头抓好落实，会同配合单位按期完成。",
    )
    add_measure_section(
        doc,
        "named",
        "责任单位任务",
        "《{{ doc_short }}》在以下{{ item_word }}的责任单位中列明了贵单位（含以集合称谓列明），请牵头抓好落实。",
    )
    add_measure_section(
        doc,
        "support",
        "配合任务",
        "以下{{ item_word }}中贵单位为配合单位（牵头、责任单位见各条括号内），请积极配合抓好落实。",
    )
    add_measure_section(
        doc,
        "shared",
        "结合职责落实任务",
        "以下{{ item_word }}的责任单位为{% for via in letter.shared_via %}“{{ via }}”"
        "{% if not loop.last %}、{% endif %}{% endfor %}，请结合本单位职责抓好落实。",
    )
    with paragraph_block(doc, "if letter.tasks", "一级标题"):
        para(doc, "{{ letter.no.tasks }}、重点工作任务", "一级标题")
        para(doc, "《{{ annex_title }}》中涉及贵单位的任务如下。", "正文")
        with paragraph_block(doc, "for group in letter.tasks", "二级标题"):
            para(
                doc,
                "（{{ group.no }}）{% if group.role == 'lead' %}作为责任单位{% elif group.role == 'support' %}"
                "作为配合单位{% else %}结合职责配合{% endif %}",
                "二级标题",
            )
            with paragraph_block(doc, "for task in group.tasks", "任务标题"):
                para(doc, "第{{ task.number }}项　{{ task.name }}", "任务标题")
                paras(doc, "正文", "区领导：{{ task.leaders }}", "责任单位：{{ task.leads }}")
                with paragraph_block(doc, "if task.supports", "正文"):
                    para(doc, "配合单位：{{ task.supports }}", "正文")
                para(doc, "工作内容：{{ task.content }}", "正文")
    para(doc, "{%p endif %}", "正文")
    para(doc, "{{ letter.no.report }}、{{ cycle.title }}报送要求", "一级标题")
    _, *closing = paras(
        doc,
        "正文",
        "请于{{ cycle.when }}，对照上述任务逐项梳理落实情况，按时报送{{ office_short }}。{% if cycle.listed %}报送截止日期："
        "{% for q in quarters %}{{ q.name }}{{ q.due }}{% if not loop.last %}；{% else %}。{% endif %}"
        "{% endfor %}{% endif %}",
        "联系人：{{ contact }}；联系电话：{{ phone }}。",
        "特此函告。",
        "",
    )
    with paragraph_block(doc, "if compact", "正文"):  # 7.3.7: the opinion goes with the letter
        closing += [para(doc, "附件：{{ opinion_title }}", "正文"), para(doc, "", "正文")]
    build.keep_with_next(*closing)  # 联系人 and 特此函告 go over with the signature (7.3.5.4)
    add_signature(doc, "{{ office }}")
    add_letter_imprint(doc, layout)


def add_letter_imprint(doc, layout: Layout) -> None:
    """版记 of a letter when it has one (10.1: 抄送 only, no 印发机关 or 印发日期): the issued document's
    版记 table, floating at the bottom of the type area of the page where the letter ends. A 1 pt paragraph
    follows it: a floating table is anchored to the paragraph after it."""
    page = layout.page
    with paragraph_block(doc, "if copies_to", "正文"):
        table = build.add_imprint_table(doc._body, layout, rows=1, copies="{{ copies_to }}")
        at_bottom = build.w_el(
            "w:tblpPr",
            vertAnchor="margin",
            horzAnchor="page",  # LibreOffice floats a table the text's width only when placed on the page
            tblpX=str(build.twips(page.margin_left_mm).twips),
            tblpYSpec="bottom",
        )
        build.insert_ordered(table._tbl.tblPr, at_bottom, build.TBLPR_SEQ)
        para(doc, "", "版记末行")


def add_task_table(doc, layout: Layout) -> None:
    """分工函样式 摘要: each task one row (编号, 任务, 责任类型, 报送要求); the full text is in the attached
    opinion. 报送要求 names the task's row on the unit's quarterly form."""
    para(doc, "{{ letter.no.list }}、任务清单", "一级标题")
    para(
        doc,
        "贵单位承担的任务如下。各项任务的具体内容见所附《{{ opinion_title }}》"
        "{% if annex_title %}及其附件《{{ annex_title }}》{% endif %}，请对照全文抓好落实。",
        "正文",
    )
    columns = build.layout_columns(layout.letter_columns, (), prefix="row")
    columns[-1] = build.TableColumn(
        columns[-1].name, columns[-1].width_mm, columns[-1].style, ("{{ cycle.form }}第{{ row.form_row }}项",)
    )
    table = build.add_table(doc, columns, layout)
    with build.row_block(table, "for row in letter.rows", "表格文字"):
        build.add_body_row(table, columns)


def add_signature(doc, organ: str) -> None:
    """Organ name and date at the end of the text, in the letter's own styles (7.3.5.2): kept on one page,
    and with what follows (a 版记), so neither is left alone on a page (7.3.5.4). The caller keeps its last
    body lines with the signature (docx_build.keep_with_next)."""
    build.keep_with_next(
        para(doc, organ, "发文机关署名"), para(doc, "{{ date_indent }}{{ date }}", "成文日期")
    )


def add_measure_section(doc, key: str, heading: str, intro: str) -> None:
    """The measures in letter.<key>, grouped under the opinion's section headings, if there are any."""
    with paragraph_block(doc, f"if letter.{key}", "一级标题"):
        para(doc, f"{{{{ letter.no.{key} }}}}、{heading}", "一级标题")
        para(doc, intro, "正文")
        with paragraph_block(doc, f"for section in letter.{key}", "二级标题"):
            with paragraph_block(doc, "if section.heading", "二级标题"):  # a part's measures have none
                para(doc, "{{ section.heading }}", "二级标题")
            with paragraph_block(doc, "for measure in section.measures", "正文"):
                para(doc, "{{ measure }}", "正文")


def make_letter(layout: Layout) -> None:
    doc = letter_document(layout, odd_page=False)
    for spec in build.imprint_styles(layout):  # add_letter_imprint's
        build.add_style(doc, spec)
    add_letter_body(doc, layout)
    build.finish(doc, layout.template("letter"))


def make_letters_print(layout: Layout) -> None:
    """All letters in one pass: before every letter but the first, a paragraph ends the previous
    letter's section with a copy of the final section properties (odd page, numbering from 1)."""
    doc = letter_document(layout, odd_page=True)
    for spec in build.imprint_styles(layout):
        build.add_style(doc, spec)
    body_sectPr = doc.sections[0]._sectPr
    with paragraph_block(doc, "for letter in letters", "正文"):
        with paragraph_block(doc, "if not loop.first", "正文"):
            breaker = para(doc, "", "正文")
            build.insert_ordered(breaker._p.get_or_add_pPr(), copy.deepcopy(body_sectPr), build.PPR_SEQ)
        add_letter_body(doc, layout)
    build.finish(doc, layout.template("letters_print"))


def make_leader_sheet(layout: Layout) -> None:
    doc = build.new_document(layout, landscape=True)
    para(doc, "{{ annex_title }}", "附件标题")
    para(doc, "区领导：{{ leader.name }}（共{{ leader.count }}项）", "稿件状态")
    para(doc, "", "正文")
    columns = build.layout_columns(layout.leader_columns, LIST_FIELDS)
    table = build.add_table(doc, columns, layout)
    with build.row_block(table, "for task in leader.tasks", "表格文字"):
        build.add_body_row(table, columns)
    para(doc, "", "表格文字")
    build.finish(doc, layout.template("leader_sheet"))


def main() -> None:
    layout = load_layout()
    make_letter(layout)
    make_letters_print(layout)
    make_leader_sheet(layout)


if __name__ == "__main__":
    main()
