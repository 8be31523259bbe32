"""Characters that show nothing, or only move text: zero-width joiners and spaces, the BOM, bidi marks,
odd spaces, fillers. Never part of a name (plan/names.py) and always escaped in a console line
(filenames.escaped)."""

from __future__ import annotations

import unicodedata

_KNOWN = {
    0x00A0: "不换行空格",
    0x00AD: "软连字符",
    0x034F: "组合用字形连接符",
    0x200B: "零宽空格",
    0x200C: "零宽非连接符",
    0x200D: "零宽连接符",
    0x200E: "从左到右标记",
    0x200F: "从右到左标记",
    0x2060: "零宽不换行空格",
    0x3164: "韩文填充符",
    0xFEFF: "字节顺序标记（BOM）",
}
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x061C}
_FILLERS = {0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800}  # letters that print as nothing


def describe(char: str) -> str:
    code = ord(char)
    if code in _KNOWN:
        return _KNOWN[code]
    if code in _BIDI:
        return "双向文字控制符"
    if unicodedata.category(char) == "Zs":
        return "特殊空格"
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return "变体选择符"
    return "不可见字符"


def is_invisible(char: str) -> bool:
    """A character that shows nothing (or only moves text): never part of a name."""
    code = ord(char)
    category = unicodedata.category(char)
    return (
        category in ("Cf", "Cc", "Co", "Cn", "Cs", "Zl", "Zp")
        or (category == "Zs" and char not in " \u3000")
        or code in _KNOWN
        or code in _FILLERS
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def invisible(name: str) -> tuple[int, str] | None:
    """(index, what it is) of the first invisible character in `name`, else None."""
    for index, char in enumerate(name):
        if is_invisible(char):
            return index, f"{describe(char)} U+{ord(char):04X}"
    return None


def visible(name: str) -> str:
    """The name without its invisible characters."""
    return "".join(char for char in name if not is_invisible(char))
