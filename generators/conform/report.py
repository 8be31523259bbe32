"""The conformance table as aligned plain text (Chinese characters count two columns)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from .result import Check

HEADERS = ("条款", "来源", "检查项", "要求", "实测", "结果")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(checks: Sequence[Check]) -> str:
    rows = [HEADERS] + [
        (c.clause, c.source, c.rule, c.expected, c.measured, "通过" if c.passed else "不通过") for c in checks
    ]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
