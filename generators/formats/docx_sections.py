"""A WordprocessingML body's last section dropped when the template's conditions left it empty.

In: a rendered w:body element (lxml, as formats/docx_fast.py hands it to its body edit). Out: the same
element, changed in place when its last section holds nothing to print: the section before it becomes
the last, with its own page setup (the opinion's landscape annex section, for a plan without an annex,
would otherwise print an empty page). Knows only the w: namespace; no library internals.
"""

from __future__ import annotations

from lxml import etree

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def drop_empty_last_section(body: etree._Element) -> None:
    """A last section the template's conditions left empty (the opinion's annex, for a plan without
    one) is not printed: the section before it becomes the last, with its own page setup."""
    children = list(body)
    if not children or children[-1].tag != f"{W_NS}sectPr":
        return
    for i in range(len(children) - 2, -1, -1):
        child = children[i]
        inner = child.find(f"{W_NS}pPr/{W_NS}sectPr") if child.tag == f"{W_NS}p" else None
        if inner is not None:
            if any(_has_content(c) for c in children[i + 1 : -1]) or _has_content(child):
                return
            body.remove(children[-1])
            for c in children[i:-1]:
                body.remove(c)
            body.append(inner)
            return
        if _has_content(child):
            return


def _has_content(element: etree._Element) -> bool:
    if element.tag != f"{W_NS}p":
        return True  # a table, a bookmark …: keep the section
    return any(True for _ in element.iter(f"{W_NS}t", f"{W_NS}drawing", f"{W_NS}pict", f"{W_NS}br"))
