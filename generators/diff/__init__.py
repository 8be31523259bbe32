"""Compare two versions of the plan: what changed, and whose letters and forms must be reissued."""

from __future__ import annotations

from ..model import Plan
from .affected import affected_units
from .content import content_changes
from .identity import identify
from .records import Action, Change, Impact, Kind, PlanDiff, UnitImpact
from .registry import registry_changes

__all__ = ["Action", "Change", "Impact", "Kind", "PlanDiff", "UnitImpact", "diff_plans"]


def diff_plans(old: Plan, new: Plan, old_label: str = "原稿", new_label: str = "修改稿") -> PlanDiff:
    ident = identify(old, new)
    changes = content_changes(old, new, ident) + registry_changes(old, new, ident)
    return PlanDiff(old_label, new_label, tuple(changes), tuple(affected_units(old, new, ident)))
