"""The bracket that closes a measure: （责任单位：…）, （牵头单位：…；配合单位：…）, or a bare （A、B）.

Half-width brackets and punctuation are read as their full-width forms and spaces inside are dropped
(unit names have none). A bare bracket counts as a responsibility line only when it names at least one
unit the registry knows; otherwise it is the measure's own text, e.g. 《…指南》（试行）.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import ImportContext
from .names import pieces, resolve

DEFAULT_LABEL = "责任单位"
SUPPORT_LABEL = "配合单位"
_OPEN, _CLOSE = "（(", "）)"
_AFTER = "。.．；;，,"
_FULL_WIDTH = str.maketrans({":": "：", ",": "，", ";": "；", ".": "。", "．": "。"})
_LABELLED = re.compile(r"^([^：，、]{1,8}单位)：(.*)$")


@dataclass(frozen=True)
class Split:
    text: str  # the measure's text before the bracket
    label: str
    line: str  # blocks joined as printed: A、B，C
    supports: str  # the 配合单位 part, or ""
    trailer: str  # what follows the bracket (the seed's one '。')


def closing_bracket(paragraph: str) -> tuple[str, str, str] | None:
    """(text before, inside, trailer) when the paragraph ends with a bracket (maybe then 。)."""
    s = paragraph.rstrip()
    end = len(s)
    while end > 0 and (s[end - 1] in _AFTER or s[end - 1].isspace()):
        end -= 1
    trailer = re.sub(r"\s", "", s[end:]).translate(_FULL_WIDTH)
    s = s[:end]
    if not s or s[-1] not in _CLOSE:
        return None
    depth = 0
    for i in range(len(s) - 1, -1, -1):
        if s[i] in _CLOSE:
            depth += 1
        elif s[i] in _OPEN:
            depth -= 1
            if depth == 0:
                return s[:i].rstrip(), s[i + 1 : -1], trailer
    return None


def split_measure(paragraph: str, where: str, ctx: ImportContext) -> Split | None:
    found = closing_bracket(paragraph)
    if found is None:
        return None
    text, inside, trailer = found
    inside = re.sub(r"\s", "", inside).translate(_FULL_WIDTH)
    segments = inside.split("；")
    first = _LABELLED.match(segments[0])
    if first is None:
        known = ctx.registry.unit_names
        if not any(name in known for name in resolve(pieces([inside]), known)):
            return None
        label, lead_text = DEFAULT_LABEL, segments[0]
    else:
        label, lead_text = first.groups()
    supports = ""
    for segment in segments[1:]:
        other = _LABELLED.match(segment)
        if other is None or other.group(1) != SUPPORT_LABEL or supports:
            ctx.report(where, f"责任单位中“；”后应为“{SUPPORT_LABEL}：……”", segment)
            continue
        supports = _line(other.group(2), where, ctx)
    return Split(text, label, _line(lead_text, where, ctx), supports, trailer)


def _line(printed: str, where: str, ctx: ImportContext) -> str:
    """Blocks split by '，', names by '、', each name resolved: the line as the YAML stores it."""
    blocks = []
    for block in printed.split("，"):
        names = [resolved for name in block.split("、") for resolved in ctx.unit_names([name], where)]
        if not names:
            ctx.report(where, "责任单位中有空的单位名称（多余的“、”或“，”）", printed)
        blocks.append("、".join(names))
    return "，".join(blocks)
