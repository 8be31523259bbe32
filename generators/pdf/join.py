"""One print file for all letters: a bookmark per unit, each letter starting on a front side (duplex)."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from pypdf import PdfReader, PdfWriter


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
