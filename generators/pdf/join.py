"""One print file for all letters: a bookmark per unit, each letter starting on a front side (duplex)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject


def first_pages(page_counts: Sequence[int]) -> list[int]:
    """1-based page of the joined file on which each letter starts: every letter starts on a front side,
    so a blank page follows every odd-length letter (as join_letters lays them out)."""
    firsts, page = [], 1
    for count in page_counts:
        firsts.append(page)
        page += count + count % 2
    return firsts


def page_count(data: bytes) -> int:
    return tree_count(PdfReader(BytesIO(data)))


def tree_count(reader: PdfReader) -> int:
    """The number of pages the page tree's root says it holds (/Count: what viewers show), read without
    loading every page object as len(reader.pages) does (a quarter of a second per 100 PDFs)."""
    count = _tree(reader).get("/Count")
    return int(count) if isinstance(count, int) and count >= 0 else len(reader.pages)


def _tree(reader: PdfReader) -> DictionaryObject:
    """The root of the page tree."""
    tree = reader.root_object["/Pages"].get_object()
    if not isinstance(tree, DictionaryObject):
        raise ValueError("no page tree")
    return tree


def _first_page(reader: PdfReader) -> DictionaryObject:
    """The page tree's first leaf (the first page), found by following the first kid down."""
    node = _tree(reader)
    for _ in range(64):  # (a tree deeper than that is a loop)
        if node.get("/Type") != "/Pages":
            return node
        kids = node["/Kids"].get_object()
        first = kids[0].get_object() if isinstance(kids, list) else None
        if not isinstance(first, DictionaryObject):
            raise ValueError("no first page")
        node = first
    raise ValueError("page tree too deep")


def _inherited(page: DictionaryObject, key: str) -> object:
    """A page attribute, from the page or the nearest page-tree node above it that has it."""
    node: DictionaryObject | None = page
    for _ in range(64):
        if node is None:
            break
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def pdf_problem(data: bytes) -> str | None:
    """Why bytes a converter handed back are not a PDF to record (None when it opens and has pages)."""
    if not data.startswith(b"%PDF-"):
        return "不是 PDF 文件"
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        pages = tree_count(reader)
        if pages and len(_inherited(_first_page(reader), "/MediaBox")) != 4:  # type: ignore[arg-type]
            return "已损坏，无法打开"  # a page without a size is no page to print
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
