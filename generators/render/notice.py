"""印发通知 (the notice that issues the opinion, GB/T 9704-2012 文件格式) and the issued document: the
notice, the opinion with its annex as the attachment, and the 版记 on the last even page.

Both only when meta.yaml has 印发通知. The wording and the layout live in templates/notice.docx and
templates/issue.docx (tools/make_notice_templates.py); layout numbers in templates/layout.yaml (notice).
"""

from __future__ import annotations

import math
from functools import partial

from generators.artifact import Artifact, Job
from generators.context import BuildContext
from generators.dates import chinese_date
from generators.layout import Layout
from generators.model import Notice, Plan
from generators.render import annex, docx, opinion
from generators.render.titles import break_title, text_width

NOTICE_SUFFIX = "_印发通知"
ISSUE_SUFFIX = "_印发件"


def signature_indent(signature: str, date: str, layout: Layout) -> str:
    """Ideographic spaces that centre the signature over the date, the date standing four characters in
    from the right (7.3.5.1: a sealed document). The date itself is right-aligned by its style."""
    right = layout.part("notice")["date_right_chars"]
    centre = layout.chars_per_line - right - text_width(date) / 2
    return "\u3000" * max(0, math.floor(centre - text_width(signature) / 2))


def title_lines(notice: Notice, layout: Layout) -> list[str]:
    if notice.title_lines:
        return list(notice.title_lines)
    return list(break_title(notice.title, layout.part("notice")["title_max_chars"]))


def context(notice: Notice, layout: Layout) -> dict:
    date = chinese_date(notice.date)
    return {
        "organ_mark": notice.organ_mark,
        "doc_number": notice.doc_number,
        "title_lines": title_lines(notice, layout),
        "addressees": notice.addressees,
        "body": list(notice.body),
        "attachment": notice.attachment,
        "signature": notice.signature,
        "signature_indent": signature_indent(notice.signature, date, layout),
        "date": date,
        "copies_to": notice.copies_to,
        "printer": notice.printer,
        "printed_on": chinese_date(notice.printed_on),
    }


def issued(ctx: dict) -> None:
    """An issued document is the 正式稿 whatever meta.yaml's 状态 says: no 送审稿/征求意见稿 line under the
    opinion's or the annex's title (`check` warns when 状态 is not 正式稿)."""
    ctx["status_line"] = ""
    if ctx.get("annex"):
        ctx["annex"] = {**ctx["annex"], "status_line": ""}


def file_stem(plan: Plan) -> str:
    return opinion.file_name(plan).removesuffix(".docx")


def jobs(build: BuildContext) -> list[Job]:
    plan, layout = build.plan, build.layout
    notice = plan.meta.notice
    if notice is None:
        return []
    ctx = {"notice": context(notice, layout)}
    issue_ctx = {**opinion.context(plan, layout), **ctx}
    issue_ctx["label"] = plan.meta.label or layout.annex_label  # the opinion is the notice's attachment
    issued(issue_ctx)
    out = []
    for kind, suffix, context_, title, widths in (
        ("notice", NOTICE_SUFFIX, ctx, notice.title, ()),
        (
            "issue",
            ISSUE_SUFFIX,
            issue_ctx,
            f"{notice.doc_number} {notice.title}",
            annex.table_widths(plan, layout),
        ),
    ):
        template = layout.template(kind)
        out.append(
            Job(
                kind=kind,
                path=f"{file_stem(plan)}{suffix}.docx",
                inputs={"context": context_, "meta": plan.meta, "widths": widths},
                templates=(template,),
                make=partial(docx.render, template, context_, plan.meta, title, widths),
            )
        )
    return out


def render(plan: Plan, layout: Layout) -> list[Artifact]:
    """Render now (for tests and one-off use); the build goes through jobs()."""
    return [job.artifact(job.make()) for job in jobs(BuildContext.of(plan, layout))]
