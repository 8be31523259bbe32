"""附件任务清单: all 21 rows against the seed, in the .docx annex, inside the opinion, and in the .xlsx."""

from __future__ import annotations

import dataclasses
import io

import openpyxl
import pytest
from conftest import norm, squash
from docx import Document
from docx.oxml.ns import qn

from generators.formats.docx_tables import column_twips
from generators.render import annex, annex_xlsx, opinion

TRICKY = "R&D <b>x</b> \"双引号\" 'single' {{ x }} {% if %}"


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


@pytest.fixture(scope="session")
def annex_doc(plan, layout):
    (artifact,) = annex.render(plan, layout)
    return Document(io.BytesIO(artifact.data))


@pytest.fixture(scope="session")
def opinion_doc(plan, layout):
    (artifact,) = opinion.render(plan, layout)
    return Document(io.BytesIO(artifact.data))


@pytest.fixture(scope="session")
def sheet(plan, layout):
    (artifact,) = annex_xlsx.render(plan, layout)
    return openpyxl.load_workbook(io.BytesIO(artifact.data)).active


def docx_rows(table) -> tuple[tuple[str, ...], list[tuple[str, ...]], list[list[list[str]]]]:
    """(header, rows with whitespace squashed, the paragraphs of every task cell). A task cut into several
    rows (its continuation repeats its 序号: the first annex page is filled, row_split) is one row here,
    its cells' texts put together again."""
    header, rows, paragraphs = (), [], []
    for i, tr in enumerate(table._tbl.tr_lst):
        cells = tr.tc_lst
        texts = tuple(squash("".join(t.text or "" for t in tc.iter(qn("w:t")))) for tc in cells)
        cell_paragraphs = [
            ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.findall(qn("w:p"))] for tc in cells
        ]
        if i == 0:
            header = texts
        elif len(texts) > 1 and rows and len(rows[-1]) == len(texts) and rows[-1][0] == texts[0]:
            rows[-1] = (texts[0], *(a + b for a, b in zip(rows[-1][1:], texts[1:], strict=True)))
            paragraphs[-1] = [
                a + [p for p in b if p] for a, b in zip(paragraphs[-1], cell_paragraphs, strict=True)
            ]
        else:
            rows.append(texts)
            paragraphs.append(cell_paragraphs)
    return header, rows, paragraphs


def xlsx_rows(ws) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    values = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(values) if row[0] == "序号")
    merged = {r.min_row for r in ws.merged_cells.ranges if r.min_col == 1 and r.max_col == 7}
    rows = []
    for offset, row in enumerate(values[start + 1 :]):
        if start + 2 + offset in merged:
            rows.append((squash(row[0]),))
        else:
            rows.append(tuple(squash(v) for v in row))
    return tuple(squash(v) for v in values[start]), rows


def seed_rows(seed) -> list[tuple[str, ...]]:
    return [tuple(squash(c) for c in row) for row in seed.annex.rows]


# --- (b) fidelity, cell by cell --------------------------------------------------------------------


@pytest.mark.parametrize("which", ["annex", "opinion"])
def test_docx_table_matches_the_seed(which, annex_doc, opinion_doc, seed):
    doc = annex_doc if which == "annex" else opinion_doc
    (table,) = doc.tables
    header, rows, _ = docx_rows(table)
    assert header == seed.annex.header
    expected = seed_rows(seed)
    assert len(rows) == len(expected) == 27
    for got, want in zip(rows, expected, strict=True):
        assert got == want
    assert sum(1 for r in rows if len(r) == 7) == 21


def test_xlsx_table_matches_the_seed(sheet, seed):
    header, rows = xlsx_rows(sheet)
    assert header == seed.annex.header
    expected = seed_rows(seed)
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected, strict=True):
        assert got == want


def test_group_rows_and_counts_are_computed(plan, layout, annex_doc):
    _, rows, _ = docx_rows(annex_doc.tables[0])
    groups = [r[0] for r in rows if len(r) == 1]
    assert groups == [
        "总体目标（小计1项）",
        "任务分解：合计5项（小计20项）",
        "一、强化责任意识，提升全主体协同治理能力（小计4项）",
        "二、强化基层基础，提升全方位支撑保障能力（小计3项）",
        "三、强化综合治理，提升全要素系统防控能力（小计9项）",
        "四、强化过程管控，提升全周期闭环管理能力（小计4项）",
    ]
    # Counts follow the data: drop a task and every count moves.
    last = plan.annex.groups[-1]
    fewer = dataclasses.replace(
        plan,
        annex=dataclasses.replace(
            plan.annex, groups=(*plan.annex.groups[:-1], dataclasses.replace(last, tasks=last.tasks[:-1]))
        ),
    )
    ctx = annex.context(fewer, layout)
    assert ctx["title"].endswith("（共20项）")
    assert ctx["groups"][1]["banner"] == "任务分解：合计5项（小计19项）"
    assert ctx["groups"][-1]["label"].endswith("（小计3项）")


def test_annex_heading_lines(annex_doc, seed):
    texts = [norm(p.text) for p in annex_doc.paragraphs if p.text.strip()]
    assert texts[:3] == ["附件", seed.annex.title, seed.annex.status]
    styles = {norm(p.text): p.style.name for p in annex_doc.paragraphs}
    assert styles["附件"] == "附件标签"
    assert styles[seed.annex.title] == "附件标题"
    # The title sits on line 3 of the type area (7.3.7): one empty line between label and title.
    assert [p.text for p in annex_doc.paragraphs[:3]] == ["附件", "", seed.annex.title]


def test_cells_keep_one_unit_per_paragraph_and_padded_leaders(annex_doc, seed):
    _, rows, paragraphs = docx_rows(annex_doc.tables[0])
    first_task = next(i for i, r in enumerate(rows) if len(r) == 7)
    leaders = [name for line in paragraphs[first_task][2] for name in line.split("\u3000")]  # two a line
    assert leaders == [line for line in seed.annex.rows[1][2].split("\n") if line]
    assert leaders[0] == "李  峻" and leaders[5] == "陈  琦"
    task5 = paragraphs[[r[0] for r in rows].index("5")]
    assert task5[3] == [
        "区应急局",
        "区建设管理委",
        "区公安分局",
        "区消防救援支队",
        "区市场监管局",
        "崇明海事局",
    ]


def test_xlsx_units_one_per_line(sheet):
    values = [row for row in sheet.iter_rows(values_only=True) if row[0] == 5]
    assert values[0][3].split("\n") == [
        "区应急局",
        "区建设管理委",
        "区公安分局",
        "区消防救援支队",
        "区市场监管局",
        "崇明海事局",
    ]
    assert values[0][2] == "黄晓霞\u3000胡柳强\n陈  琦\u3000徐慧泉"


# --- table structure --------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["annex", "opinion"])
def test_header_repeats_and_grid_widths_are_written(which, annex_doc, opinion_doc, plan, layout):
    doc = annex_doc if which == "annex" else opinion_doc
    tbl = doc.tables[0]._tbl
    rows = tbl.tr_lst
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(r.trPr is None or r.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
    widths = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
    assert widths == column_twips([c.width_mm for c in annex.columns(plan, layout)])
    assert sum(widths) == sum(column_twips([c.width_mm for c in layout.columns]))  # the table as wide
    # the seed's longest unit name in 责任单位 (10 characters of 小四) has a line of its own; layout.yaml's
    # 33 mm held 7 (LibreOffice printed 区住房保障房屋 / 管理局); the room came from 工作内容
    lead = [i for i, c in enumerate(layout.columns) if c.field == "leads"][0]
    content = [i for i, c in enumerate(layout.columns) if c.field == "content"][0]
    room_mm = widths[lead] * 25.4 / 1440 - 2 * layout.cell_margin_mm
    assert room_mm >= len("区住房保障房屋管理局") * layout.style("表格居中").size_pt * 25.4 / 72
    assert widths[content] < twips(layout.columns[content].width_mm)
    assert sum(c.width_mm for c in layout.columns) == pytest.approx(
        layout.landscape.width_mm - layout.landscape.margin_left_mm - layout.landscape.margin_right_mm
    )
    for tr in rows:
        if len(tr.tc_lst) == 1:
            assert tr.tc_lst[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "7"
        else:
            assert len(tr.tc_lst) == 7


def test_annex_document_is_landscape_a4(annex_doc, layout):
    (section,) = annex_doc.sections
    assert section.orientation == 1
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert section.top_margin.twips == twips(layout.landscape.margin_top_mm)
    # 8: the page number is turned and runs down the left edge, as on the opinion's landscape pages
    for footer in (section.footer, section.even_page_footer):
        assert footer.paragraphs[0].text == ""
        (box,) = footer._element.findall(".//" + qn("w:txbxContent"))
        assert "".join(t.text for t in box.iter(qn("w:t"))) == "— 1 —"
        assert 'vert="vert"' in footer._element.xml  # text turned clockwise, not vertical writing


def test_annex_artifacts(plan, layout):
    (docx_artifact,) = annex.render(plan, layout)
    (xlsx_artifact,) = annex_xlsx.render(plan, layout)
    assert (docx_artifact.kind, docx_artifact.path) == (
        "annex",
        "附件_区政府领导2023年安全生产重点工作任务清单.docx",
    )
    assert (xlsx_artifact.kind, xlsx_artifact.path) == (
        "annex-xlsx",
        "附件_区政府领导2023年安全生产重点工作任务清单.xlsx",
    )
    assert annex.render(plan, layout)[0].data == docx_artifact.data
    assert annex_xlsx.render(plan, layout)[0].data == xlsx_artifact.data


def test_markup_in_a_task_comes_out_literally(plan, layout):
    group = plan.annex.groups[0]
    task = dataclasses.replace(group.tasks[0], content=TRICKY, leads=("A&B", "<单位>"))
    tricky = dataclasses.replace(
        plan,
        annex=dataclasses.replace(
            plan.annex, groups=(dataclasses.replace(group, tasks=(task,)), *plan.annex.groups[1:])
        ),
    )
    (artifact,) = annex.render(tricky, layout)
    doc = Document(io.BytesIO(artifact.data))
    _, rows, paragraphs = docx_rows(doc.tables[0])
    row = paragraphs[[r[0] for r in rows].index("1")]
    assert row[5] == [TRICKY]
    assert row[3] == ["A&B", "<单位>"]
    assert len([r for r in rows if len(r) == 7]) == 21
    (sheet_artifact,) = annex_xlsx.render(tricky, layout)
    ws = openpyxl.load_workbook(io.BytesIO(sheet_artifact.data)).active
    first = next(row for row in ws.iter_rows(values_only=True) if row[0] == 1)
    assert first[5] == TRICKY and first[3] == "A&B\n<单位>"


# --- (h) xlsx page setup -----------------------------------------------------------------------------


def test_xlsx_prints_landscape_fit_to_width_with_repeating_header(sheet, layout):
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert int(sheet.page_setup.fitToWidth) == 1
    assert int(sheet.page_setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    header_row = next(r for r in range(1, 10) if sheet.cell(row=r, column=1).value == "序号")
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.page_margins.left == pytest.approx(layout.landscape.margin_left_mm / 25.4)


def test_xlsx_cells_wrap_and_use_a_chinese_font(sheet, layout):
    task = next(row for row in sheet.iter_rows() if row[0].value == 1)
    for cell in task:
        assert cell.alignment.wrap_text
        assert cell.font.name == layout.xlsx.font
    assert sheet.cell(row=1, column=1).value == "区政府领导2023年安全生产重点工作任务清单（共21项）"
    group_rows = [r for r in sheet.merged_cells.ranges if r.min_col == 1 and r.max_col == 7]
    assert len(group_rows) == 6 + 2  # six group rows, plus the title and status lines


def test_workbook_footers_name_their_font(sheet, plan, views, layout):
    """宋体 digits in the page number: without a font in the footer code LibreOffice prints DejaVu."""
    from generators.render import matrix

    (artifact,) = matrix.render(plan, views, layout)
    grid = openpyxl.load_workbook(io.BytesIO(artifact.data)).active
    for ws in (sheet, grid):
        # The matrix prints its legend on the left of the footer, so its page number stands on the right.
        (footer,) = [
            part
            for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right)
            if part.text and "&P" in part.text
        ]
        assert (footer.font, footer.size, footer.text) == ("宋体,Regular", 14, "— &P —")
