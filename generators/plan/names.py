"""Names are what they look like: a unit, group or leader name may not hide a character nobody can see
(a zero-width joiner makes 区应\u200d急局 a second 区应急局, with its own letter and form), and two names
that differ only in traditional/simplified or full-/half-width writing are flagged as one name twice.

`fold` is the name as a reader sees it: NFKC (full-width Ａ, １ and the like as A, 1), invisible characters
dropped, traditional characters as simplified (hanzi_variants.py), Latin letters in one case (区ABC委 and
区abc委 are one file name on Windows and macOS: one letter would overwrite the other).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from ..invisible import invisible, visible
from .hanzi_variants import SIMPLIFIED, TRADITIONAL

__all__ = ["fold", "how_they_differ", "invisible", "visible"]

_TO_SIMPLIFIED = str.maketrans("".join(TRADITIONAL), "".join(SIMPLIFIED))


@cache
def fold(name: str) -> str:
    """The name as a reader sees it (see the module's doc): look-alike names fold to the same text."""
    return unicodedata.normalize("NFKC", visible(name)).translate(_TO_SIMPLIFIED).casefold()


def how_they_differ(one: str, other: str) -> str:
    """Why two names that fold alike are not the same text, in words."""
    plain = visible(one) != one or visible(other) != other
    one_read, other_read = (unicodedata.normalize("NFKC", visible(n)) for n in (one, other))
    if plain and visible(one) == visible(other):
        return "只差看不见的字符"
    if one_read == other_read:
        return "只差全角/半角写法"
    if one_read.casefold() == other_read.casefold():
        return "只差英文字母大小写（在 Windows 上是同一个文件名）"
    return "只差繁体/简体写法"
