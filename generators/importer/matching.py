"""Which existing entry each imported one continues: an order-keeping alignment by text similarity.

A reworded measure keeps its YAML entry (its place and comments), an inserted one becomes a new entry,
so the diff after an import shows what the draft changed and nothing else.
"""

from __future__ import annotations

import difflib

SIMILAR = 0.6  # difflib ratio above which two texts are the same entry reworded


def similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def align(old: list[str], new: list[str]) -> list[int | None]:
    """For each new text, the index of the old text it continues, or None; matches never cross.

    Unchanged texts anchor the alignment; only the stretches between anchors are compared by similarity.
    """
    matched: list[int | None] = [None] * len(new)
    i = j = 0
    for block in difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks():
        for offset, found in enumerate(_align_similar(old[i : block.a], new[j : block.b])):
            matched[j + offset] = None if found is None else i + found
        for k in range(block.size):
            matched[block.b + k] = block.a + k
        i, j = block.a + block.size, block.b + block.size
    return matched


def _align_similar(old: list[str], new: list[str]) -> list[int | None]:
    rows, cols = len(old), len(new)
    sims = [[similarity(o, n) for n in new] for o in old]
    score = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            s = sims[i][j]
            if s >= SIMILAR:
                best = max(best, s + score[i + 1][j + 1])
            score[i][j] = best
    matched: list[int | None] = [None] * cols
    i = j = 0
    while i < rows and j < cols:
        s = sims[i][j]
        if s >= SIMILAR and score[i][j] == s + score[i + 1][j + 1]:
            matched[j] = i
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return matched
