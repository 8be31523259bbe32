"""Character-level marking of a change: what was struck from the old text, what was added to the new."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum


class Mark(StrEnum):
    SAME = "same"
    DELETED = "deleted"
    INSERTED = "inserted"


@dataclass(frozen=True)
class Segment:
    text: str
    mark: Mark


# An unchanged stretch this short between two changes is shown as changed: one common character
# (的, 和, a comma) inside a rewritten phrase only makes the marking hard to read.
_ISLAND = 1


def char_diff(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """(old segments with deletions marked, new segments with insertions marked)."""
    ops = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    ops = _absorb_islands(ops)
    before: list[Segment] = []
    after: list[Segment] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            _append(before, old[i1:i2], Mark.SAME)
            _append(after, new[j1:j2], Mark.SAME)
        else:
            _append(before, old[i1:i2], Mark.DELETED)
            _append(after, new[j1:j2], Mark.INSERTED)
    return tuple(before), tuple(after)


def _absorb_islands(ops: list[tuple]) -> list[tuple]:
    out: list[list] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        island = (
            tag == "equal" and 0 < k < len(ops) - 1 and i2 - i1 <= _ISLAND and out and out[-1][0] != "equal"
        )
        if island or (tag != "equal" and out and out[-1][0] == "replace"):
            out[-1][0], out[-1][2], out[-1][4] = "replace", i2, j2
        else:
            out.append(["replace" if tag != "equal" else "equal", i1, i2, j1, j2])
    return [tuple(op) for op in out]


def _append(segments: list[Segment], text: str, mark: Mark) -> None:
    if not text:
        return
    if segments and segments[-1].mark == mark:
        segments[-1] = Segment(segments[-1].text + text, mark)
    else:
        segments.append(Segment(text, mark))
