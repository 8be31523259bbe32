"""一次性引导脚本：生成报表退回通知模板 templates/return_notice.docx。

不属于构建流程。模板生成并提交后，版式和措辞以模板为准（文书可在 Word/WPS 中直接修改）；
重新运行会覆盖这些修改：

    .venv/bin/python tools/make_return_notice_template.py

退回通知沿用分工函、督办单的信函格式（tools/make_letter_templates.py：版头、主送机关、发文机关署名、
成文日期）。数据字段由 generators/collect/return_notice.py 的 context() 提供：逐条列出报表的每一处问题，
随退回的报表一并发回。
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx_build as build  # noqa: E402
import make_letter_templates as letters  # noqa: E402
from docx_build import para, paragraph_block, paras  # noqa: E402

from generators.layout import load_layout  # noqa: E402


def make_return_notice(layout) -> None:
    doc = letters.letter_document(layout, odd_page=False)
    for _ in range(layout.letter_format["title_lines_below"]):  # two lines under the double rule (10.1)
        para(doc, "", "正文")
    with paragraph_block(doc, "for line in title_lines", "公文标题"):
        para(doc, "{{ line }}", "公文标题")
    para(doc, "", "正文")
    para(doc, "{{ addressee }}：", "主送机关")
    para(
        doc,
        "贵单位报送的{{ period }}安全生产工作进展情况报表经审核，有以下{{ problems | length }}处问题，"
        "现将报表退回：",
        "正文",
    )
    with paragraph_block(doc, "for problem in problems", "正文"):
        para(doc, "{{ loop.index }}.{{ problem }}{{ '。' if loop.last else '；' }}", "正文")
    para(
        doc,
        "请对照以上各项逐一修改（每一处都需改正，否则报表仍将退回），修改后尽快重新报送{{ office_short }}。",
        "正文",
    )
    # the 联系人 line goes over with the signature when it does not fit the page (7.3.5.4)
    build.keep_with_next(*paras(doc, "正文", "联系人：{{ contact }}；联系电话：{{ phone }}。", ""))
    letters.add_signature(doc, "{{ office }}")
    build.finish(doc, layout.template("return_notice"))


if __name__ == "__main__":
    make_return_notice(load_layout())
