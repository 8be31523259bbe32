"""年度台账 (plandocs ledger): the year workbook drawn from the ledger, and its record.

The year workbook (printed): per quarter collected, 第N季度任务进度 — every unit's status in every task as
a matrix of marks (progress_view.py); 单位完成情况: per unit and quarter, tasks due and done; 区领导重点任务:
each 区领导's key tasks and where they stand now; 状态分布: the status mix by quarter, with a stacked column
chart. The record (逐项记录, a workbook of its own that `plandocs pdf` does not print: 150–190 pages for the
seed): 任务进度, every unit × task, its status in each quarter (coloured by conditional formatting), its last
reported progress and remarks — the table the office filters.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generators.artifact import Artifact
from generators.dates import chinese_date
from generators.formats.status_colours import paint_status_series, shade_statuses
from generators.formats.xlsx import default_font, first_sheet, set_properties
from generators.formats.xlsx_bytes import workbook_bytes, workbook_members
from generators.formspec import QUARTERS
from generators.layout import Layout
from generators.numerals import to_chinese
from generators.periods import Cycle
from generators.render.docx import meta_datetime

from . import sheets
from .progress_view import view_sheet
from .sheets import HEADER_ROW
from .year import Line, Year

QUARTER_NAMES = tuple(f"第{to_chinese(q)}季度" for q in QUARTERS)


def remark(year: Year, line: Line) -> str:
    """Why a row has blank quarters (the task came or went mid-year, the unit was renamed or left), and the
    task's deadline (时限), 逾期 when the last quarter collected is past it and the task not 已完成."""
    notes = []
    task, unit = line.task, line.unit
    if task.start > 1:
        notes.append(f"{year.period_names[task.start - 1]}新增")
    if task.end:
        notes.append(f"{year.period_names[task.end - 1]}起不在计划中")
    if unit.former:
        notes.append(f"曾用名：{'、'.join(unit.former)}")
    if unit.end:
        notes.append(f"{year.period_names[unit.end - 1]}起不在计划中")
    deadline = year.deadline_of(task)
    if deadline:
        late = year.last_quarter and year.overdue(line, year.last_quarter)
        notes.append(f"时限：{deadline.text}" + ("，逾期" if late else ""))
    return "；".join(notes)


def latest_progress(line: Line, upto: int, names: tuple[str, ...] = QUARTER_NAMES) -> str:
    found = line.last_reported(upto)
    if found is None:
        return ""
    q, entry = found
    return f"（{names[q - 1]}）{entry.progress}" if entry.progress else ""


def _grid(
    ws: Worksheet,
    year: Year,
    layout: Layout,
    styles: sheets.SheetStyles,
    title: str,
    sheet: str,
    deferred: list[sheets.Deferred] | None,
) -> None:
    ws.title = sheet
    spec = year.spec
    # widths from the content (sheets.table): 编号, the unit's name and the quarters' statuses on one line
    header = [(spec.column("key").name, True), (spec.column("task").name, False), ("单位", True)]
    header += [(name, True) for name in year.period_names]
    header += [("最近报送的进展", False), ("备注", False)]
    last_q = year.last_quarter
    rows = [
        [
            line.task.key_text,
            line.task.task,
            line.unit.name,
            *line.statuses,
            latest_progress(line, last_q, year.period_names),
            remark(year, line),
        ]
        for line in year.lines
    ]
    last = sheets.table(ws, styles, title, header, rows, deferred)
    first_q, last_q_col = get_column_letter(4), get_column_letter(3 + len(year.periods))
    if rows:
        area = f"{first_q}{HEADER_ROW + 1}:{last_q_col}{last}"
        shade_statuses(ws, area, year.statuses, layout)  # the one palette, as the charts' series


def _units(wb: Workbook, year: Year, styles: sheets.SheetStyles, title: str, sheet: str) -> None:
    """One row per unit and period collected (a unit's periods one under the other): seven columns, so a
    unit's name and a 填报日期 print on one line whatever the number of periods. Sixteen period columns
    side by side could not: at 11 pt they broke the names and the dates (区人力资源社会保 / 障局,
    2023年4月3 / 日) and the headers into three lines."""
    ws = wb.create_sheet(sheet)
    done = year.spec.statuses[0]
    period = Cycle(year.plan.meta.cycle).name  # 季度 / 月度 / 半年
    header = [("单位", True), ("类别", True), (period, True), ("填报日期", True), ("任务数", True)]
    header += [(done, True), ("完成率", True)]
    rows = []
    by_unit = year.unit_lines()
    for unit in year.units:
        for q in sorted(year.collected):
            cells = [line for line in by_unit[unit.unit_id] if line.statuses[q - 1]]
            if not cells:
                continue
            entry = next((line.entries[q - 1] for line in cells if line.entries[q - 1]), None)
            finished = sum(1 for line in cells if line.statuses[q - 1] == done)
            shown = chinese_date(entry.date) if entry and entry.date else year.lspec.not_reported
            name = year.period_names[q - 1]
            rows.append([unit.name, unit.category, name, shown, len(cells), finished, finished / len(cells)])
    sheets.table(ws, styles, title, header, rows)


def leader_rows(year: Year) -> list[list]:
    """Per 区领导 (leaders.yaml order) the key tasks in the plan now, and their latest status."""
    q = year.last_quarter
    lines_of: dict[str, list] = {}
    for line in year.lines:
        lines_of.setdefault(line.task.task_id, []).append(line)
    rows = []
    for leader in year.plan.leaders:
        for task in year.tasks:
            if task.kind != "task" or task.end or leader.name not in task.leaders.split("、"):
                continue
            lines = [line for line in lines_of.get(task.task_id, []) if not line.unit.end]
            shown = []
            chased = (*year.lspec.chase, year.spec.summary.not_filled)
            for status in year.statuses:
                units = [line.unit.name for line in lines if q and line.statuses[q - 1] == status]
                if units:  # the units to chase by name, the others counted
                    named = f"（{'、'.join(units)}）" if status in chased else ""
                    shown.append(f"{status}{len(units)}个单位{named}")
            # the units by name would not fit a printed row; the status names those to chase
            unit_count = len(lines)
            rows.append(
                [
                    leader.name,
                    task.key_text,
                    task.task,
                    unit_count,
                    year.period_names[q - 1] if q else "",
                    "；".join(shown),
                ]
            )
    return rows


# The 区领导 sheet's columns (title, kept on one line), in the year workbook and the year summary alike.
LEADER_HEADER = [
    ("区领导", True),
    ("编号", True),
    ("重点任务", False),
    ("承担单位数", True),
    ("最新季度", True),
    ("最新状态", False),
]
LEADER_STATUS = 5  # 最新状态: statuses with the units to chase by name, a generated list


def _leaders(wb: Workbook, year: Year, styles: sheets.SheetStyles, title: str, sheet: str) -> None:
    sheets.table(
        wb.create_sheet(sheet), styles, title, LEADER_HEADER, leader_rows(year), lists=(LEADER_STATUS,)
    )


def _mix(
    wb: Workbook,
    year: Year,
    layout: Layout,
    styles: sheets.SheetStyles,
    title: str,
    sheet: str,
    chart_title: str,
) -> None:
    ws = wb.create_sheet(sheet)
    header = (
        [(Cycle(year.plan.meta.cycle).name, True)] + [(s, True) for s in year.statuses] + [("合计", True)]
    )
    rows = []
    for q in year.periods:
        counts = year.mix(q)
        rows.append([year.period_names[q - 1], *(counts[s] for s in year.statuses), sum(counts.values())])
    sheets.table(ws, styles, title, header, rows)
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = chart_title
    data = Reference(
        ws, min_col=2, max_col=1 + len(year.statuses), min_row=HEADER_ROW, max_row=HEADER_ROW + 4
    )
    chart.add_data(data, titles_from_data=True)
    paint_status_series(chart, year.statuses, layout)
    chart.set_categories(Reference(ws, min_col=1, min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 4))
    chart.y_axis.title = "任务数"
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, f"A{HEADER_ROW + 7}")


def build_workbook(year: Year, layout: Layout) -> Workbook:
    """The year workbook: a 任务进度 matrix per quarter collected, then the units, leaders and mix."""
    w = year.lspec.workbook
    title = w["title"].format(year=year.plan.meta.year)
    names = w["sheets"]
    styles = sheets.styles(layout)
    wb = Workbook()
    default_font(wb, layout.xlsx.font, layout.xlsx.size_pt)  # column widths count its digits, not Calibri's
    blank = first_sheet(wb)
    for q in sorted(year.collected):
        sheet = names["view"].format(period=year.period_names[q - 1])
        view_sheet(wb.create_sheet(sheet), year, layout, q, f"{title}（{sheet}）")
    _units(wb, year, styles, f"{title}（{names['units']}）", names["units"])
    _leaders(wb, year, styles, f"{title}（{names['leaders']}）", names["leaders"])
    _mix(wb, year, layout, styles, f"{title}（{names['mix']}）", names["mix"], w["chart_title"])
    wb.remove(blank)
    for ws in wb.worksheets[len(year.collected) :]:  # the views print as the matrix prints
        sheets.printable(ws, layout, year.spec)
    set_properties(wb, title=title, author=year.plan.meta.office, when=meta_datetime(year.plan.meta))
    return wb


def build_record(year: Year, layout: Layout, deferred: list[sheets.Deferred] | None = None) -> Workbook:
    """The record: 任务进度, every unit × task; with `deferred`, its rows after the first are left to
    sheets.stamp."""
    w = year.lspec.workbook
    title = w["title"].format(year=year.plan.meta.year)
    names = w["sheets"]
    wb = Workbook()
    default_font(wb, layout.xlsx.font, layout.xlsx.size_pt)
    ws = first_sheet(wb)
    _grid(ws, year, layout, sheets.styles(layout), f"{title}（{names['grid']}）", names["grid"], deferred)
    sheets.printable(ws, layout, year.spec)
    set_properties(wb, title=title, author=year.plan.meta.office, when=meta_datetime(year.plan.meta))
    return wb


def render_workbook(year: Year, layout: Layout) -> Artifact:
    """The year workbook (printed)."""
    path = year.lspec.workbook["path"].format(year=year.plan.meta.year)
    return Artifact(kind="ledger", path=path, data=workbook_bytes(build_workbook(year, layout)))


def render_record(year: Year, layout: Layout, stamped: bool = True) -> Artifact:
    """The record workbook; `stamped` writes the grid's rows as XML (the same bytes, seconds sooner at
    city scale), else every cell through openpyxl."""
    path = year.lspec.workbook["record_path"].format(year=year.plan.meta.year)
    deferred: list[sheets.Deferred] | None = [] if stamped else None
    wb = build_record(year, layout, deferred)
    data = sheets.stamp(workbook_members(wb), deferred) if deferred else workbook_bytes(wb)
    return Artifact(kind=RECORD_KIND, path=path, data=data)


RECORD_KIND = "ledger-record"  # not a kind `plandocs pdf` converts (pdf/targets.py CONVERTED_KINDS)


def render_workbooks(year: Year, layout: Layout) -> list[Artifact]:
    return [render_workbook(year, layout), render_record(year, layout)]
