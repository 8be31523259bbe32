"""`plandocs diff`: two versions of the plan compared, the units affected, the 修改对照表."""

from __future__ import annotations

from pathlib import Path

import click

from generators.commands.common import Command, plan_option
from generators.filenames import shown_path


@click.command(cls=Command)
@click.argument("old", metavar="旧版")
@click.argument("new", required=False, metavar="[新版]")
@plan_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出，供程序读取")
@click.option(
    "--docx", "docx_path", metavar="文件", type=click.Path(path_type=Path), help="同时生成修改对照表（.docx）"
)
def diff(old: str, new: str | None, plan_dir: Path, as_json: bool, docx_path: Path | None) -> None:
    """比较两版计划：旧版、新版为计划目录或 git 版本（如 HEAD~1），新版缺省为 --plan 目录。"""
    from generators.app.diff import diff as run_diff
    from generators.diff.report import format_json, format_text

    done = run_diff(old, new, plan_dir, docx_path)
    click.echo(format_json(done.result) if as_json else format_text(done.result))
    if done.docx is not None:
        click.echo(f"写入  {shown_path(done.docx)}", err=True)
