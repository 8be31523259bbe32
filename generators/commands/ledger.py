"""`plandocs ledger`, `plandocs supervise`, `plandocs year-summary`: the faces of generators/app/ledger.py."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from generators.commands.common import Command, out_option, plan_option, templates_option

if TYPE_CHECKING:  # the ledger stack loads with the command that runs, not with the CLI
    from generators.ledger.record import Recorded
    from generators.ledger.store import LedgerPaths


def echo_recorded(paths: LedgerPaths, period: str, done: Recorded) -> None:
    """What collect's record changed in the ledger; `period` as the plan's cycle names it (第一季度, 3月, 上半年)."""
    if done.migrated:
        click.echo(
            f"台账 {paths.root} 由较早版本的 plandocs 记下，已按新格式重写（CSV 加字节顺序标记、以 = + - @ 开头的"
            f"内容前加“'”，增加“责任类型”一栏及 {paths.expected.name}、{paths.quarter_tasks.name}）；"
            "此前收取的季度要只凭台账重做汇总，请对各季度的存档文件夹重新运行 collect。"
        )
    click.echo(
        f"台账 {paths.csv}：{period}新记 {len(done.added)} 个单位，替换 {len(done.replaced)} 个，"
        f"未变 {len(done.unchanged)} 个。"
    )
    for line in done.replaced:
        click.echo(f"替换  {line}")
    for line in done.notes:
        click.echo(f"注意  {line}")


def echo_written(paths: list[str]) -> None:
    for path in paths:
        click.echo(f"写入  {path}")


@click.command("ledger", cls=Command)
@click.option(
    "--rebuild-summaries",
    is_flag=True,
    help="同时只凭台账重做各季度的汇总表和进展情况通报（不读交回的报表）",
)
@plan_option
@out_option
@templates_option
def ledger_command(rebuild_summaries: bool, plan_dir: Path, out_dir: Path, templates_dir: Path) -> None:
    """由年度台账（ledger/）生成年度推进台账工作簿（各季度任务进度矩阵、各单位完成情况、区领导重点任务、状态分布图）及逐项记录（逐单位逐任务的状态和进展，供筛选）。"""
    from generators.app.ledger import ledger_workbook

    done = ledger_workbook(plan_dir, out_dir, templates_dir, rebuild_summaries)
    echo_written(done.written)
    shown = "、".join(done.year.period_names[q - 1] for q in done.year.collected)
    click.echo(f"台账包含{shown}，{len(done.year.lines)} 行（单位 × 任务）。")


@click.command("supervise", cls=Command)
@click.option(
    "--quarter",
    "--period",
    "quarter",
    type=click.IntRange(1, 12),
    required=True,
    metavar="N",
    help="按第几期的报送情况督办（季度报送的计划为 1–4，按月报送为 1–12，半年为 1–2）",
)
@plan_option
@out_option
@templates_option
def supervise_command(quarter: int, plan_dir: Path, out_dir: Path, templates_dir: Path) -> None:
    """为第 N 季度有滞后、未启动任务或未报送的单位各生成一份督办单（.docx），并生成督办清单（.xlsx）。"""
    from generators.app.ledger import supervise

    done = supervise(plan_dir, out_dir, templates_dir, quarter)
    echo_written(done.written)
    click.echo(
        f"{done.year.period_names[quarter - 1]}督办：{done.counts}，"
        f"其余 {len(done.year.views.assignments) - len(done.found)} 个单位无需督办。"
    )


@click.command("year-summary", cls=Command)
@plan_option
@out_option
@templates_option
def year_summary_command(plan_dir: Path, out_dir: Path, templates_dir: Path) -> None:
    """由年度台账生成年度完成情况报告草稿（.docx）和统计表（.xlsx）。"""
    from generators.app.ledger import year_summary
    from generators.commands.collect import cycle_of  # collect imports this module

    done = year_summary(plan_dir, out_dir, templates_dir)
    echo_written(done.written)
    end = done.end
    click.echo(
        f"截至{cycle_of(plan_dir).name_of(end.quarter)}：{len(end.lines)} 项，{end.status_text(end.by_status)}；"
        f"全年未报送的单位 {len(end.never_reported)} 个。"
    )
