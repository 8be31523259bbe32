"""`plandocs pdf`: printable PDFs of output/, only what changed, with progress."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generators.commands.common import Command, out_option, plan_option, templates_option


@click.command(cls=Command)
@click.argument("paths", nargs=-1, metavar="[路径]...")
@plan_option
@out_option
@templates_option
@click.option(
    "--kind", "kinds", multiple=True, metavar="种类", help="只转换这一种文件（可重复），如 letter、form"
)
def pdf(
    paths: tuple[str, ...], plan_dir: Path, out_dir: Path, templates_dir: Path, kinds: tuple[str, ...]
) -> None:
    """把 output/ 中要打印的文件转为 PDF（只转换有变化的）；可指定文件、文件夹或 --kind。

    分工函另合订一册，每单位一个书签。"""
    from generators.app.pdf import pdf as run_pdf

    progress = PdfProgress(sys.stdout.isatty())
    try:
        done = run_pdf(
            plan_dir,
            out_dir,
            templates_dir,
            paths,
            kinds,
            notify=click.echo,
            on_start=progress.start,
            on_progress=progress.step,
        )
    finally:
        progress.finish()
    report = done.report
    for source, reason in report.failed:
        click.echo(f"转换失败：{source}：{reason}", err=True)
    for hint in done.hints:
        click.echo(hint, err=True)
    click.echo(
        f"完成：{report.total} 个 PDF，转换 {len(report.converted)} 个，合订 {len(report.joined)} 个，"
        f"未变 {len(report.unchanged)} 个，删除 {len(report.removed)} 个，失败 {len(report.failed)} 个，"
        f"用时 {report.seconds:.1f} 秒。"
    )
    sys.exit(1 if report.failed else 0)


class PdfProgress:
    """ "已转换 N/M" lines when stdout is a pipe or a file; one line rewritten in place on a terminal."""

    def __init__(self, terminal: bool) -> None:
        self.terminal, self.done, self.total = terminal, 0, 0

    def start(self, total: int) -> None:
        self.total = total
        if total:
            click.echo(f"需转换 {total} 个文件。")

    def step(self, name: str) -> None:
        self.done += 1
        if self.terminal:
            click.echo(f"\r已转换 {self.done}/{self.total}", nl=False)
        else:
            click.echo(f"已转换 {self.done}/{self.total}  {name}")

    def finish(self) -> None:
        if self.terminal and self.done:
            click.echo()
