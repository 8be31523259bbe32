"""`plandocs letters`: only the letters (and the print file), for all or some units."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generators.commands.common import (
    BAD_INPUT,
    Command,
    fail_on_plan,
    out_option,
    plan_option,
    templates_option,
)
from generators.output import BuildLocked
from generators.plan import PlanError, load_plan


@click.command(cls=Command)
@click.option(
    "--unit",
    "units",
    multiple=True,
    metavar="单位",
    help="只生成该单位（意见中的简称）的分工函，可重复；不写则全部生成",
)
@plan_option
@out_option
@templates_option
def letters(units: tuple[str, ...], plan_dir: Path, out_dir: Path, templates_dir: Path) -> None:
    """生成各单位的任务分工函（letters/）和合订打印本；其余文件不动。"""
    from generators.pipeline import build as run_build
    from generators.plan.problems import did_you_mean
    from generators.views import Views

    try:
        holders = Views(load_plan(plan_dir)).assignments
    except PlanError as err:
        fail_on_plan(err)
    for unit in units:
        if unit not in holders:
            click.echo(
                f"{plan_dir}/units.yaml：没有承担任务的单位“{unit}”{did_you_mean(unit, holders)}", err=True
            )
            sys.exit(BAD_INPUT)
    kinds = ("letter",) if units else ("letter", "letters-print")
    try:
        result = run_build(
            plan_dir,
            out_dir,
            templates_dir,
            select=lambda job: job.kind in kinds and (not units or job.unit in units),
        )
    except BuildLocked as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    for path in result.report.written:
        click.echo(f"写入  {path}")
    count = sum(1 for e in result.entries if e["kind"] == "letter" and (not units or e.get("unit") in units))
    click.echo(f"分工函 {count} 份，写入 {len(result.report.written)} 个文件。")
    if units:
        click.echo("合订打印本未重新生成；需要时运行 plandocs letters。")
