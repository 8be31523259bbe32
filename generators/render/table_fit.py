"""Table columns that hold their longest unit name on one line (issue 21).

templates/layout.yaml gives each table's column widths (the templates are built with them); a column that
lists unit names one a line (责任单位, 配合单位) is widened when its longest name would break — the room
comes from the running-text column (工作内容), never taking it below its floor (layout.yaml
table_fit.text_floor_share). The same widths are used by whatever measures the table (the row splitter,
the .xlsx columns) and are written into the rendered .docx's table (grid and cells), so the template
keeps the layout's widths and a plan whose names fit is rendered byte for byte as before."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from generators.formats.widths import text_em
from generators.layout import MM_PER_PT, Column, Layout

TEXT_FIELD = "content"  # the running-text column that gives up room


@dataclass(frozen=True)
class TableWidths:
    """A rendered table's column widths, the table found by its header row."""

    header: tuple[str, ...]
    widths_mm: tuple[float, ...]


def widened(original: Sequence[Column], fitted: Sequence[Column]) -> tuple[TableWidths, ...]:
    """What to write into the rendered .docx: nothing when no column moved (the template's grid holds)."""
    if [c.width_mm for c in original] == [c.width_mm for c in fitted]:
        return ()
    return (TableWidths(tuple(c.name for c in fitted), tuple(c.width_mm for c in fitted)),)


def fitted_columns(
    columns: Sequence[Column],
    names: Mapping[str, Iterable[str]],
    layout: Layout,
    text_field: str = TEXT_FIELD,
) -> tuple[Column, ...]:
    """The columns, each column named in `names` at least as wide as its longest name needs (as far as
    the text column, `text_field`, can give); the total width unchanged."""
    fit = layout.table_fit
    widths = [c.width_mm for c in columns]
    text = next((i for i, c in enumerate(columns) if c.field == text_field), None)
    if text is None:
        return tuple(columns)
    floor = widths[text] * fit.text_floor_share
    for i, column in enumerate(columns):
        listed = [n for n in names.get(column.field, ()) if n]
        if i == text or not listed:
            continue
        em_mm = layout.style(column.style).size_pt * MM_PER_PT
        needs = sorted(
            {text_em(n, _other_em(layout)) * em_mm + 2 * layout.cell_margin_mm + fit.slack_mm for n in listed}
        )
        # the longest name that can have a line of its own: one too long for any width the text column
        # can give breaks anyway, and widening for it would only take the text's room
        target = max((need for need in needs if need <= widths[i] + widths[text] - floor), default=0.0)
        extra = round(target - widths[i], 2)  # the total stays exact
        if extra > 0:
            widths[i] += extra
            widths[text] -= extra
    return tuple(replace(c, width_mm=round(w, 2)) for c, w in zip(columns, widths, strict=True))


def needs_room(columns: Sequence[Column], names: Mapping[str, Iterable[str]], layout: Layout) -> list[str]:
    """The names that still do not fit their column on one line with the widths above (the page is full)."""
    short = []
    for column in columns:
        em_mm = layout.style(column.style).size_pt * MM_PER_PT
        room = (column.width_mm - 2 * layout.cell_margin_mm) / em_mm
        short += [n for n in names.get(column.field, ()) if text_em(n, _other_em(layout)) > room]
    return sorted(set(short))


def _other_em(layout: Layout) -> float:
    return layout.row_split.other_width_em if layout.row_split is not None else 0.6
