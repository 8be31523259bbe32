"""Does the PDF print every character of its .docx, in order? (A proof that silently drops a "，" at a line
end is worse than no proof.) Characters are compared without spaces: line breaks and justification differ.

The PDF is read in the .docx's order: lines top to bottom, and table cells row by row, left to right, each
cell's lines in turn. Page numbers are left out of the PDF side, so a page number cannot stand in for a lost
digit; text the PDF adds (a header row repeated on each page, the letterhead) is allowed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import pdfplumber
from pdfplumber.page import Page

from ..layout import Layout
from .source import DocxText, docx_text

PT_PER_MM = 72 / 25.4
LINE_GAP_PT = 3.0  # glyph tops further apart than this start a new line
CONTEXT = 6  # characters shown before a lost one


@dataclass(frozen=True)
class Printed:
    char: str
    page: int  # 1-based
    line: int  # 1-based, counted from the top of the page
    in_table: bool = False


@dataclass(frozen=True)
class Lost:
    char: str
    page: int
    line: int
    before: str  # the .docx text just before the lost character

    def describe(self) -> str:
        return f"第 {self.page} 页第 {self.line} 行“{self.before}”后缺“{self.char}”"


@dataclass(frozen=True)
class Fidelity:
    expected: int  # non-space characters in the .docx
    printed: int  # non-space characters in the PDF, page numbers excepted
    lost: tuple[Lost, ...]
    out_of_order: int  # running text (outside tables) printed, but not where the .docx has it


def page_number_pattern(layout: Layout) -> re.Pattern[str]:
    prefix, suffix = layout.page_number_prefix.strip(), layout.page_number_suffix.strip()
    return re.compile(rf"^{re.escape(prefix)}\s*(\d+)\s*{re.escape(suffix)}$")


def _line_of(chars: list[dict]) -> dict[int, int]:
    """id(char) → 1-based line number on the page, clustering glyph tops."""
    result, line, last = {}, 0, None
    for char in sorted(chars, key=lambda c: c["top"]):
        if last is None or char["top"] - last > LINE_GAP_PT:
            line += 1
        last = char["top"]
        result[id(char)] = line
    return result


def _inside(char: dict, box: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _page_chars(page: Page, layout: Layout, number: int, pattern: re.Pattern[str]) -> list[Printed]:
    spec = layout.landscape if page.width > page.height else layout.page
    area_bottom = page.height - spec.margin_bottom_mm * PT_PER_MM
    # Turned glyphs are the landscape page number; upright ones below the type area may be one too.
    chars = [c for c in page.chars if c["upright"] and c["text"].strip()]
    lines = _line_of(chars)
    below: dict[int, list[dict]] = {}
    for char in chars:
        if char["top"] >= area_bottom - 0.5:
            below.setdefault(lines[id(char)], []).append(char)
    for group in below.values():
        text = "".join(c["text"] for c in sorted(group, key=lambda c: c["x0"]))
        if pattern.match(text):
            dropped = {id(c) for c in group}
            chars = [c for c in chars if id(c) not in dropped]

    def in_reading_order(group: list[dict]) -> list[dict]:
        return sorted(group, key=lambda c: (lines[id(c)], c["x0"]))

    blocks: list[tuple[float, list[dict]]] = []
    taken: set[int] = set()  # characters inside a table
    for table in page.find_tables():
        ordered: list[dict] = []
        for row in table.rows:
            for box in row.cells:
                if box is None:
                    continue
                cell = [c for c in chars if id(c) not in taken and _inside(c, box)]
                taken.update(id(c) for c in cell)
                ordered += in_reading_order(cell)
        blocks.append((table.bbox[1], ordered))
    rest = [c for c in chars if id(c) not in taken]
    by_line: dict[int, list[dict]] = {}
    for char in rest:
        by_line.setdefault(lines[id(char)], []).append(char)
    blocks += [(min(c["top"] for c in group), in_reading_order(group)) for group in by_line.values()]
    blocks.sort(key=lambda block: block[0])
    return [Printed(c["text"], number, lines[id(c)], id(c) in taken) for _, group in blocks for c in group]


def printed_text(pdf: Path, layout: Layout) -> list[Printed]:
    pattern = page_number_pattern(layout)
    with pdfplumber.open(pdf) as doc:
        return [
            p for number, page in enumerate(doc.pages, 1) for p in _page_chars(page, layout, number, pattern)
        ]


def _unmatched(expected: list[str], shown: list[str]) -> tuple[list, int]:
    blocks = SequenceMatcher(None, expected, shown, autojunk=False).get_matching_blocks()
    return blocks, len(expected) - sum(b.size for b in blocks)


def _locate(expected: list[str], printed: list[Printed], deficit: Counter) -> list[Lost]:
    """Where each lost character should have been: after the last character printed in order before it."""
    blocks, _ = _unmatched(expected, [p.char for p in printed])
    remaining = Counter(deficit)
    lost, where, index = [], 0, 0
    for i, char in enumerate(expected):
        while blocks[index].size and i >= blocks[index].a + blocks[index].size:
            index += 1
        block = blocks[index]
        if block.size and block.a <= i:
            where = block.b + (i - block.a)
        elif remaining[char] > 0:
            remaining[char] -= 1
            at = printed[min(where, len(printed) - 1)] if printed else Printed(char, 1, 1)
            lost.append(Lost(char, at.page, at.line, "".join(expected[max(0, i - CONTEXT) : i])))
    return lost


def compare(text: DocxText, printed: list[Printed]) -> Fidelity:
    expected = [c for c in text.text if not c.isspace()]
    deficit = Counter(expected) - Counter(p.char for p in printed)
    lost = _locate(expected, printed, deficit) if deficit else []
    running = [c for c in text.running if not c.isspace()]
    _, unmatched = _unmatched(running, [p.char for p in printed if not p.in_table])
    running_lost = sum((Counter(running) - Counter(p.char for p in printed if not p.in_table)).values())
    return Fidelity(len(expected), len(printed), tuple(lost), max(0, unmatched - running_lost))


def check_fidelity(docx: Path, pdf: Path, layout: Layout) -> Fidelity:
    return compare(docx_text(docx), printed_text(pdf, layout))
