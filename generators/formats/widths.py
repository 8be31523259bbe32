"""Column widths from the content (issue 21: tables read like typeset tables).

A column of short values — a unit's name, a date, 措施12, a status, a count — is made as wide as its longest
value, so each prints on one line (up to `keep_max_em`, where a longer value would crowd the rest out); a
header gets at least half its length, so it prints in two lines. The columns of running text share the
rest of the room in proportion to how much text they hold (a column of long progress reports gets more
than one of short notes): the rows' wrapped lines come out about even, and the rows as short as the room
allows. Widths are measured as the row splitter measures text (generators/render/row_split.py): a Chinese
character or full-width mark is one em of the font size, any other character `other_em`.

The numbers (header lines, the least width of a text column, the widest a kept column grows, the cell
slack) are layout.yaml's `xlsx.fit`."""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from generators.layout import MM_PER_PT, FitSpec


@dataclass(frozen=True)
class ColumnText:
    """One column as the fit sees it: its header, its values, and whether they are kept on one line."""

    header: str
    values: Sequence[object]  # one per row
    keep: bool = False  # names, dates, keys, statuses, counts: one line each when the page allows
    min_em: float = 0.0  # at least this wide (e.g. the longest unit name in a column listing units)
    text_min: bool = True  # a text column at least layout's text_min_em wide (False: its header decides)


def text_em(text: object, other_em: float = 0.5) -> float:
    """The widest line of the text, in ems (a newline starts a line)."""
    return max(
        (
            sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else other_em for ch in line)
            for line in str(text).split("\n")
        ),
        default=0.0,
    )


def _header_em(header: str, spec: FitSpec) -> float:
    """The width that sets the header in `header_lines` lines, no line breaking a character apart."""
    width = text_em(header, spec.other_em)
    return float(math.ceil(width / spec.header_lines)) if width else 0.0


def fit_widths(
    columns: Sequence[ColumnText], room_mm: float, size_pt: float, spec: FitSpec, padding_mm: float
) -> list[float]:
    """Each column's width in mm, together `room_mm` (the printed table's width at size_pt). The columns'
    values are the table's rows, column by column (equally long); `padding_mm` is what the caller's line
    estimate takes off a column's width (the text gets the rest, less the layout's slack)."""
    em_mm = size_pt * MM_PER_PT
    pad = padding_mm + spec.slack_mm
    room = max(0.0, room_mm - pad * len(columns)) / em_mm
    measured: dict[str, float] = {}

    def em(value: object) -> float:
        text = "" if value is None else str(value)
        if text not in measured:
            measured[text] = text_em(text, spec.other_em)
        return measured[text]

    table = [[em(v) for v in column.values] for column in columns]
    lows: list[float] = []
    highs: list[float] = []
    flows: list[int] = []  # the running-text columns
    for i, column in enumerate(columns):
        natural = max(table[i], default=0.0)
        least = max(_header_em(column.header, spec), column.min_em)
        if column.keep:
            lows.append(max(least, min(natural, spec.keep_max_em)))
            highs.append(lows[-1])
        else:
            lows.append(max(least, spec.text_min_em if column.text_min else 0.0))
            highs.append(max(lows[-1], natural))
            flows.append(i)
    if sum(lows) >= room:  # too narrow a page: everything at its least, shrunk alike
        factor = room / sum(lows) if sum(lows) else 1.0
        return [w * factor * em_mm + pad for w in lows]
    widths = list(lows)
    # A table of short columns only: the room the text would take sets their headers on one line ("任务数",
    # not "任务 / 数": a header broken in two reads as two words). With running text, the text gets it.
    spare = room - sum(widths)
    for i, column in enumerate(columns):
        if column.keep and not flows:
            grow = min(max(0.0, text_em(column.header, spec.other_em) - widths[i]), spare)
            widths[i] += grow
            spare -= grow
    if flows:
        rows = Counter(zip(*(table[i] for i in flows), strict=True))
        _grow(widths, highs, flows, _sample(rows), spare)
    return [w * em_mm + pad for w in widths]


GROW_STEPS = 100  # the spare room is handed out in this many steps
SAMPLE_ROWS = 400  # distinct rows the fit looks at (every n-th of a longer table, in a fixed order)


def _sample(rows: Counter[tuple[float, ...]]) -> list[tuple[tuple[float, ...], int]]:
    ordered = sorted(rows.items())
    stride = max(1, len(ordered) // SAMPLE_ROWS)
    return ordered[::stride]


def _grow(
    widths: list[float],
    highs: list[float],
    flows: list[int],
    rows: list[tuple[tuple[float, ...], int]],
    spare: float,
) -> None:
    """Hand the spare room (ems) to the running-text columns, a step at a time, each step to the column
    that shortens the table most: the table's height is the sum over rows of the row's tallest cell, in
    lines (a cell's text width over the column's width; at least one line). A column stops at its
    longest value. Room left when no step shortens the table widens the text columns by their share of
    the text."""
    step = spare / GROW_STEPS
    left = spare
    for _ in range(GROW_STEPS):
        lines = [[e / widths[i] for e, i in zip(row, flows, strict=True)] for row, _ in rows]
        best, best_height = -1, _height(lines, rows)
        for k, i in enumerate(flows):
            if widths[i] + step > highs[i] + 1e-9:
                continue
            wider = widths[i] + step
            height = sum(
                n * max(1.0, row[k] / wider, *(v for j, v in enumerate(line) if j != k))
                for (row, n), line in zip(rows, lines, strict=True)
            )
            if height < best_height - 1e-9:
                best, best_height = i, height
        if best < 0:
            break
        widths[best] += step
        left -= step
    mass = [sum(row[k] * n for row, n in rows) for k in range(len(flows))]
    total = sum(mass)
    for k, i in enumerate(flows):
        widths[i] += left * (mass[k] / total if total else 1 / len(flows))


def _height(lines: list[list[float]], rows: list[tuple[tuple[float, ...], int]]) -> float:
    return sum(n * max(1.0, *line) for line, (_, n) in zip(lines, rows, strict=True))


def pack_lines(atoms: Sequence[str], room_em: float, other_em: float = 0.5) -> list[str]:
    """The atoms (a unit's name with the mark after it, "、" or "；") set in lines no wider than room_em,
    as many to a line as fit: the line breaks are ours, written into the cell, so a spreadsheet program
    never breaks inside a name nor before a closing mark (LibreOffice Calc applies no 避头尾 in .xlsx
    cells: its cells' "forbidden characters" rule is off and no OOXML attribute turns it on). An atom
    wider than a line stands on a line of its own."""
    lines: list[str] = []
    used = 0.0
    for atom in atoms:
        width = text_em(atom, other_em)
        if lines and used + width <= room_em + 1e-9:
            lines[-1] += atom
            used += width
        else:
            lines.append(atom)
            used = width
    return lines


LIST_MARKS = "、，；"  # a generated list's items end with one of these: a line may break after it


def list_atoms(text: str) -> list[str]:
    """A generated list's items, each with the marks after it ("措施35（滞后）、", "区教育局；"): the places
    where a line may break are after the marks, never before one nor inside an item."""
    atoms: list[str] = []
    for ch in text:
        if atoms and (ch in LIST_MARKS or atoms[-1][-1] not in LIST_MARKS):
            atoms[-1] += ch
        else:
            atoms.append(ch)
    return atoms


def broken_list(text: str, width_mm: float, size_pt: float, padding_mm: float, other_em: float) -> str:
    """The list text with its line breaks written in (pack_lines) for a cell `width_mm` wide, of which
    `padding_mm` is not text."""
    room = (width_mm - padding_mm) / (size_pt * MM_PER_PT)
    return "\n".join(pack_lines(list_atoms(text), room, other_em))
