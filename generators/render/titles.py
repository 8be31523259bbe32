"""A 公文 title broken into lines the way GB/T 9704-2012 (7.3.1) asks: whole words on each line, lines
of similar length (a trapezoid or diamond), none longer than the line holds."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Where a title may break without splitting a word: after these words, or before these.
# 市/区/县 end a place name unless a word goes on (市场, 区域, 县级 …); 年 after a year's digits.
_BREAK_AFTER = re.compile(
    r"关于|印发|转发|》|委员会|\d{4}年度?|市(?![场民政容级内域])|区(?![域别分内级块])|县(?![域级城])"
)
_BREAK_BEFORE = re.compile(r"《|的通知|的意见|的函|的报告|的批复|安全生产|工作")


def text_width(text: str) -> float:
    """Width in full-width characters: ASCII digits and letters are half as wide."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def break_points(title: str) -> list[int]:
    points = {m.end() for m in _BREAK_AFTER.finditer(title)} | {
        m.start() for m in _BREAK_BEFORE.finditer(title)
    }
    return sorted(p for p in points if 0 < p < len(title))


def break_title(title: str, max_chars: float) -> tuple[str, ...]:
    """The title in as few lines as fit, split only at word boundaries, as even in length as can be.

    A title that fits stays one line; one that no boundary can split to fit is left to the word processor."""
    if text_width(title) <= max_chars:
        return (title,)
    points = break_points(title)
    for count in range(2, len(points) + 2):
        best: tuple[float, tuple[str, ...]] | None = None
        for cuts in _combinations(points, count - 1):
            bounds = (0, *cuts, len(title))
            lines = tuple(title[a:b] for a, b in zip(bounds, bounds[1:], strict=False))
            widths = [text_width(line) for line in lines]
            if max(widths) > max_chars:
                continue
            spread = max(widths) - min(widths)
            if best is None or spread < best[0]:
                best = (spread, lines)
        if best is not None:
            return best[1]
    return (title,)


def _combinations(points: list[int], k: int) -> Iterator[tuple[int, ...]]:
    if k == 0:
        yield ()
        return
    for i, point in enumerate(points):
        for rest in _combinations(points[i + 1 :], k - 1):
            yield (point, *rest)
