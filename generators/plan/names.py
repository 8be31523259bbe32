"""Names are what they look like: a unit, group or leader name may not hide a character nobody can see
(a zero-width joiner makes 区应\u200d急局 a second 区应急局, with its own letter and form), and two names
that differ only in traditional/simplified or full-/half-width writing, Latin case, or a Cyrillic or Greek
letter that looks like a Latin one (Cyrillic А in АB) are flagged as one name twice.

`fold` is the name as a reader sees it: NFKC (full-width Ａ, １ and the like as A, 1), invisible characters
dropped, traditional characters as simplified (hanzi_variants.py), Cyrillic and Greek letters that look
like Latin ones as those, Latin letters in one case (区ABC委 and 区abc委 are one file name on Windows and
macOS: one letter would overwrite the other).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from ..invisible import invisible, visible
from .hanzi_variants import SIMPLIFIED, TRADITIONAL

__all__ = ["as_latin", "fold", "foreign_look_alike", "how_they_differ", "invisible", "visible"]

_TO_SIMPLIFIED = str.maketrans("".join(TRADITIONAL), "".join(SIMPLIFIED))

# Cyrillic and Greek letters printed exactly like a Latin letter in the fonts a letter is read in
_CYRILLIC = dict(zip("АВЕКМНОРСТХУЅІЈԚԜаеорсухѕіјһԁԛԝӏ", "ABEKMHOPCTXYSIJQWaeopcyxsijhdqwl", strict=True))
_GREEK = dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧονϲϳ", "ABEZHIKMNOPTYXovcj", strict=True))
_TO_LATIN = str.maketrans({**_CYRILLIC, **_GREEK})


@cache
def fold(name: str) -> str:
    """The name as a reader sees it (see the module's doc): look-alike names fold to the same text."""
    return (
        unicodedata.normalize("NFKC", visible(name)).translate(_TO_SIMPLIFIED).translate(_TO_LATIN).casefold()
    )


def _script(char: str) -> str:
    return "西里尔字母" if char in _CYRILLIC else "希腊字母"


def foreign_look_alike(name: str) -> str | None:
    """Why a name mixes a Cyrillic or Greek letter that looks Latin with Latin letters or Chinese (a name
    written wholly in Cyrillic or Greek is left alone), in words; None when it does not."""
    found = next((c for c in name if c in _CYRILLIC or c in _GREEK), None)
    if found is None:
        return None
    others = [c for c in name if c not in _CYRILLIC and c not in _GREEK and c.isalpha()]
    if not any(c.isascii() or unicodedata.name(c, "").startswith("CJK") for c in others):
        return None
    latin = _CYRILLIC.get(found) or _GREEK[found]
    return f"第 {name.index(found) + 1} 个字符“{found}”是{_script(found)}（U+{ord(found):04X}），外形与拉丁字母“{latin}”相同"


def as_latin(name: str) -> str:
    """The name with its look-alike Cyrillic and Greek letters written as the Latin ones."""
    return name.translate(_TO_LATIN)


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
    if one_read.translate(_TO_LATIN) == other_read.translate(_TO_LATIN):
        foreign = next(c for c in one_read + other_read if c in _CYRILLIC or c in _GREEK)
        latin = _CYRILLIC.get(foreign) or _GREEK[foreign]
        return f"只差外形相同的字母（“{foreign}”是{_script(foreign)} U+{ord(foreign):04X}，不是拉丁字母“{latin}”）"
    return "只差繁体/简体写法"
