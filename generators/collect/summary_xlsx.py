"""汇总表 (.xlsx): every reported task row, counts per unit (with a bar chart), status per task, and the units
that have not reported."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import cast

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties
from openpyxl.styles import Alignment
from openpyxl.styles import Font as CellFont
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generators.artifact import Artifact
from generators.formats.status_colours import paint_status_series, shade_statuses
from generators.formats.widths import ColumnText, fit_widths, pack_lines, text_em
from generators.formats.xlsx import (
    CELL_PADDING_MM,
    PrintSetup,
    StyleCache,
    column_units,
    default_font,
    first_sheet,
    set_print,
    set_properties,
    text_lines,
    with_margins,
)
from generators.formats.xlsx_bytes import workbook_bytes, workbook_members
from generators.formats.xlsx_stamp import cell_xml, row_xml, set_last_row
from generators.formats.zipwriter import Deflated, zip_members
from generators.formspec import FormsLayout
from generators.layout import MM_PER_PT, Layout, PageSpec, XlsxSpec
from generators.model import Plan
from generators.render.annex_xlsx import BORDER
from generators.render.docx import meta_datetime
from generators.views import Views

from .collection import Collection
from .tally import Tally

TITLE_ROW, HEADER_ROW = 1, 2
# The widest a sheet may be and still print its text at ≥ 10 pt when fitted to the page width.
MIN_PRINTED_PT = 10
FOOTER_ROOM_CM = 1.5  # the chart leaves the page number its line
EDGE_CM = 1.0  # and stays clear of the right margin (a chart wider than the page spills onto a second one)
HEADER_LINE = 1.4  # header lines (黑体) are this much taller than body lines (仿宋)
SAFETY = 0.95  # LibreOffice prints columns a few per cent wider than Excel's digit-width arithmetic
LIST_SEPARATOR = "、"


def cell_styles(layout: Layout) -> StyleCache:
    """The summary's cell styles, shared with the ledger's workbooks."""
    xl = layout.xlsx
    body = CellFont(name=xl.font, size=xl.size_pt)
    return StyleCache(
        {
            "title": {
                "font": CellFont(name=dict(layout.fonts)["xiaobiaosong"], size=xl.title_size_pt),
                "alignment": Alignment(horizontal="center", vertical="center"),
            },
            "header": {
                "font": CellFont(name=xl.header_font, size=xl.size_pt),
                "border": BORDER,
                "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
            },
            "text": {
                "font": body,
                "border": BORDER,
                "alignment": Alignment(horizontal="left", vertical="top", wrap_text=True),
            },
            "number": {
                "font": body,
                "border": BORDER,
                "alignment": Alignment(horizontal="center", vertical="top"),
            },
        }
    )


class _Tables:
    """Writes each sheet's title, header and rows through openpyxl, or (first_only) only the first row of
    a long table: the rest are kept in `stamped` (sheet title → rows and heights) and written into the
    sheet's XML after openpyxl has written the workbook, cell for cell as openpyxl writes them
    (render_summary; tests/test_collect_fast.py compares the bytes)."""

    def __init__(self, styles: StyleCache, layout: Layout, first_only: bool = False):
        self.styles, self.layout, self.first_only = styles, layout, first_only
        self.stamped: dict[str, tuple[list[list], list[float]]] = {}

    def write(
        self,
        ws: Worksheet,
        title: str,
        header: Sequence[tuple[str, bool]],
        rows: list[list],
        widths: list[float] | None = None,
        printed: int | None = None,
    ) -> None:
        """Title, header (name, kept on one line) and rows; numbers centred, text wrapped, each row as tall
        as its longest text. The widths (mm) come from the content (fitted_widths) unless given. `printed`:
        only the first so many columns print (the title is centred over them), the rest are for the screen."""
        styles, xl = self.styles, self.layout.xlsx
        if widths is None:
            widths = fitted_widths(
                [ColumnText(name, [row[i] for row in rows], keep) for i, (name, keep) in enumerate(header)],
                self.layout,
            )
        span = printed or len(header)
        ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=span)
        styles.apply(ws.cell(TITLE_ROW, 1, title), "title")
        ws.row_dimensions[TITLE_ROW].height = 30
        for col, ((name, _), width) in enumerate(zip(header, widths, strict=True), start=1):
            styles.apply(ws.cell(HEADER_ROW, col, name), "header")
            ws.column_dimensions[get_column_letter(col)].width = column_units(width, xl.size_pt)
        # 黑体 (Noto Sans CJK in LibreOffice) sets its lines wider apart than 仿宋
        ws.row_dimensions[HEADER_ROW].height = _height([n for n, _ in header], widths, xl, HEADER_LINE)
        # Neither Excel nor LibreOffice grows a row for wrapped text a program wrote: estimate it.
        heights = [_height(values, widths, xl) for values in rows]
        kept = rows[:1] if self.first_only else rows
        for r, values in enumerate(kept, start=HEADER_ROW + 1):
            for col, value in enumerate(values, start=1):
                styles.apply(ws.cell(r, col, value), "number" if isinstance(value, int) else "text")
            ws.row_dimensions[r].height = heights[r - HEADER_ROW - 1]
        if len(kept) < len(rows):
            self.stamped[ws.title] = (rows, heights)
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1).coordinate
        if rows:
            ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(header))}{HEADER_ROW + len(rows)}"
        if printed is not None:
            ws.print_area = f"A{TITLE_ROW}:{get_column_letter(printed)}{HEADER_ROW + max(len(rows), 1)}"


def sheet_page(layout: Layout) -> PageSpec:
    """The landscape page the summary's and the ledger's sheets print on: their own margins (layout.yaml
    xlsx.sheet_margins_mm; they are tables, not 公文), else the 公文 landscape page's."""
    return with_margins(layout.landscape, layout.xlsx.sheet_margins_mm or {})


def fitted_widths(columns: Sequence[ColumnText], layout: Layout) -> list[float]:
    """Column widths in mm from the content (formats/widths.py): the sheet as wide as fits the landscape
    type area when printed at ≥ 10 pt."""
    page = sheet_page(layout)
    type_width = page.width_mm - page.margin_left_mm - page.margin_right_mm
    total = type_width * layout.xlsx.size_pt / MIN_PRINTED_PT * SAFETY
    assert layout.xlsx.fit is not None, "layout.yaml xlsx.fit"
    return fit_widths(columns, total, layout.xlsx.size_pt, layout.xlsx.fit, CELL_PADDING_MM)


def _height(values: list, widths: list[float], xl: XlsxSpec, line: float = 1.0) -> float:
    lines = max(
        cell_lines("" if v is None else v, w, xl.size_pt) for v, w in zip(values, widths, strict=True)
    )
    return lines * xl.line_height_pt * line + 4


@lru_cache(maxsize=2**16)
def cell_lines(value: object, width_mm: float, size_pt: float) -> int:
    """text_lines, once per text and width: unit names, tasks and statuses repeat on every row (the
    summary's and the ledger's sheets)."""
    return text_lines(value, width_mm, size_pt)


UPDATED = "本期是否更新"  # 一表通: only when some row carries the unit's last answer unchanged
UPDATE_MARKS = {True: "沿用上期", False: "新填报"}


def _rows_sheet(
    ws: Worksheet,
    tally: Tally,
    spec: FormsLayout,
    tables: _Tables,
    title: str,
    unchanged: frozenset[tuple[str, str]] = frozenset(),
) -> None:
    labels, col = spec.summary.labels, spec.column
    header = [
        (labels["unit"], True),
        (col("key").name, True),
        (col("task").name, False),
        (col("role").name, False),
        (col("status").name, True),
        (col("progress").name, False),
        (col("problems").name, False),
        (col("next_steps").name, False),
        (spec.reporter[0], True),
        (spec.date_label, True),
        (labels["file"], True),
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
    if unchanged:  # after 进展情况: tells the text the unit wrote this period from the text carried over
        at = [name for name, _ in header].index(col("progress").name) + 1
        header.insert(at, (UPDATED, True))
        for r, row in zip(tally.rows, rows, strict=True):
            row.insert(at, UPDATE_MARKS[(r.unit, r.key) in unchanged])
    # 填报人, 填报日期 and 来源文件 are the same on every row of a return: they stay in the sheet (filter,
    # copy) but print once per unit, on 按单位. The page goes to 进展情况, 存在问题, 下步计划: a played Q1 of
    # the seed (11 returns) printed 明细 on 91 pages at 6 rows a page with them.
    printed = [name for name, _ in header].index(col("next_steps").name) + 1
    columns = [ColumnText(name, [row[i] for row in rows], keep) for i, (name, keep) in enumerate(header)]
    widths = fitted_widths(columns[:printed], tables.layout) + fitted_widths(columns[printed:], tables.layout)
    tables.write(ws, title, header, rows, widths, printed)
    if rows:  # the status column shaded in the palette of the charts and the year workbook
        status = get_column_letter([name for name, _ in header].index(col("status").name) + 1)
        shade_statuses(
            ws, f"{status}{HEADER_ROW + 1}:{status}{HEADER_ROW + len(rows)}", tally.statuses, tables.layout
        )


def _units_sheet(
    ws: Worksheet, tally: Tally, spec: FormsLayout, tables: _Tables, title: str, plan: Plan
) -> list[list]:
    labels = spec.summary.labels
    category = tally.category
    header = [(labels["unit"], True), (labels["category"], True)]
    header += [(s, True) for s in tally.statuses] + [
        (labels["total"], True),
        (spec.reporter[0], True),
        (spec.date_label, True),
        (labels["file"], True),
    ]
    rows = []
    dates: dict[str, str] = {}
    reporters: dict[str, str] = {}
    for r in tally.rows:
        dates.setdefault(r.unit, r.date)
        reporters.setdefault(r.unit, r.reporter)
    for unit, counts in tally.by_unit.items():
        verdict = tally.collection.reports[unit]
        date = dates.get(unit, "")
        rows.append(
            [
                unit,
                category[unit],
                *(counts[s] for s in tally.statuses),
                sum(counts.values()),
                reporters.get(unit, ""),
                date,
                verdict.name,
            ]
        )
    tables.write(ws, title, header, rows)
    return rows


def printable(ws: Worksheet, layout: Layout, spec: FormsLayout) -> None:
    """Landscape, one page wide, the header row on every page, page numbers in 宋体 (summary and ledger)."""
    set_print(
        ws,
        PrintSetup(
            sheet_page(layout),
            footer=spec.footer,
            footer_font=dict(layout.fonts)["songti"],
            footer_size_pt=layout.xlsx.size_pt,
            title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
        ),
    )


def _chart(
    wb: Workbook, ws: Worksheet, spec: FormsLayout, layout: Layout, units: int, statuses: Sequence[str]
) -> None:
    """Stacked horizontal bars, one per unit, one colour per status, on a chart sheet of its own that
    prints on one portrait page: every unit's name labelled (no skipped labels), at 10 pt."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = spec.summary.chart_title
    first, last = HEADER_ROW + 1, HEADER_ROW + units
    data = Reference(ws, min_col=3, max_col=2 + len(statuses), min_row=HEADER_ROW, max_row=last)
    chart.add_data(data, titles_from_data=True)
    paint_status_series(chart, statuses, layout)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.y_axis.title = spec.summary.labels["total"]
    chart.x_axis.scaling.orientation = "maxMin"  # first unit on top, as in the table
    chart.x_axis.tickLblSkip = 1  # a label on every bar, even when they are close
    chart.x_axis.tickMarkSkip = 1
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # In 仿宋 (a line one character high; Noto Sans CJK's is 1.45): LibreOffice drops every other label
    # when the labels are taller than the bars are apart.
    face = Font(typeface=layout.xlsx.font)
    label = CharacterProperties(latin=face, ea=face, sz=int(MIN_PRINTED_PT * 100))
    chart.x_axis.txPr = RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=label), endParaRPr=label)])
    chart.legend.position = "b"  # below: the bars get the page's width
    # A worksheet of its own, not a chart sheet: LibreOffice prints an openpyxl chart sheet blank.
    sheet = wb.create_sheet(spec.summary.sheets["chart"])
    # Portrait with the forms' narrow margins, printed at 100 %: the bars run down the long side, with
    # room for every unit's label at 10 pt (a label is dropped when the bars are closer than its height).
    margins = layout.part("forms")["margins_mm"]
    chart.width = (layout.page.width_mm - margins["left"] - margins["right"]) / 10 - EDGE_CM  # cm
    chart.height = (layout.page.height_mm - margins["top"] - margins["bottom"]) / 10 - FOOTER_ROOM_CM
    sheet.add_chart(chart, "A1")
    # Inside one column no wider than the page, on a page that may only shrink: nothing spills over.
    sheet.column_dimensions["A"].width = column_units(chart.width * 10 + EDGE_CM * 5, layout.xlsx.size_pt)
    set_print(
        sheet,
        PrintSetup(
            with_margins(layout.page, margins),
            footer=spec.footer,
            footer_font=dict(layout.fonts)["songti"],
            footer_size_pt=layout.xlsx.size_pt,
            orientation="portrait",
            fit_height=1,
            centred=False,
        ),
    )


def _tasks_sheet(
    ws: Worksheet, tally: Tally, spec: FormsLayout, tables: _Tables, title: str, missing_sheet: str
) -> None:
    """One row per task: its counts, then every holder under its status in one column (已完成（5）：…；
    滞后（2）：…；退回…；未报送…), the lines broken by us between names (formats.widths.pack_lines). A
    task's 未报送 list that is every unit not reporting this quarter (most tasks, when few report) says so
    instead of repeating the same 40 names on every row: they are listed once, in 退回和未报送. A list
    longer than the layout's list_lines goes on in continuation rows that repeat the task's 编号 (and say
    续 where its name was), so no row is taller than a page."""
    labels = spec.summary.labels
    header = [(spec.column("key").name, True), (spec.column("task").name, False)]
    header += [(labels["holders"], True), (labels["reported"], True)]
    header += [(s, True) for s in tally.statuses]
    header += [(labels["status_units"], False)]
    everyone_missing = set(tally.collection.not_reported)
    tasks = []
    for t in tally.by_task:
        groups = [(s, t.units_with(s)) for s in tally.statuses]
        groups += [(labels["returned_outcome"], t.returned)]
        missing = t.not_reported
        if len(missing) > 1 and set(missing) == everyone_missing:
            groups.append(
                (labels["not_reported_outcome"], (labels["all_not_reported"].format(sheet=missing_sheet),))
            )
            counted = {labels["not_reported_outcome"]: len(missing)}
        else:
            groups.append((labels["not_reported_outcome"], missing))
            counted = {}
        cells = [
            t.key_text,
            t.task,
            len(t.units),
            len(t.status_of),
            *(len(t.units_with(s)) for s in tally.statuses),
        ]
        tasks.append(
            (cells, [(name, counted.get(name, len(units)), units) for name, units in groups if units])
        )
    layout = tables.layout
    fit = layout.xlsx.fit
    assert fit is not None, "layout.yaml xlsx.fit"
    atoms = [_atoms(groups, labels["unit_group"]) for _, groups in tasks]
    widths = fitted_widths(
        [
            *(
                ColumnText(name, [cells[i] for cells, _ in tasks], keep)
                for i, (name, keep) in enumerate(header[:-1])
            ),
            ColumnText(
                header[-1][0],
                ["".join(a) for a in atoms],
                min_em=max((text_em(x, fit.other_em) for a in atoms for x in a), default=0.0),
            ),
        ],
        layout,
    )
    room = (widths[-1] - CELL_PADDING_MM - PACK_SLACK_MM) / (layout.xlsx.size_pt * MM_PER_PT)
    rows = []
    for (cells, _), parts in zip(tasks, atoms, strict=True):
        lines = pack_lines(parts, room, fit.other_em) or [""]
        step = spec.summary.list_lines
        for i in range(0, len(lines), step):
            lead = cells if i == 0 else [cells[0], labels["continued"], *([""] * (len(cells) - 2))]
            rows.append([*lead, "\n".join(lines[i : i + step])])
    tables.write(ws, title, header, rows, widths)


# Packing leaves this much of a list cell's text width unused: LibreOffice's glyphs and cell margins take a
# little more than the estimate, and one name too many on a line would wrap it inside the next name.
PACK_SLACK_MM = 2.0


def _atoms(groups: Sequence[tuple[str, int, Sequence[str]]], label: str) -> list[str]:
    """The pieces pack_lines sets: each name with the mark after it, the status's label on its first."""
    out: list[str] = []
    for g, (status, count, units) in enumerate(groups):
        last = g == len(groups) - 1
        for i, unit in enumerate(units):
            mark = LIST_SEPARATOR if i < len(units) - 1 else ("" if last else GROUP_SEPARATOR)
            out.append((label.format(status=status, count=count) if i == 0 else "") + unit + mark)
    return out


GROUP_SEPARATOR = "；"


def _missing_sheet(
    ws: Worksheet, tally: Tally, spec: FormsLayout, tables: _Tables, title: str, plan: Plan
) -> None:
    """退回 first (with the refused file and the reason), then 未报送: each unit once, under its own heading."""
    labels, collection = spec.summary.labels, tally.collection
    category = tally.category
    header = [(labels["index"], True), (labels["unit"], True), (labels["category"], True)]
    header += [(labels["outcome"], True), (labels["reason"], False)]
    units = [*collection.returned, *collection.not_reported]
    rows = [
        [
            i,
            unit,
            category[unit],
            labels["returned_outcome"] if unit in collection.returned else labels["not_reported_outcome"],
            # for the office: the refused file, then every problem as the unit is told them
            f"{collection.returned[unit].name}：{collection.reason(unit)}"
            if unit in collection.returned
            else collection.reason(unit),
        ]
        for i, unit in enumerate(units, 1)
    ]
    tables.write(ws, title, header, rows)


def build_summary(
    plan: Plan, views: Views, layout: Layout, collection: Collection, tally: Tally | None = None
) -> Workbook:
    """The summary workbook with every cell written through openpyxl (render_summary stamps the long
    tables instead; the bytes are the same). `tally` when the quarter comes from elsewhere than the
    returns (the ledger's rebuild: generators/ledger/rebuild.py), else tallied from the collection."""
    return _build(plan, views, layout, collection, _Tables(cell_styles(layout), layout), tally)


def _build(
    plan: Plan, views: Views, layout: Layout, collection: Collection, tables: _Tables, tally: Tally | None
) -> Workbook:
    spec = FormsLayout.of(layout)
    tally = tally or Tally(views, spec, collection)
    names = spec.names(plan, collection.quarter)
    title = spec.summary.title.format(**names)
    sheets = spec.summary.sheets
    wb = Workbook()
    default_font(wb, layout.xlsx.font, layout.xlsx.size_pt)
    ws = first_sheet(wb)
    ws.title = sheets["units"]
    unit_rows = _units_sheet(ws, tally, spec, tables, f"{title}（{sheets['units']}）", plan)
    _tasks_sheet(
        wb.create_sheet(sheets["tasks"]),
        tally,
        spec,
        tables,
        f"{title}（{sheets['tasks']}）",
        sheets["missing"],
    )
    from generators.ledger.carry import carried  # the ledger stack loads only when a summary is made

    carry, quarter = carried(plan, views, layout), collection.quarter
    unchanged = frozenset(
        (r.unit, r.key)
        for r in tally.rows
        if carry and carry.same(r.unit, r.key, quarter, r.status, r.progress)
    )
    _rows_sheet(
        wb.create_sheet(sheets["rows"]), tally, spec, tables, f"{title}（{sheets['rows']}）", unchanged
    )
    _missing_sheet(
        wb.create_sheet(sheets["missing"]), tally, spec, tables, f"{title}（{sheets['missing']}）", plan
    )
    for sheet in wb.worksheets:  # every sheet prints like the forms: landscape, one page wide, numbered
        printable(sheet, layout, spec)
    if unit_rows:
        _chart(wb, ws, spec, layout, len(unit_rows), tally.statuses)
    set_properties(wb, title=title, author=plan.meta.office, when=meta_datetime(plan.meta))
    return wb


def summary_bytes(
    plan: Plan, views: Views, layout: Layout, collection: Collection, tally: Tally | None = None
) -> bytes:
    """The workbook of build_summary, fast: openpyxl writes everything but the rows after the first of
    each table (styles, print setup, chart, properties), and those rows are written into its sheet XML
    the way openpyxl writes them. A text openpyxl would refuse (a control character) takes the openpyxl
    path, which says so."""
    tally = tally or Tally(views, FormsLayout.of(layout), collection)
    tables = _Tables(cell_styles(layout), layout, first_only=True)
    wb = _build(plan, views, layout, collection, tables, tally)
    members: dict[str, bytes | Deflated] = dict(workbook_members(wb))
    for number, ws in enumerate(wb.worksheets, start=1):  # openpyxl's part names
        if ws.title in tables.stamped:
            part = f"xl/worksheets/sheet{number}.xml"
            sheet = _stamped(cast(bytes, members[part]).decode("ascii"), *tables.stamped[ws.title])
            if sheet is None:
                return workbook_bytes(build_summary(plan, views, layout, collection, tally))
            members[part] = sheet
    return zip_members(members)


def _stamped(sheet: str, rows: list[list], heights: list[float]) -> bytes | None:
    """The sheet openpyxl wrote with the first row of the table, with all of them; None when a value is
    not one cell_xml writes as openpyxl does, or the first row does not show the style of every kind of
    cell (text, number) the table holds."""
    first = HEADER_ROW + 1
    start = sheet.index(f'<row r="{first}"')
    end = sheet.index("</sheetData>")
    style: dict[bool, str] = {}  # is a number → the style openpyxl gave it
    for s, t in re.findall(r'<c r="[A-Z]+\d+" s="(\d+)" t="(\w+)"', sheet[start:end]):
        style.setdefault(t == "n", s)
    # A cell's XML after its reference depends on its value only: made once per distinct value.
    after_ref: dict[object, str] = {}
    letters = [get_column_letter(c) for c in range(1, len(rows[0]) + 1)]
    last = first + len(rows) - 1
    head = set_last_row(sheet[:start], last)
    body = [head.encode("ascii")]  # bytes row by row: a city's sheet is tens of MB, held once
    for r, (values, height) in enumerate(zip(rows, heights, strict=True), start=first):
        cells = []
        for letter, value in zip(letters, values, strict=True):
            tail = after_ref.get(value)
            if tail is None:
                number = type(value) is int
                if not (number or (isinstance(value, str) and not ILLEGAL_CHARACTERS_RE.search(value))):
                    return None
                if number not in style:
                    return None
                tail = after_ref[value] = cell_xml("", style[number], value)[len('<c r=""') :]
            cells.append(f'<c r="{letter}{r}"{tail}')
        body.append(row_xml(r, height, cells).encode("ascii"))
    body.append(sheet[end:].encode("ascii"))
    return b"".join(body)


def render_summary(
    plan: Plan, views: Views, layout: Layout, collection: Collection, tally: Tally | None = None
) -> Artifact:
    spec = FormsLayout.of(layout)
    return Artifact(
        kind="summary",
        path=spec.summary.path.format(**spec.names(plan, collection.quarter)),
        data=summary_bytes(plan, views, layout, collection, tally),
        quarter=collection.quarter,
    )
