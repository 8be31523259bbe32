"""`plandocs proof`: the 校样, one PDF with the first and last page of every printed document."""

from __future__ import annotations

from pathlib import Path

import click

from generators.commands.common import Command, out_option


@click.command(cls=Command)
@out_option
def proof(out_dir: Path) -> None:
    """生成校样（pdf/校样.pdf）：每份已转为 PDF 的文件印首页和末页，标明文件名和页码，供办公室逐份过目。

    先运行 plandocs pdf；make pdf 会依次运行两者。"""
    from generators.app.proof import proof as run_proof

    report = run_proof(out_dir)
    for path in report.skipped:
        click.echo(f"未收入校样：{path}（PDF 缺失、已改动或无法读取；请重新运行 plandocs pdf）", err=True)
    state = "未变" if report.unchanged else "写入"
    click.echo(f"{state}  {out_dir / report.path}：{report.documents} 份文件，{report.pages} 页。")
