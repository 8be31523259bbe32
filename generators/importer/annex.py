"""The annex of a draft → task data (plan/tasks.yaml's shape).

Counts printed in the annex (（共21项）, （小计4项）, 合计5项) are computed from the data, so they are
dropped here. A group row naming a part (一、…) becomes `部分: 一`; the banner row (任务分解：合计…) gives
the banner's label; any other group row is a named group (总体目标).
"""

from __future__ import annotations

import re

from .context import ImportContext
from .draft import HEADER_COLUMNS, Paragraph, Row, Table
from .opinion import ANNEX_LABEL, PART, STATUS

COUNT = re.compile(r"\s*[（(]\s*(?:共|小计|合计)\s*\d+\s*项\s*[）)]\s*$")
BANNER = re.compile(r"^(.+?)\s*[：:]\s*合计\s*\d+\s*项")


def parse_annex(rest: list[Paragraph], tables: list[Table], parts: list[dict], ctx: ImportContext) -> dict:
    tasks: dict = {}
    for para in rest:
        if ANNEX_LABEL.match(para.text) or STATUS.match(para.text):
            continue
        if "标题" in tasks:
            ctx.report(para.where, "附件标题之后、表格之前的段落无法归入", para.text)
        else:
            tasks["标题"] = COUNT.sub("", para.text)
    table = next((t for t in tables if any(_is_header(r) for r in t.rows)), tables[0] if tables else None)
    if table is None:
        return tasks
    headings = {p["编号"]: f"{p['编号']}、{p['标题']}" for p in parts}
    columns = list(HEADER_COLUMNS)
    groups: list[dict] = []
    for row in table.rows:
        first = row.cell_text(0)
        if _is_header(row):
            columns = [row.cell_text(i) for i in range(len(row.cells))]
        elif first.isdigit():
            if not groups:
                ctx.report(row.where, "任务行之前没有分组行", first)
                groups.append({"名称": "", "任务": []})
            task = _task(row, columns, ctx)
            tasks_so_far = groups[-1]["任务"]
            if tasks_so_far and tasks_so_far[-1]["序号"] == task["序号"]:
                _continue(
                    tasks_so_far[-1], task
                )  # a row cut to fit a page (render/row_split) goes back whole
            else:
                tasks_so_far.append(task)
        elif len({row.cell_text(i) for i in range(len(row.cells))}) == 1 and first:
            _group_row(row, first, groups, headings, tasks, ctx)
        elif any(row.cell_text(i) for i in range(len(row.cells))):
            ctx.report(row.where, "这一行既不是分组行也不是任务行（序号应为数字），无法归入", first)
    if groups and not groups[-1]["任务"] and "部分" not in groups[-1]:
        ctx.report(table.where, "附件表最后一个分组没有任务", groups[-1].get("名称", ""))
    tasks["分组"] = groups
    return tasks


def _continue(task: dict, more: dict) -> None:
    """A continuation row repeats its task's 序号 and holds the rest of the cut texts: joined, they are the
    task's texts exactly (the cut never drops or adds a character); names it repeats are not added twice."""
    for key, value in more.items():
        if key == "序号" or not value:
            continue
        if isinstance(value, str):
            task[key] = task.get(key, "") + value
        else:
            task[key] = task.get(key, []) + [name for name in value if name not in task.get(key, [])]


def _is_header(row: Row) -> bool:
    return row.cell_text(0) == HEADER_COLUMNS[0]


def _group_row(
    row: Row, label: str, groups: list[dict], headings: dict, tasks: dict, ctx: ImportContext
) -> None:
    if banner := BANNER.match(label):
        tasks["分解行标题"] = banner.group(1)
        return
    name = COUNT.sub("", label)
    part = PART.match(name)
    if part is None:
        groups.append({"名称": name, "任务": []})
        return
    number = part.group(1)
    if number not in headings:
        ctx.report(row.where, f"意见正文中没有编号为“{number}”的部分", label)
    elif headings[number] != name:
        ctx.report(row.where, f"分组行与正文的部分标题不一致（正文为“{headings[number]}”）", label)
    if groups and not groups[-1]["任务"] and "名称" in groups[-1] and "分解行标题" not in tasks:
        tasks["分解行标题"] = groups.pop()["名称"]  # a bare banner row: a named group with no tasks
    groups.append({"部分": number, "任务": []})


def _task(row: Row, columns: list[str], ctx: ImportContext) -> dict:
    cells = {
        name: row.cells[i]  # column names are the YAML keys
        for i, name in enumerate(columns)
        if i < len(row.cells)
    }
    task: dict = {
        "序号": int(row.cell_text(0)),
        "重点任务": "".join(line.strip() for line in cells.get("重点任务", ())),
        "区领导": ctx.leader_names(cells.get("区领导", ()), row.where),
        "责任单位": ctx.unit_names(cells.get("责任单位", ()), row.where),
    }
    supports = ctx.unit_names(cells.get("配合单位", ()), row.where, supporting=True)
    if supports:
        task["配合单位"] = supports
    task["工作内容"] = "".join(line.strip() for line in cells.get("工作内容", ()))
    remark = "".join(line.strip() for line in cells.get("备注", ()))
    if remark:
        task["备注"] = remark
    for name in columns:
        if name not in HEADER_COLUMNS:
            ctx.report(row.where, f"附件表有未知的列“{name}”，其内容无法归入")
            break
    return task
