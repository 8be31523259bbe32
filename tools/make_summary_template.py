"""一次性引导脚本：生成季度进展情况通报模板 templates/summary_report.docx。

不属于构建流程。模板生成并提交后，版式和通报措辞以模板为准（文书可在 Word/WPS 中直接修改）；
重新运行会覆盖这些修改：

    .venv/bin/python tools/make_summary_template.py

版式沿用 tools/docx_build.py（GB/T 9704-2012 页面、命名样式、页码）与 tools/make_letter_templates.py
（发文机关署名、成文日期样式）。数据字段由 generators/collect/summary_report.py 的 context() 提供。
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx_build as build  # noqa: E402
import make_letter_templates as letters  # noqa: E402
from docx_build import para, paragraph_block, paras  # noqa: E402

from generators.layout import load_layout  # noqa: E402


def make_summary_report() -> None:
    layout = load_layout()
    doc = build.new_document(layout)
    letters.add_letter_styles(doc, layout)
    # the title broken between words (generators/render/titles.break_title), never "…进展情况 / 的通报"
    with paragraph_block(doc, "for line in title_lines", "公文标题"):
        para(doc, "{{ line }}", "公文标题")
    para(doc, "", "正文")
    para(doc, "{{ addressees or '各有关单位' }}：", "主送机关")  # the notice's 主送机关 when the plan has one
    para(
        doc,
        "按照《{{ plan_title }}》要求，{{ office }}组织各单位报送了{{ period }}安全生产工作进展情况。"
        "截至{{ due }}，应报送单位{{ expected }}个，已报送{{ reported }}个，报表被退回{{ returned | length }}个，"
        "未报送{{ not_reported | length }}个。"
        "现将有关情况通报如下。",
        "正文",
    )
    para(doc, "一、总体进展情况", "一级标题")
    with paragraph_block(doc, "if reported_units", "正文"):
        para(doc, "已报送的单位（{{ reported }}个）：{{ reported_units | join('、') }}。", "正文")
    para(doc, "已报送的{{ reported }}个单位共填报任务{{ total }}项，其中{{ status_text }}。", "正文")
    para(doc, "二、滞后任务", "一级标题")
    with paragraph_block(doc, "if lagging", "正文"):
        para(
            doc, "以下{{ lagging | length }}项任务有单位报告进度滞后，请责任单位分析原因、加快推进：", "正文"
        )
        with paragraph_block(doc, "for item in lagging", "正文"):
            para(doc, "{{ loop.index }}.{{ item.key_text }}（{{ item.task }}）：{{ item.units }}。", "正文")
        paras(doc, "正文", "{%p else %}", "已报送单位均未报告滞后任务。")
    para(doc, "三、退回和未报送单位", "一级标题")
    with paragraph_block(doc, "if returned", "正文"):
        para(
            doc,
            "报表被退回、需修改后重报的单位（{{ returned | length }}个），退回的报表已随退回通知逐项列明问题：",
            "正文",
        )
        with paragraph_block(doc, "for item in returned", "正文"):
            para(doc, "{{ loop.index }}.{{ item.unit }}（{{ item.count }}处问题）。", "正文")
    with paragraph_block(doc, "if not_reported", "正文"):
        para(doc, "未报送的单位（{{ not_reported | length }}个）：{{ not_reported | join('、') }}。", "正文")
    with paragraph_block(doc, "if not_reported or returned", "正文"):
        request, _, done = paras(
            doc, "正文", "请上述单位尽快向{{ office }}报送。", "{%p else %}", "各单位均已按时报送。"
        )
    # the last sentence, whichever it is, goes over with the signature (7.3.5.4)
    build.keep_with_next(request, done, *paras(doc, "正文", "", ""))
    letters.add_signature(doc, "{{ office_full_name }}")
    build.finish(doc, layout.template("summary_report"))


if __name__ == "__main__":
    make_summary_report()
