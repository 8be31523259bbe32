"""责任矩阵: every cell read back from the .xlsx agrees with what the seed gives each unit."""

from __future__ import annotations

import io

import openpyxl
import pytest
from seed_assignments import CONCERNED, LEAD, SUPPORT, expected_assignments, seed_measures

from generators.layout import load_layout
from generators.render import matrix

ROLE_OF_MARK = {"●": LEAD, "◎": LEAD, "○": SUPPORT, "△": CONCERNED}
NUMBER_ROW = 4


@pytest.fixture(scope="module")
def artifact(plan, views):
    (only,) = matrix.render(plan, views, load_layout())
    return only


@pytest.fixture(scope="module")
def sheet(artifact):
    return openpyxl.load_workbook(io.BytesIO(artifact.data)).active


def item_columns(ws) -> dict[tuple[str, int], int]:
    """(measure|task, number) → column, read from the number row: numbering restarts for key tasks."""
    out, kind, last = {}, "measure", 0
    for col in range(2, ws.max_column + 1):
        value = ws.cell(NUMBER_ROW, col).value
        if not isinstance(value, int):
            break
        if value <= last:
            kind = "task"
        out[(kind, value)] = col
        last = value
    return out


def unit_rows(ws) -> dict[str, int]:
    """Unit → row, for the rows with at least one role mark (not the totals or the legend)."""
    columns = item_columns(ws).values()
    return {
        ws.cell(row, 1).value: row
        for row in range(NUMBER_ROW + 1, ws.max_row + 1)
        if any(ws.cell(row, col).value in ROLE_OF_MARK for col in columns)
    }


def test_every_cell_matches_the_seed(sheet, seed_text, plan):
    expected = expected_assignments(seed_text, plan)
    columns = item_columns(sheet)
    assert {n for k, n in columns if k == "measure"} == set(range(1, len(plan.measures) + 1))
    assert {n for k, n in columns if k == "task"} == set(range(1, len(plan.key_tasks) + 1))
    rows = unit_rows(sheet)
    assert list(rows) == [u.name for u in plan.units if u.name in expected]  # registry order
    for unit, want in expected.items():
        for (kind, number), col in columns.items():
            mark = sheet.cell(rows[unit], col).value
            held = (want.measures if kind == "measure" else want.tasks).get(number)
            assert ROLE_OF_MARK.get(mark) == held, (unit, kind, number, mark)


def test_named_units_are_told_apart_from_group_members(sheet, seed_text):
    columns, rows = item_columns(sheet), unit_rows(sheet)
    for number, names in seed_measures(seed_text).items():
        for unit, row in rows.items():
            mark = sheet.cell(row, columns[("measure", number)]).value
            assert (mark == "●") == (unit in names), (unit, number)
    assert sheet.cell(rows["崇明海事局"], columns[("measure", 37)]).value == "●"
    assert sheet.cell(rows["城桥镇"], columns[("measure", 26)]).value == "◎"
    assert sheet.cell(rows["区民宗办"], columns[("measure", 17)]).value is None


def test_frozen_headers_and_print_setup(sheet):
    assert sheet.freeze_panes == "B5"
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert setup.scale == 100 and not sheet.sheet_properties.pageSetUpPr.fitToPage  # tests/test_xlsx_print.py
    assert sheet.print_title_rows == "$2:$4"
    assert sheet.print_title_cols == "$A:$A"


def test_reproducible(plan, views, artifact):
    (again,) = matrix.render(plan, views, load_layout())
    assert again.data == artifact.data


def test_every_page_prints_the_title_centred_and_the_legend(sheet, plan, views):
    """The title in the page header's centre and the marks' legend in the footer, on every page (a cell
    prints on one page only: the legend was missing on pp. 1 and 3, the title 19 mm off centre)."""
    assert sheet.oddHeader.center.text == matrix.TITLE.format(title=plan.meta.title)
    assert sheet.oddHeader.center.font == "黑体,Regular"
    legend = sheet.oddFooter.left.text
    assert legend.startswith("图例：") and "● 责任单位" in legend and "\n" not in legend
    assert "&P" in sheet.oddFooter.right.text and not sheet.oddFooter.center.text
    # printed: from the header rows to the 单位数 row; the screen's title row and legend row (the seed
    # names no 时限) are not
    last = matrix.HEADER_ROWS + len(views.assignments) + 1
    assert sheet.cell(last, 1).value == matrix.FOOT_HOLDERS and sheet.max_row == last + 1
    column = openpyxl.utils.get_column_letter(sheet.max_column)
    assert sheet.print_area.replace("'", "").endswith(f"!$A$2:${column}${last}")
