"""plandocs collect: read the returned quarterly forms in a folder, check each, and summarise the quarter.

Files in the folder are only read, never modified, moved or deleted. Running it again after more forms
arrive rebuilds the summary from every file present.
"""

from __future__ import annotations

from generators.artifact import Artifact
from generators.formspec import FormsLayout
from generators.layout import Layout
from generators.model import Plan
from generators.render.return_notice import render_return_notices
from generators.render.summary_report import render_report
from generators.views import Views

from .checking import Outcome, Verdict
from .collection import Collection, collect
from .summary_xlsx import render_summary
from .tally import Tally

__all__ = ["COLLECTED_KINDS", "Collection", "Outcome", "Verdict", "collect", "summary_artifacts"]

COLLECTED_KINDS = frozenset({"summary", "summary-report", "return-notice"})


def summary_artifacts(
    plan: Plan, views: Views, layout: Layout, collection: Collection, tally: Tally | None = None
) -> list[Artifact]:
    """The quarter's summary workbook and 通报, both from one tally (made from the collection unless given),
    and a 退回通知 for each unit whose return was refused."""
    tally = tally or Tally(views, FormsLayout.of(layout), collection)
    return [
        render_summary(plan, views, layout, collection, tally),
        render_report(plan, views, layout, collection, tally),
        *render_return_notices(plan, layout, collection),
    ]
