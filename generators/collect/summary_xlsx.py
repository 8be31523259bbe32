"""汇总表 (.xlsx): every reported task row, counts per unit (with a bar chart), status per task, and the units
that have not reported."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generators.artifact import Artifact
from generators.formspec import FormsLayout
from generators.layout import Layout
from generators.model import Plan
from generators.render.annex_xlsx import BORDER, to_bytes
from generators.render.docx import meta_datetime
from generators.render.forms import CellStyles
from generators.render.xlsx_print import print_landscape
from generators.views import Views

from .collection import Collection
from .tally import Tally

TITLE_ROW, HEADER_ROW = 1, 2
CHART_ROWS_PER_UNIT = 0.55  # chart height in cm per unit bar, so 52 bars stay readable


def _styles(layout: Layout) -> CellStyles:
    xl = layout.xlsx
    body = Font(name=xl.font, size=xl.size_pt)
    return CellStyles(
        {
            "title": {
                "font": Font(name=dict(layout.fonts)["xiaobiaosong"], size=xl.title_size_pt),
                "alignment": Alignment(horizontal="center", vertical="center"),
            },
            "header": {
                "font": Font(name=xl.header_font, size=xl.size_pt),
                "border": BORDER,
                "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
            },
            "text": {
                "font": body,
                "border": BORDER,
                "alignment": Alignment(horizontal="left", vertical="top", wrap_text=True),
            },
            "number": {"font": body, "border": BORDER, "alignment": Alignment(horizontal="center")},
        }
    )


def _table(
    ws: Worksheet, styles: CellStyles, title: str, header: list[tuple[str, float]], rows: list[list]
) -> None:
    """Title, header (name, width in characters) and rows; numbers centred, text wrapped."""
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(header))
    styles.apply(ws.cell(TITLE_ROW, 1, title), "title")
    ws.row_dimensions[TITLE_ROW].height = 30
    for col, (name, width) in enumerate(header, start=1):
        styles.apply(ws.cell(HEADER_ROW, col, name), "header")
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        for col, value in enumerate(values, start=1):
            styles.apply(ws.cell(r, col, value), "number" if isinstance(value, int) else "text")
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    if rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(header))}{HEADER_ROW + len(rows)}"


def _rows_sheet(ws: Worksheet, tally: Tally, spec: FormsLayout, styles: CellStyles, title: str) -> None:
    labels, col = spec.summary.labels, spec.column
    header = [
        (labels["unit"], 16),
        (col("key").name, 9),
        (col("task").name, 22),
        (col("role").name, 18),
        (col("status").name, 11),
        (col("progress").name, 40),
        (col("problems").name, 28),
        (col("next_steps").name, 28),
        (spec.reporter[0], 10),
        (spec.date_label, 14),
        (labels["file"], 20),
    ]
    rows = [
        [
            r.unit,
            r.key_text,
            r.task,
            r.role,
            r.status,
            r.progress,
            r.problems,
            r.next_steps,
            r.reporter,
            r.date,
            r.file,
        ]
        for r in tally.rows
    ]
    _table(ws, styles, title, header, rows)


def _units_sheet(
    ws: Worksheet, tally: Tally, spec: FormsLayout, styles: CellStyles, title: str, plan
) -> None:
    labels = spec.summary.labels
    category = {u.name: u.category.value for u in plan.units}
    header = [(labels["unit"], 16), (labels["category"], 10)]
    header += [(s, 10) for s in tally.statuses] + [
        (labels["total"], 8),
        (spec.date_label, 14),
        (labels["file"], 20),
    ]
    rows = []
    for unit, counts in tally.by_unit.items():
        verdict = tally.collection.reports[unit]
        date = next((r.date for r in tally.rows if r.unit == unit), "")
        rows.append(
            [
                unit,
                category[unit],
                *(counts[s] for s in tally.statuses),
                sum(counts.values()),
                date,
                verdict.name,
            ]
        )
    _table(ws, styles, title, header, rows)
    if rows:
        _chart(ws, spec, len(rows), len(tally.statuses))


def _chart(ws: Worksheet, spec: FormsLayout, units: int, statuses: int) -> None:
    """Stacked horizontal bars: one bar per unit, one colour per status."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = spec.summary.chart_title
    first, last = HEADER_ROW + 1, HEADER_ROW + units
    data = Reference(ws, min_col=3, max_col=2 + statuses, min_row=HEADER_ROW, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.y_axis.title = spec.summary.labels["total"]
    chart.x_axis.scaling.orientation = "maxMin"  # first unit on top, as in the table
    chart.height = max(8.0, units * CHART_ROWS_PER_UNIT)
    chart.width = 20
    ws.add_chart(chart, f"{get_column_letter(statuses + 7)}{HEADER_ROW}")


def _tasks_sheet(ws: Worksheet, tally: Tally, spec: FormsLayout, styles: CellStyles, title: str) -> None:
    labels = spec.summary.labels
    header = [(spec.column("key").name, 9), (spec.column("task").name, 24)]
    header += [(labels["holders"], 9), (labels["reported"], 9)]
    header += [(s, 8) for s in tally.statuses]
    header += [(f"{s}{labels['units_suffix']}", 24) for s in tally.statuses]
    header += [(labels["returned"], 24), (labels["not_reported"], 30)]
    rows = [
        [
            t.key_text,
            t.task,
            len(t.units),
            len(t.status_of),
            *(len(t.units_with(s)) for s in tally.statuses),
            *("、".join(t.units_with(s)) for s in tally.statuses),
            "、".join(t.returned),
            "、".join(t.not_reported),
        ]
        for t in tally.by_task
    ]
    _table(ws, styles, title, header, rows)


def _missing_sheet(
    ws: Worksheet, tally: Tally, spec: FormsLayout, styles: CellStyles, title: str, plan
) -> None:
    """退回 first (with the refused file and the reason), then 未报送: each unit once, under its own heading."""
    labels, collection = spec.summary.labels, tally.collection
    category = {u.name: u.category.value for u in plan.units}
    header = [(labels["index"], 6), (labels["unit"], 18), (labels["category"], 10)]
    header += [(labels["outcome"], 10), (labels["reason"], 60)]
    units = [*collection.returned, *collection.not_reported]
    rows = [
        [
            i,
            unit,
            category[unit],
            labels["returned_outcome"] if unit in collection.returned else labels["not_reported_outcome"],
            collection.reason(unit),
        ]
        for i, unit in enumerate(units, 1)
    ]
    _table(ws, styles, title, header, rows)


def build_summary(plan: Plan, views: Views, layout: Layout, collection: Collection) -> Workbook:
    spec = FormsLayout.of(layout)
    tally = Tally(views, spec, collection)
    names = spec.names(plan, collection.quarter)
    title = spec.summary.title.format(**names)
    sheets = spec.summary.sheets
    wb = Workbook()
    styles = _styles(layout)
    ws = wb.active
    ws.title = sheets["units"]
    _units_sheet(ws, tally, spec, styles, f"{title}（{sheets['units']}）", plan)
    _tasks_sheet(wb.create_sheet(sheets["tasks"]), tally, spec, styles, f"{title}（{sheets['tasks']}）")
    _rows_sheet(wb.create_sheet(sheets["rows"]), tally, spec, styles, f"{title}（{sheets['rows']}）")
    _missing_sheet(
        wb.create_sheet(sheets["missing"]), tally, spec, styles, f"{title}（{sheets['missing']}）", plan
    )
    for sheet in wb.worksheets:  # every sheet prints like the forms: landscape, one page wide, numbered
        print_landscape(sheet, layout.landscape, header_rows=f"{HEADER_ROW}:{HEADER_ROW}", footer=spec.footer)
    props = wb.properties
    props.title = title
    props.creator = props.lastModifiedBy = plan.meta.office
    props.created = props.modified = meta_datetime(plan.meta)
    return wb


def render_summary(plan: Plan, views: Views, layout: Layout, collection: Collection) -> Artifact:
    spec = FormsLayout.of(layout)
    return Artifact(
        kind="summary",
        path=spec.summary.path.format(**spec.names(plan, collection.quarter)),
        data=to_bytes(build_summary(plan, views, layout, collection)),
        quarter=collection.quarter,
    )
