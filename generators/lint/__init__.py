"""Proofreading lint: slips in the plan's text (文号 form, brackets, punctuation, spaces, years).

Warnings never stop a build: the plan text belongs to the office, which decides what to change.
`plandocs lint --fix 空格` rewrites only the confirmed kinds, in place, keeping everything else.
"""

from __future__ import annotations

from .fix import FixError, apply_fixes
from .rules import KINDS, Slip
from .scan import Finding, lint_plan

__all__ = ["KINDS", "FixError", "Slip", "Finding", "apply_fixes", "lint_plan"]
