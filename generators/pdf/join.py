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
