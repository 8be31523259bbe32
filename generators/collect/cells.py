"""Cell values as units type them: trimmed text, and dates however Excel, WPS or a person wrote them."""

from __future__ import annotations

import datetime as dt
import re

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 1900-02-29
_DATE_TEXT = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
# What no .xlsx or .docx can hold (XML 1.0 forbids it; openpyxl raises IllegalCharacterError), and the lone
# surrogates a file name that is not UTF-8 decodes to. Returned text is cleaned of them before it is echoed.
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def text(value: object) -> str:
    """A cell as trimmed text; None → ""; 12.0 → "12"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return UNWRITABLE.sub("", str(value)).strip()


def unwritable(value: object) -> bool:
    """Text holding characters that `text` drops."""
    return isinstance(value, str) and UNWRITABLE.search(value) is not None


def shown(name: str) -> str:
    """A file name as it can be printed and written into the summary: unwritable characters as �."""
    return UNWRITABLE.sub("\ufffd", name)


def as_date(value: object) -> dt.date | None:
    """datetime, serial number, or text like 2023年3月1日 / 2023-03-01 / 2023/3/1; None if not a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    raw = text(value)
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        return _serial(float(raw))
    match = _DATE_TEXT.fullmatch(raw)
    if match is None:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _serial(number: float) -> dt.date | None:
    if not 1 <= number < 2958466:  # Excel's range: 1900-01-01 … 9999-12-31
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def label(value: object) -> str:
    """A label cell without its colon and inner spaces: "填 报 人：" → "填报人"."""
    return re.sub(r"[\s:：]", "", text(value))
