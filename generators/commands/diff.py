"""`plandocs diff`: two versions of the plan compared, the units affected, the 修改对照表."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generators.commands.common import (
    BAD_INPUT,
    Command,
    fail_on_plan,
    plan_option,
)
from generators.plan import PlanError


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
    from generators.diff import diff_plans
    from generators.diff.report import format_json, format_text
    from generators.diff.revision import RevisionError, load_side

    try:
        old_plan, old_label = load_side(old, plan_dir)
        new_plan, new_label = load_side(new, plan_dir)
    except PlanError as err:
        fail_on_plan(err)
    except RevisionError as err:
        click.echo(str(err), err=True)
        sys.exit(BAD_INPUT)
    result = diff_plans(old_plan, new_plan, old_label, new_label)
    click.echo(format_json(result) if as_json else format_text(result))
    if docx_path is not None:
        from generators.layout import load_layout
        from generators.output import atomic_write
        from generators.render.changes import document

        atomic_write(docx_path, document(result, old_plan, new_plan, load_layout()))
        click.echo(f"写入  {docx_path}", err=True)
