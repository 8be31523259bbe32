"""Column widths written into a rendered .docx table: its grid (w:gridCol, which WPS prefers) and every
cell (w:tcW), the table found by the text of its header row."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from .docx_fast import BodyEdit
from .docx_sections import W_NS as W


def column_twips(widths_mm: Sequence[float]) -> list[int]:
    """The widths in twips adding up to the table's width rounded once, the remainder in the widest (as
    tools/docx_build.py builds the templates' grids)."""
    twips = [round(w * 1440 / 25.4) for w in widths_mm]
    widest = max(range(len(widths_mm)), key=lambda i: widths_mm[i])
    twips[widest] += round(sum(widths_mm) * 1440 / 25.4) - sum(twips)
    return twips


def with_table_widths(edit: BodyEdit, tables: Sequence[tuple[Sequence[str], Sequence[float]]]) -> BodyEdit:
    """`edit`, then each (header, widths in mm) table set to its widths."""
    if not tables:
        return edit

    def both(body: etree._Element) -> None:
        edit(body)
        for header, widths_mm in tables:
            set_table_widths(body, header, widths_mm)

    return both


def set_table_widths(body: etree._Element, header: Sequence[str], widths_mm: Sequence[float]) -> None:
    """Every table of the document whose first row reads `header` gets these column widths: its grid
    and every cell (a cell spanning columns gets their sum)."""
    twips = column_twips(widths_mm)
    for table in body.iter(f"{W}tbl"):
        rows = table.findall(f"{W}tr")
        grid = table.find(f"{W}tblGrid")
        if not rows or grid is None or len(grid) != len(twips):
            continue
        first = ["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in rows[0].findall(f"{W}tc")]
        if first != list(header):
            continue
        for column, width in zip(grid.findall(f"{W}gridCol"), twips, strict=True):
            column.set(f"{W}w", str(width))
        for row in rows:
            at = 0
            for cell in row.findall(f"{W}tc"):
                span_element = cell.find(f"{W}tcPr/{W}gridSpan")
                span = int(span_element.get(f"{W}val", "1")) if span_element is not None else 1
                width_element = cell.find(f"{W}tcPr/{W}tcW")
                if width_element is not None:
                    width_element.set(f"{W}w", str(sum(twips[at : at + span])))
                at += span
