"""A read draft → plan data shaped like plan/*.yaml (Chinese keys), plus everything it could not place."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from .annex import parse_annex
from .context import ImportContext
from .cycle import reporting_cycle
from .docx import MAX_DRAFT_BYTES, read_docx
from .draft import Draft, Paragraph, Table
from .opinion import parse_body
from .responsibility import has_line
from .tableplan import is_plan_table, parse_table_plan
from .txt import read_txt

READERS = {".docx": "docx", ".txt": "txt", ".doc": "office", ".wps": "office", ".odt": "office"}


class DraftUnreadable(Exception):
    pass


@dataclass(frozen=True)
class Imported:
    meta: dict  # only the fields a draft states: 标签 标题 年度 状态 (成文日期 发文机关 when printed)
    opinion: dict
    tasks: dict | None  # None when the draft has no annex table


def read_draft(path: Path, shown: str) -> Draft:
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise DraftUnreadable(f"{shown}：只能导入 .docx、.txt 草稿（.doc、.wps、.odt 经 LibreOffice 转换）")
    if kind == "docx":
        return read_docx(path, shown)
    if path.stat().st_size > MAX_DRAFT_BYTES:
        raise DraftUnreadable(f"{shown}：文件过大（上限 {MAX_DRAFT_BYTES // 2**20} MB），不导入")
    if kind == "office":
        return _converted(path, shown)
    try:
        return read_txt(path.read_text(encoding="utf-8"), shown)
    except UnicodeDecodeError as err:
        raise DraftUnreadable(f"{shown}：文本文件不是 UTF-8 编码（{err.reason}）") from err


def _table_plan(draft: Draft, at: int, ctx: ImportContext) -> Imported:
    """A plan written as a table: the paragraphs before it, its rows as measures, what follows it."""
    table = draft.blocks[at]
    assert isinstance(table, Table)
    after: list[Paragraph] = []
    for block in draft.blocks[at + 1 :]:
        if isinstance(block, Paragraph):
            after.append(block)
        else:
            ctx.report(block.where, "任务表之后的表格无法归入（计划只能有一个任务表）")
    before = [b for b in draft.blocks[:at] if isinstance(b, Paragraph)]
    body = parse_table_plan(before, table, after, ctx)
    return Imported(body.meta, body.opinion, None)


def _converted(path: Path, shown: str) -> Draft:
    """A .doc/.wps/.odt draft read as the .docx LibreOffice makes of a temporary copy (never of the file)."""
    from ..collect.convert import NotConverted, converted

    try:
        data = converted(path.read_bytes(), path.suffix.lower(), "docx")
    except NotConverted as err:
        raise DraftUnreadable(
            f"{shown}：{err}；请在 Word 或 WPS 中把草稿另存为 .docx（文件→另存为→Word 文档）后再导入"
        ) from err
    with tempfile.TemporaryDirectory(prefix="plandocs-draft-") as temp:
        copy = Path(temp) / "draft.docx"
        copy.write_bytes(data)
        draft = read_docx(copy, shown)
    return draft


def parse_draft(draft: Draft, ctx: ImportContext) -> Imported:
    first_table = next((i for i, b in enumerate(draft.blocks) if isinstance(b, Table)), len(draft.blocks))
    paragraphs = [b for b in draft.blocks[:first_table] if isinstance(b, Paragraph)]
    tables = [b for b in draft.blocks if isinstance(b, Table)]
    cycle = reporting_cycle([b.text for b in draft.blocks if isinstance(b, Paragraph)])
    if tables and is_plan_table(tables[0]) and not any(has_line(p.text.strip(), ctx) for p in paragraphs):
        table_plan = _table_plan(draft, first_table, ctx)
        return Imported({**table_plan.meta, **cycle}, table_plan.opinion, None)
    body = parse_body(paragraphs, ctx)
    for block in draft.blocks[first_table:]:
        if isinstance(block, Paragraph) and block.text.strip():
            ctx.report(block.where, "附件表之后的段落无法归入", block.text.strip())
    parts = body.opinion.get("部分", [])
    tasks = parse_annex(body.rest, tables, parts, ctx) if tables or body.rest else None
    return Imported({**body.meta, **cycle}, body.opinion, tasks)
