"""Dates as printed in 公文: Arabic numerals, no leading zeros (GB/T 9704-2012, 7.3.5.1)."""

from __future__ import annotations

from datetime import date


def chinese_date(iso: str) -> str:
    """2023-03-01 → 2023年3月1日."""
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def chinese_month_day(iso: str) -> str:
    """2023-04-05 → 4月5日: for a list of dates within the plan year."""
    d = date.fromisoformat(iso)
    return f"{d.month}月{d.day}日"
