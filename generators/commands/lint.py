"""`plandocs lint`: proofreading hints on plan/ text, and the confirmed fixes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generators.commands.common import Command, plan_option


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
    from generators.app.lint import lint as run_lint

    done = run_lint(plan_dir, fix_kinds)
    for finding in done.fixed:
        click.echo(
            f"已修改  {finding.where.file}:{finding.where.line}:{finding.where.col}: "
            f"“{finding.fragment}”→“{finding.fix}”"
        )
    for finding in done.findings:
        click.echo(str(finding))
    click.echo(f"校对提示 {len(done.findings)} 条。" if done.findings else "校对完毕，没有发现问题。")
    sys.exit(1 if done.findings else 0)
