"""The reporting cycle a draft states ("各责任单位于每月26日前报送……"): meta.yaml's 报送周期 and its due day.

Written only when the loader knows the cycle (generators/plan/build.py CYCLES); a draft that says nothing
keeps the default, quarterly reporting.
"""

from __future__ import annotations

import re

from ..plan import build

CYCLE_KEYS = ("报送周期", "月度报送日")
MONTHLY = re.compile(r"每月\s*(\d{1,2})\s*日\s*(?:前|之前|以前)")
HALF_YEARLY = re.compile(r"每半年")
REPORTING = re.compile(r"报送|上报|报告|报")


def reporting_cycle(texts: list[str]) -> dict:
    """{报送周期, 月度报送日} as the draft states them, or {} (quarterly, or a loader without cycles)."""
    cycles = getattr(build, "CYCLES", ())
    for text in texts:
        if not REPORTING.search(text):
            continue
        if (monthly := MONTHLY.search(text)) and "月度" in cycles and 1 <= int(monthly.group(1)) <= 28:
            return {"报送周期": "月度", "月度报送日": int(monthly.group(1))}
        if HALF_YEARLY.search(text) and "半年" in cycles:
            return {"报送周期": "半年"}
    return {}
