"""What check, build, import and new print beside their result: proofreading hints, dates of another year, open 待核实 data. Never fatal."""

from __future__ import annotations

from pathlib import Path

import click

from generators.model import Plan


def echo_proofreading(plan_dir: Path) -> None:
    """Proofreading warnings before a check or build: shown, never fatal."""
    from generators.lint import lint_plan

    findings = lint_plan(plan_dir)
    for finding in findings:
        click.echo(str(finding), err=True)
    if findings:
        click.echo(
            f"校对提示 {len(findings)} 条（不影响生成；确认后可用 plandocs lint --fix 类型 修改）。", err=True
        )


def warn_open(plan: Plan) -> None:
    """Non-fatal: dates of another year, and the 待核实 data still open."""
    from generators.plan.warnings import date_warnings, open_assumptions, unreached_measures

    for line in date_warnings(plan) + unreached_measures(plan):
        click.echo(f"警告：{line}", err=True)
    for line in open_assumptions(plan):
        click.echo(f"尚待核实：{line}", err=True)
