"""The status palette (templates/layout.yaml status_colours) on sheets and charts: a status cell is shaded,
and a chart's status series painted, in the same colour everywhere — never left to the spreadsheet
program, whose defaults painted 按计划推进 red and 滞后 green, against the sheets' own shading."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.chart import BarChart
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from generators.layout import Layout


def paint_status_series(chart: BarChart, statuses: Sequence[str], layout: Layout) -> None:
    """Each series (one per status, in `statuses` order) filled and outlined in its palette colour."""
    if len(chart.series) != len(statuses):
        raise ValueError(f"{len(chart.series)} series for {len(statuses)} statuses")
    for series, status in zip(chart.series, statuses, strict=True):
        colour = layout.status_colour(status)
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour


def shade_statuses(ws: Worksheet, area: str, statuses: Sequence[str], layout: Layout) -> None:
    """Conditional shading of the cells in `area` that hold a status, in its palette colour."""
    for status in statuses:
        colour = layout.status_colour(status)
        fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
        fill.bgColor = colour  # a differential fill is painted with its background colour
        ws.conditional_formatting.add(area, CellIsRule(operator="equal", formula=[f'"{status}"'], fill=fill))
