"""`plandocs ledger`, `plandocs supervise`, `plandocs year-summary`, and the hook collect records with."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click

from generators.artifact import Artifact
from generators.collect.collection import Collection
from generators.collect.tally import Tally
from generators.commands.common import BAD_INPUT, Command, out_option, plan_option, templates_option
from generators.formspec import FormsLayout
from generators.layout import Layout, load_layout
from generators.model import Plan
from generators.numerals import to_chinese
from generators.output import BuildLocked, transaction
from generators.views import Views

from .record import record
from .spec import LedgerLayout
from .store import LedgerError, LedgerPaths, load
from .year import Year


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(BAD_INPUT)


def record_collection(
    plan_dir: Path,
    plan: Plan,
    views: Views,
    layout: Layout,
    collection: Collection,
    tally: Tally | None = None,
) -> None:
    """collect's hook: record the accepted returns and say what changed in the ledger."""
    paths = LedgerPaths.beside(plan_dir, plan.meta.year)
    try:
        done = record(paths, plan, views, FormsLayout.of(layout), collection, tally)
    except LedgerError as err:
        _fail(f"{err}；汇总已写入，台账未记录，请处理后重新运行 collect")
    q = to_chinese(collection.quarter)
    if done.migrated:
        click.echo(
            f"台账 {paths.csv} 由较早版本的 plandocs 记下，已按新格式重写（增加“责任类型”一栏及 "
            f"{paths.expected.name}、{paths.quarter_tasks.name}）；此前收取的季度要只凭台账重做汇总，"
            "请对各季度的存档文件夹重新运行 collect。"
        )
    click.echo(
        f"台账 {paths.csv}：第{q}季度新记 {len(done.added)} 个单位，替换 {len(done.replaced)} 个，"
        f"未变 {len(done.unchanged)} 个。"
    )
    for line in done.replaced:
        click.echo(f"替换  {line}")
    for line in done.kept:
        click.echo(f"保留  {line}")


def load_year(plan_dir: Path, templates_dir: Path) -> tuple[Plan, Layout, Year]:
    from generators.collect.commands import _load

    plan = _load(plan_dir)
    layout = load_layout(templates_dir / "layout.yaml")
    paths = LedgerPaths.beside(plan_dir, plan.meta.year)
    try:
        ledger = load(paths)
    except LedgerError as err:
        _fail(str(err))
    if not ledger.entries:
        _fail(f"台账 {paths.csv} 中还没有记录：请先用 plandocs collect --quarter N 文件夹 收取季度报表")
    views = Views(plan)
    return plan, layout, Year(ledger, plan, views, FormsLayout.of(layout), LedgerLayout.of(layout))


def write(
    out_dir: Path, plan: Plan, artifacts: list[Artifact], kinds: frozenset[str], replaced: Callable
) -> None:
    try:
        with transaction(out_dir, kinds) as tx:  # the command's own kind: every other entry is kept
            tx.write(artifacts, plan, replaced=replaced)
    except BuildLocked as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    for artifact in artifacts:
        click.echo(f"写入  {out_dir / artifact.path}")


@click.command("ledger", cls=Command)
@click.option(
    "--rebuild-summaries",
    is_flag=True,
    help="同时只凭台账重做各季度的汇总表和进展情况通报（不读交回的报表）",
)
@plan_option
@out_option
@templates_option
def ledger_command(rebuild_summaries: bool, plan_dir: Path, out_dir: Path, templates_dir: Path) -> None:
    """由年度台账（ledger/）生成年度推进台账工作簿：逐任务逐季度状态、各单位完成情况、区领导重点任务、状态分布图。"""
    from .workbook import render_workbook

    plan, layout, year = load_year(plan_dir, templates_dir)
    artifacts, kinds = [render_workbook(year, layout)], frozenset({"ledger"})
    quarters: tuple[int, ...] = ()
    if rebuild_summaries:
        from generators.collect import COLLECTED_KINDS, summary_artifacts

        from .rebuild import quarter_tally, recorded_quarters

        paths = LedgerPaths.beside(plan_dir, plan.meta.year)
        quarters = recorded_quarters(year.ledger)
        for q in quarters:
            try:
                tally = quarter_tally(year.ledger, paths, year.spec, q)
            except LedgerError as err:
                _fail(str(err))
            artifacts += summary_artifacts(plan, year.views, layout, tally.collection, tally)
        kinds |= COLLECTED_KINDS
    write(out_dir, plan, artifacts, kinds, lambda e: e["kind"] == "ledger" or e.get("quarter") in quarters)
    shown = "、".join(f"第{to_chinese(q)}季度" for q in year.collected)
    click.echo(f"台账包含{shown}，{len(year.lines)} 行（单位 × 任务）。")


@click.command("supervise", cls=Command)
@click.option(
    "--quarter",
    type=click.IntRange(1, 4),
    required=True,
    metavar="1-4",
    help="按第几季度（1–4）的报送情况督办",
)
@plan_option
@out_option
@templates_option
def supervise_command(quarter: int, plan_dir: Path, out_dir: Path, templates_dir: Path) -> None:
    """为第 N 季度有滞后、未启动任务或未报送的单位各生成一份督办单（.docx），并生成督办清单（.xlsx）。"""
    from .supervision import render

    plan, layout, year = load_year(plan_dir, templates_dir)
    if quarter not in year.collected:
        _fail(
            f"台账中还没有第{to_chinese(quarter)}季度的记录：请先收取该季度报表（plandocs collect --quarter {quarter} 文件夹）"
        )
    try:
        artifacts, found = render(year, layout, quarter)
    except LedgerError as err:
        _fail(str(err))
    write(out_dir, plan, artifacts, frozenset({"supervision"}), lambda e: e.get("quarter") == quarter)
    missing = sum(1 for c in found if c.missing)
    click.echo(
        f"第{to_chinese(quarter)}季度督办：{len(found)} 个单位（其中未报送 {missing} 个），"
        f"其余 {len(year.views.assignments) - len(found)} 个单位无需督办。"
    )


@click.command("year-summary", cls=Command)
@plan_option
@out_option
@templates_option
def year_summary_command(plan_dir: Path, out_dir: Path, templates_dir: Path) -> None:
    """由年度台账生成年度完成情况报告草稿（.docx）和统计表（.xlsx）。"""
    from .year_summary import render

    plan, layout, year = load_year(plan_dir, templates_dir)
    artifacts, end = render(year, layout)
    write(out_dir, plan, artifacts, frozenset({"year-summary"}), lambda e: True)
    click.echo(
        f"截至第{to_chinese(end.quarter)}季度：{len(end.lines)} 项，{end.status_text(end.by_status)}；"
        f"全年未报送的单位 {len(end.never_reported)} 个。"
    )
