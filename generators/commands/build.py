"""`plandocs build`: check the plan and bring output/ up to date."""

from __future__ import annotations

from pathlib import Path

import click

from generators.commands.common import Command, out_option, plan_option, templates_option
from generators.commands.plan_notes import echo_proofreading
from generators.filenames import shown_path


@click.command(cls=Command)
@plan_option
@out_option
@templates_option
@click.option(
    "--clean", is_flag=True, help="全部重新生成，不看上次的记录：内容不同的文件换成新的，不再生成的删去"
)
def build(plan_dir: Path, out_dir: Path, templates_dir: Path, clean: bool) -> None:
    """检查计划数据并生成 output/ 中的全部文件（只重新生成输入有变化的文件）。"""
    from generators.app.plan_ops import build as run_build

    done = run_build(plan_dir, out_dir, templates_dir, clean=clean)
    if done.result.set_aside:
        click.echo(
            f"旧的 manifest.json 已损坏，已改名为 {shown_path(done.result.set_aside)} 留在输出目录中；"
            "它所列的文件无法证明是 plandocs 写的，一律保留"
        )
    echo_proofreading(done.findings)
    result, report = done.result, done.result.report
    for path in report.written:
        click.echo(f"写入  {shown_path(path)}")
    for path in report.removed:
        click.echo(f"删除  {shown_path(path)}")
    for path in result.kept:
        click.echo(f"保留  {shown_path(path)}（不是 plandocs 写的文件，--clean 不删除它）")
    for units, what in (
        (result.reprint_units, "分工函有变化、需重新印发的单位"),
        (result.new_letter_units, "新生成分工函的单位"),
        (result.withdrawn_units, "不再承担任务、分工函已删除的单位"),
    ):
        if units:
            click.echo(f"{what}（{len(units)} 个）：{'、'.join(units)}")
    click.echo(
        f"完成：共 {len(result.entries)} 个文件，重新生成 {result.rendered} 个，写入 {len(report.written)} 个，"
        f"未变 {len(report.unchanged)} 个，删除 {len(report.removed)} 个，用时 {done.seconds:.2f} 秒。"
    )
