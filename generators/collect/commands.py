"""`plandocs forms` and `plandocs collect`: thin click commands, registered on the main group in cli.py."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import NoReturn

import click

from generators.commands.common import (
    BAD_INPUT,
    Command,
    fail_on_plan,
    out_option,
    plan_option,
    templates_option,
)
from generators.formspec import QUARTERS, FormsLayout
from generators.layout import Layout, load_layout
from generators.model import Plan
from generators.numerals import to_chinese
from generators.output import BuildLocked, transaction
from generators.plan import PlanError, load_plan
from generators.views import Views

from . import COLLECTED_KINDS, Outcome, Verdict, cells, collect, summary_artifacts
from .collection import Collection
from .tally import Tally

quarter_choice = click.IntRange(1, 4)
SHOWN_PROBLEMS = 8  # per file and kind on the console; an empty form has over a hundred


def _load(plan_dir: Path) -> Plan:
    try:
        return load_plan(plan_dir)
    except PlanError as err:
        fail_on_plan(err)


def _locked(err: BuildLocked) -> NoReturn:
    click.echo(str(err), err=True)
    sys.exit(1)


@click.command("forms", cls=Command)
@click.option(
    "--quarter", type=quarter_choice, metavar="1-4", help="只生成第几季度（1–4）；不写则生成全部四个季度"
)
@plan_option
@out_option
@templates_option
def forms_command(quarter: int | None, plan_dir: Path, out_dir: Path, templates_dir: Path) -> None:
    """生成各单位的季度进展情况报表（.xlsx）。"""
    from generators.pipeline import build

    started = time.perf_counter()
    quarters = (quarter,) if quarter else QUARTERS
    try:
        result = build(
            plan_dir,
            out_dir,
            templates_dir,
            select=lambda job: job.kind == "form" and job.quarter in quarters,
        )
    except PlanError as err:
        fail_on_plan(err)
    except BuildLocked as err:
        _locked(err)
    forms = [e for e in result.entries if e["kind"] == "form" and e.get("quarter") in quarters]
    written = [p for p in result.report.written if p.startswith("forms/")]
    shown = "、".join(f"第{to_chinese(q)}季度" for q in quarters)
    click.echo(
        f"{shown}报表：{len(forms)} 份（{len({e['unit'] for e in forms})} 个单位），写入 {len(written)} 份，"
        f"未变 {len(forms) - len(written)} 份，用时 {time.perf_counter() - started:.2f} 秒。"
    )


def _echo_list(label: str, items: list[str]) -> None:
    """Each distinct message once (a note about several files, e.g. a unit that sent two, is given to one
    file only: checking.resolve_duplicates)."""
    fresh = list(dict.fromkeys(items))
    for item in fresh[:SHOWN_PROBLEMS]:
        click.echo(f"      {label}：{item}")
    if len(fresh) > SHOWN_PROBLEMS:
        click.echo(f"      ……另有 {len(fresh) - SHOWN_PROBLEMS} 条{label}")


def _echo_verdict(verdict: Verdict, folder: Path) -> None:
    name = cells.shown(str(verdict.path.relative_to(folder)))
    quarter = f"，第{to_chinese(verdict.quarter)}季度" if verdict.quarter else ""
    if verdict.unit:
        who = f"{verdict.unit}{quarter}"
    elif verdict.claimed:
        who = f"{verdict.claimed}（按{verdict.claimed_by}判断）"
    else:
        who = ""
    if verdict.outcome is Outcome.ACCEPTED:
        click.echo(f"接收  {name}：{who}，{len(verdict.rows)} 项任务")
    elif verdict.outcome is Outcome.REJECTED:
        click.echo(f"拒收  {name}：{who + '；' if who else ''}{verdict.errors[0]}")
    elif verdict.outcome is Outcome.SUPERSEDED:
        click.echo(f"不采用  {name}：{who}；采用 {verdict.superseded_by}")
    else:
        click.echo(f"{verdict.outcome.value}  {name}：{verdict.warnings[0]}")
        return
    _echo_list("错误", verdict.errors[1:] if verdict.outcome is Outcome.REJECTED else verdict.errors)
    _echo_list("注意", verdict.warnings)


def _echo_groups(collection: Collection) -> None:
    """已报 / 退回 / 未报送 by name: three disjoint lists whose sizes add up to 应报."""
    q = to_chinese(collection.quarter)
    click.echo(
        f"第{q}季度：应报 {collection.expected} 个单位，已报 {len(collection.reports)} 个，"
        f"退回 {len(collection.returned)} 个，未报送 {len(collection.not_reported)} 个。"
    )
    if collection.reports:
        click.echo(f"  已报（{len(collection.reports)} 个）：{'、'.join(collection.reports)}")
    if collection.returned:
        click.echo(f"  退回（{len(collection.returned)} 个，请通知其修改后重报）：")
        for unit in collection.returned:
            click.echo(f"    {unit}：{collection.reason(unit)}")
    if collection.not_reported:
        click.echo(f"  未报送（{len(collection.not_reported)} 个）：{'、'.join(collection.not_reported)}")
    if collection.unmatched:
        names = "、".join(v.name for v in collection.unmatched)
        click.echo(f"  另有 {len(collection.unmatched)} 个文件无法对应到任何单位，未计入：{names}")


@click.command("collect", cls=Command)
@click.option("--quarter", type=quarter_choice, required=True, metavar="1-4", help="汇总第几季度（1–4）")
@click.argument("folder", metavar="文件夹", type=click.Path(path_type=Path))
@click.option("--no-ledger", is_flag=True, help="不记入年度台账（ledger/，例如试收或重看旧报表时）")
@plan_option
@out_option
@templates_option
def collect_command(
    quarter: int, folder: Path, no_ledger: bool, plan_dir: Path, out_dir: Path, templates_dir: Path
) -> None:
    """读取文件夹中各单位交回的季度报表，逐份检查，生成汇总表和进展情况通报（草稿），并把接收的报表记入年度台账。"""
    if not folder.is_dir():
        click.echo(f"{folder}：找不到回收报表所在的文件夹", err=True)
        sys.exit(BAD_INPUT)
    if folder.resolve().is_relative_to(out_dir.resolve()):
        # output/forms/… holds the blank forms plandocs sent out: summarising them would send back every unit
        click.echo(
            f"{folder}：在输出目录 {out_dir} 之内，是生成的文件，不是各单位交回的报表；"
            "请把交回的报表放在输出目录以外的文件夹中再汇总",
            err=True,
        )
        sys.exit(BAD_INPUT)
    plan = _load(plan_dir)
    layout, views = load_layout(templates_dir / "layout.yaml"), Views(plan)
    collection = collect(plan, views, layout, quarter, folder)
    for verdict in collection.verdicts:
        _echo_verdict(verdict, folder)
    if not collection.has_returns:
        _refuse_empty(folder, out_dir, plan, layout, collection)
    tally = Tally(views, FormsLayout.of(layout), collection)  # one tally: summary, 通报 and ledger
    artifacts = summary_artifacts(plan, views, layout, collection, tally)
    try:
        with transaction(out_dir, COLLECTED_KINDS) as tx:  # this quarter's summary replaced, the others kept
            tx.write(artifacts, plan, replaced=lambda entry: entry.get("quarter") == quarter)
            if not no_ledger:
                from generators.ledger.commands import record_collection

                record_collection(plan_dir, plan, views, layout, collection, tally)
    except BuildLocked as err:
        _locked(err)
    _echo_groups(collection)
    for artifact in artifacts:
        click.echo(f"写入  {out_dir / artifact.path}")


def _refuse_empty(folder: Path, out_dir: Path, plan: Plan, layout: Layout, collection: Collection) -> None:
    """A folder with no unit's return in it (empty, the wrong folder): an existing summary is kept."""
    files = len(collection.verdicts)
    what = "是空的" if not files else f"的 {files} 个文件中没有任何单位交回的报表"
    spec = FormsLayout.of(layout)
    names = spec.names(plan, collection.quarter)
    paths = (spec.summary.path.format(**names), spec.summary.report_path.format(**names))
    kept = [p for p in paths if (out_dir / p).is_file()]
    tail = f"已有的汇总表和通报保持不变：{'、'.join(kept)}" if kept else "未生成汇总表和通报"
    click.echo(f"{cells.shown(str(folder))} {what}，{tail}。请确认报表所在的文件夹后重新运行。", err=True)
    sys.exit(1)
