"""A draft as plain text, in the seed's form: one paragraph a line; the annex table from the first line
that starts with a tab, each cell opening with a tab and running on over the following untabbed lines."""

from __future__ import annotations

from .draft import HEADER_COLUMNS, Draft, Paragraph, Row, Table


def read_txt(text: str, name: str) -> Draft:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    first_cell = next((i for i, line in enumerate(lines) if line.startswith("\t")), len(lines))
    draft = Draft(name)
    for number, line in enumerate(lines[:first_cell], 1):
        draft.blocks.append(Paragraph(f"第{number}行", line))
    cells = _cells(lines[first_cell:], first_cell + 1)
    if cells:
        draft.blocks.append(Table(cells[0][0], tuple(_rows(cells))))
    return draft


def _cells(lines: list[str], first_number: int) -> list[tuple[str, list[str]]]:
    """(where, lines) per cell: a tab opens a cell; a line without one continues the open cell."""
    cells: list[tuple[str, list[str]]] = []
    for number, line in enumerate(lines, first_number):
        pieces = line.split("\t")
        if pieces[0].strip() and cells:
            cells[-1][1].append(pieces[0])
        for piece in pieces[1:]:
            cells.append((f"第{number}行", [piece] if piece.strip() else []))
    return cells


def _rows(cells: list[tuple[str, list[str]]]) -> list[Row]:
    """Rows are not marked in the text: a header row takes the column names, a row opening with a number
    takes one cell per column, anything else is a one-cell (merged) group row."""
    columns = len(HEADER_COLUMNS)
    rows: list[Row] = []
    i = 0
    while i < len(cells):
        where, first = cells[i]
        opening = "".join(first).strip()
        if opening == HEADER_COLUMNS[0]:
            end = i + 1
            while end < len(cells) and "".join(cells[end][1]).strip() in HEADER_COLUMNS[1:]:
                end += 1
            columns = end - i
        elif opening.isdigit():
            end = i + columns
        else:
            end = i + 1
        rows.append(Row(where, tuple(tuple(cell) for _, cell in cells[i:end])))
        i = end
    return rows
