"""Chart colours in the workbooks (汇总表, 年度推进台账): every status series painted in its colour of
the one palette (templates/layout.yaml status_colours), the colour the sheets shade that status in.

A series is a status series when its name (the header cell its c:tx refers to, or the cached or literal
text) is a status of the palette; a chart of other series is not checked.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from lxml import etree
from openpyxl import load_workbook

from ..layout import Layout
from .result import Check

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"c": C, "a": A}
CLAUSE = "实务"
_REFERENCE = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]+)\$?(\d+)$")


def _series_name(series: etree._Element, cell_of: Callable[[str, str], object]) -> str:
    literal = series.find("c:tx/c:v", NS)
    if literal is not None and literal.text:
        return literal.text
    cached = series.find("c:tx/c:strRef/c:strCache/c:pt/c:v", NS)
    if cached is not None and cached.text:
        return cached.text
    formula = series.find("c:tx/c:strRef/c:f", NS)
    if formula is not None and formula.text:
        match = _REFERENCE.match(formula.text.strip())
        if match:
            sheet = (match.group(1) or "").replace("''", "'") or match.group(2)
            return str(cell_of(sheet, f"{match.group(3)}{match.group(4)}") or "")
    return ""


def _fill(series: etree._Element) -> str | None:
    colour = series.find("c:spPr/a:solidFill/a:srgbClr", NS)
    return None if colour is None else (colour.get("val") or "").upper()


def chart_colour_problems(path: Path, layout: Layout) -> tuple[list[str], int]:
    """('图表N 系列“滞后”：未指定颜色' …, number of status series seen) of one workbook."""
    palette = {status: colour.upper() for status, colour in layout.status_colours}
    book = None

    def cell_of(sheet: str, ref: str) -> object:
        nonlocal book
        if book is None:
            book = load_workbook(path, read_only=True, data_only=True)
        return book[sheet][ref].value if sheet in book.sheetnames else None

    problems: list[str] = []
    seen = 0
    try:
        with zipfile.ZipFile(path) as archive:
            charts = sorted(
                (n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
                key=lambda n: int(re.sub(r"\D", "", PurePosixPath(n).name)),
            )
            for number, name in enumerate(charts, start=1):
                root = etree.fromstring(archive.read(name))
                for series in root.iterfind(".//c:ser", NS):
                    status = _series_name(series, cell_of)
                    if status not in palette:
                        continue
                    seen += 1
                    fill = _fill(series)
                    if fill is None:
                        problems.append(f"图表{number} 系列“{status}”未指定颜色（由表格软件自选）")
                    elif fill != palette[status]:
                        problems.append(f"图表{number} 系列“{status}”为 {fill}，配色为 {palette[status]}")
    finally:
        if book is not None:
            book.close()
    return problems, seen


def check_chart_colours(path: Path, layout: Layout) -> list[Check]:
    problems, seen = chart_colour_problems(path, layout)
    if not seen and not problems:
        return []
    return [
        Check(
            clause=CLAUSE,
            rule=f"图表状态颜色取自统一配色（{path.name}）",
            expected="每个状态系列按 layout.yaml status_colours 着色，与表格状态底色相同",
            measured="；".join(problems) if problems else f"{seen} 个状态系列均按配色",
            passed=not problems,
            source="xlsx",
        )
    ]
