"""`plandocs forms` and `plandocs collect`: the faces of generators/app (plan_ops.forms, collect.collect)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generators.commands.common import (
    BAD_INPUT,
    Command,
    out_option,
    plan_option,
    templates_option,
)
from generators.commands.ledger import echo_recorded
from generators.filenames import shown_path
from generators.periods import DEFAULT as CYCLE_DEFAULT
from generators.periods import Cycle

if TYPE_CHECKING:  # the collect stack (openpyxl, docx) loads with the command that runs, not with the CLI
    from generators.collect import Verdict
    from generators.collect.collection import Collection

quarter_choice = click.IntRange(
    1, 12
)  # a period of the plan's 报送周期: 1–4 quarters, 1–12 months, 1–2 half years
PERIOD_HELP = "第几期：季度报送的计划为 1–4，按月报送为 1–12，半年为 1–2"


def cycle_of(plan_dir: Path) -> Cycle:
    """The plan's reporting cycle, to name periods on the console (季度 when the plan does not load: the
    command itself then reports why)."""
    try:
        from generators.plan import load_plan

        return Cycle(load_plan(plan_dir).meta.cycle)
    except Exception:  # noqa: BLE001 — naming only; the operation reports the plan's problems
        return Cycle(CYCLE_DEFAULT)


SHOWN_PROBLEMS = 8  # per file and kind on the console; an empty form has over a hundred


@click.command("forms", cls=Command)
@click.option(
    "--quarter",
    "--period",
    "quarter",
    type=quarter_choice,
    metavar="N",
    help=f"只生成第几期（{PERIOD_HELP}）；不写则生成全年各期",
)
@plan_option
@out_option
@templates_option
def forms_command(quarter: int | None, plan_dir: Path, out_dir: Path, templates_dir: Path) -> None:
    """生成各单位的季度进展情况报表（.xlsx）。"""
    from generators.app.plan_ops import forms

    done = forms(plan_dir, out_dir, templates_dir, quarter)
    cycle = cycle_of(plan_dir)
    shown = "、".join(cycle.name_of(q) for q in done.quarters)
    click.echo(
        f"{shown}报表：{done.forms} 份（{done.units} 个单位），写入 {len(done.written)} 份，"
        f"未变 {done.forms - len(done.written)} 份，用时 {done.seconds:.2f} 秒。"
    )


def _echo_list(label: str, items: list[str]) -> None:
    """Each distinct message once (a note about several files, e.g. a unit that sent two, is given to one
    file only: checking.resolve_duplicates)."""
    fresh = list(dict.fromkeys(items))
    for item in fresh[:SHOWN_PROBLEMS]:
        click.echo(f"      {label}：{item}")
    if len(fresh) > SHOWN_PROBLEMS:
        click.echo(f"      ……另有 {len(fresh) - SHOWN_PROBLEMS} 条{label}")


def _echo_verdict(verdict: Verdict, folder: Path, cycle: Cycle) -> None:
    from generators.collect import Outcome, cells

    name = shown_path(cells.shown(str(verdict.path.relative_to(folder))))  # a newline in it forges no line
    quarter = f"，{cycle.name_of(verdict.quarter)}" if verdict.quarter else ""
    if verdict.unit:
        who = f"{verdict.unit}{quarter}"
    elif verdict.claimed:
        who = f"{verdict.claimed}（按{verdict.claimed_by}判断）"
    else:
        who = ""
    if verdict.outcome is Outcome.ACCEPTED:
        click.echo(f"接收  {name}：{who}，{len(verdict.rows)} 项任务")
    elif verdict.outcome is Outcome.REJECTED:
        click.echo(f"拒收  {name}：{who + '；' if who else ''}{_located(verdict.errors[0])}")
    elif verdict.outcome is Outcome.SUPERSEDED:
        click.echo(f"不采用  {name}：{who}；采用 {shown_path(verdict.superseded_by)}")
    else:
        click.echo(f"{verdict.outcome.value}  {name}：{verdict.warnings[0]}")
        return
    errors = [_located(e) for e in verdict.errors]
    _echo_list("错误", errors[1:] if verdict.outcome is Outcome.REJECTED else errors)
    _echo_list("注意", verdict.warnings)


def _located(problem: str) -> str:
    """A problem with its cell or detail, for the office (the unit is told the text alone)."""
    from generators.collect.checking import Problem

    return problem.located if isinstance(problem, Problem) else problem


def _echo_groups(collection: Collection, cycle: Cycle, batch: Collection) -> None:
    """已报 / 退回 / 未报送 by name: three disjoint lists whose sizes add up to 应报, as the summary and the
    通报 count them (`collection`: the period with what the ledger held before this `batch`)."""
    earlier = [u for u in collection.reports if u not in batch.reports]
    if earlier:
        click.echo(
            f"台账中此前已记入{cycle.name_of(collection.quarter)}的 {len(earlier)} 个单位计为已报：{'、'.join(earlier)}"
        )
    from generators.app.collect import counts

    click.echo(counts(collection, cycle.name_of(collection.quarter)))
    if collection.reports:
        click.echo(f"  已报（{len(collection.reports)} 个）：{'、'.join(collection.reports)}")
    if collection.returned:
        click.echo(f"  退回（{len(collection.returned)} 个，请通知其修改后重报）：")
        for unit, verdict in collection.returned.items():
            click.echo(f"    {unit}：{shown_path(verdict.name)}：{collection.reason(unit)}")
    if collection.not_reported:
        click.echo(f"  未报送（{len(collection.not_reported)} 个）：{'、'.join(collection.not_reported)}")
    if batch.unmatched:
        names = "、".join(shown_path(v.name) for v in batch.unmatched)
        click.echo(f"  另有 {len(batch.unmatched)} 个文件无法对应到任何单位，未计入：{names}")


@click.command("collect", cls=Command)
@click.option(
    "--quarter",
    "--period",
    "quarter",
    type=quarter_choice,
    required=True,
    metavar="N",
    help=f"汇总{PERIOD_HELP}",
)
@click.argument("folder", metavar="文件夹", type=click.Path(path_type=Path), required=False)
@click.option("--no-ledger", is_flag=True, help="不记入年度台账（ledger/，例如试收或重看旧报表时）")
@click.option(
    "--withdraw",
    metavar="单位",
    help="从台账中撤回该单位本季度误收的报表（记入记录.csv，存档保留），并按台账重做本季度汇总；不读文件夹",
)
@plan_option
@out_option
@templates_option
def collect_command(
    quarter: int,
    folder: Path | None,
    no_ledger: bool,
    withdraw: str | None,
    plan_dir: Path,
    out_dir: Path,
    templates_dir: Path,
) -> None:
    """读取文件夹中各单位交回的季度报表，逐份检查，生成汇总表和进展情况通报（草稿），并把接收的报表记入年度台账。"""
    if withdraw is not None:
        if folder is not None or no_ledger:
            click.echo("--withdraw 只撤回台账中的记录：不要同时给出文件夹或 --no-ledger", err=True)
            sys.exit(BAD_INPUT)
        _withdraw(plan_dir, out_dir, templates_dir, withdraw, quarter)
        return
    if folder is None:
        click.echo("缺少参数“文件夹”：请给出各单位交回的报表所在的文件夹", err=True)
        sys.exit(BAD_INPUT)
    from generators.app.collect import EMPTY_EXIT, collect

    done = collect(plan_dir, out_dir, templates_dir, quarter, folder, no_ledger)
    cycle = cycle_of(plan_dir)
    for verdict in done.collection.verdicts:
        _echo_verdict(verdict, folder, cycle)
    if done.empty is not None:
        click.echo(done.empty, err=True)
        sys.exit(EMPTY_EXIT)
    if done.ledger_error is not None:
        click.echo(done.ledger_error, err=True)
        sys.exit(BAD_INPUT)
    if done.ledger is not None and done.recorded is not None:
        echo_recorded(done.ledger, cycle.name_of(done.collection.quarter), done.recorded)
    _echo_groups(done.period, cycle, done.collection)
    if done.carried:  # 一表通: the forms came prefilled with what the ledger held
        click.echo(f"  其中 {done.carried} 项沿用上期状态和进展（未改动），{done.changed} 项为新填报。")
    for path in done.written:
        click.echo(f"写入  {path}")


def _withdraw(plan_dir: Path, out_dir: Path, templates_dir: Path, unit: str, quarter: int) -> None:
    from generators.app.ledger import withdraw as withdraw_return

    done = withdraw_return(plan_dir, out_dir, templates_dir, unit, quarter)
    w, cycle = done.withdrawn, cycle_of(plan_dir)
    kept = f"，存档移至 {w.archive}" if w.archive else ""
    click.echo(
        f"撤回  {w.unit} {cycle.name_of(w.quarter)}的报表 {w.file}：台账删去 {w.rows} 行，"
        f"该单位本{cycle.unit}改为未报送{kept}（记录.csv 中记有此次撤回）。"
    )
    for path in done.written:
        click.echo(f"写入  {shown_path(path)}")
