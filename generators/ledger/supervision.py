"""督办 (plandocs supervise --quarter N): the units with tasks to chase after quarter N — tasks reported 滞后
or 未启动, rows left unfilled, or a quarter not reported at all (or reported and 退回). The 督办单 and the
督办清单 are rendered from these in generators/render/supervision.py."""

from __future__ import annotations

from dataclasses import dataclass

from generators.collect.collection import split_problems

from .store import RETURNED, UnitRecord
from .year import Line, Year

OVERDUE = "逾期"  # past the deadline its text sets (4月底前 …) and not reported 已完成


@dataclass(frozen=True)
class Chase:
    unit: UnitRecord
    full_name: str
    lagging: tuple[Line, ...]  # reported in a chased status (or the row left unfilled), or 逾期
    missing: tuple[Line, ...]  # held but the quarter not reported
    overdue: tuple[Line, ...] = ()  # of lagging: past the deadline the plan sets and not 已完成 (逾期)
    returned: tuple[
        str, ...
    ] = ()  # the quarter's return was refused (退回): every problem, as the unit was told

    @property
    def sent_back(self) -> bool:
        """Not reported because its return was refused (退回), not because it sent nothing (未报送)."""
        return bool(self.missing) and bool(self.returned)


def chases(year: Year, quarter: int) -> list[Chase]:
    """The units in the plan now with something to chase after `quarter`, registry order."""
    chased = set(year.lspec.chase) | {year.spec.summary.not_filled}
    full = {u.name: u.full_name for u in year.plan.units}
    refused = {  # 应报.csv: the units whose return of the quarter stands refused, and why
        x.unit_id: tuple(split_problems(x.reason)) or ("台账未记下退回原因",)
        for x in year.ledger.expected
        if x.quarter == quarter and x.outcome == RETURNED
    }
    by_unit = year.unit_lines()
    out = []
    for unit in year.units:
        if unit.end or unit.name not in year.views.assignments:
            continue
        lines = by_unit[unit.unit_id]
        missing = tuple(line for line in lines if line.statuses[quarter - 1] == year.lspec.not_reported)
        overdue = tuple(line for line in lines if line not in missing and year.overdue(line, quarter))
        lagging = tuple(line for line in lines if line.statuses[quarter - 1] in chased or line in overdue)
        if lagging or missing:
            returned = refused.get(unit.unit_id, ()) if missing else ()
            full_name = full.get(unit.name, unit.full_name)
            out.append(Chase(unit, full_name, lagging, missing, overdue, returned))
    return out
