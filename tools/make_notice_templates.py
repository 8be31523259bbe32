"""一次性引导脚本：生成印发通知模板 templates/notice.docx 和印发件模板 templates/issue.docx。

不属于构建流程。模板生成并提交后，版式和措辞以模板为准（文书可在 Word/WPS 中直接修改）；
重新运行会覆盖这些修改：

    .venv/bin/python tools/make_notice_templates.py

印发通知按 GB/T 9704-2012 文件格式：版头（红色发文机关标志、发文字号、红色分隔线）、标题、主送机关、
正文、附件说明、署名和成文日期（加盖印章，成文日期右空四字）。印发件 = 通知 + 附件（意见及其附件任务
清单，横排页照旧）+ 版记：版记所在一节从偶数页开始（分节符“偶数页”，需要时由 Word/WPS/LibreOffice
自动空出一页），版记放在该页页脚中，页脚距页面下边缘等于下边距，末条分隔线即落在版心下边缘。
版式数值见 templates/layout.yaml 的 notice 一节；数据字段由 generators/render/notice.py 的 context() 提供。
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx_build as build  # noqa: E402
from docx_build import para, paragraph_block  # noqa: E402
from make_templates import add_opinion  # noqa: E402

from generators.layout import Layout, StyleSpec, load_layout  # noqa: E402


def notice_styles(layout: Layout) -> list[StyleSpec]:
    n = layout.notice
    body = layout.style("正文")
    title = layout.style("公文标题")
    plain = replace(body, first_indent_chars=0, keep_next=False)
    return [
        replace(
            title, name="发文机关标志", size_pt=n["organ_mark"]["size_pt"], line_exact_pt=None, clause="7.2.4"
        ),
        replace(plain, name="发文字号", align="center", clause="7.2.5"),
        replace(plain, name="主送机关", align="justify", clause="7.3.2"),
        replace(plain, name="附件说明", align="justify", clause="7.3.4"),
        replace(plain, name="发文机关署名", align="left", clause="7.3.5.1"),
        replace(plain, name="成文日期", align="right", clause="7.3.5.1"),
        *build.imprint_styles(layout),
    ]


def add_notice_styles(doc, layout: Layout) -> None:
    n = layout.notice
    for spec in notice_styles(layout):
        build.add_style(doc, spec)
    char = layout.style("正文").size_pt
    mark = doc.styles["发文机关标志"]
    mark.font.color.rgb = RGBColor.from_string(n["organ_mark"]["color"])
    mark.paragraph_format.space_before = Pt(n["organ_mark"]["space_before_pt"])
    number = doc.styles["发文字号"]
    sep = n["separator"]
    border = build.w_el(
        "w:bottom",
        val="single",
        sz=str(sep["thickness_eighth_pt"]),
        space=str(sep["border_space_pt"]),
        color=sep["color"],
    )
    borders = build.w_el("w:pBdr")
    borders.append(border)
    build.insert_ordered(number.element.get_or_add_pPr(), borders, build.PPR_SEQ)
    # 附件说明: "附件：" two characters in; a long name runs on under its own first character (7.3.4)
    label = len(n["attachment_label"])
    attachment = doc.styles["附件说明"].paragraph_format
    attachment.left_indent = Pt(char * (2 + label))
    attachment.first_line_indent = Pt(-char * label)
    doc.styles["成文日期"].paragraph_format.right_indent = Pt(char * n["date_right_chars"])


def add_notice(doc, layout: Layout) -> None:
    """版头, title, 主送机关, body, 附件说明, signature and date of the notice."""
    n = layout.notice
    para(doc, "{{ notice.organ_mark }}", "发文机关标志")
    for _ in range(n["doc_number"]["lines_below_mark"]):
        para(doc, "", "正文")
    para(doc, "{{ notice.doc_number }}", "发文字号")  # the red separator is its bottom border (7.2.7)
    for _ in range(n["title_lines_below_separator"]):
        para(doc, "", "正文")
    with paragraph_block(doc, "for line in notice.title_lines", "公文标题"):
        para(doc, "{{ line }}", "公文标题")
    para(doc, "", "正文")  # 主送机关: one line below the title, flush left (7.3.2)
    para(doc, "{{ notice.addressees }}：", "主送机关")
    # The last paragraph of the body goes over with the 附件说明, signature and date when they do not fit
    # the page (7.3.5.4): kept with the next paragraph, as each line after it is.
    with paragraph_block(doc, "for text in notice.body[:-1]", "正文"):
        para(doc, "{{ text }}", "正文")
    closing = []
    with paragraph_block(doc, "if notice.body", "正文"):
        closing.append(para(doc, "{{ notice.body[-1] }}", "正文"))
    closing.append(para(doc, "", "正文"))  # 附件说明: one line below the body (7.3.4)
    closing.append(para(doc, n["attachment_label"] + "{{ notice.attachment }}", "附件说明"))
    closing += [para(doc, "", "正文") for _ in range(n["seal_lines"])]
    closing.append(para(doc, "{{ notice.signature_indent }}{{ notice.signature }}", "发文机关署名"))
    build.keep_with_next(*closing)
    para(doc, "{{ notice.date }}", "成文日期")


def add_imprint(doc, section, layout: Layout) -> None:
    """版记 in the even-page footer of the last section, its last rule on the type area's bottom edge
    (7.4): the footer stands as far from the page's bottom edge as the bottom margin. The odd-page footer
    stays empty: a blank page the word processor adds before an even-page section uses it (7.5: no page
    number on the blank page or the 版记 page)."""
    imprint = layout.notice["imprint"]
    page = layout.page
    width = page.width_mm - page.margin_left_mm - page.margin_right_mm
    section.footer_distance = build.twips(page.margin_bottom_mm)
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        footer.paragraphs[0].style = doc.styles["版记末行"]
    footer = section.even_page_footer
    table = build.add_imprint_table(footer, layout, rows=2, copies="{{ notice.copies_to }}")
    char = imprint["size_pt"]
    indent = Pt(char * imprint["indent_chars"])
    issued = table.rows[1].cells[0].paragraphs[0]
    issued.text = "{{ notice.printer }}\t{{ notice.printed_on }}印发"
    issued.paragraph_format.left_indent = indent
    issued.paragraph_format.right_indent = indent
    stop = Emu(build.twips(width) - indent)  # the right end of the text, one character in
    issued.paragraph_format.tab_stops.add_tab_stop(stop, WD_TAB_ALIGNMENT.RIGHT)
    # the footer must end with a paragraph: the table goes before it, the paragraph is 1 pt high
    last = footer.paragraphs[0]._p
    last.addprevious(table._tbl)
    assert table._tbl.getnext() is last and last.tag == qn("w:p")


def make_notice(layout: Layout) -> None:
    doc = build.new_document(layout)
    add_notice_styles(doc, layout)
    add_notice(doc, layout)
    build.finish(doc, layout.template("notice"))


def make_issue(layout: Layout) -> None:
    doc = build.new_document(layout)
    add_notice_styles(doc, layout)
    add_notice(doc, layout)
    attachment = doc.add_section(WD_SECTION.NEW_PAGE)  # 附件 on a new page, numbering continues (7.5)
    doc.paragraphs[-1].style = doc.styles["正文"]
    build.setup_page(attachment, layout, landscape=False)
    add_opinion(doc, layout)
    last = doc.add_section(WD_SECTION.EVEN_PAGE)
    # The landscape annex section ends inside `{%p if annex %}`: a plan without an annex leaves no empty
    # landscape page before the 版记.
    landscape_end = doc.paragraphs[-1]._p
    endif = landscape_end.getprevious()
    assert "endif" in "".join(endif.itertext())
    endif.addprevious(landscape_end)
    build.setup_page(last, layout, landscape=False)
    add_imprint(doc, last, layout)
    # The 版记 page's body is empty, yet it is a page: an empty text run keeps formats/docx_sections.py from
    # dropping it as a section a template condition left empty.
    holder = para(doc, "", "版记末行").add_run()
    holder._r.append(build.w_el("w:t"))
    build.finish(doc, layout.template("issue"))


def main() -> None:
    layout = load_layout()
    make_notice(layout)
    make_issue(layout)


if __name__ == "__main__":
    main()
