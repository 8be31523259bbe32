"""Everything a build reads, read once: the plan, its views, the layout profile (with its templates folder)
and, when plan/meta names a 比较基准, the base plan and the diff against it.

The pipeline makes one BuildContext (pipeline.load_context) and hands it to every renderer's jobs(ctx);
renderers never load files, run git or diff plans themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generators.layout import Layout
from generators.model import Plan
from generators.views import Views

if TYPE_CHECKING:
    from generators.diff import PlanDiff
    from generators.ledger.carry import Carried


@dataclass(frozen=True)
class Base:
    """The plan at the 比较基准 revision and what changed since."""

    plan: Plan
    diff: PlanDiff


@dataclass(frozen=True)
class BuildContext:
    plan: Plan
    views: Views
    layout: Layout
    base: Base | None = None
    carried: Carried | None = None  # 一表通: what ledger/ holds, prefilled into the next forms

    @classmethod
    def of(cls, plan: Plan, layout: Layout, views: Views | None = None) -> BuildContext:
        """A context without a base (tests, one-off renders): the 修改对照表 is not made."""
        return cls(plan, views or Views(plan), layout)
