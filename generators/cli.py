"""The plandocs command: thin click wrappers over the pipeline. Messages are in Chinese."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .output import BuildLocked
from .plan import PlanError, load_plan

BAD_INPUT = 2  # exit code for a plan (or other input) that cannot be used


def fail_on_plan(err: PlanError) -> None:
    for problem in err.problems:
        click.echo(str(problem), err=True)
    click.echo(f"计划数据有 {len(err.problems)} 处问题，未生成任何文件。", err=True)
    sys.exit(BAD_INPUT)


plan_option = click.option(
    "--plan",
    "plan_dir",
    default="plan",
    show_default=True,
    type=click.Path(path_type=Path),
    help="计划数据目录",
)
out_option = click.option(
    "--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path), help="输出目录"
)
templates_option = click.option(
    "--templates",
    "templates_dir",
    default="templates",
    show_default=True,
    type=click.Path(path_type=Path),
    help="模板目录",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """plandocs：由 plan/ 中的计划数据生成安全生产工作意见及全套配套文件。"""


@main.command()
@plan_option
def check(plan_dir: Path) -> None:
    """只检查计划数据，报告全部问题。"""
    try:
        plan = load_plan(plan_dir)
    except PlanError as err:
        fail_on_plan(err)
    click.echo(
        f"{plan_dir}：检查通过。{len(plan.parts)} 个部分，{sum(len(p.sections) for p in plan.parts)} 节，"
        f"{len(plan.measures)} 条措施，{len(plan.key_tasks)} 项重点任务，{len(plan.units)} 个单位。"
    )


@main.command()
@plan_option
@out_option
@templates_option
def build(plan_dir: Path, out_dir: Path, templates_dir: Path) -> None:
    """检查计划数据并生成 output/ 中的全部文件。"""
    from .pipeline import build as run_build

    started = time.perf_counter()
    try:
        result = run_build(plan_dir, out_dir, templates_dir)
    except PlanError as err:
        fail_on_plan(err)
    except BuildLocked as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    report = result.report
    for path in report.written:
        click.echo(f"写入  {path}")
    for path in report.removed:
        click.echo(f"删除  {path}")
    click.echo(
        f"完成：共 {len(result.artifacts)} 个文件，写入 {len(report.written)} 个，未变 {len(report.unchanged)} 个，"
        f"删除 {len(report.removed)} 个，用时 {time.perf_counter() - started:.2f} 秒。"
    )


if __name__ == "__main__":
    main()
