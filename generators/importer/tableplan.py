"""A plan written as a table (任务 | 时间 | 责任单位, in a .docx table) → opinion data: one measure a row.

    婺源县2026年安全生产重点任务清单          ← title (a published file's notice before it is read too)
    为推动……，现将重点任务分解如下。           ← preamble
    序号 | 重点任务 | 完成时限 | 牵头单位 | 配合单位
    一、风险防控                              ← a merged row: a part (一、…), or a 类别 column's value
    1    | 开展……                | 4月底前   | 县应急管理局 | 县公安局

The task text is kept as typed; the time column becomes the measure's 时限 (read by the same deadline
grammar as text); the unit columns become its responsibility line (（牵头单位：A；配合单位：B）). Rows the
reader cannot place are reported with their row, never dropped.
"""

from __future__ import annotations

import re

from ..grammar.deadline import task_deadline
from ..numerals import to_chinese
from .context import ImportContext
from .draft import Paragraph, Row, Table
from .names import pieces
from .opinion import DATE, PART, Body, read_head
from .responsibility import split_measure

TASK = (
    "重点任务",
    "工作任务",
    "主要任务",
    "具体任务",
    "任务内容",
    "工作内容",
    "工作措施",
    "重点事项",
    "工作事项",
    "任务",
    "事项",
    "措施",
    "内容",
)
TIME = ("完成时限", "时限", "完成时间", "时间节点", "时间安排", "完成期限", "时间")
LEAD = ("牵头单位", "牵头部门")
RESPONSIBLE = ("责任单位", "责任部门", "责任主体")
SUPPORT = ("配合单位", "配合部门", "协办单位")
CATEGORY = ("类别", "领域", "工作类别", "分类", "类型", "项目")


def _flat(text: str) -> str:
    return re.sub(r"\s", "", text)


def columns_of(row: Row) -> dict[str, int] | None:
    """The plan table's columns by role (task, time, lead, responsible, support, category), when the row
    is such a header: a task column and a unit column, and no 区领导 (that is the annex's)."""
    heads = [_flat(row.cell_text(i)) for i in range(len(row.cells))]
    if any("领导" in h for h in heads):
        return None
    found: dict[str, int] = {}
    for role, names in (
        ("task", TASK),
        ("time", TIME),
        ("lead", LEAD),
        ("responsible", RESPONSIBLE),
        ("support", SUPPORT),
        ("category", CATEGORY),
    ):
        for name in names:  # the most specific name first: 重点任务 before 任务
            at = next((i for i, h in enumerate(heads) if h == name and i not in found.values()), None)
            if at is not None:
                found[role] = at
                break
    if "task" not in found or not {"lead", "responsible"} & found.keys():
        return None
    return found


def is_plan_table(table: Table) -> bool:
    return bool(table.rows) and columns_of(table.rows[0]) is not None


def parse_table_plan(
    before: list[Paragraph], table: Table, after: list[Paragraph], ctx: ImportContext
) -> Body:
    paras = [Paragraph(p.where, p.text.strip()) for p in before if p.text.strip()]
    body = Body()
    i = read_head(paras, body, ctx)
    if i is None:
        return body
    parts: list[dict] = []
    for para in paras[i:]:
        if (part := PART.match(para.text)) and not parts:
            # 一、主要任务 above the table: the table's rows are that part's measures
            parts.append({"编号": part.group(1), "标题": part.group(2).strip(), "节": [{"措施": []}]})
        elif "序言" not in body.opinion and not parts:
            body.opinion["序言"] = para.text
        else:
            ctx.report(para.where, "表格之前的这一段无法归入（序言只能有一段）", para.text)
    columns = columns_of(table.rows[0]) or {}
    category = ""
    for row in table.rows[1:]:
        texts = [row.cell_text(c) for c in range(len(row.cells))]
        if not any(texts):
            continue
        if columns_of(row) is not None:
            continue  # the header repeated on a new page
        distinct = set(filter(None, texts))
        if len(distinct) == 1 and (
            len(texts) == 1 or len(set(texts)) == 1 or not row.cell_text(columns["task"])
        ):
            _new_part(parts, next(filter(None, texts)))
            continue
        if "category" in columns and (value := row.cell_text(columns["category"])) and value != category:
            category = value
            _new_part(parts, value)
        if not parts:
            _new_part(parts, _flat(table.rows[0].cell_text(columns["task"])))
        measure = _measure(row, columns, len(_measures(parts)) + 1, ctx)
        if measure is not None:
            parts[-1]["节"][-1]["措施"].append(measure)
    for para in after:
        text = para.text.strip()
        if not text:
            continue
        if date := DATE.match(text):
            y, m, d = date.groups()
            body.meta["成文日期"] = f"{y}-{int(m):02d}-{int(d):02d}"
        elif "。" not in text and len(text) <= 40 and para is not after[-1]:
            body.meta["发文机关"] = text
        else:
            ctx.report(para.where, "表格之后的这一段无法归入", text)
    if not _measures(parts):
        ctx.report(table.where, "表格中没有任务行（每行应有任务和责任单位）")
    body.opinion["部分"] = parts
    return body


def _measures(parts: list[dict]) -> list[dict]:
    return [m for part in parts for section in part["节"] for m in section["措施"]]


def _new_part(parts: list[dict], heading: str) -> None:
    numbered = PART.match(heading)
    number, title = (numbered.group(1), numbered.group(2).strip()) if numbered else ("", heading)
    parts.append({"编号": number or to_chinese(len(parts) + 1), "标题": title, "节": [{"措施": []}]})


def _measure(row: Row, columns: dict[str, int], number: int, ctx: ImportContext) -> dict | None:
    task = (
        "".join(line.strip() for line in row.cells[columns["task"]])
        if columns["task"] < len(row.cells)
        else ""
    )
    if not task:
        ctx.report(
            row.where,
            "这一行没有任务内容，无法归入",
            " ".join(filter(None, (c for r in row.cells for c in r))),
        )
        return None
    clauses = []
    for role in ("lead", "responsible", "support"):
        if role in columns and columns[role] < len(row.cells):
            names = pieces(row.cells[columns[role]])
            if names:
                clauses.append(f"{_label(role)}：{'、'.join(names)}")
    if not clauses or clauses[0].startswith("配合单位"):
        ctx.report(row.where, "这一行没有牵头或责任单位", task)
        return None
    split = split_measure(task + "（" + "；".join(clauses) + "）", row.where, ctx, task)
    if split is None or not split.keys:
        return None
    measure: dict = {"编号": number, "内容": task, **split.keys}
    if "time" in columns and (when := _flat(row.cell_text(columns["time"]))):
        deadline = task_deadline("", when)
        if deadline.due(2000) is None and not deadline.recurrence:
            ctx.report(
                row.where,
                f"完成时限“{when}”无法读出：请写成“4月底前”“6月30日前”“年底前”“每季度”“长期坚持”或日期",
                task,
            )
        else:
            measure["时限"] = when
    return measure


def _label(role: str) -> str:
    return {"lead": "牵头单位", "responsible": "责任单位", "support": "配合单位"}[role]
