"""A table row taller than a page, cut into rows that each fit one page (issue 10, GB/T 9704 cl. 8).

Rows are kept whole (w:cantSplit); a row taller than a page would be split by Word and LibreOffice anyway,
its continuation without the 序号. So such a row is cut here into several rows, each estimated to fit a
page: a cell's text is cut at sentence ends, else after clause marks, else between characters — never
inside a word or number, never before a closing mark — and the parts put together are the text exactly.
Each continuation row repeats the 序号 (table.row_split.continued_number). The estimate uses the column
widths, the cell margins, the font sizes and the line height of templates/layout.yaml; it wraps lines as
LibreOffice does (a closing mark never starts a line, an opening one never ends it)."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from generators.layout import MM_PER_PT, Column, Layout

NUMBER_FIELD = "number"
HEADER_STYLE = "表头"

# Marks that may not start a line (a line break before them pulls the previous character down) and that
# may not end one.
NO_START = frozenset("，。、；：？！）》”’〕】」』…—％,.;:?!)]%")
NO_END = frozenset("（《“‘〔【「『([")
# Where a cell's text may be cut, best first: after a sentence, after a clause, between any two words.
SENTENCE_END = "。！？；\n"
CLAUSE_END = "，、："
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[./:%-][A-Za-z0-9]+)*|.", re.S)  # a word or number is one token

Row = Mapping[str, object]  # field → text, or → list of paragraphs


@functools.cache  # per character: a text's width is summed character by character, for every cell
def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


@dataclass(frozen=True)
class Wrap:
    """Line breaking in one column: how many lines a paragraph takes."""

    room_em: float  # the column's text width in characters of its font size
    other_em: float  # width of a character that is not full-width

    def width(self, token: str) -> float:
        if len(token) == 1:  # most tokens: one Chinese character or mark
            return 1.0 if _wide(token) else self.other_em
        return sum(1.0 if _wide(ch) else self.other_em for ch in token)

    def tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for token in _TOKEN.findall(text):
            # a word wider than the column is broken by the typesetter too: count it character by character
            out.extend(token if len(token) > 1 and self.width(token) > self.room_em else [token])
        return out

    def lines(self, text: str) -> int:
        return _lines(self, text)


@functools.lru_cache(maxsize=8192)  # a task's text is measured again in each document that prints it
def _lines(wrap: Wrap, text: str) -> int:
    """How many lines text takes in wrap's column (Wrap.lines)."""
    count, used = 1, 0.0
    line: list[str] = []
    for token in wrap.tokens(text):
        if token == "\n":
            count, line, used = count + 1, [], 0.0
            continue
        width = wrap.width(token)
        if line and used + width > wrap.room_em:
            carry: list[str] = []
            while len(line) > 1 and ((carry[0] if carry else token)[0] in NO_START or line[-1][-1] in NO_END):
                carry.insert(0, line.pop())
            count, line, used = count + 1, carry, sum(map(wrap.width, carry))
        line.append(token)
        used += width
    return count


def _pieces(text: str, level: int) -> list[str]:
    """text cut at the break points of one level (0 sentences, 1 clauses, 2 words); joined they are text."""
    if level >= 2:
        tokens = _TOKEN.findall(text)
        pieces: list[str] = []
        for token in tokens:
            glued = pieces and (token[0] in NO_START or pieces[-1][-1] in NO_END)
            if glued:
                pieces[-1] += token
            else:
                pieces.append(token)
        return pieces
    ends = SENTENCE_END if level == 0 else SENTENCE_END + CLAUSE_END
    # the marks that may not start a line stay with the piece they follow
    trailing = re.escape("".join(sorted(NO_START)))
    pattern = re.compile(rf"[^{re.escape(ends)}]*[{re.escape(ends)}]+[{trailing}]*|.+\Z", re.S)
    return [m.group(0) for m in pattern.finditer(text) if m.group(0)]


def split_text(text: str, fits: Callable[[str], bool], level: int = 0) -> list[str]:
    """text cut into parts that each fit (as few as the break points allow); "".join(parts) == text."""
    if fits(text) or level > 2:
        return [text]
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, level):
        if fits(current + piece):
            current += piece
            continue
        if current:
            parts.append(current)
        sub = split_text(piece, fits, level + 1)
        parts.extend(sub[:-1])
        current = sub[-1]
    if current:
        parts.append(current)
    return parts


def _chunks(paragraphs: Sequence[str], lines: Callable[[str], int], budget: int) -> list[list[str]]:
    """A cell's paragraphs in parts of at most `budget` lines; a paragraph longer than that is cut."""
    parts: list[list[str]] = [[]]
    used = 0
    for paragraph in paragraphs:
        count = lines(paragraph)
        if count <= budget - used:
            parts[-1].append(paragraph)
            used += count
            continue
        if parts[-1]:
            parts.append([])
        pieces = split_text(paragraph, lambda s: lines(s) <= budget) if count > budget else [paragraph]
        for piece in pieces[:-1]:
            parts[-1].append(piece)
            parts.append([])
        parts[-1].append(pieces[-1])
        used = lines(pieces[-1])
    return parts


def _chunks_after(
    paragraphs: Sequence[str], lines: Callable[[str], int], budget: int, first: int
) -> list[list[str]]:
    """As _chunks, but the first part holds at most `first` lines (the room left on a page): whole
    paragraphs while they fit, then the longest head of the next one that fits, cut where split_text cuts."""
    head: list[str] = []
    rest = list(paragraphs)
    used = 0
    while rest and lines(rest[0]) <= first - used:
        used += lines(rest[0])
        head.append(rest.pop(0))
    if rest and first - used > 0:
        pieces = split_text(rest[0], lambda s: lines(s) <= first - used)
        if len(pieces) > 1 and lines(pieces[0]) <= first - used:
            head.append(pieces[0])
            rest[0] = "".join(pieces[1:])
    return [head, *(_chunks(rest, lines, budget) if rest else [])]


class RowSplitter:
    """Cuts the body rows of one landscape table (the annex, a leader sheet, the 修改对照表)."""

    def __init__(self, layout: Layout, columns: Sequence[Column]) -> None:
        self.layout, self.columns = layout, tuple(columns)
        spec = layout.row_split
        self.spec = spec
        page = layout.landscape
        self.type_height_pt = (page.height_mm - page.margin_top_mm - page.margin_bottom_mm) / MM_PER_PT
        self.margin_pt = layout.cell_margin_v_mm / MM_PER_PT
        if spec is not None:
            header = max(
                self._lines(c, c.name, HEADER_STYLE) * self._pitch(HEADER_STYLE) for c in self.columns
            )
            self.header_pt = header + 2 * self.margin_pt

    def _pitch(self, style: str) -> float:
        assert self.spec is not None
        return self.layout.style(style).size_pt * self.spec.line_height_em

    def wrap(self, column: Column, style: str | None = None) -> Wrap:
        assert self.spec is not None
        size_mm = self.layout.style(style or column.style).size_pt * MM_PER_PT
        room = (column.width_mm - 2 * self.layout.cell_margin_mm) / size_mm
        return Wrap(room, self.spec.other_width_em)

    def _lines(self, column: Column, text: str, style: str | None = None) -> int:
        return self.wrap(column, style).lines(text)

    def budget(self, column: Column, lead_rows: int = 0) -> int:
        """Lines a body cell of this column may hold so the row fits a page under the repeated header and
        `lead_rows` one-line rows kept with it (a group row is kept with the row below it)."""
        assert self.spec is not None
        lead_pt = lead_rows * (self._pitch(column.style) + 2 * self.margin_pt)
        room = self.type_height_pt - self.header_pt - lead_pt - 2 * self.margin_pt
        return max(1, math.floor(room / self._pitch(column.style)) - self.spec.reserve_lines)

    def _paragraphs(self, row: Row, column: Column) -> list[str]:
        value = row[column.field]
        return [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]

    def height_pt(self, row: Row) -> float:
        """The row's estimated height: its tallest cell, lines at the column style's pitch, cell margins."""
        assert self.spec is not None
        cells = [
            sum(self._lines(column, text) for text in self._paragraphs(row, column))
            * self._pitch(column.style)
            for column in self.columns
            if column.field in row
        ]
        return max(cells, default=0.0) + 2 * self.margin_pt

    def row_pt(self, style: str) -> float:
        """A one-line row (a group row) in `style`."""
        return self._pitch(style) + 2 * self.margin_pt

    def first_lines(self, column: Column, room_pt: float) -> int:
        """Lines of a body cell of this column that fit `room_pt` of a page, less the reserve."""
        assert self.spec is not None
        return (
            math.floor((room_pt - 2 * self.margin_pt) / self._pitch(column.style)) - self.spec.reserve_lines
        )

    def split(self, row: Row, lead_rows: int = 0, room_pt: float | None = None) -> list[dict[str, object]]:
        """row (field → text, or → list of paragraphs) as one row, or as several rows each fitting a page:
        a text field cut into parts (joined they are the text), the paragraphs of a list field shared out,
        the 序号 repeated on every part. With `room_pt`, the first part fits the room left on the page
        where the row starts (the rest on the pages after)."""
        if self.spec is None:
            return [dict(row)]
        chunks: dict[str, list[list[str]]] = {}
        for column in self.columns:
            if column.field == NUMBER_FIELD or column.field not in row:
                continue
            paragraphs = self._paragraphs(row, column)
            wrap = self.wrap(column)
            budget = self.budget(column, lead_rows)
            if room_pt is None:
                chunks[column.field] = _chunks(paragraphs, wrap.lines, budget)
            else:
                first = min(budget, self.first_lines(column, room_pt))
                chunks[column.field] = _chunks_after(paragraphs, wrap.lines, budget, first)
        count = max((len(c) for c in chunks.values()), default=1)
        if count == 1:
            return [dict(row)]
        parts = []
        for index in range(count):
            part = dict(row)
            for field, pieces in chunks.items():
                paragraphs = pieces[index] if index < len(pieces) else []
                part[field] = "".join(paragraphs) if isinstance(row[field], str) else paragraphs or [""]
            if index and NUMBER_FIELD in row:
                part[NUMBER_FIELD] = self.spec.continued_number.format(number=row[NUMBER_FIELD])
            parts.append(part)
        return parts
