"""lint: proofreading hints on plan/ text, and the confirmed fixes applied."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generators.guard import Inputs, check_plan_folder
from generators.plan import PlanError, undecodable

from .common import Refused


@dataclass(frozen=True)
class LintOutcome:
    fixed: list  # the findings fixed in place
    findings: list  # the hints left (after the fixes)


def lint(plan_dir: Path, fix_kinds: tuple[str, ...] = ()) -> LintOutcome:
    from generators.lint import KINDS, FixError, apply_fixes, lint_plan

    unknown = [kind for kind in fix_kinds if kind not in KINDS]
    if unknown:
        raise Refused(f"未知的提示类型“{unknown[0]}”，可用：{'、'.join(KINDS)}")
    if fix_kinds:
        check_plan_folder(plan_dir, Inputs(plan=plan_dir))
    if unreadable := undecodable(plan_dir):  # said first and alone: no hint from text read wrongly
        raise PlanError(unreadable)
    findings = lint_plan(plan_dir)
    fixed: list = []
    if fix_kinds:
        try:
            fixed = list(apply_fixes(plan_dir, findings, set(fix_kinds)))
        except FixError as err:
            raise Refused(f"修改后计划数据无效，未修改任何文件：{err}") from err
        findings = lint_plan(plan_dir)
    return LintOutcome(fixed, list(findings))
