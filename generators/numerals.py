"""Chinese ordinal numerals as printed in headings: 一 … 九十九."""

from __future__ import annotations

DIGITS = "一二三四五六七八九"


def to_chinese(n: int) -> str:
    if not 1 <= n <= 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens - 1] + "十")
    return head + (DIGITS[ones - 1] if ones else "")


def from_chinese(text: str) -> int | None:
    """The number a numeral stands for, or None when text is not one."""
    for n in range(1, 100):
        if to_chinese(n) == text:
            return n
    return None
