"""意见正文 as .docx (with the annex in a landscape section), from templates/opinion.docx."""

from __future__ import annotations

from generators.artifact import Artifact, Job
from generators.context import BuildContext
from generators.filenames import safe_name
from generators.layout import Layout
from generators.model import Plan
from generators.render import annex, docx


def context(plan: Plan, layout: Layout) -> dict:
    """Model → template context: plain strings and lists, numbering already in the text."""
    return {
        "label": plan.meta.label,
        "title": plan.meta.title,
        "status_line": layout.status_text(plan.meta.status),
        "preamble": plan.preamble,
        "parts": [
            {
                "heading": part.heading,
                "sections": [
                    {
                        "heading": section.heading,
                        "intro": section.intro or "",
                        "inline": section.inline,
                        "measures": [text for m in section.measures for text in m.paragraphs],
                    }
                    for section in part.sections
                ],
            }
            for part in plan.parts
        ],
        "annex": annex.context(plan, layout) if plan.has_annex else None,  # None: no annex section
    }


def file_name(plan: Plan) -> str:
    """meta.yaml's 文件名, or the title when it has none: `check` holds whichever is used to the file-name rule."""
    return f"{safe_name(plan.meta.stem)}.docx"


def render(plan: Plan, layout: Layout) -> list[Artifact]:
    """Render now (for tests and one-off use); the build goes through jobs()."""
    return [job.artifact(job.make()) for job in jobs(BuildContext.of(plan, layout))]


def jobs(ctx: BuildContext) -> list[Job]:
    plan, layout = ctx.plan, ctx.layout
    data = context(plan, layout)
    template = layout.template("opinion")
    widths = annex.table_widths(plan, layout)
    return [
        Job(
            kind="opinion",
            path=file_name(plan),
            inputs={"context": data, "meta": plan.meta, "widths": widths},
            templates=(template,),
            make=lambda: docx.render(template, data, plan.meta, widths=widths),
        )
    ]
