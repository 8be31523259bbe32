"""`plandocs letters`: only the letters (and the print file), for all or some units."""

from __future__ import annotations

from pathlib import Path

import click

from generators.commands.common import Command, out_option, plan_option, templates_option


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
    from generators.app.plan_ops import letters as run_letters

    done = run_letters(plan_dir, out_dir, templates_dir, units)
    for path in done.written:
        click.echo(f"写入  {path}")
    click.echo(f"分工函 {done.count} 份，写入 {len(done.written)} 个文件。")
    if units:
        click.echo("合订打印本未重新生成；需要时运行 plandocs letters。")
