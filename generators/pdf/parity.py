"""The 版记 on an even page (GB/T 9704-2012, 7.4: 公文最后一面 is the back of a sheet).

The issued .docx asks for it itself: its 版记 section starts on an even page (分节符“偶数页”), which Word
and WPS honour by leaving a blank page. LibreOffice 7.4 ignores that break type when it converts, so the
PDF is put right after conversion: when the 版记 page came out odd, a blank page goes in before it. This
is a fact of the converted PDF (its page count), not a guess about layout, and it is deterministic."""

from __future__ import annotations

from io import BytesIO


def imprint_on_even_page(pdf: bytes) -> bytes:
    """The PDF with its last page (the 版记) on an even page: a blank page inserted before it if needed."""
    from pypdf import PdfReader, PdfWriter  # only when an issued document is converted (slow import)

    reader = PdfReader(BytesIO(pdf))
    count = len(reader.pages)
    if count % 2 == 0:
        return pdf
    writer = PdfWriter(clone_from=reader)
    last = reader.pages[-1].mediabox
    writer.insert_blank_page(width=last.width, height=last.height, index=count - 1)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
