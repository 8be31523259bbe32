"""Names as a draft prints them → names the registry knows.

Drafts run two names together (区安委会有关成员单位区有关直属单位) or break one over two lines of a table
cell (区建筑施工安全专业 / 委员会成员单位). Pieces are split or joined only where that yields names the
registry knows; anything else stays as typed, to be reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[、，,；;]")
_SPACE = re.compile(r"\s+")

_KNOWN = 1.0  # cost of one known name
_ACROSS_BREAK = 0.5  # extra cost of a known name that joins pieces: prefer names as they were split
_UNKNOWN = 100.0  # cost of keeping one typed piece that is no known name


# how the names of offices, towns and companies end: a bare bracket in a new plan's draft is read as a
# responsibility line only when every name in it ends like one
UNIT_ENDINGS = (
    "局",
    "委",
    "办",
    "部",
    "镇",
    "乡",
    "街道",
    "单位",
    "部门",
    "中心",
    "队",
    "院",
    "会",
    "公司",
    "集团",
    "所",
    "站",
    "厅",
    "处",
    "室",
    "署",
    "园区",
    "馆",
    "社",
    "联",
    "团",
    "区",
    "校",
)


def looks_like_unit(name: str) -> bool:
    return 2 <= len(name) <= 30 and name.endswith(UNIT_ENDINGS) and not any(c in name for c in "。；：")


def pieces(lines: Iterable[str]) -> list[str]:
    """The typed pieces of a cell or line: split at 、，; and line ends, spaces removed (李  峻 → 李峻)."""
    out = []
    for line in lines:
        for piece in _SEPARATORS.split(line):
            piece = _SPACE.sub("", piece)
            if piece:
                out.append(piece)
    return out


def resolve(typed: list[str], known: set[str]) -> list[str]:
    """The fewest known names that spell the typed pieces in order; a piece that cannot be spelled with
    known names is kept whole (an unknown name for the caller to report)."""
    text = "".join(typed)
    breaks = {0}
    for piece in typed:
        breaks.add(max(breaks) + len(piece))
    longest = max((len(name) for name in known), default=0)
    best: list[tuple[float, list[str]] | None] = [None] * (len(text) + 1)
    best[0] = (0.0, [])
    for start in range(len(text)):
        reached = best[start]
        if reached is None:
            continue
        cost, names = reached
        options = []
        for end in range(start + 1, min(len(text), start + longest) + 1):
            if text[start:end] in known:
                crossed = any(start < b < end for b in breaks)
                options.append((end, _KNOWN + (_ACROSS_BREAK if crossed else 0.0)))
        if start in breaks:
            options.append((min(b for b in breaks if b > start), _UNKNOWN))
        for end, step in options:
            known_best = best[end]
            if known_best is None or cost + step < known_best[0]:
                best[end] = (cost + step, [*names, text[start:end]])
    whole = best[len(text)]
    return whole[1] if whole else typed
