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

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx_build as build  # noqa: E402
from docx_build import TableColumn, para, paragraph_block  # noqa: E402

from generators.layout import Layout, load_layout  # noqa: E402

RICH_FIELDS = ("old", "new")  # RichText: struck-out and inserted characters


def columns(layout: Layout) -> list[TableColumn]:
    """The layout profile's changes_columns (widths add up to the landscape type area, 225 mm)."""
    return [
        TableColumn(
            c.name, c.width_mm, c.style, (f"{{{{{'r' if c.field in RICH_FIELDS else ''} row.{c.field} }}}}",)
        )
        for c in layout.changes_columns
    ]


def make_changes(layout: Layout) -> None:
    doc = build.new_document(layout, landscape=True)
    para(doc, "《{{ title }}》修改对照表", "公文标题")
    with paragraph_block(doc, "if old_status != new_status", "稿件状态"):
        para(doc, "（{{ new_status }}与{{ old_status }}对照）", "稿件状态")
    para(doc, "", "正文")
    table_columns = columns(layout)
    table = build.add_table(doc, table_columns, layout)
    with build.row_block(table, "for row in rows", "表格文字"):
        build.add_body_row(table, table_columns)
    para(doc, "", "表格文字")  # Word wants a paragraph after a table that ends a section
    build.finish(doc, layout.template("changes"))


if __name__ == "__main__":
    make_changes(load_layout())
