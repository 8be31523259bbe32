"""A read draft → plan data shaped like plan/*.yaml (Chinese keys), plus everything it could not place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .annex import parse_annex
from .context import ImportContext
from .docx import MAX_DRAFT_BYTES, read_docx
from .draft import Draft, Paragraph, Table
from .opinion import parse_body
from .txt import read_txt

READERS = {".docx": "docx", ".txt": "txt"}


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
        raise DraftUnreadable(f"{shown}：只能导入 .docx 或 .txt 草稿")
    if kind == "docx":
        return read_docx(path, shown)
    if path.stat().st_size > MAX_DRAFT_BYTES:
        raise DraftUnreadable(f"{shown}：文件过大（上限 {MAX_DRAFT_BYTES // 2**20} MB），不导入")
    try:
        return read_txt(path.read_text(encoding="utf-8"), shown)
    except UnicodeDecodeError as err:
        raise DraftUnreadable(f"{shown}：文本文件不是 UTF-8 编码（{err.reason}）") from err


def parse_draft(draft: Draft, ctx: ImportContext) -> Imported:
    first_table = next((i for i, b in enumerate(draft.blocks) if isinstance(b, Table)), len(draft.blocks))
    paragraphs = [b for b in draft.blocks[:first_table] if isinstance(b, Paragraph)]
    tables = [b for b in draft.blocks if isinstance(b, Table)]
    body = parse_body(paragraphs, ctx)
    for block in draft.blocks[first_table:]:
        if isinstance(block, Paragraph) and block.text.strip():
            ctx.report(block.where, "附件表之后的段落无法归入", block.text.strip())
    parts = body.opinion.get("部分", [])
    tasks = parse_annex(body.rest, tables, parts, ctx) if tables or body.rest else None
    return Imported(body.meta, body.opinion, tasks)
