"""`plandocs lint`: proofreading hints on plan/ text, and the confirmed fixes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generators.commands.common import (
    BAD_INPUT,
    Command,
    plan_option,
)


@click.command(cls=Command)
@plan_option
@click.option(
    "--fix",
    "fix_kinds",
    multiple=True,
    metavar="类型",
    help="按确认的类型就地修改（可重复）：文号、半角标点、空格、重复标点、句末标点、年份",
)
def lint(plan_dir: Path, fix_kinds: tuple[str, ...]) -> None:
    """校对计划文字：文号格式、括号配对、半角标点、多余空格、重复标点、句末标点、年份。有提示时退出码为 1。"""
    from generators.lint import KINDS, FixError, apply_fixes, lint_plan

    unknown = [kind for kind in fix_kinds if kind not in KINDS]
    if unknown:
        click.echo(f"未知的提示类型“{unknown[0]}”，可用：{'、'.join(KINDS)}", err=True)
        sys.exit(BAD_INPUT)
    findings = lint_plan(plan_dir)
    if fix_kinds:
        try:
            fixed = apply_fixes(plan_dir, findings, set(fix_kinds))
        except FixError as err:
            click.echo(f"修改后计划数据无效，未修改任何文件：{err}", err=True)
            sys.exit(BAD_INPUT)
        for finding in fixed:
            click.echo(
                f"已修改  {finding.where.file}:{finding.where.line}:{finding.where.col}: "
                f"“{finding.fragment}”→“{finding.fix}”"
            )
        findings = lint_plan(plan_dir)
    for finding in findings:
        click.echo(str(finding))
    click.echo(f"校对提示 {len(findings)} 条。" if findings else "校对完毕，没有发现问题。")
    sys.exit(1 if findings else 0)
