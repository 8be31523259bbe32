"""`plandocs new DRAFT`: a new plan directory from a draft of any district or year.

What the draft prints is taken as printed (title, year, issuer and date when printed, the opinion, the
annex table if any). Everything else is proposed and marked 待核实: the unit registry is built from the
names in the responsibility lines (category guessed), collective phrases become groups with no members
for the office to fill in, and the office, contact and due dates are placeholders of the plan's year.
The directory is written only when the result loads cleanly, and never over an existing plan.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

from ..plan import PLAN_FILES, PlanError, load_plan
from . import ImportReport
from .context import ImportContext, Registry
from .docx import DocxUnreadable
from .names import is_collective
from .parse import DraftUnreadable, Imported, parse_draft, read_draft
from .registry import town_members, with_groups, with_leaders, with_units
from .yamlwrite import OPINION_HEADER, TASKS_HEADER, dump, fresh, update_opinion, update_tasks

DISTRICT = re.compile(r"^(?:.{2,3}[省市])?(.{1,8}?[区县市旗])")


def new_plan(draft_path: Path, target: Path, renumber: bool = False) -> ImportReport:
    report = ImportReport()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        report.problems.append(
            f"{target}：目录已存在且不为空，不会覆盖已有的计划；新的一年请用 plandocs new-year 草稿"
            "（先把上一年的计划、台账和输出归档），或用 --dir 指定新的目录"
        )
        return report
    try:
        draft = read_draft(draft_path, str(draft_path))
    except (DraftUnreadable, DocxUnreadable) as err:
        report.problems.append(str(err))
        return report
    ctx = ImportContext(str(draft_path), Registry([], [], []), add_unknown=True, renumber=renumber)
    imported = parse_draft(draft, ctx)
    if "年度" not in imported.meta:
        ctx.report("标题", "标题中没有年度（如“2025年”），无法确定计划年度", imported.meta.get("标题", ""))
    report.problems.extend(ctx.problems)
    if report.problems:
        return report
    report.added_units, report.added_leaders = list(ctx.new_units), list(ctx.new_leaders)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}-new-") as tmp:
        staging = Path(tmp)
        _write(staging, imported, ctx)
        try:
            load_plan(staging)
        except PlanError as err:
            report.problems.extend(str(p).replace(str(staging), str(target)) for p in err.problems)
            return report
        target.mkdir(exist_ok=True)
        for name in PLAN_FILES:
            if (staging / name).exists():
                os.replace(staging / name, target / name)
                report.written.append(target / name)
    return report


def _write(staging: Path, imported: Imported, ctx: ImportContext) -> None:
    (staging / "meta.yaml").write_text(meta_text(imported.meta), encoding="utf-8")
    opinion = fresh(OPINION_HEADER)
    update_opinion(opinion, imported.opinion)
    (staging / "opinion.yaml").write_text(dump(opinion), encoding="utf-8")
    if imported.tasks is not None:
        tasks = fresh(TASKS_HEADER)
        update_tasks(tasks, imported.tasks)
        (staging / "tasks.yaml").write_text(dump(tasks), encoding="utf-8")
    units = [n for n in ctx.new_units if not is_collective(n)]
    groups = [n for n in ctx.new_units if is_collective(n)]  # 各镇(街道): a group, never an addressee
    (staging / "units.yaml").write_text(
        with_groups(
            with_units(UNITS_HEADER, units),
            groups,
            supporting={g for g in groups if g not in ctx.leading},
            members={g: town_members(g, units) for g in groups},
        ),
        encoding="utf-8",
    )
    leaders = with_leaders(LEADERS_HEADER, ctx.new_leaders) if ctx.new_leaders else LEADERS_HEADER + "  []\n"
    (staging / "leaders.yaml").write_text(leaders.replace("区领导:\n  []", "区领导: []"), encoding="utf-8")


UNITS_HEADER = """\
# 单位名册：由 plandocs new 按草稿中的责任单位生成，类别为猜测，全称暂同简称，均待核实。
单位:
# 分组：草稿中的集合称谓（各镇(街道)、各有关部门……）。请办公室填写成员后删去“待核实”；
# 作用：全体（每个成员都是责任单位）、有关（结合职责落实）、配合（配合单位）。
分组: []
"""
LEADERS_HEADER = "# 区领导：草稿附件表中的区领导，职务、分管待核实。\n区领导:\n"


def meta_text(meta: dict) -> str:
    """meta.yaml for a new plan: what the draft printed, placeholders of its year for the rest."""
    year = meta["年度"]
    title = meta.get("标题", "")
    district = DISTRICT.match(title)
    area = district.group(1) if district else "区"
    assumed = ["函件发出单位", "函件发出单位全称", "联系人", "联系电话", "季度报送截止日期", "督办回复期限"]
    if meta.get("报送周期") == "月度":
        assumed.remove("季度报送截止日期")
    elif meta.get("报送周期") == "半年":
        assumed[assumed.index("季度报送截止日期")] = "报送截止日期"
    issuer = meta.get("发文机关")
    if issuer is None:
        issuer = f"{area}安全生产委员会"
        assumed.insert(0, "发文机关")
    date = meta.get("成文日期")
    if date is None:
        date = f"{year}-01-01"
        assumed.insert(1 if "发文机关" in assumed else 0, "成文日期")
    due = [f"{year}-04-10", f"{year}-07-10", f"{year}-10-10", f"{year + 1}-01-10"]
    # each quarter's 督办单 is dated on the due date and asks for a written reply some weeks later
    replies = [f"{year}-04-30", f"{year}-07-30", f"{year}-10-30", f"{year + 1}-01-30"]
    lines = [
        "# 计划基本信息：由 plandocs new 生成。“待核实”所列各项为假定，请办公室核实后从列表中删去。",
        f"标题: {_quoted(title)}",
        f"年度: {year}",
        f"状态: {meta.get('状态', '征求意见稿')}",
        f"标签: {_quoted(meta.get('标签', ''))}",
        f"发文机关: {_quoted(issuer)}",
        f"成文日期: {_quoted(date)}",
        f"文号: {_quoted(meta.get('文号', ''))}",
        f"函件发出单位: {area[-1]}安委办",
        f"函件发出单位全称: {_quoted(area + '安全生产委员会办公室')}",
        f"联系人: {area[-1]}安委办  # 草稿未印；分工函、督办单印出联系人和电话，请核实",
        '联系电话: "待填写"',
        *_cycle_lines(meta, year, due, replies),
        '比较基准: ""',
        f"待核实: [{', '.join(assumed)}]",
    ]
    if isinstance(notice := meta.get("印发通知"), dict):
        lines += [
            "# 草稿所附的印发通知（红头、发文字号、主送、正文、署名、日期照草稿）；“待核实”所列为假定。",
            "印发通知:",
        ]
        for key, value in notice.items():
            if key == "正文":
                lines += [f"  {key}:", *(f"    - {_quoted(v)}" for v in value)]
            elif isinstance(value, list):
                lines.append(f"  {key}: [{', '.join(value)}]")
            else:
                lines.append(f"  {key}: {_quoted(value)}")
    return "\n".join(lines) + "\n"


def _cycle_lines(meta: dict, year: int, due: list[str], replies: list[str]) -> list[str]:
    """Due dates and 督办 reply dates: quarterly by default; monthly when the draft says 每月N日前 (the
    due day from the draft, each reply ten days after its month's due date)."""
    if meta.get("报送周期") == "半年":
        halves, answers = [f"{year}-07-10", f"{year + 1}-01-10"], [f"{year}-07-30", f"{year + 1}-01-30"]
        return [
            "报送周期: 半年  # 草稿写明每半年报送",
            f"报送截止日期: [{', '.join(halves)}]",
            f"督办回复期限: [{', '.join(answers)}]",
        ]
    if meta.get("报送周期") != "月度":
        return [f"季度报送截止日期: [{', '.join(due)}]", f"督办回复期限: [{', '.join(replies)}]"]
    day = int(meta["月度报送日"])
    monthly = [dt.date(year, month, day) + dt.timedelta(days=10) for month in range(1, 13)]
    return [
        "报送周期: 月度  # 草稿写明按月报送",
        f"月度报送日: {day}  # 每月{day}日前（草稿原文）",
        f"督办回复期限: [{', '.join(d.isoformat() for d in monthly)}]",
    ]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
