"""The year at a glance (总览): plan status and round, 待核实 items left, the last build, each quarter's
已报 / 退回 / 未报送 by name, tasks 滞后 / 未启动, units overdue, the next due dates, and what to do next."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from generators.app.memo import kept
from generators.model import Plan
from generators.numerals import to_chinese
from generators.periods import Cycle
from generators.plan import PLAN_FILES, PlanError, load_plan


@dataclass
class QuarterStatus:
    quarter: int
    due: str  # ISO
    collected: bool = False
    reported: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)
    not_reported: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"第{to_chinese(self.quarter)}季度"


@dataclass
class Overview:
    has_plan: bool
    problems: list[str] = field(default_factory=list)  # the plan does not load: every problem
    title: str = ""
    year: int = 0
    status: str = ""  # 送审稿 / 正式稿 / 征求意见稿
    units: int = 0
    measures: int = 0
    open_items: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    built: str = ""  # when output/ was last written (local time), "" when never
    built_files: int = 0
    stale: bool = False  # output/ was built from another version of the plan
    packaged: bool = False
    quarters: list[QuarterStatus] = field(default_factory=list)
    chased: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # (unit, task, 滞后/未启动/逾期) last quarter
    overdue: list[str] = field(default_factory=list)  # units whose latest due form is missing
    next_due: list[tuple[str, str]] = field(default_factory=list)  # (第N季度, date)
    next_steps: list[str] = field(default_factory=list)
    ledger_problem: str = ""


def overview(plan_dir: Path, out_dir: Path, templates_dir: Path, today: dt.date | None = None) -> Overview:
    from generators.app.notes import open_notes

    today = today or dt.date.today()
    if not (plan_dir / "meta.yaml").is_file():
        return Overview(False, next_steps=["在“草稿”页上传意见草稿（.docx 或 .txt），建立计划。"])
    try:
        # the frozen plan, kept while its files stay the same (app/memo.py): the page is asked for often
        plan = kept(f"plan {plan_dir}", [plan_dir / name for name in PLAN_FILES], lambda: load_plan(plan_dir))
    except PlanError as err:
        return Overview(
            True,
            problems=[str(p) for p in err.problems],
            next_steps=["计划数据有问题：在“草稿”页重新导入草稿，或在“名册”页修改名册。"],
        )
    notes = open_notes(plan, templates_dir)
    view = Overview(
        True,
        title=plan.meta.title,
        year=plan.meta.year,
        status=plan.meta.status,
        units=len(plan.units),
        measures=len(plan.measures),
        open_items=notes.open_items,
        warnings=notes.warnings,
    )
    manifest_path = out_dir / "manifest.json"
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except ValueError:
            manifest = {}
        entries = manifest.get("artifacts", [])
        view.built = dt.datetime.fromtimestamp(manifest_path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        view.built_files = len(entries)
        view.stale = manifest.get("plan", {}).get("hash") != plan.digest
        view.packaged = any(e.get("kind") == "package" for e in entries)
    _ledger_status(plan_dir, templates_dir, plan, view, today)
    view.next_steps = _next_steps(view, today)
    return view


def _ledger_status(plan_dir: Path, templates_dir: Path, plan: Plan, view: Overview, today: dt.date) -> None:
    from generators.ledger.store import LedgerError, LedgerPaths, load

    view.quarters = [QuarterStatus(q, due) for q, due in enumerate(plan.meta.due_dates, start=1)]
    view.next_due = [(s.name, s.due) for s in view.quarters if dt.date.fromisoformat(s.due) >= today][:2]
    paths = LedgerPaths.beside(plan_dir, plan.meta.year, Cycle(plan.meta.cycle).count)
    if not paths.csv.exists():
        return
    try:
        ledger = load(paths)
    except LedgerError as err:
        view.ledger_problem = str(err)
        return
    for expected in ledger.expected:
        status = view.quarters[expected.quarter - 1]
        status.collected = True
        {"已报": status.reported, "退回": status.returned}.get(expected.outcome, status.not_reported).append(
            expected.unit
        )
    collected = [s for s in view.quarters if s.collected]
    if collected:
        last = collected[-1]
        if dt.date.fromisoformat(last.due) < today:
            view.overdue = last.returned + last.not_reported
        try:
            from generators.app.ledger import load_year

            _, _, year = load_year(plan_dir, templates_dir)
        except Exception:  # the overview never fails on the ledger: its own page says what is wrong
            return
        chase, q = set(year.lspec.chase), last.quarter
        for line in year.lines:
            said, late = line.statuses[q - 1], year.overdue(line, q)
            if said in chase or late:
                view.chased.append((line.unit.name, line.task.key_text, said + ("，逾期" if late else "")))


def _next_steps(view: Overview, today: dt.date) -> list[str]:
    steps = []
    if view.open_items:
        steps.append(f"在“名册”页核实待核实的数据（{len(view.open_items)} 项），核实后取消“待核实”标记。")
    if not view.built or view.stale:
        steps.append(
            "在“文件”页生成全部文件（计划有变化，文件需要更新）。"
            if view.stale
            else "在“文件”页生成全部文件。"
        )
    elif not view.packaged:
        steps.append("在“文件”页为各单位打分发包，按分发清单发出。")
    for status in view.quarters:
        if not status.collected and dt.date.fromisoformat(status.due) <= today + dt.timedelta(days=20):
            steps.append(f"在“回收”页收取{status.name}报表（截止 {status.due}）。")
            break
    if view.chased or view.overdue:
        steps.append("在“督办”页为滞后、未报送的单位生成督办单。")
    if view.quarters and all(s.collected for s in view.quarters):
        steps.append("四个季度已收齐：在“年度”页生成年度完成情况报告。")
    return steps or ["暂无待办事项。"]
