"""Tables that read like typeset tables (issue 21), measured on the PDF: no unit name split across two
lines of a table cell, and no line that starts with a closing mark or ends with an opening one (避头尾).

The page is read as regions: each table cell (pdfplumber finds the cells from the ruling lines) and the
rest of the page. Inside a region the characters are grouped into lines by their height on the page; a
line break is where one line ends and the next begins. LibreOffice keeps the marks right by itself when
the text lets it (its Asian line breaking), so a failure here is a cell too narrow for what it holds, or
text that breaks the line itself."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from ..layout import Layout
from .result import Check

# The marks a line may not start with (a closing mark or a point) and may not end with (an opening mark).
NO_START = frozenset("、，。；：？！）》”’〕】」』")
NO_END = frozenset("（《“‘〔【「『")
LINE_TOLERANCE_PT = 2.0  # characters whose tops differ by less are on one line
SHOWN = 4  # defects named one by one


@dataclass(frozen=True)
class Break:
    """Where a line of a region ends and the next begins."""

    page: int
    before: str  # the line that ends
    after: str  # the line that follows
    in_cell: bool


def _lines(chars: Iterable[dict]) -> list[str]:
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if rows and abs(rows[-1][0]["top"] - char["top"]) < LINE_TOLERANCE_PT:
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = ["".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])).strip() for row in rows]
    return [line for line in lines if line]


def _inside(char: dict, box: Sequence[float]) -> bool:
    x0, top, x1, bottom = box
    mid_x, mid_y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return x0 <= mid_x <= x1 and top <= mid_y <= bottom


def breaks(path: Path) -> list[Break]:
    """Every line break of the PDF's upright text, region by region (cells first, then the rest)."""
    found: list[Break] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            chars = [c for c in page.chars if c.get("upright", True) and c["text"].strip()]
            cells = [tuple(cell) for table in page.find_tables() for cell in table.cells if cell]
            rest = chars
            for cell in cells:
                own = [c for c in rest if _inside(c, cell)]
                if not own:
                    continue
                rest = [c for c in rest if not _inside(c, cell)]
                found += _pairs(number, _lines(own), in_cell=True)
            found += _pairs(number, _lines(rest), in_cell=False)
    return found


def _pairs(page: int, lines: list[str], in_cell: bool) -> list[Break]:
    return [Break(page, a, b, in_cell) for a, b in zip(lines, lines[1:], strict=False)]


def split_name(brk: Break, names: Sequence[str]) -> str | None:
    """The unit name this break cuts in two (the line ends with its head, the next starts with its
    tail), the longest such; None when it cuts none."""
    cut = [
        name
        for name in names
        if any(brk.before.endswith(name[:k]) and brk.after.startswith(name[k:]) for k in range(1, len(name)))
    ]
    return max(cut, key=len) if cut else None


def _where(brk: Break) -> str:
    return f"第 {brk.page} 页“{brk.before[-8:]} / {brk.after[:8]}”"


def typeset_checks(path: Path, layout: Layout, names: Sequence[str] | None) -> list[Check]:
    """The two rules on one PDF: 单位名称不断行 (in table cells; not applicable without a roster) and
    避头尾 (every line of the page)."""
    found = breaks(path)
    clause = dict(layout.clauses).get("table", "8")
    marks = [b for b in found if b.after[0] in NO_START or b.before[-1] in NO_END]
    checks = [
        Check(
            clause,
            "避头尾（行首无点号、右括号，行尾无左括号）",
            "没有以、，。；：）》” 等开头或以（《“ 结尾的行",
            f"{len(marks)} 处："
            + "；".join(_where(b) for b in marks[:SHOWN])
            + ("…" if len(marks) > SHOWN else "")
            if marks
            else f"{len(found)} 处换行均符合",
            not marks,
            "pdf",
        )
    ]
    if names is None:
        checks.append(
            Check(
                clause, "单位名称不断行（表格内）", "单位名称排在一行", "不适用：未读到单位名册", True, "pdf"
            )
        )
        return checks
    cut = [(b, name) for b in found if b.in_cell for name in [split_name(b, names)] if name]
    cell_breaks = sum(1 for b in found if b.in_cell)
    checks.append(
        Check(
            clause,
            "单位名称不断行（表格内）",
            "单元格中的单位名称（名册中的简称、全称）排在一行",
            f"{len(cut)} 处："
            + "；".join(f"{_where(b)} 拆开了“{n}”" for b, n in cut[:SHOWN])
            + ("…" if len(cut) > SHOWN else "")
            if cut
            else f"单元格中 {cell_breaks} 处换行均未拆开单位名称",
            not cut,
            "pdf",
        )
    )
    return checks
