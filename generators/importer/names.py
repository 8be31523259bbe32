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


# A collective phrase names many units at once (各镇(街道), 各有关部门, 区其他相关部门, 市安委会有关成员单位及
# 有关产业园区): it becomes a group whose members the office fills in, never an addressee of its own.
_COLLECTIVE = re.compile(r"^各|有关|相关|其他|成员单位|各成员|各专委会|牵头部门$")


def is_collective(name: str) -> bool:
    return bool(_COLLECTIVE.search(name))


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


def unit_pieces(lines: Iterable[str]) -> list[str]:
    """pieces() for unit names, with a name a table cell breaks over two lines joined again: the last
    piece of a line that does not end like a unit (区建筑施工安全专业) takes the first piece of the next
    line (委员会成员单位) when together they end like one."""
    out: list[str] = []
    for line in lines:
        parts = pieces([line])
        if parts and out and _broken(out[-1]) and looks_like_unit(out[-1] + parts[0]):
            out[-1] += parts.pop(0)
        out.extend(parts)
    return out


def _broken(piece: str) -> bool:
    """A piece that stops mid-name: no unit ending, and no closing bracket (区应急局（牵头） is whole)."""
    return not looks_like_unit(piece) and not piece.endswith(("）", ")", "〕", "】"))


# where one collective phrase ends and the next may begin when a draft runs two together with no separator
# (区安委会有关成员单位区有关直属单位)
_RUN_END = re.compile(r"(?:单位|部门|乡镇|街道)(?=[区县市各])")


def split_run(name: str) -> list[str]:
    """A name printed as two collective phrases run together → the two phrases; any other name as is.
    Split only where both halves read as names and the first is a collective phrase."""
    for found in _RUN_END.finditer(name):
        head, tail = name[: found.end()], name[found.end() :]
        if is_collective(head) and looks_like_unit(head) and looks_like_unit(tail):
            return [head, *split_run(tail)]
    return [name]


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
