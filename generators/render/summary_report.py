"""季度进展情况通报 (.docx draft) from templates/summary_report.docx: who reported, the status counts, the
lagging tasks with their units, and by name the units whose return was sent back (with the reason) and the
units that sent nothing: 已报 + 退回 + 未报送 = 应报, the same three groups as the console and the workbook."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generators.artifact import Artifact
from generators.dates import chinese_date
from generators.formspec import FormsLayout
from generators.layout import Layout
from generators.model import Plan
from generators.render import docx
from generators.render.letter_parts import date_indent
from generators.render.titles import break_title
from generators.views import Views

if TYPE_CHECKING:  # the engine tallies the collection; this module only renders the tally
    from generators.collect.collection import Collection
    from generators.collect.tally import Tally


def context(plan: Plan, views: Views, layout: Layout, collection: Collection, tally: Tally) -> dict:
    spec = FormsLayout.of(layout)
    names = spec.names(plan, collection.quarter)
    # The 通报 is dated on the quarter's due date: plan data, never the clock.
    date = chinese_date(plan.meta.due_dates[collection.quarter - 1])
    lagging: dict[str, dict] = {}
    for row in tally.lagging:
        item = lagging.setdefault(row.key, {"key_text": row.key_text, "task": row.task, "units": []})
        item["units"].append(row.unit)
    title = spec.summary.report_title.format(**names)
    notice = plan.meta.notice
    return {
        "title": title,
        "title_lines": list(break_title(title, layout.part("notice")["title_max_chars"])),
        "addressees": notice.addressees if notice is not None else "",
        "plan_title": plan.meta.title,
        "office": plan.meta.office,
        "office_full_name": plan.meta.office_full_name,
        "period": f"{names['year']}年第{names['quarter']}季度",
        "due": date,
        "expected": collection.expected,
        "reported": len(collection.reports),
        "reported_units": list(collection.reports),
        "total": len(tally.rows),
        "status_text": "，".join(f"{s}{tally.totals[s]}项" for s in tally.statuses if tally.totals[s])
        or "无填报任务",
        "lagging": [{**item, "units": "、".join(item["units"])} for item in lagging.values()],
        "not_reported": list(collection.not_reported),
        # by name and count only: the problems themselves go to the unit in its 退回通知, not to all units
        "returned": [{"unit": u, "count": len(collection.problems(u))} for u in collection.returned],
        "date": date,
        "date_indent": date_indent(plan.meta.office_full_name, date, layout),
    }


def render_report(plan: Plan, views: Views, layout: Layout, collection: Collection, tally: Tally) -> Artifact:
    spec = FormsLayout.of(layout)
    ctx = context(plan, views, layout, collection, tally)
    return Artifact(
        kind="summary-report",
        path=spec.summary.report_path.format(**spec.names(plan, collection.quarter)),
        data=docx.render(layout.template("summary_report"), ctx, plan.meta, title=ctx["title"]),
        quarter=collection.quarter,
    )
