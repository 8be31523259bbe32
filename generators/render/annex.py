"""附件（任务清单）as .docx: the annex alone, landscape, from templates/annex.docx."""

from __future__ import annotations

from generators.artifact import Artifact, Job
from generators.context import BuildContext
from generators.filenames import safe_name
from generators.layout import MM_PER_PT, Column, Layout
from generators.model import Plan, TaskGroup
from generators.render import docx
from generators.render.row_split import RowSplitter, Wrap
from generators.render.table_fit import TableWidths, fitted_columns, names_by_column, widened


def title(plan: Plan, layout: Layout) -> str:
    """The printed annex title; the count comes from the data, never typed."""
    return layout.annex_title.format(title=plan.annex.title, count=len(plan.key_tasks))


def banner(plan: Plan, layout: Layout) -> str:
    """任务分解：合计5项（小计20项）: groups including 总体目标, tasks in the part groups."""
    part_tasks = sum(len(g.tasks) for g in plan.annex.groups if g.part is not None)
    return layout.breakdown_row.format(
        label=plan.annex.breakdown_label, groups=len(plan.annex.groups), tasks=part_tasks
    )


def columns(plan: Plan, layout: Layout) -> tuple[Column, ...]:
    """The annex table's columns: layout.yaml's, a name column widened to hold its longest name."""
    return fitted_columns(layout.columns, names_by_column(plan), layout)


def table_widths(plan: Plan, layout: Layout) -> tuple[TableWidths, ...]:
    """What the rendered .docx's annex table needs beyond the template's grid (nothing when no name is
    too long for layout.yaml's widths)."""
    return widened(layout.columns, columns(plan, layout)) if plan.has_annex else ()


def _cell_lines(items: tuple[str, ...]) -> list[str]:
    # A table cell needs at least one paragraph, so an empty list still yields one (empty) line.
    return list(items) or [""]


class FirstPage:
    """The room left for table rows on the annex's first page, under its label, title and status line
    (templates/annex.docx: label, an empty line, title, status, then the table with its header row).

    Rows are kept whole (cantSplit) and a group row is kept with the row below it, so a tall row that does
    not fit under the first rows would leave the first page half empty: such a row is cut (row_split),
    its first part filling the first page, when at least first_page_min_lines lines fit there."""

    def __init__(self, plan: Plan, layout: Layout, splitter: RowSplitter) -> None:
        page = layout.landscape
        title_style = layout.style("附件标题")
        width_mm = page.width_mm - page.margin_left_mm - page.margin_right_mm
        title_lines = Wrap(width_mm / (title_style.size_pt * MM_PER_PT), 0.5).lines(title(plan, layout))
        block = 2 * _pitch(layout, "附件标签") + title_lines * _pitch(layout, "附件标题")
        if layout.status_text(plan.meta.status):
            block += _pitch(layout, "稿件状态")
        self.room_pt = (page.height_mm - page.margin_top_mm - page.margin_bottom_mm) / MM_PER_PT - block
        self.open = splitter.spec is not None  # still placing rows on the first page
        if self.open:
            self.room_pt -= splitter.header_pt

    def place(self, splitter: RowSplitter, row: dict, lead_pt: float, lead_rows: int) -> list[dict]:
        """The row's parts: cut to fill the first page when it is the first row that does not fit there."""
        if not self.open:
            return splitter.split(row, lead_rows)
        room = self.room_pt - lead_pt
        height = splitter.height_pt(row)
        if height <= room:
            self.room_pt = room - height
            return splitter.split(row, lead_rows)
        self.open = False  # this row starts the second page, or is cut with its first part on the first
        assert splitter.spec is not None
        fits = min(splitter.first_lines(c, room) for c in splitter.columns if c.field in row)
        if fits < splitter.spec.first_page_min_lines:
            return splitter.split(row, lead_rows)
        return splitter.split(row, lead_rows, room_pt=room)


def _pitch(layout: Layout, style: str) -> float:
    spec = layout.style(style)
    return spec.line_exact_pt or spec.size_pt


def _group(
    group: TaskGroup,
    first_part: bool,
    plan: Plan,
    layout: Layout,
    first_page: FirstPage,
    splitter: RowSplitter,
) -> dict:
    banner_text = banner(plan, layout) if first_part else ""
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
        lead_pt = lead_rows * splitter.row_pt("表格分组") if splitter.spec is not None else 0.0
        rows.extend(first_page.place(splitter, row, lead_pt, lead_rows))
    return {
        "banner": banner_text,
        "label": layout.group_row.format(name=group.name, count=len(group.tasks)),
        "tasks": rows,
    }


def context(plan: Plan, layout: Layout, fill_first_page: bool = True) -> dict:
    """Model → the annex part of a template context (also used inside the opinion). `fill_first_page`:
    the .docx pages (FirstPage); the spreadsheet has pages of its own."""
    groups = plan.annex.groups
    first_part = next((i for i, g in enumerate(groups) if g.part is not None), None)
    splitter = RowSplitter(layout, columns(plan, layout))  # measures with the widths the table prints at
    first_page = FirstPage(plan, layout, splitter)
    first_page.open = first_page.open and fill_first_page
    return {
        "label": layout.annex_label,
        "title": title(plan, layout),
        "status_line": layout.status_text(plan.meta.status),
        "groups": [
            _group(g, i == first_part, plan, layout, first_page, splitter) for i, g in enumerate(groups)
        ],
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
    widths = table_widths(plan, layout)
    return [
        Job(
            kind="annex",
            path=f"{file_stem(plan)}.docx",
            inputs={"context": data, "meta": plan.meta, "widths": widths},
            templates=(template,),
            make=lambda: docx.render(template, data, plan.meta, doc_title, widths),
        )
    ]
