"""区领导任务单: one .docx per 区领导 with the key tasks they lead and the units on each."""

from __future__ import annotations

from functools import partial

from generators.artifact import Artifact, Job
from generators.context import BuildContext
from generators.filenames import safe_name
from generators.layout import Column, Layout
from generators.model import KeyTask, Plan
from generators.render import docx
from generators.render.row_split import RowSplitter
from generators.render.table_fit import TableWidths, fitted_columns, names_by_column, widened
from generators.views import Views

LEADERS_DIR = "leaders"


def _lines(items: tuple[str, ...]) -> list[str]:
    return list(items) or [""]  # a table cell needs at least one paragraph


def task_row(task: KeyTask, leader: str, layout: Layout) -> dict:
    return {
        "number": str(task.number),
        "name": task.name,
        "leads": _lines(task.leads),
        "supports": _lines(task.supports),
        "content": task.content,
        "others": layout.leader_lines(
            tuple(n for n in task.leaders if n != leader), layout.column("leader_columns", "others")
        ),
    }


def columns(plan: Plan, layout: Layout) -> tuple[Column, ...]:
    """The sheets' table columns: layout.yaml's, a name column widened to hold the plan's longest name
    (the same widths on every leader's sheet)."""
    return fitted_columns(layout.leader_columns, names_by_column(plan), layout)


def table_widths(plan: Plan, layout: Layout) -> tuple[TableWidths, ...]:
    return widened(layout.leader_columns, columns(plan, layout))


def context(plan: Plan, leader: str, tasks: tuple[KeyTask, ...], layout: Layout) -> dict:
    splitter = RowSplitter(layout, columns(plan, layout))  # a task taller than a page: several rows
    return {
        "annex_title": plan.annex.title,
        "leader": {
            "name": leader,
            "count": len(tasks),
            "tasks": [part for t in tasks for part in splitter.split(task_row(t, leader, layout))],
        },
    }


def jobs(ctx: BuildContext) -> list[Job]:
    plan, views, layout = ctx.plan, ctx.views, ctx.layout
    template = layout.template("leader_sheet")
    widths = table_widths(plan, layout)
    out = []
    for leader, tasks in views.tasks_by_leader.items():
        data = context(plan, leader, tasks, layout)
        out.append(
            Job(
                kind="leader-sheet",
                path=f"{LEADERS_DIR}/{safe_name(leader)}.docx",
                inputs={"context": data, "meta": plan.meta, "widths": widths},
                templates=(template,),
                make=partial(
                    docx.render, template, data, plan.meta, f"{plan.annex.title}（{leader}）", widths
                ),
                leader=leader,
            )
        )
    return out


def render(plan: Plan, views: Views, layout: Layout) -> list[Artifact]:
    return [job.artifact(job.make()) for job in jobs(BuildContext.of(plan, layout, views))]
