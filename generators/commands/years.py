"""`plandocs new-year` (the year in place) and `plandocs 存稿` (a named draft round)."""

from __future__ import annotations

from pathlib import Path

import click

from generators.commands.common import Command, out_option, plan_option
from generators.commands.drafts import _stop_on, draft_argument
from generators.commands.plan_notes import echo_open


@click.command("new-year", cls=Command)
@draft_argument
@click.option("--year", type=int, default=None, metavar="年度", help="要归档的年度（缺省为当前计划的年度）")
@plan_option
@out_option
def new_year(draft: Path, year: int | None, plan_dir: Path, out_dir: Path) -> None:
    """新的一年：把 plan/、ledger/、output/、稿次/ 整体移入 归档/<年度>/（不删除任何文件），再由新草稿建立 plan/。"""
    from generators.app.notes import open_notes
    from generators.app.years import new_year as run

    turn, plan = run(draft, plan_dir, out_dir, year)
    for path in turn.restored:
        click.echo(f"放回  {path}（上次归档未完成）")
    _stop_on(turn.report.problems, "共 {count} 处问题，未归档，原计划未作任何改动。")
    for before, after in turn.moved:
        click.echo(f"归档  {before} → {after}")
    for path in turn.report.written:
        click.echo(f"写入  {path}")
    assert plan is not None
    click.echo(
        f"{turn.year} 年度已归档到 {turn.archive}；{plan.meta.year} 年度的计划已建立在 {plan_dir}，"
        "make docs 生成新年度的文件。"
    )
    echo_open(open_notes(plan))


@click.command("存稿", cls=Command)
@click.argument("name", metavar="稿次")
@plan_option
def store_round(name: str, plan_dir: Path) -> None:
    """把当前计划存为一个稿次（如“第2稿”，存于 plan/ 旁的 稿次/ 中，不再改动）；meta.yaml 的比较基准可写稿次名称。"""
    from generators.app.years import store_round as store

    target = store(name, plan_dir)
    click.echo(f"已存稿  {target}（比较基准可写“{name}”）")
