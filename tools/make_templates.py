"""一次性引导脚本：按版式配置 templates/layout.yaml 生成 docxtpl 模板 templates/opinion.docx、templates/annex.docx。

不属于构建流程。模板生成并提交后，版式以模板为准：文书在 Word/WPS 中修改模板（字体、版头等），
下次构建直接使用。重新运行本脚本会覆盖这些修改——只在确需从配置重建模板时运行：

    .venv/bin/python tools/make_templates.py

模板里的 Jinja 标签（{{ … }}、{%p … %}、{%tr … %}）由 generators/render/*.context() 提供数据；
编号（一、（一）1.）是数据中的普通文字，不用 Word 自动编号。
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.section import WD_SECTION

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx_build as build  # noqa: E402
from docx_build import para, paragraph_block  # noqa: E402

from generators.layout import Layout, load_layout  # noqa: E402

LIST_FIELDS = ("leaders", "leads", "supports")  # one paragraph per item (a line of names) in the cell


def add_annex(doc, layout: Layout) -> None:
    """附件: label on line 1, title on line 3 (7.3.7), status, then the task table with a repeating header."""
    para(doc, layout.annex_label, "附件标签")
    para(doc, "", "附件标签")
    para(doc, "{{ annex.title }}", "附件标题")
    with paragraph_block(doc, "if annex.status_line", "附件标题"):
        para(doc, "{{ annex.status_line }}", "稿件状态")
    columns = build.layout_columns(layout.columns, LIST_FIELDS)
    table = build.add_table(doc, columns, layout)
    with build.row_block(table, "for group in annex.groups"):
        with build.row_block(table, "if group.banner"):
            build.merged_row(table, "{{ group.banner }}")
        build.merged_row(table, "{{ group.label }}")
        with build.row_block(table, "for task in group.tasks"):
            build.add_body_row(table, columns)
    para(doc, "", "表格文字")  # Word wants a paragraph after a table that ends a section


def make_opinion(layout: Layout) -> None:
    doc = build.new_document(layout)
    add_opinion(doc, layout)
    build.finish(doc, layout.template("opinion"))


def add_opinion(doc, layout: Layout) -> None:
    """The opinion from its label to the annex table: also the attachment of the issued document."""
    with paragraph_block(doc, "if label", "附件标签"):
        para(doc, "{{ label }}", "附件标签")
        para(doc, "", "附件标签")  # the opinion is itself an attachment: its title goes on line 3 (7.3.7)
    para(doc, "{{ title }}", "公文标题")
    with paragraph_block(doc, "if status_line", "公文标题"):
        para(doc, "{{ status_line }}", "稿件状态")
    para(doc, "", "正文")  # one blank line under the title block (7.3.1)
    with paragraph_block(doc, "if preamble", "正文"):  # a 任务分解表 may go from its title to its table
        para(doc, "{{ preamble }}", "正文")
    with paragraph_block(doc, "for part in parts", "一级标题", end_style="正文"):
        para(doc, "{{ part.heading }}", "一级标题")
        with paragraph_block(doc, "for section in part.sections", "二级标题", end_style="正文"):
            with paragraph_block(doc, "if section.inline", "二级标题"):  # （一）标题。导语 on one line
                heading = para(doc, "{{ section.heading }}", "二级标题")
                body = layout.style("正文")
                build.set_fonts(
                    heading.add_run("{{ section.intro }}")._r.get_or_add_rPr(), body.east_asia, body.latin
                )
            # a part without （一） has no heading
            with paragraph_block(doc, "if section.heading and not section.inline", "二级标题"):
                para(doc, "{{ section.heading }}", "二级标题")
            with paragraph_block(doc, "if section.intro and not section.inline", "正文"):
                para(doc, "{{ section.intro }}", "正文")
            with paragraph_block(doc, "for measure in section.measures", "正文"):
                para(doc, "{{ measure }}", "正文")
    # The annex starts a new landscape section with its own footers; page numbers continue.
    annex = doc.add_section(WD_SECTION.NEW_PAGE)
    doc.paragraphs[-1].style = doc.styles["正文"]  # the paragraph that carries the portrait sectPr
    build.setup_page(annex, layout, landscape=True)
    build.add_turned_footers(doc, annex, layout)
    # without an annex the landscape section is left empty, and an empty last section is dropped
    # (generators/formats/docx_sections.py)
    with paragraph_block(doc, "if annex", "表格文字"):
        add_annex(doc, layout)


def make_annex(layout: Layout) -> None:
    doc = build.new_document(layout, landscape=True)
    add_annex(doc, layout)
    build.finish(doc, layout.template("annex"))


def main() -> None:
    layout = load_layout()
    make_opinion(layout)
    make_annex(layout)


if __name__ == "__main__":
    main()
