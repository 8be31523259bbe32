"""`plandocs import` and `plandocs new`: a revised or a new draft read into plan data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generators.commands.common import BAD_INPUT, Command, folder_option
from generators.commands.plan_notes import echo_open

if TYPE_CHECKING:  # the importer stack loads with the command that runs, not with the CLI
    from generators.app.drafts import DraftOutcome

draft_argument = click.argument(
    "draft", metavar="草稿", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


renumber_option = click.option(
    "--renumber", is_flag=True, help="草稿删去措施后没有重新编号时，按草稿顺序重新编号（如第31条改为第30条）"
)


def _stop_on(problems: list[str], summary: str) -> None:
    """Every problem, then the summary, exit 2; nothing was written."""
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        click.echo(summary.format(count=len(problems)), err=True)
        sys.exit(BAD_INPUT)


@click.command("import", cls=Command)
@draft_argument
@folder_option("--into", "into", "plan", "写入的计划数据目录")
@click.option("--add-units", is_flag=True, help="把草稿中未登记的单位、区领导加入名册（标记 待核实）")
@click.option("--no-annex", is_flag=True, help="草稿没有附件任务清单时，从计划中删去附件（tasks.yaml）")
@renumber_option
def import_draft(draft: Path, into: Path, add_units: bool, no_annex: bool, renumber: bool) -> None:
    """把修改后的草稿（.docx 或 .txt）导入计划数据。"""
    from generators.app.drafts import import_draft as run_import

    done = run_import(draft, into, add_units, no_annex, renumber)
    report = done.report
    _stop_on(report.problems, "草稿有 {count} 处无法导入，计划数据未作任何修改。")
    for path in report.written:
        click.echo(f"写入  {path}")
    for path in report.removed:
        click.echo(f"删除  {path}（草稿没有附件任务清单）")
    groups = done.groups
    for name in report.added_units + report.added_leaders:
        kind = "分组，成员待填写" if name in report.added_units and name in groups else "待核实"
        click.echo(f"新增  {name}（{kind}）")
    click.echo(f"导入完成：写入 {len(report.written)} 个文件，未变 {len(report.unchanged)} 个。")
    _echo_plan_notes(done)


def _echo_plan_notes(done: DraftOutcome) -> None:
    from generators.app.notes import open_notes

    assert done.plan is not None
    if done.year_changed:
        click.echo(
            f"警告：年度由 {done.year_before} 改为 {done.plan.meta.year}：草稿没有印出的发文机关、函件发出单位、联系人、"
            "成文日期和截止日期仍是原计划的，请逐项核对 meta.yaml",
            err=True,
        )
    echo_open(open_notes(done.plan))


@click.command("new", cls=Command)
@draft_argument
@folder_option("--dir", "target", "plan", "新建的计划数据目录（必须不存在或为空）")
@renumber_option
def new_plan(draft: Path, target: Path, renumber: bool) -> None:
    """由任一区、任一年度的草稿（.docx 或 .txt）新建计划数据目录。"""
    from generators.app.drafts import new_plan as run_new

    done = run_new(draft, target, renumber)
    report = done.report
    _stop_on(report.problems, "共 {count} 处问题，未建立计划目录。")
    for path in report.written:
        click.echo(f"写入  {path}")
    groups = done.groups
    click.echo(
        f"已新建计划：{len(report.added_units) - len(groups)} 个单位、{len(groups)} 个分组（集合称谓，"
        f"成员待填写）、{len(report.added_leaders)} 位区领导，均标记待核实。"
    )
    if groups:
        click.echo(f"请在 {target / 'units.yaml'} 中填写这些分组的成员：{'、'.join(groups)}")
    _echo_plan_notes(done)
