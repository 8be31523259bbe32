"""Deadlines (时限) written in a task's text: 4月底前, 6月30日前, 年底前, 上半年, 三季度末前, 每季度, 长期坚持.

The text stays as drafted; this reads what it says into data: a date by which (month and day, in the
plan's year unless the phrase names another) or a recurrence. A task may carry several (4月底前完成…，
6月30日前完成…): its deadline is the last date. A recurrence counts only where it opens a clause
("，每季度开展一次…"), not inside prose ("完善每季度事故通报机制").
"""

from __future__ import annotations

import datetime as dt
import re

from ..model import Deadline, TaskDeadline, month_end
from ..numerals import from_chinese

RECURRENCES = ("每月", "每季度", "每半年", "每年", "长期坚持")
_NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_YEAR = r"(?:(\d{4})年)?"
_DATED = re.compile(
    _YEAR
    + "(?:"
    + rf"{_NUM}月(?:份)?(?:(\d{{1,2}})日|(底|末|上旬|中旬|下旬))"  # 6月30日, 4月底, 5月上旬
    + r"|(年底|年末|年中|上半年|下半年)"  # 年底前
    + rf"|(?:第)?{_NUM}季度(?:末|底)"  # 三季度末, 第二季度末
    + r")(?:前|之前|以前)"
)
_CLAUSE_START = "，,。；;：:、（(　 "
_RECURRING = re.compile("|".join(RECURRENCES))


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else from_chinese(text)


def _dated(match: re.Match[str]) -> Deadline | None:
    year_text, month_text, day_text, part, whole, quarter_text = match.groups()
    year = int(year_text) if year_text else None
    leap = year or 2000  # a leap year: 2月底 is read as the 29th only in a year that has one
    if month_text:
        month = _number(month_text)
        if month is None or not 1 <= month <= 12:
            return None
        within = {"上旬": 10, "中旬": 20}.get(part, 0) or month_end(leap, month)  # 底, 末, 下旬: its last day
        day = int(day_text) if day_text else within
    elif whole:
        month, day = {"年底": (12, 31), "年末": (12, 31), "年中": (6, 30), "上半年": (6, 30)}.get(
            whole, (12, 31)
        )
    else:
        quarter = _number(quarter_text)
        if quarter is None or not 1 <= quarter <= 4:
            return None
        month = quarter * 3
        day = month_end(2001, month)
    if not 1 <= day <= month_end(leap, month):
        return None
    return Deadline(match.group(0), year, month, day)


def deadlines(text: str) -> tuple[Deadline, ...]:
    """Every deadline the text writes, in text order."""
    found: list[tuple[int, Deadline]] = []
    for match in _DATED.finditer(text):
        deadline = _dated(match)
        if deadline is not None:
            found.append((match.start(), deadline))
    for match in _RECURRING.finditer(text):
        start = match.start()
        if match.group(0) == "长期坚持" or start == 0 or text[start - 1] in _CLAUSE_START:
            found.append((start, Deadline(match.group(0), recurrence=match.group(0))))
    return tuple(d for _, d in sorted(found, key=lambda pair: pair[0]))


def task_deadline(text: str, stated: str = "") -> TaskDeadline:
    """A task's deadline: from its 时限 key when the office wrote one (ISO dates read too), else its text."""
    if stated:
        try:
            day = dt.date.fromisoformat(stated)
        except ValueError:
            return TaskDeadline(deadlines(stated) or (Deadline(stated),))
        return TaskDeadline((Deadline(stated, day.year, day.month, day.day),))
    return TaskDeadline(deadlines(text))
