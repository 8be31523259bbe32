"""季度报表: each unit's form lists exactly its tasks, is locked but for the input cells, prints well, and
carries its hidden identification."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from plan_edits import with_measure_text

from generators.context import BuildContext
from generators.dates import chinese_date
from generators.formats.xlsx import text_lines
from generators.formspec import (
    ID_SHEET,
    PROPERTY_PREFIX,
    STATUS_NAME,
    FormsLayout,
    form_version,
    identification,
)
from generators.model import Category
from generators.render import forms
from generators.render.form_workbook import page as forms_page
from generators.views import Views


@pytest.fixture(scope="module")
def spec(layout):
    return FormsLayout.of(layout)


@pytest.fixture(scope="module")
def q1(plan, views, layout):
    return {a.unit: a for a in forms.render(plan, views, layout, quarters=(1,))}


def open_form(artifact):
    return load_workbook(io.BytesIO(artifact.data))


def table(ws, spec):
    """Header row 4 → list of dicts by header text."""
    header = [c.value for c in ws[4]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=5)]


def test_one_form_per_unit_with_manifest_facts(q1, views, plan, spec):
    assert list(q1) == list(views.assignments)
    artifact = q1["区应急局"]
    assert artifact.kind == "form" and artifact.quarter == 1
    assert artifact.path == f"forms/{plan.meta.year}Q1/区应急局.xlsx"


def test_rows_are_exactly_the_units_tasks_in_order(q1, views, spec):
    for unit in ("区应急局", "城桥镇", "区民宗办", "长兴企业集团"):
        held = views.assignments[unit]
        rows = table(open_form(q1[unit])[spec.sheet_title], spec)
        assert [r["编号"] for r in rows] == [spec.key_text(a) for a in held.all]
        assert [r["序号"] for r in rows] == list(range(1, len(held.all) + 1))
        assert [r["责任类型"] for r in rows] == [a.role_text for a in held.all]
        for row, a in zip(rows, held.all, strict=True):
            expected = a.measure.text if a.measure else a.task.content
            assert row["工作内容"] == expected
            assert row["进展情况"] is None and row["完成状态"] is None


def test_minzongban_has_measure_35_not_37_and_every_town_has_33(q1, plan, spec):
    keys = [r["编号"] for r in table(open_form(q1["区民宗办"])[spec.sheet_title], spec)]
    assert "措施35" in keys and "措施37" not in keys
    towns = [u.name for u in plan.units if u.category is Category.TOWN]
    assert len(towns) == 18
    for town in towns:
        assert "措施33" in [r["编号"] for r in table(open_form(q1[town])[spec.sheet_title], spec)]


def test_title_unit_and_due_date(q1, plan, spec):
    ws = open_form(q1["区应急局"])[spec.sheet_title]
    assert ws["A1"].value == f"{plan.meta.year}年第一季度安全生产工作进展情况报表"
    unit = next(u for u in plan.units if u.name == "区应急局")
    texts = [c.value for c in ws[2] if c.value]
    assert texts[0] == f"填报单位：{unit.full_name}"
    assert chinese_date(plan.meta.due_dates[0]) in texts[1] and plan.meta.office in texts[1]
    assert [ws.cell(3, c).value for c in spec.reporter_columns] == list(spec.reporter)
    header = [c.value for c in ws[4]]
    for name in (
        "序号",
        "编号",
        "任务",
        "责任类型",
        "工作内容",
        "进展情况",
        "完成状态",
        "存在问题",
        "下步计划",
    ):
        assert name in header


def test_only_input_cells_are_unlocked(q1, spec):
    wb = open_form(q1["城桥镇"])
    ws = wb[spec.sheet_title]
    assert ws.protection.sheet is True
    assert wb.security.lockStructure is True
    inputs = {spec.columns.index(c) + 1 for c in spec.columns if c.input}
    assert inputs == {6, 7, 8, 9}
    reporter_inputs = {(3, c + 1) for c in spec.reporter_columns}
    unlocked = {
        (cell.row, cell.column) for row in ws.iter_rows() for cell in row if cell.protection.locked is False
    }
    expected = {(r, c) for r in range(5, ws.max_row + 1) for c in inputs} | reporter_inputs
    assert unlocked == expected


def test_status_dropdown_from_hidden_list(q1, spec):
    wb = open_form(q1["区应急局"])
    ws = wb[spec.sheet_title]
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == STATUS_NAME
    assert str(validation.sqref) == f"G5:G{ws.max_row}"
    hidden = wb[ID_SHEET]
    assert hidden.sheet_state == "hidden"
    (sheet, ref), *_ = wb.defined_names[STATUS_NAME].destinations
    assert sheet == ID_SHEET
    assert (
        tuple(c.value for (c,) in hidden[ref.replace("$", "")])
        == spec.statuses
        == ("已完成", "按计划推进", "滞后", "未启动")
    )


def test_hidden_identification_in_sheet_and_properties(q1, views):
    wb = open_form(q1["新村乡"])
    ident = identification(views, 1, "新村乡")
    assert {r[2]: r[3] for r in wb[ID_SHEET].iter_rows(values_only=True) if r[2]} == ident
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props[PROPERTY_PREFIX + "form_id"] == ident["表单编号"]
    assert props[PROPERTY_PREFIX + "plan_hash"] == ident["计划版本"] == form_version(views, 1, "新村乡")
    assert len(ident["计划版本"]) == 64
    assert props[PROPERTY_PREFIX + "unit"] == "新村乡" and props[PROPERTY_PREFIX + "quarter"] == "1"


def test_print_setup_and_fonts(q1, layout, spec):
    ws = open_form(q1["区应急局"])[spec.sheet_title]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$4:$4"
    assert "&P" in ws.oddFooter.center.text
    assert ws["E5"].alignment.wrap_text and ws["E5"].font.name == layout.xlsx.font
    assert ws["A4"].font.name == layout.xlsx.header_font
    assert ws.column_dimensions["E"].width > ws.column_dimensions["A"].width
    # the long 工作内容 wraps onto several lines: the row is tall enough to show it
    assert ws.row_dimensions[5].height >= 3 * layout.xlsx.line_height_pt


def test_form_prints_at_full_size_with_rows_sized_to_their_text(q1, layout, spec):
    """Fit to width only, and the columns fit the page at 100 %: the text prints at its own 11 pt."""
    wb = open_form(q1["庙镇"])
    ws = wb[spec.sheet_title]
    assert wb._fonts[0].name == layout.xlsx.font  # widths are counted in this font's digits
    size = layout.xlsx.size_pt
    mm = [ws.column_dimensions[get_column_letter(c)].width * size / 2 * 25.4 / 72 for c in range(1, 10)]
    page = forms_page(layout)
    printable = page.width_mm - page.margin_left_mm - page.margin_right_mm
    assert sum(mm) == pytest.approx(printable, abs=0.5)
    assert size * min(1, printable / sum(mm)) >= 10
    assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$4:$4"
    footer = ws.oddFooter.center  # the font named in the footer code: no DejaVu digits
    assert (footer.font, footer.size, footer.text) == ("宋体,Regular", size, spec.footer)
    for row in ws.iter_rows(min_row=5):
        needed = max(text_lines(c.value or "", w, size) for c, w in zip(row, mm, strict=True))
        height = ws.row_dimensions[row[0].row].height
        # tall enough for its text, and no taller than its text or the three lines left for writing
        assert needed * layout.xlsx.line_height_pt <= height
        assert height <= max(needed, spec.min_input_lines) * layout.xlsx.line_height_pt + 4


def test_text_lines_count_chinese_as_one_character_and_latin_as_half():
    assert text_lines("", 20, 11) == 1
    per_line = int((30 - 2) / (11 * 25.4 / 72))  # 7 Chinese characters in a 30 mm cell at 11 pt
    assert text_lines("安" * per_line, 30, 11) == 1
    assert text_lines("安" * (per_line + 1), 30, 11) == 2
    assert text_lines("a" * (2 * per_line), 30, 11) == 1
    assert text_lines("安\n安", 30, 11) == 2


def test_byte_reproducible_and_dated_from_plan(plan, views, layout, q1):
    again = forms.render(plan, views, layout, quarters=(1,))
    assert all(a.data == q1[a.unit].data for a in again)
    wb = open_form(q1["区应急局"])
    assert wb.properties.created.date().isoformat() == plan.meta.date
    assert wb.properties.modified == wb.properties.created


def test_build_includes_four_quarters(plan, views, layout):
    jobs = forms.jobs(BuildContext.of(plan, layout, views))
    assert {j.quarter for j in jobs} == {1, 2, 3, 4}
    assert len(jobs) == 4 * len(views.assignments)
    assert len({j.path for j in jobs}) == len(jobs)


def test_form_version_changes_only_for_units_whose_tasks_changed(plan):
    """Rewording measure 17 (区应急局 alone) changes 区应急局's form version and no other unit's."""
    revised = with_measure_text(plan, 17, "各类办事指南", "办事指南")
    before, after = Views(plan), Views(revised)
    changed = {
        u.name for u in plan.units if form_version(before, 2, u.name) != form_version(after, 2, u.name)
    }
    assert changed == {"区应急局"}
