"""Which old item is which new item: by text, never by number (a number shifts when one is inserted)."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
from difflib import SequenceMatcher

# Two texts at least this similar are the same item reworded (difflib ratio).
SIMILAR = 0.6


def match_texts(old: Sequence[str], new: Sequence[str], threshold: float = SIMILAR) -> dict[int, int]:
    """Pair old indices with new indices: equal texts first (in order), then similar ones.

    Among similar candidates, one that keeps the order of the equal pairs around it wins over a
    better-scoring one that would jump elsewhere; then the higher ratio, then the nearer position.
    """
    pairs: dict[int, int] = {}
    waiting: dict[str, deque[int]] = defaultdict(deque)
    for j, text in enumerate(new):
        waiting[text].append(j)
    for i, text in enumerate(old):
        if waiting[text]:
            pairs[i] = waiting[text].popleft()
    anchors = sorted(pairs.items())
    free_old = [i for i in range(len(old)) if i not in pairs]
    used = set(pairs.values())
    free_new = [j for j in range(len(new)) if j not in used]
    candidates = []
    matcher = SequenceMatcher(autojunk=False)  # autojunk would drop common Chinese characters
    for j in free_new:
        matcher.set_seq2(new[j])
        for i in free_old:
            matcher.set_seq1(old[i])
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                lo, hi = _order_window(i, anchors, len(new))
                candidates.append((not lo < j < hi, -ratio, abs(i - j), i, j))
    for *_, i, j in sorted(candidates):
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs


def _order_window(i: int, anchors: list[tuple[int, int]], new_len: int) -> tuple[int, int]:
    """The new positions (exclusive bounds) between the equal pairs just before and after old i."""
    lo, hi = -1, new_len
    for old_i, new_j in anchors:
        if old_i < i:
            lo = new_j
        else:
            hi = new_j
            break
    return lo, hi
