"""The reporting cycle (报送周期) of a plan: 季度 (the default), 月度 or 半年. Forms, collect, the ledger and
supervise work period by period (1 … 4, 12 or 2); this module names a period and says when it ends."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .numerals import to_chinese

CYCLES = ("季度", "月度", "半年")
DEFAULT = "季度"


@dataclass(frozen=True)
class Cycle:
    name: str  # 季度 / 月度 / 半年

    @property
    def count(self) -> int:
        """Periods in a year."""
        return {"季度": 4, "月度": 12, "半年": 2}[self.name]

    @property
    def periods(self) -> tuple[int, ...]:
        return tuple(range(1, self.count + 1))

    @property
    def months(self) -> int:
        """Months in one period."""
        return 12 // self.count

    @property
    def unit(self) -> str:
        """The period as letters say 每…: 季度, 月, 半年."""
        return {"季度": "季度", "月度": "月", "半年": "半年"}[self.name]

    def name_of(self, period: int) -> str:
        """第一季度, 3月, 上半年."""
        if self.name == "月度":
            return f"{period}月"
        if self.name == "半年":
            return ("上半年", "下半年")[period - 1]
        return f"第{to_chinese(period)}季度"

    def tag(self, period: int) -> str:
        """The period in folder names: Q1, M03, H1."""
        return {"季度": f"Q{period}", "月度": f"M{period:02d}", "半年": f"H{period}"}[self.name]

    def end(self, year: int, period: int) -> dt.date:
        """The period's last day: a task due by then is judged at its report."""
        month = period * self.months
        return dt.date(year, month, calendar.monthrange(year, month)[1])

    def names(self, year: int, period: int) -> dict[str, object]:
        """Placeholders of titles and paths (templates/layout.yaml): {year}; {q} the period's number;
        {quarter} its Chinese numeral; {period} its name (第一季度, 3月, 上半年); {tag} Q1, M03, H1."""
        return {
            "year": year,
            "q": period,
            "quarter": to_chinese(period),
            "period": self.name_of(period),
            "tag": self.tag(period),
        }


def monthly_due_dates(year: int, day: int) -> tuple[str, ...]:
    """每月D日前: each month's report is due on day D of that month (the last day when shorter)."""
    return tuple(
        dt.date(year, month, min(day, calendar.monthrange(year, month)[1])).isoformat()
        for month in range(1, 13)
    )
