"""The pieces every document in 信函格式 shares (GB/T 9704-2012, 10.1): the signature and date placement,
the office and reporting fields, the opinion's title broken between words. The letters, the 督办单, the
退回通知, the 通报 and the year summary take them from here, each document keeping its own renderer."""

from __future__ import annotations

import math

from docxtpl import RichText

from generators.dates import chinese_date
from generators.layout import Layout
from generators.model import Meta, Plan
from generators.numerals import to_chinese
from generators.periods import Cycle
from generators.views import DocumentKind, document_kind

SIGNATURE_RIGHT_CHARS = 2  # 7.3.5.2: 署名右空二字
# The letter's title as the template prints it around the opinion's title: the line breaks are chosen
# knowing these widths (templates/letter.docx: 关于落实《…》任务分工的函).
TITLE_BEFORE, TITLE_AFTER = "关于落实《", "》任务分工的函"
DATE_SHIFT_CHARS = 2  # 7.3.5.2: 成文日期首字比署名首字右移二字


def text_width(text: str) -> float:
    """Width in full-width characters: ASCII digits and letters are half as wide."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def date_indent(signature: str, date: str, layout: Layout) -> str:
    """Ideographic spaces that put the date's first character two characters right of the signature's,
    or the date two characters in from the right when it would not fit (GB/T 9704-2012, 7.3.5.2)."""
    line = layout.chars_per_line
    under_signature = line - SIGNATURE_RIGHT_CHARS - text_width(signature) + DATE_SHIFT_CHARS
    flush_right = line - SIGNATURE_RIGHT_CHARS - text_width(date)
    return "\u3000" * max(0, math.floor(min(under_signature, flush_right)))


def title_capacity(layout: Layout) -> int:
    """Characters of the 公文标题 style on one line of the type area."""
    page = layout.page
    width_mm = page.width_mm - page.margin_left_mm - page.margin_right_mm
    return int(width_mm / (layout.style("公文标题").size_pt * 25.4 / 72))


def title_breaks(title: str, year: int) -> list[int]:
    """Where a line of the opinion's title may end: only between whole words. From the data: after the
    year (…崇明区2023年 | 安全生产…); the 《 and 》 around it are the other places (start and end)."""
    cut = title.find(f"{year}年")
    return [0, *([cut + len(f"{year}年")] if cut >= 0 else []), len(title)]


def broken_title(title: str, year: int, capacity: int) -> RichText:
    """The opinion's title with a line break where the letter's title reads best: one line when it fits,
    else the most even split at a word boundary (never inside a word: …工｜作意见). The text is the
    plan's exactly; only a line break is added."""
    before, after = text_width(TITLE_BEFORE), text_width(TITLE_AFTER)
    if before + text_width(title) + after <= capacity:
        return RichText(title)
    best = None
    for cut in title_breaks(title, year):
        lines = (before + text_width(title[:cut]), text_width(title[cut:]) + after)
        if max(lines) <= capacity and (best is None or max(lines) < best[0]):
            best = (max(lines), cut)
    if best is None:  # no word boundary gives lines that fit: leave the breaking to the word processor
        return RichText(title)
    cut = best[1]
    if cut == 0:  # break before 《: the template's 《 would be left behind; break after 关于落实 instead
        return RichText(title)
    return RichText(f"{title[:cut]}\n{title[cut:]}")


def common_context(plan: Plan, layout: Layout, kind: DocumentKind | None = None) -> dict:
    """Fields every letter shares: the issuing office, the opinion, reporting dates, signature."""
    meta = plan.meta
    date = chinese_date(meta.date)
    kind = kind or document_kind(meta.title)
    cycle = Cycle(meta.cycle)
    return {
        "doc_short": kind.short,
        "item_word": kind.items,
        "office": meta.office_full_name,
        "office_short": meta.office,
        "doc_number": meta.doc_number,
        "opinion_title": meta.title,
        "opinion_title_broken": broken_title(meta.title, meta.year, title_capacity(layout)),
        "compact": meta.letter_style == "摘要",
        "annex_title": plan.annex.title,
        "contact": meta.contact,
        "phone": meta.phone,
        "quarters": [
            {"numeral": to_chinese(i), "name": cycle.name_of(i), "due": chinese_date(due)}
            for i, due in enumerate(meta.due_dates, 1)
        ],
        "cycle": cycle_words(meta),
        "date": date,
        "date_indent": date_indent(meta.office_full_name, date, layout),
        "copies_to": meta.letter_copies_to,  # the 版记 (10.1); "" leaves it out
    }


def cycle_words(meta: Meta) -> dict[str, object]:
    """How letters speak of the reporting cycle: 季度报送要求, 请于每季度结束后 (or 每月26日前 when every
    month's report is due on that day of its own month), 季度报表第3项."""
    cycle = Cycle(meta.cycle)
    when = f"每{cycle.unit}结束后"
    days = {due[8:] for due in meta.due_dates}
    in_period = all(due <= cycle.end(meta.year, i).isoformat() for i, due in enumerate(meta.due_dates, 1))
    if cycle.name == "月度" and len(days) == 1 and in_period and meta.due_dates:
        when = f"每月{int(days.pop())}日前"
    title = {"季度": "季度", "月度": "月度", "半年": "半年"}[cycle.name]
    # the dates are listed unless one rule (每月26日前) already says them all
    return {"title": title, "when": when, "form": f"{title}报表", "listed": when.endswith("结束后")}
