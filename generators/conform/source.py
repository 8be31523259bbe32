"""What a PDF's .docx says: its text, and whether its first page carries a page number."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class DocxText:
    text: str  # the body in document order (field codes and deleted text left out)
    running: str  # the same without tables: a table row split across pages prints out of this order


def docx_text(path: Path) -> DocxText:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    table = f"{{{W_NS}}}tbl"
    runs = [(t.text or "", next(t.iterancestors(table), None) is None) for t in root.iter(f"{{{W_NS}}}t")]
    return DocxText("".join(t for t, _ in runs), "".join(t for t, running in runs if running))


def first_page_unnumbered(path: Path) -> bool:
    """A letter (信函, 10.1) prints no page number on its first page: its first section has a distinct
    first-page footer (w:titlePg) without a PAGE field."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
        sect = next(root.iter(f"{{{W_NS}}}sectPr"), None)
        title = None if sect is None else sect.find(f"{{{W_NS}}}titlePg")
        if sect is None or title is None:
            return False
        if title.get(f"{{{W_NS}}}val") in ("0", "false", "off"):
            return False
        ref = next(
            (r for r in sect.findall(f"{{{W_NS}}}footerReference") if r.get(f"{{{W_NS}}}type") == "first"),
            None,
        )
        if ref is None:
            return True
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        target = next(
            r.get("Target", "")
            for r in rels.iter(f"{{{REL_NS}}}Relationship")
            if r.get("Id") == ref.get(f"{{{R_NS}}}id")
        )
        footer = z.read(f"word/{target.lstrip('/').removeprefix('word/')}").decode("utf-8")
        return "PAGE" not in footer
