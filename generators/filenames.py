"""Names from plan/ that become file names (unit 简称, leader 姓名, titles): the one rule and the one place
a name turns into a file name. `plandocs check` reports a name that breaks the rule; the renderers refuse it."""

from __future__ import annotations

import re
import unicodedata

from .errors import UnsafePath
from .invisible import is_invisible

FORBIDDEN = '/\\:*?"<>|'  # not allowed in a file name on Windows (and / nowhere)
MAX_CHARS = 60
MAX_BYTES = 180  # UTF-8: the longest name plus a prefix, a suffix and a temporary name stays under 255
# Device names Windows will not open as files, whatever the extension.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)
# Characters an .docx/.xlsx (XML 1.0) cannot hold at all.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def control_character(text: str) -> tuple[int, str] | None:
    """(index, description) of the first character no Word or Excel file can hold, or None."""
    bad = XML_ILLEGAL.search(text)
    return (bad.start(), f"U+{ord(bad.group()):04X}") if bad else None


def name_problem(name: str) -> tuple[int, str] | None:
    """(index of the offending character, message) when `name` cannot be a file name, else None."""
    if not name:
        return 0, "为空"
    for index, char in enumerate(name):
        if char in FORBIDDEN:
            return index, f"含有不能用于文件名的字符“{char}”"
        if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in "\ufffe\uffff":
            return index, f"含有控制字符或换行（U+{ord(char):04X}）"
    if ".." in name:
        return name.index(".."), "含有“..”"
    if name != name.strip(" .\u3000"):
        return 0, "不能以空格或“.”开头或结尾"
    if _RESERVED.match(name):
        return 0, "是 Windows 的保留设备名（CON、NUL、COM1 等），不能用作文件名"
    if len(name) > MAX_CHARS:
        return MAX_CHARS, f"过长（{len(name)} 个字符，最多 {MAX_CHARS} 个）"
    if len(name.encode("utf-8")) > MAX_BYTES:
        return 0, f"过长（UTF-8 编码 {len(name.encode('utf-8'))} 字节，最多 {MAX_BYTES} 字节）"
    return None


def shown(text: str, limit: int = 70) -> str:
    """Text for a message: control characters written as escapes, long text shortened."""
    out = escaped(text)
    return out if len(out) <= limit else out[: limit - 1] + "…"


def escaped(text: str) -> str:
    """Text for a console line, every character that could hide or forge something written as an escape:
    control characters and line breaks (a newline in a file name would start a line of its own), format
    characters (zero-width joiners, bidi marks), odd spaces and fillers (invisible.py)."""
    return "".join(f"\\u{ord(ch):04x}" if is_invisible(ch) else ch for ch in text)


def shown_path(path: object) -> str:
    """A path for a message (see escaped)."""
    return escaped(str(path))


def safe_name(name: str) -> str:
    """The name as a file name: unchanged when it keeps the rule, refused otherwise (check reports it first)."""
    problem = name_problem(name)
    if problem:
        raise UnsafePath(
            f"名称“{shown(name)}”不能用作文件名：{problem[1]}。请先运行 plandocs check 并改正 plan/"
        )
    return name
