"""Numbering as drafts print it: 一、 for parts, （一） for sections, 1. / 1、 / （一） for measures."""

from __future__ import annotations

import re

from ..numerals import from_chinese

NUMERAL = "[一二三四五六七八九十]+"
PART = re.compile(rf"^({NUMERAL})\s*[、.．]\s*(.+)$", re.S)
BRACKETED = re.compile(rf"^[（(]\s*({NUMERAL})\s*[）)]\s*(.+)$", re.S)
ARABIC = re.compile(r"^(\d{1,3})\s*([.．、])\s*(.+)$", re.S)
_MEASURE_LABEL = re.compile(rf"^(?:(\d{{1,3}})[.．、]|[（(]({NUMERAL})[）)])$")
MEASURE_FORMS = "1. 1、 （一） (一)"


def label_value(label: str) -> int | None:
    """The number a measure's printed numbering stands for (（三） → 3, 12、 → 12), None if not one."""
    m = _MEASURE_LABEL.match(label)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) else from_chinese(m.group(2))
