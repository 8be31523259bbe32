"""一次性引导脚本：生成修改对照表模板 templates/changes.docx。

不属于构建流程。模板生成并提交后，版式以模板为准（文书可在 Word/WPS 中直接修改）；重新运行会覆盖
这些修改：

    .venv/bin/python tools/make_changes_template.py

横排 A4（版心 225mm × 156mm，页码位置同纵向页，GB/T 9704-2012 第 8 条），标题 2 号小标宋，表格
“序号 | 原文 | 修改后 | 修改说明”，表头每页重复。原文、修改后两列是 RichText（{{r …}}）：删去的字加
删除线，新增的字加粗加下划线，由 generators/render/changes.py 的 context() 提供。
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_templates as base  # noqa: E402

from generators.layout import Layout, load_layout  # noqa: E402

# (header, width in mm, cell content, style); the widths add up to the landscape type area, 225 mm.
COLUMNS = (
    ("序号", 12, "{{ row.number }}", "表格居中"),
    ("原文", 85, "{{r row.old }}", "表格文字"),
    ("修改后", 85, "{{r row.new }}", "表格文字"),
    ("修改说明", 43, "{{ row.note }}", "表格文字"),
)


def make_changes(layout: Layout) -> None:
    doc = base.new_document(layout)
    section = doc.sections[0]
    base.setup_page(section, layout.landscape, layout, landscape=True)
    base.add_footers(doc, section, layout)
    base.para(doc, "《{{ title }}》修改对照表", "公文标题")
    base.para(doc, "{%p if old_status != new_status %}", "稿件状态")
    base.para(doc, "（{{ new_status }}与{{ old_status }}对照）", "稿件状态")
    base.para(doc, "{%p endif %}", "稿件状态")
    base.para(doc, "", "正文")
    table = doc.add_table(rows=0, cols=len(COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblW = table._tbl.tblPr.find(qn("w:tblW"))
    tblW.set(qn("w:type"), "dxa")
    tblW.set(qn("w:w"), str(sum(base.twips(width) for _, width, _, _ in COLUMNS)))
    for column, (_, width, _, _) in zip(table.columns, COLUMNS, strict=True):
        column.width = base.twips(width)  # w:gridCol: WPS prefers it to tblW
    header = table.add_row()
    header._tr.get_or_add_trPr().append(base.w_el("w:tblHeader"))  # repeats on every page
    for cell, (name, width, _, _) in zip(header.cells, COLUMNS, strict=True):
        cell.width = base.twips(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        base.set_cell(cell, [name], "表头")
    base.merged_row(table, "{%tr for row in rows %}", "表格文字")
    row = table.add_row()
    for cell, (_, width, content, style) in zip(row.cells, COLUMNS, strict=True):
        cell.width = base.twips(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        base.set_cell(cell, [content], style)
    base.merged_row(table, "{%tr endfor %}", "表格文字")
    base.para(doc, "", "表格文字")  # Word wants a paragraph after a table that ends a section
    base.finish(doc, layout.template("changes"))


if __name__ == "__main__":
    make_changes(load_layout())
