"""`plandocs pack`: per-unit packages and the 分发清单."""

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
    help="只打包该单位（意见中的简称），可重复；不写则每个单位各打一个包",
)
@plan_option
@out_option
@templates_option
def pack(units: tuple[str, ...], plan_dir: Path, out_dir: Path, templates_dir: Path) -> None:
    """为每个单位打一个分发包（.zip：分工函及其 PDF、季度报表、督办单等，附说明），并生成分发清单（.xlsx）。"""
    from generators.app.pack import pack as run_pack

    done = run_pack(plan_dir, out_dir, templates_dir, units)
    for path in done.written:
        click.echo(f"写入  {path}")
    shown = units or tuple(done.packages)
    click.echo(
        f"分发包 {len(shown)} 个，分发清单 {done.distribution_list}；写入 {len(done.written)} 个文件，"
        f"未变 {len(done.unchanged)} 个。"
    )
