"""年度完成情况 (plandocs year-summary): the year-end counts and a draft report the office edits.

Every number is computed from the ledger: each unit × task line counts once, with its status in the
last quarter collected; the report's wording is plain and lives in templates/year_summary.docx.
"""

from __future__ import annotations

from collections import Counter

from .year import Year

KEY_TASKS_PART = "重点工作任务"


class YearEnd:
    """The figures both the report and the workbook print, so they cannot disagree."""

    def __init__(self, year: Year):
        self.year = year
        self.quarter = year.last_quarter
        q = self.quarter
        self.lines = [line for line in year.lines if q and line.statuses[q - 1]]
        self.by_status = Counter(line.statuses[q - 1] for line in self.lines)
        parts: dict[str, Counter] = {}
        for line in self.lines:
            part = line.task.part if line.task.kind == "measure" else KEY_TASKS_PART
            parts.setdefault(part, Counter())[line.statuses[q - 1]] += 1
        order = [p.heading for p in year.plan.parts] + [KEY_TASKS_PART]
        self.by_part = {
            p: parts[p]
            for p in sorted(parts, key=lambda p: (order.index(p) if p in order else len(order), p))
        }
        started = set(year.spec.statuses) - {year.lspec.not_started}  # 已完成, 按计划推进, 滞后
        never: dict[str, list] = {}
        for line in year.lines:
            reported = [e.status for e in line.entries if e is not None]
            if reported and not started & set(reported):
                never.setdefault(line.task.task_id, []).append(line)
        self.never_started = [
            (year.task_by_id[t], [line.unit.name for line in lines]) for t, lines in never.items()
        ]
        ever = {e.unit_id for e in year.ledger.entries}
        self.never_reported = [u for u in year.units if u.unit_id not in ever and not u.end]

    def status_text(self, counts: Counter) -> str:
        total = sum(counts.values())
        shown = [f"{s}{counts[s]}项（{counts[s] / total:.0%}）" for s in self.year.statuses if counts[s]]
        return "，".join(shown) or "无"
