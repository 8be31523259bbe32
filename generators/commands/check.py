"""`plandocs check`: the plan data checked, every problem at once."""

from __future__ import annotations

from pathlib import Path

import click

from generators.commands.common import Command, plan_option
from generators.commands.plan_notes import echo_open, echo_proofreading


@click.command(cls=Command)
@plan_option
def check(plan_dir: Path) -> None:
    """只检查计划数据，报告全部问题。"""
    from generators.app.plan_ops import check as run_check

    done = run_check(plan_dir)
    echo_proofreading(done.findings)
    plan = done.plan
    click.echo(
        f"{plan_dir}：检查通过。{len(plan.parts)} 个部分，{sum(len(p.sections) for p in plan.parts)} 节，"
        f"{len(plan.measures)} 条措施，"
        + (f"{len(plan.key_tasks)} 项重点任务，" if plan.has_annex else "无附件任务清单，")
        + f"{len(plan.units)} 个单位。"
    )
    echo_open(done.notes)
