"""附件（任务清单）as .docx: the annex alone, landscape, from templates/annex.docx."""

from __future__ import annotations

from generators.artifact import Artifact, Job
from generators.context import BuildContext
from generators.filenames import safe_name
from generators.layout import Layout
from generators.model import Plan, TaskGroup
from generators.render import docx
from generators.render.row_split import RowSplitter


def title(plan: Plan, layout: Layout) -> str:
    """The printed annex title; the count comes from the data, never typed."""
    return layout.annex_title.format(title=plan.annex.title, count=len(plan.key_tasks))


def banner(plan: Plan, layout: Layout) -> str:
    """任务分解：合计5项（小计20项）: groups including 总体目标, tasks in the part groups."""
    part_tasks = sum(len(g.tasks) for g in plan.annex.groups if g.part is not None)
    return layout.breakdown_row.format(
        label=plan.annex.breakdown_label, groups=len(plan.annex.groups), tasks=part_tasks
    )


def _cell_lines(items: tuple[str, ...]) -> list[str]:
    # A table cell needs at least one paragraph, so an empty list still yields one (empty) line.
    return list(items) or [""]


def _group(group: TaskGroup, first_part: bool, plan: Plan, layout: Layout) -> dict:
    banner_text = banner(plan, layout) if first_part else ""
    splitter = RowSplitter(layout, layout.columns)
    rows = []
    for index, t in enumerate(group.tasks):
        row = {
            "number": str(t.number),
            "name": t.name,
            "leaders": layout.leader_lines(t.leaders, layout.column("columns", "leaders")),
            "leads": _cell_lines(t.leads),
            "supports": _cell_lines(t.supports),
            "content": t.content,
            "remark": t.remark,
        }
        # the group's rows above its first task are kept on the same page (keep with next)
        lead_rows = (1 + bool(banner_text)) if index == 0 else 0
        rows.extend(splitter.split(row, lead_rows))
    return {
        "banner": banner_text,
        "label": layout.group_row.format(name=group.name, count=len(group.tasks)),
        "tasks": rows,
    }


def context(plan: Plan, layout: Layout) -> dict:
    """Model → the annex part of a template context (also used inside the opinion)."""
    groups = plan.annex.groups
    first_part = next((i for i, g in enumerate(groups) if g.part is not None), None)
    return {
        "label": layout.annex_label,
        "title": title(plan, layout),
        "status_line": layout.status_text(plan.meta.status),
        "groups": [_group(g, i == first_part, plan, layout) for i, g in enumerate(groups)],
    }


def file_stem(plan: Plan) -> str:
    return f"附件_{safe_name(plan.annex.title)}"


def render(plan: Plan, layout: Layout) -> list[Artifact]:
    """Render now (for tests and one-off use); the build goes through jobs()."""
    return [job.artifact(job.make()) for job in jobs(BuildContext.of(plan, layout))]


def jobs(ctx: BuildContext) -> list[Job]:
    plan, layout = ctx.plan, ctx.layout
    if not plan.has_annex:
        return []
    data = {"annex": context(plan, layout)}
    template = layout.template("annex")
    doc_title = title(plan, layout)
    return [
        Job(
            kind="annex",
            path=f"{file_stem(plan)}.docx",
            inputs={"context": data, "meta": plan.meta},
            templates=(template,),
            make=lambda: docx.render(template, data, plan.meta, doc_title),
        )
    ]
