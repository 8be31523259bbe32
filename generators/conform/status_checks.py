"""An issued document is the 正式稿: no draft status (（送审稿）, （征求意见稿）) printed under any title.

The status line is recognised by its form in templates/layout.yaml (text.status_line, e.g. "（{status}）")
standing alone on a line, whatever the status word; the statuses that are not printed (status_hidden_for,
正式稿) pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..layout import Layout
from .result import Check

CLAUSE = "7.3.1"  # the status line stands under the title (layout.yaml text.status_line)


def status_pattern(layout: Layout) -> re.Pattern[str]:
    """A whole line printed as layout's status line, the status captured."""
    before, _, after = layout.status_line.partition("{status}")
    return re.compile(rf"{re.escape(before)}(\S{{1,10}}?){re.escape(after)}")


def draft_statuses(lines: Iterable[tuple[int, str]], layout: Layout) -> list[str]:
    """'第N页“（送审稿）”' for every line (page, text) that prints a draft status."""
    pattern = status_pattern(layout)
    found = []
    for page, text in lines:
        squeezed = re.sub(r"\s+", "", text)
        match = pattern.fullmatch(squeezed)
        if match and match.group(1) not in layout.status_hidden_for:
            found.append(f"第{page}页“{squeezed}”")
    return found


def issued_status_check(lines: Iterable[tuple[int, str]], layout: Layout, source: str = "pdf") -> Check:
    found = draft_statuses(lines, layout)
    hidden = "、".join(layout.status_hidden_for)
    return Check(
        clause=CLAUSE,
        rule="印发件不印稿件状态（印发的公文为正式稿）",
        expected=f"无稿件状态行（{hidden}不印）",
        measured="；".join(found) if found else "无",
        passed=not found,
        source=source,
    )
