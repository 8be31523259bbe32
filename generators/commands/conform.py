"""`plandocs conform`: GB/T 9704-2012 layout checks on the PDFs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generators.commands.common import Command, out_option, plan_option, templates_option


@click.command(cls=Command)
@click.argument(
    "files", nargs=-1, metavar="[文件]...", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@out_option
@templates_option
@plan_option
def conform(files: tuple[Path, ...], out_dir: Path, templates_dir: Path, plan_dir: Path) -> None:
    """按 GB/T 9704-2012 检查版式（默认检查 output/ 中的意见正文及其 PDF，印发通知、印发件的 PDF，以及汇总表、台账图表的状态颜色）；有不合格项时退出码为 1。"""
    from generators.app.conform import conform as run_conform
    from generators.conform import format_table

    done = run_conform(files, out_dir, templates_dir, plan_dir)
    click.echo(done.note)
    click.echo(format_table(done.checks))
    click.echo(f"共 {len(done.checks)} 项，不通过 {len(done.failed)} 项。")
    sys.exit(1 if done.failed else 0)
