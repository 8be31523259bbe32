"""new-year and 存稿: the year archived in place with a new plan made from the next year's draft, and a
named draft round stored beside plan/."""

from __future__ import annotations

from pathlib import Path

from generators.model import Plan
from generators.plan import load_plan
from generators.yearturn import YearTurn


def new_year(
    draft: Path, plan_dir: Path, out_dir: Path, year: int | None = None
) -> tuple[YearTurn, Plan | None]:
    """The turn (what moved where, the new plan's report) and the new plan (None when the draft was
    refused: then nothing moved)."""
    from generators.yearturn import turn_year

    turn = turn_year(draft, plan_dir, out_dir, year)
    return turn, None if turn.report.problems else load_plan(plan_dir)


def store_round(name: str, plan_dir: Path) -> Path:
    from generators.rounds import store_round as store

    return store(name, plan_dir)
