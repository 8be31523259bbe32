"""一次性引导脚本：生成督办单模板 templates/supervision.docx 和年度完成情况模板 templates/year_summary.docx。

不属于构建流程。模板生成并提交后，版式和措辞以模板为准（文书可在 Word/WPS 中直接修改）；
重新运行会覆盖这些修改：

    .venv/bin/python tools/make_ledger_templates.py

督办单沿用分工函的信函格式（tools/make_letter_templates.py：版头、发文机关署名、成文日期）；
年度完成情况沿用季度通报的样式。数据字段由 generators/ledger/supervision.py 与 year_summary.py 提供。
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx_build as build  # noqa: E402
import make_letter_templates as letters  # noqa: E402
from docx_build import TableColumn, add_body_row, add_table, para, paragraph_block, paras, row_block  # noqa: E402

from generators.layout import load_layout  # noqa: E402

# 督办单 table: widths add up to the portrait type area (156mm).
SUPERVISION_COLUMNS = (
    TableColumn("序号", 12, "表格居中", ("{{ loop.index }}",)),
    TableColumn("编号", 18, "表格居中", ("{{ task.key_text }}",)),
    TableColumn("任务", 34, "表格文字", ("{{ task.task }}",)),
    TableColumn("状态", 20, "表格居中", ("{{ task.status }}",)),
    TableColumn("最近一次报送的进展", 72, "表格文字", ("{{ task.progress }}",)),
)


def make_supervision(layout) -> None:
    doc = letters.letter_document(layout, odd_page=False)
    for _ in range(
        layout.letter_format["title_lines_below"]
    ):  # two lines under the red rule, as letters (10.1)
        para(doc, "", "正文")
    para(doc, "{{ title }}", "公文标题")
    para(doc, "", "正文")
    para(doc, "{{ addressee }}：", "主送机关")
    para(
        doc,
        "根据{{ period }}安全生产工作进展情况，贵单位有以下情况需要督办：{{ reasons }}。"
        "请对照任务分析原因、制定措施、加快推进，并于{{ reply_due }}前将落实情况书面回复{{ office_short }}。",
        "正文",
    )
    with paragraph_block(doc, "if missing", "正文"):
        para(
            doc,
            "{{ missing_reason }}，涉及任务{{ missing | length }}项：{{ missing_text }}。",
            "正文",
        )
    with paragraph_block(doc, "if tasks", "正文"):
        table = add_table(doc, SUPERVISION_COLUMNS, layout)
        with row_block(table, "for task in tasks"):
            add_body_row(table, SUPERVISION_COLUMNS)
    build.keep_with_next(*paras(doc, "正文", "联系人：{{ contact }}；联系电话：{{ phone }}。", ""))
    letters.add_signature(doc, "{{ office }}")
    build.finish(doc, layout.template("supervision"))


def make_year_summary(layout) -> None:
    doc = build.new_document(layout)
    letters.add_letter_styles(doc, layout)
    para(doc, "{{ title }}", "公文标题")
    para(doc, "", "正文")
    para(
        doc,
        "按照《{{ plan_title }}》要求，全年安排工作措施{{ measures }}条、重点工作任务{{ key_tasks }}项，"
        "分解到{{ units }}个单位，共{{ lines }}项（单位、任务各计一次）。{{ office }}按季度收集了各单位的"
        "进展情况（{{ quarters }}），现将全年完成情况报告如下。",
        "正文",
    )
    para(doc, "一、总体完成情况", "一级标题")
    para(doc, "截至{{ period }}，{{ status_text }}。", "正文")
    para(doc, "二、分部分完成情况", "一级标题")
    with paragraph_block(doc, "for part in parts", "正文"):
        para(doc, "{{ part.name }}：共{{ part.total }}项，{{ part.status_text }}。", "正文")
    para(doc, "三、全年未启动的任务", "一级标题")
    with paragraph_block(doc, "if never_started", "正文"):
        para(doc, "以下{{ never_started | length }}项任务，报送单位全年均未报告启动：", "正文")
        with paragraph_block(doc, "for item in never_started", "正文"):
            para(doc, "{{ loop.index }}.{{ item.key_text }}（{{ item.task }}）：{{ item.units }}。", "正文")
        paras(doc, "正文", "{%p else %}", "报送单位的各项任务均已启动。")
    para(doc, "四、全年未报送的单位", "一级标题")
    with paragraph_block(doc, "if never_reported", "正文"):
        para(
            doc,
            "全年未报送任何季度报表的单位（{{ never_reported | length }}个）：{{ never_reported | join('、') }}。",
            "正文",
        )
        paras(doc, "正文", "{%p else %}", "各单位全年均报送过季度报表。")
    para(doc, "五、区领导重点任务完成情况", "一级标题")
    with paragraph_block(doc, "for leader in leaders", "正文"):
        para(doc, "{{ leader.name }}同志负责的重点任务{{ leader.tasks | length }}项：", "正文")
        with paragraph_block(doc, "for task in leader.tasks", "正文"):
            para(doc, "{{ task.key_text }}（{{ task.task }}）：{{ task.status }}。", "正文")
    para(doc, "六、下一步工作", "一级标题")
    closing = para(doc, "（请{{ office }}根据全年情况补充下一步工作安排。）", "正文")
    build.keep_with_next(closing, *paras(doc, "正文", "", ""))  # goes over with the signature (7.3.5.4)
    letters.add_signature(doc, "{{ office_full_name }}")
    build.finish(doc, layout.template("year_summary"))


if __name__ == "__main__":
    make_supervision(load_layout())
    make_year_summary(load_layout())
