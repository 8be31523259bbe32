"""One print file for all letters: a bookmark per unit, each letter starting on a front side (duplex)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from pypdf import PdfReader, PdfWriter


def first_pages(page_counts: Sequence[int]) -> list[int]:
    """1-based page of the joined file on which each letter starts: every letter starts on a front side,
    so a blank page follows every odd-length letter (as join_letters lays them out)."""
    firsts, page = [], 1
    for count in page_counts:
        firsts.append(page)
        page += count + count % 2
    return firsts


def page_count(data: bytes) -> int:
    return len(PdfReader(BytesIO(data)).pages)


def pdf_problem(data: bytes) -> str | None:
    """Why bytes a converter handed back are not a PDF to record (None when it opens and has pages)."""
    if not data.startswith(b"%PDF-"):
        return "不是 PDF 文件"
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        pages = len(reader.pages)
        if pages:
            reader.pages[0].mediabox  # noqa: B018 — a page without a size is no page to print
    except Exception:  # noqa: BLE001 — pypdf raises many kinds for damaged files: every one means "damaged"
        return "已损坏，无法打开"
    return None if pages else "没有任何页"


def join_letters(letters: Iterable[tuple[str, bytes]]) -> bytes:
    """letters: (unit name, PDF bytes) in print order. A blank page follows every odd-length letter."""
    writer = PdfWriter()
    for unit, data in letters:
        reader = PdfReader(BytesIO(data))
        first_page = len(writer.pages)
        writer.append(reader, import_outline=False)
        writer.add_outline_item(title=unit, page_number=first_page)
        if len(reader.pages) % 2:
            last = reader.pages[-1].mediabox
            writer.add_blank_page(width=last.width, height=last.height)
    writer.page_mode = "/UseOutlines"  # open with the bookmarks shown
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
