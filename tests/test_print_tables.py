"""Tables that print: the annex (alone and inside the opinion), the leader sheets and the 修改对照表.

Every row keeps its height "at least" its text (no exact heights that clip the last line), is not split
across pages (w:cantSplit), the header row repeats (w:tblHeader), cells are centred vertically, column
widths come from templates/layout.yaml, and the 区领导 names line up two to a line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from plan_edits import insert_measure_before, replace_in
from test_changes import table_docx

from generators.formats.docx_tables import column_twips
from generators.layout import NAME_GAP
from generators.render import annex, leader_sheets, opinion


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


@pytest.fixture(scope="module")
def annex_table(plan, layout):
    (artifact,) = annex.render(plan, layout)
    return Document(io.BytesIO(artifact.data)).tables[0]


@pytest.fixture(scope="module")
def opinion_table(plan, layout):
    (artifact,) = opinion.render(plan, layout)
    return Document(io.BytesIO(artifact.data)).tables[0]


@pytest.fixture(scope="module")
def leader_tables(plan, views, layout):
    return {
        a.leader: Document(io.BytesIO(a.data)).tables[0] for a in leader_sheets.render(plan, views, layout)
    }


@pytest.fixture(scope="module")
def changes_table(plan, tmp_path_factory):
    base = tmp_path_factory.mktemp("changes")
    edited = base / "plan"
    import shutil

    shutil.copytree(plan.directory, edited)
    insert_measure_before(edited, 9, "新增一条措施。", "区教育局")
    replace_in(edited, "opinion.yaml", "扫除监管盲区。", "消除监管盲区。")
    return table_docx(Path(plan.directory), edited, base / "t.docx").tables[0]


def assert_prints_whole(table, widths_mm: list[float], layout) -> None:
    tbl = table._tbl
    rows = tbl.tr_lst
    assert len(rows) > 1
    # Column widths from layout.yaml, in the grid (WPS) and in the table width.
    grid = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == column_twips(widths_mm)
    for row in rows:  # every cell as wide as its columns
        at = 0
        for tc in row.tc_lst:
            span = tc.grid_span
            assert int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) == sum(grid[at : at + span])
            at += span
    assert int(tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid)
    margins = tbl.tblPr.find(qn("w:tblCellMar"))
    for side, mm in (
        ("left", layout.cell_margin_mm),
        ("right", layout.cell_margin_mm),
        ("top", layout.cell_margin_v_mm),
        ("bottom", layout.cell_margin_v_mm),
    ):
        assert int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) == twips(mm)
    # Only the header row repeats; every row stays whole; no row has an exact height.
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(r.trPr is None or r.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
    for tr in rows:
        assert tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None
        for height in tr.trPr.findall(qn("w:trHeight")):
            assert height.get(qn("w:hRule")) == "atLeast"
        for tc in tr.tc_lst:  # one vertical alignment everywhere
            assert tc.tcPr.find(qn("w:vAlign")).get(qn("w:val")) == "center"


@pytest.mark.parametrize("which", ["annex", "opinion"])
def test_annex_table_prints_whole(which, annex_table, opinion_table, plan, layout):
    table = annex_table if which == "annex" else opinion_table
    assert_prints_whole(table, [c.width_mm for c in annex.columns(plan, layout)], layout)


def test_leader_sheet_and_changes_tables_print_whole(leader_tables, changes_table, plan, layout):
    for table in leader_tables.values():
        assert_prints_whole(table, [c.width_mm for c in leader_sheets.columns(plan, layout)], layout)
    assert_prints_whole(changes_table, [c.width_mm for c in layout.changes_columns], layout)
    assert [c.text for c in changes_table.rows[0].cells] == [c.name for c in layout.changes_columns]


def test_table_widths_fill_the_type_area_and_give_the_content_room(layout):
    type_width = (
        layout.landscape.width_mm - layout.landscape.margin_left_mm - layout.landscape.margin_right_mm
    )
    for columns in (layout.columns, layout.leader_columns, layout.changes_columns):
        assert sum(c.width_mm for c in columns) == pytest.approx(type_width)
    for columns in (layout.columns, layout.leader_columns):
        widths = {c.name: c.width_mm for c in columns}
        assert widths["工作内容"] == max(widths.values())
        # "序号" in 小四 fits on one line: two characters plus the cell margins.
        assert widths["序号"] - 2 * layout.cell_margin_mm >= 2 * layout.style("表头").size_pt * 25.4 / 72
    widths = {c.name: c.width_mm for c in layout.columns}
    assert widths["备注"] == min(widths.values())


def _name_cells(table, column: int) -> list[list[str]]:
    return [[p.text for p in tr.cells[column].paragraphs] for tr in table.rows[1:] if len(tr.cells) > column]


def test_leaders_two_to_a_line_padded_to_three_characters(annex_table, plan, layout):
    task_rows = [r for r in annex_table.rows[1:] if len({id(c._tc) for c in r.cells}) > 1]
    # a row cut to fit a page (the first annex page, row_split) continues in rows repeating its 序号
    rows = [r for i, r in enumerate(task_rows) if i == 0 or r.cells[0].text != task_rows[i - 1].cells[0].text]
    continued = [r for r in task_rows if r not in rows]
    assert all(not r.cells[2].text.strip() for r in continued)
    lines = [p.text for p in rows[0].cells[2].paragraphs]  # task 1: all eight leaders
    assert lines == ["李  峻　黄晓霞", "胡柳强　张秩通", "宋学梅　陈  琦", "施  蕾　徐慧泉"]
    for row, task in zip(rows, plan.key_tasks, strict=True):
        lines = [p.text for p in row.cells[2].paragraphs]
        names = [n.replace(" ", "") for line in lines for n in line.split(NAME_GAP) if n]
        assert names == list(task.leaders)
        for line in lines:
            # three characters wide: a half-width space is half a character
            assert all(sum(0.5 if c == " " else 1 for c in name) == 3 for name in line.split(NAME_GAP))
            assert len(line.split(NAME_GAP)) <= 2
        assert {p.style.name for p in row.cells[2].paragraphs} == {"表格姓名"}
    # The padding spaces are half a character wide only in the Chinese font (in Times New Roman a
    # quarter): the names style sets its Western font to 仿宋 too.
    names_style = layout.style("表格姓名")
    assert names_style.latin == names_style.east_asia == dict(layout.fonts)["fangsong"]
    rfonts = annex_table.rows[0].cells[0].part.document.styles["表格姓名"].element.rPr.rFonts
    assert rfonts.get(qn("w:ascii")) == rfonts.get(qn("w:eastAsia")) == names_style.east_asia


def test_names_per_line_follow_the_column_width(layout):
    import dataclasses

    names = ("李峻", "黄晓霞", "胡柳强", "张秩通", "宋学梅")
    column = layout.column("columns", "leaders")
    assert layout.leader_lines(names, column) == ["李  峻　黄晓霞", "胡柳强　张秩通", "宋学梅"]
    narrow = dataclasses.replace(column, width_mm=20)
    assert layout.leader_lines(names, narrow) == ["李  峻", "黄晓霞", "胡柳强", "张秩通", "宋学梅"]
    wide = dataclasses.replace(column, width_mm=70)
    assert layout.leader_lines(names, wide) == ["李  峻　黄晓霞　胡柳强　张秩通", "宋学梅"]
    assert layout.leader_lines((), column) == [""]


def test_group_rows_keep_with_the_next_row(annex_table):
    groups = [r for r in annex_table.rows[1:] if len({id(c._tc) for c in r.cells}) == 1]
    assert groups and all(r.cells[0].paragraphs[0].style.paragraph_format.keep_with_next for r in groups)
