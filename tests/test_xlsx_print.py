"""Workbooks print legibly (issue 10 item 3/4): the matrix at 100 % in page-wide bands with its header rows
and unit column repeated, the summary's 按任务 rows each shorter than a page; checked in the workbooks and,
from the outside, in LibreOffice's PDFs (every character as printed ≥ 10 pt, every unit's name there)."""

from __future__ import annotations

import bisect
import datetime as dt
import io
import os
import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from returns_kit import fill, form_bytes, task_table

from generators.cli import main
from generators.collect.summary_xlsx import sheet_page
from generators.conform.typeset import NO_END, NO_START, breaks, split_name
from generators.formats.xlsx import MM_PER_PT, column_mm, text_lines, with_margins
from generators.formspec import FormsLayout
from generators.render import matrix

MIN_PT = 10


# --- the matrix, as a workbook ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix_sheet(plan, views, layout):
    (artifact,) = matrix.render(plan, views, layout)
    return load_workbook(io.BytesIO(artifact.data)).active


def band_columns(ws) -> list[list[int]]:
    """The sheet columns of each printed band (column A repeats on all of them)."""
    breaks = sorted(b.id for b in ws.col_breaks.brk)
    edges = [1, *breaks, ws.max_column]
    return [list(range(a + 1, b + 1)) for a, b in zip(edges, edges[1:], strict=False)]


def test_matrix_prints_at_100_percent_with_titles_repeated(matrix_sheet):
    setup = matrix_sheet.page_setup
    assert setup.orientation == "landscape" and setup.scale == 100
    assert not matrix_sheet.sheet_properties.pageSetUpPr.fitToPage  # never shrunk to fit
    assert matrix_sheet.print_title_rows == "$2:$4" and matrix_sheet.print_title_cols == "$A:$A"


def test_matrix_bands_fit_the_page_and_cover_every_column(matrix_sheet, layout):
    spec = layout.matrix
    page = with_margins(layout.landscape, spec.margins_mm)
    room = page.width_mm - page.margin_left_mm - page.margin_right_mm
    width = {
        c: column_mm(matrix_sheet.column_dimensions[get_column_letter(c)].width, spec.size_pt)
        for c in range(1, matrix_sheet.max_column + 1)
    }
    bands = band_columns(matrix_sheet)
    assert len(bands) >= 2  # 67 items do not fit one page at 10 pt
    assert [c for band in bands for c in band] == list(range(2, matrix_sheet.max_column + 1))
    for band in bands:
        assert width[1] + sum(width[c] for c in band) <= room + 0.01, band
        # each band carries its own part labels: no header cell is merged over a page break
    for merged in matrix_sheet.merged_cells.ranges:
        inside = [any(merged.min_col in b and merged.max_col in b for b in bands), merged.max_col == 1]
        assert any(inside), str(merged)


def test_matrix_text_is_10pt_and_rows_hold_it(matrix_sheet, layout):
    spec = layout.matrix
    assert spec.size_pt >= MIN_PT
    sizes = {
        cell.font.sz for row in matrix_sheet.iter_rows(min_row=2) for cell in row if cell.value is not None
    }
    assert sizes == {spec.size_pt}
    unit_mm = column_mm(matrix_sheet.column_dimensions["A"].width, spec.size_pt)
    for row in matrix_sheet.iter_rows(min_row=5, max_col=1):
        if row[0].value:
            assert text_lines(row[0].value, unit_mm, spec.size_pt) == 1, row[0].value  # a name on one line


def test_bands_break_between_groups_when_the_page_stays_well_filled():
    widths, groups = [10.0] * 9, list("aaabbbccc")
    assert matrix.bands(widths, groups, room=60, min_fill=0.5) == [0, 6]  # after b, not inside c
    assert matrix.bands(widths, groups, room=40, min_fill=0.5) == [0, 3, 6]
    assert matrix.bands(widths, groups, room=50, min_fill=0.9) == [0, 5]  # a group split: else too empty


@given(
    st.lists(st.tuples(st.floats(1, 30), st.sampled_from("abcd")), min_size=1, max_size=80),
    st.floats(30, 300),
    st.floats(0, 1),
)
def test_bands_never_overflow_and_keep_order(columns, room, fill_share):
    widths, groups = [w for w, _ in columns], [g for _, g in columns]
    starts = matrix.bands(widths, groups, room, fill_share)
    assert starts[0] == 0 and starts == sorted(set(starts))
    for a, b in zip(starts, [*starts[1:], len(widths)], strict=True):
        assert b > a and (sum(widths[a:b]) <= room + 1e-9 or b - a == 1)


# --- the summary's 按任务 sheet -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def summary_out(tmp_path_factory, plan, views, layout):
    """A Q1 collection where 5 units report: every task's 未报送 list holds most of the 52 units."""
    spec = FormsLayout.of(layout)
    root = tmp_path_factory.mktemp("summary")
    out, returns = root / "output", root / "returns"
    for unit in ("区应急局", "城桥镇", "庙镇", "区教育局", "崇明海事局"):
        fill(
            form_bytes(plan, views, layout, 1, unit),
            returns / f"{unit}.xlsx",
            spec,
            date=dt.date(2023, 4, 3),
            progress=progress_as_written,
        )
    result = CliRunner().invoke(main, ["collect", "--quarter", "1", str(returns), "--out", str(out)])
    assert result.exit_code == 0, result.output
    (path,) = out.glob("summary/*/*.xlsx")
    return out, path


PHRASES = (
    "已组织开展专项检查3次，排查隐患12处，已全部整改到位",
    "结合“安全生产月”活动，开展宣传培训，覆盖企业156家、从业人员2300余人",
    "对辖区内危险化学品企业开展全覆盖检查，发现问题7项，已督促整改6项；其余1项正在整改",
    "牵头制定实施方案（草案），征求相关部门意见",
    "完善应急预案，组织开展综合演练1次",
)


def progress_as_written(key: str) -> str:
    """进展情况 as units write it: one to three phrases with ，、；“”（） — marks that a line may not start
    with land where a cell's lines end (some row, some column width)."""
    n = int("".join(ch for ch in key if ch.isdigit()) or 0)
    return "；".join(PHRASES[(n + i) % len(PHRASES)] for i in range(1 + n % 3)) + "。"


def printed_scale(ws, layout) -> float:
    """The fit-to-width factor LibreOffice applies (1 when the sheet is narrower than the page)."""
    page = sheet_page(layout)
    room = page.width_mm - page.margin_left_mm - page.margin_right_mm
    width = sum(column_mm(d.width, layout.xlsx.size_pt) for d in ws.column_dimensions.values())
    return min(1.0, room / width)


def test_every_task_row_fits_a_page_and_lists_every_unit_once(summary_out, layout, plan, views):
    """Each row under its header on one page; the unit lists broken by the program between names (every
    line fits the column by the estimate the row heights use, so LibreOffice breaks none itself); each
    holder of a task named exactly once, the 47 not reporting by the line that points to 退回和未报送."""
    spec = FormsLayout.of(layout)
    wb = load_workbook(summary_out[1])
    ws = wb[spec.summary.sheets["tasks"]]
    page = sheet_page(layout)
    body_pt = (page.height_mm - page.margin_top_mm - page.margin_bottom_mm) / MM_PER_PT
    scale = printed_scale(ws, layout)
    assert layout.xlsx.size_pt * scale >= MIN_PT
    header = [c.value for c in ws[2]]
    assert header[-1] == spec.summary.labels["status_units"]
    width = column_mm(ws.column_dimensions[get_column_letter(len(header))].width, layout.xlsx.size_pt)
    pointers = 0
    for row in ws.iter_rows(min_row=3):
        height = ws.row_dimensions[row[0].row].height
        assert (height + ws.row_dimensions[2].height) * scale <= body_pt  # under its header on one page
        assert row[0].value  # continuation rows repeat the task's 编号
        lines = (row[-1].value or "").split("\n")
        assert len(lines) <= spec.summary.list_lines
        for line in lines:
            assert text_lines(line, width, layout.xlsx.size_pt) == 1, line
            assert line[:1] not in "、；）", line  # 避头尾: the program's breaks follow the marks
        pointers += "本期未报送的全部单位" in (row[-1].value or "")
    assert pointers > 0
    for key, task in task_table(ws).items():
        named = Counter(u for h, v in task.items() if h.endswith("单位") and v for u in v.split("、"))
        assert sum(named.values()) == len(named) == task["应报单位数"], key  # each holder exactly once
        assert all(unit in views.assignments for unit in named), key


# --- from the outside: LibreOffice's PDFs ----------------------------------------------------------------


def pdf_of(out: Path, kind: str) -> list[Path]:
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    sources = {e["path"] for e in manifest if e["kind"] == kind}
    return [out / e["path"] for e in manifest if e["kind"] == "pdf" and e["source"] in sources]


def printed_sizes(path: Path) -> tuple[list[float], list[str], list[str]]:
    """Each visible character's size as printed (its glyph box height, after LibreOffice's scaling);
    each page's text without spaces, read column by column between the table's vertical rules, so a
    name wrapped inside a cell reads whole; and each page's text line by line."""
    sizes, pages, lines = [], [], []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            sizes += [c["bottom"] - c["top"] for c in chars]
            lines.append("".join((page.extract_text() or "").split()))
            rules = sorted({round(e["x0"], 1) for e in page.edges if e["orientation"] == "v"})
            columns: dict[int, list] = {}
            for c in chars:
                columns.setdefault(bisect.bisect(rules, (c["x0"] + c["x1"]) / 2), []).append(c)
            pages.append(
                "|".join(
                    "".join(c["text"] for c in sorted(cs, key=lambda c: (round(c["top"]), c["x0"])))
                    for _, cs in sorted(columns.items())
                )
            )
    return sizes, pages, lines


def test_matrix_pdf_prints_every_unit_at_10pt(printed, views, plan, layout, matrix_sheet):
    (path,) = pdf_of(printed, "matrix")
    sizes, pages, _ = printed_sizes(path)
    assert min(sizes) >= MIN_PT - 0.05, Counter(round(s, 1) for s in sizes)
    text = "".join(pages)
    for unit in views.assignments:
        assert unit in text, unit
    rows_per_band = len(pages) / len(band_columns(matrix_sheet))
    assert rows_per_band == int(rows_per_band)  # no stray page of columns past a band's edge
    assert all(matrix.HEAD_UNIT in page for page in pages)  # the header rows and unit column on every page


def test_form_pdf_prints_at_10pt_or_more(printed):
    (path, *_) = pdf_of(printed, "form")
    sizes, _, _ = printed_sizes(path)
    assert min(sizes) >= MIN_PT - 0.05, Counter(round(s, 1) for s in sizes)


@pytest.fixture(scope="module")
def summary_pdf(summary_out, plan):
    from generators.pdf import convert_outputs, find_soffice

    if find_soffice() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI 中未安装 LibreOffice：.ci/run 应安装 libreoffice-calc-nogui")
        pytest.skip("未安装 LibreOffice（soffice），跳过 PDF 测试")
    out, _ = summary_out
    convert_outputs(out, plan, kinds=["summary"])
    (path,) = pdf_of(out, "summary")
    return path


def test_summary_pdf_prints_at_10pt_with_no_row_cut(summary_pdf, summary_out, layout, views, plan):
    spec = FormsLayout.of(layout)
    sizes, pages, lines = printed_sizes(summary_pdf)
    assert min(sizes) >= MIN_PT - 0.05, Counter(round(s, 1) for s in sizes)
    for unit in views.assignments:
        assert unit in "".join(pages), unit
    # 按任务's pages (from its title to the next sheet's): every name of every list printed, none cut off
    sheets = spec.summary.sheets
    first = next(i for i, page in enumerate(lines) if f"（{sheets['tasks']}）" in page)
    end = next(i for i, page in enumerate(lines) if f"（{sheets['rows']}）" in page)
    text = "".join(pages[first:end])
    ws = load_workbook(summary_out[1])[sheets["tasks"]]
    lists = [v.replace("\n", "") for row in ws.iter_rows(min_row=3, values_only=True) if (v := row[-1])]
    names = [n for v in lists for n in re.split("[、；：]", v)]
    expected = Counter(n for n in names if n in views.assignments)
    assert sum(expected.values()) > 1000
    for name, times in expected.items():
        assert text.count(name) >= times, (name, text.count(name), times)
    # conform's rules on 按任务's pages: no unit name split across lines of a cell, no line of a unit list that
    # starts with 、 or ； (LibreOffice breaks a list only where the program did)
    names = sorted({u.name for u in plan.units} | {u.full_name for u in plan.units})
    on_tasks = [b for b in breaks(summary_pdf) if first < b.page <= end and b.in_cell]
    assert on_tasks
    assert [b for b in on_tasks if split_name(b, names)] == []
    listed = "".join(lists)
    assert [b for b in on_tasks if b.after[0] in "、；" and b.after in listed] == []


def test_summary_pdf_reads_like_a_typeset_table(summary_pdf, plan, layout):
    """Every page of the 汇总表 (progress as units write it): no line of a cell starts with a closing mark
    or ends with an opening one (the UNO converter applies 避头尾 in Calc's cells), no unit name split."""
    names = sorted({u.name for u in plan.units} | {u.full_name for u in plan.units})
    found = breaks(summary_pdf)
    assert sum(1 for b in found if b.in_cell) > 500
    assert [b for b in found if b.after[0] in NO_START or b.before[-1] in NO_END] == []
    assert [b for b in found if b.in_cell and split_name(b, names)] == []
