"""退回通知 (.docx, 信函格式 like the letters): one per unit whose return was refused (退回), listing every
problem found in it in words the unit can act on — sent back with the form, so the unit fixes everything
at once. No file name, cell address or exception text: the problems are the Problem texts
(checking.Problem), the office's details stay on the console and in the 汇总表."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generators.artifact import Artifact
from generators.dates import chinese_date
from generators.filenames import safe_name
from generators.formspec import FormsLayout
from generators.layout import Layout
from generators.model import Plan
from generators.render import docx
from generators.render.letter_parts import common_context, date_indent
from generators.render.titles import break_title

if TYPE_CHECKING:  # the engine computes the collection; this module only renders it
    from generators.collect.collection import Collection


def context(plan: Plan, layout: Layout, collection: Collection, unit: str) -> dict:
    spec = FormsLayout.of(layout)
    names = spec.names(plan, collection.quarter)
    title = spec.summary.return_notice_title.format(**names)
    common = common_context(plan, layout)
    full = {u.name: u.full_name for u in plan.units}
    # dated like the quarter's 通报: the report due date, plan data, never the clock
    date = chinese_date(plan.meta.due_dates[collection.quarter - 1])
    return {
        "title": title,
        "title_lines": list(break_title(title, layout.part("notice")["title_max_chars"])),
        "addressee": full.get(unit, unit),
        "period": f"{names['year']}年{names['period']}",
        "problems": collection.problems(unit),
        "office_short": plan.meta.office,
        "contact": plan.meta.contact,
        "phone": plan.meta.phone,
        "office": common["office"],
        "date": date,
        "date_indent": date_indent(common["office"], date, layout),
    }


def render_return_notices(plan: Plan, layout: Layout, collection: Collection) -> list[Artifact]:
    """One 退回通知 per 退回 unit, registry order."""
    spec = FormsLayout.of(layout)
    names = spec.names(plan, collection.quarter)
    template = layout.template("return_notice")
    out = []
    for unit in collection.returned:
        ctx = context(plan, layout, collection, unit)
        path = spec.summary.return_notice_path.format(unit=safe_name(unit), **names)
        data = docx.render(template, ctx, plan.meta, title=ctx["title"])
        out.append(
            Artifact(kind="return-notice", path=path, data=data, unit=unit, quarter=collection.quarter)
        )
    return out
