"""`plandocs conform`: GB/T 9704-2012 layout checks on the PDFs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generators.commands.common import (
    BAD_INPUT,
    Command,
    out_option,
    templates_option,
)


@click.command(cls=Command)
@click.argument(
    "files", nargs=-1, metavar="[文件]...", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@out_option
@templates_option
def conform(files: tuple[Path, ...], out_dir: Path, templates_dir: Path) -> None:
    """按 GB/T 9704-2012 检查版式（默认检查 output/ 中的意见正文及其 PDF，以及印发通知、印发件的 PDF）；有不合格项时退出码为 1。"""
    from generators.conform import NothingToCheck, check_file, check_issued, check_opinion, format_table
    from generators.layout import load_layout

    layout = load_layout(templates_dir / "layout.yaml")  # the numbers the documents were built with
    try:
        if files:
            checks = [c for path in files for c in check_file(path, layout, out_dir)]
            note = "检查 " + "、".join(map(str, files))
        else:
            checks, note = check_opinion(out_dir, layout)
            issued, paths = check_issued(out_dir, layout)
            checks += issued
            note += "".join(f"、{path}" for path in paths)
    except NothingToCheck as err:
        click.echo(str(err), err=True)
        sys.exit(BAD_INPUT)
    click.echo(note)
    click.echo(format_table(checks))
    failed = [c for c in checks if not c.passed]
    click.echo(f"共 {len(checks)} 项，不通过 {len(failed)} 项。")
    sys.exit(1 if failed else 0)
