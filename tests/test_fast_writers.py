"""The formats kit's fast writers give the bytes of the plain way: docxtpl + python-docx for .docx
(formats/docx_fast.py), openpyxl for forms (formats/xlsx_stamp.py) and workbooks (formats/xlsx_bytes.py),
zipfile for the reproducible zip (formats/zipwriter.py). A library upgrade that breaks a fast path fails here."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest
from docxtpl import DocxTemplate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from generators.context import BuildContext
from generators.formats.docx_fast import DocProps, PreparedDocx
from generators.formats.xlsx_bytes import workbook_bytes, workbook_members
from generators.formats.xlsx_stamp import cell_xml
from generators.formats.zipwriter import CONTENT_TYPES, FIXED_ZIP_DATE, Deflated, normalize_zip, zip_members
from generators.render import annex, docx, forms, leader_sheets, letters, opinion
from generators.render.form_copies import QuarterForms
from generators.render.form_workbook import build_form

MARKUP = "&<>\"' {{ x }} {% if %} \t 中文"
# Text a plan may hold: markup, spaces at the ends, CJK; openpyxl rejects control characters outright.
plan_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x0b\x0c"), max_size=30
).filter(lambda t: not ILLEGAL_CHARACTERS_RE.search(t))


def zipfile_members(members: dict[str, bytes]) -> bytes:
    """What normalize_zip wrote with zipfile before zip_members existed."""
    ordered = [n for n in members if n == CONTENT_TYPES] + sorted(n for n in members if n != CONTENT_TYPES)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, members[name], compresslevel=6)
    return out.getvalue()


@given(
    st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda n: "\0" not in n), st.binary(), max_size=6)
)
@settings(max_examples=40)
def test_zip_members_writes_what_zipfile_writes(members):
    members = {CONTENT_TYPES: b"<Types/>", **members}
    expected = zipfile_members(members)
    assert zip_members(members) == expected
    assert zip_members({name: Deflated.of(data) for name, data in members.items()}) == expected
    with zipfile.ZipFile(io.BytesIO(expected)) as z:
        assert z.namelist()[0] == CONTENT_TYPES


class _PlainTemplate(DocxTemplate):
    """DocxTemplate as shipped, but for core properties: those come from the plan, not from Jinja."""

    def render_properties(self, context, jinja_env=None) -> None:
        pass


def plain_render(path, context, meta, title) -> bytes:
    tpl = _PlainTemplate(path)
    tpl.render(context, docx.ENV)
    props = tpl.docx.core_properties
    props.title = title
    props.author = props.last_modified_by = meta.issuer
    props.created = props.modified = docx.meta_datetime(meta)
    props.revision = 1
    buffer = io.BytesIO()
    tpl.save(buffer)
    return zipfile_members(_members(buffer.getvalue()))


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def docx_jobs(plan, views, layout):
    """One job per template: opinion, annex, a letter, the print file, a leader sheet."""
    yield from opinion.jobs(BuildContext.of(plan, layout, views))
    yield from annex.jobs(BuildContext.of(plan, layout, views))
    letter_jobs = letters.jobs(BuildContext.of(plan, layout, views))
    yield next(j for j in letter_jobs if j.kind == "letter")
    yield next(j for j in letter_jobs if j.kind == "letters-print")
    yield leader_sheets.jobs(BuildContext.of(plan, layout, views))[0]


def test_prepared_docx_gives_the_bytes_of_docxtpl_and_python_docx(plan, views, layout):
    """The kit alone, without the renderers' body edit: every template, rendered twice from one preparation."""
    for job in docx_jobs(plan, views, layout):
        (template,) = job.templates
        context = job.inputs["context"]
        prepared = PreparedDocx.load(template.read_bytes(), docx.ENV)
        props = DocProps(title="标题 & <副标题>", author=plan.meta.issuer, when=docx.meta_datetime(plan.meta))
        expected = plain_render(template, context, plan.meta, "标题 & <副标题>")
        assert prepared.render(context, props) == expected, job.path
        assert prepared.render(context, props) == expected, job.path


def test_docx_render_gives_the_bytes_of_docxtpl_and_python_docx(plan, views, layout):
    for job in docx_jobs(plan, views, layout):
        (template,) = job.templates
        context = job.inputs["context"]
        fast = docx.render(template, context, plan.meta, "标题 & <副标题>")
        assert fast == plain_render(template, context, plan.meta, "标题 & <副标题>"), job.path


@given(name=plan_text, text=plan_text)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_docx_render_matches_docxtpl_for_any_text(plan, views, layout, name, text):
    job = next(j for j in letters.jobs(BuildContext.of(plan, layout, views)) if j.kind == "letter")
    context = job.inputs["context"]
    letter = dict(context["letter"], addressee=name + MARKUP, unit=text)
    context = dict(context, letter=letter, office=text)
    (template,) = job.templates
    assert docx.render(template, context, plan.meta) == plain_render(
        template, context, plan.meta, plan.meta.title
    )


def test_every_form_is_the_openpyxl_workbook_byte_for_byte(plan, views, layout):
    for quarter in (1, 4):
        for job in forms.quarter_jobs(plan, views, layout, quarter):
            held = views.assignments[job.unit]
            assert job.make() == workbook_bytes(build_form(plan, views, layout, quarter, held)), job.path


def test_workbook_bytes_are_what_openpyxl_writes_reproducibly(plan, views, layout):
    """workbook_bytes hands zipwriter the members as ExcelWriter writes them: the bytes of writing the
    workbook deflated with openpyxl and rewriting that zip (what the build did before the kit)."""
    held = next(iter(views.assignments.values()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(build_form(plan, views, layout, 3, held), archive).write_data()
    # a workbook is written once: writing it again adds outlineLevelCol="0" to <sheetFormatPr>
    assert workbook_bytes(build_form(plan, views, layout, 3, held)) == normalize_zip(buffer.getvalue())
    assert workbook_members(build_form(plan, views, layout, 3, held)) == _members(buffer.getvalue())


@given(full_name=plan_text)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_stamped_form_matches_openpyxl_for_any_unit_name(plan, views, layout, full_name):
    held = next(iter(views.assignments.values()))
    renamed = dataclasses.replace(held, unit=dataclasses.replace(held.unit, full_name=full_name + MARKUP))
    stamped = QuarterForms(plan, views, layout, 2).form(renamed)
    assert stamped == workbook_bytes(build_form(plan, views, layout, 2, renamed))


@pytest.mark.parametrize(
    "value", ["", " 前后空格 ", "a&b<c>d\"e'f", "换行\n制表\t", "𠀀 CJK ext B", 7, 2.5, None]
)
def test_cell_xml_is_what_openpyxl_writes(value):
    wb = Workbook()
    cell = wb.active.cell(1, 1, value)
    cell.font = Font(bold=True)  # styled, as every form cell is: openpyxl skips empty unstyled cells
    sheet = _members(workbook_bytes(wb))["xl/worksheets/sheet1.xml"].decode("ascii")
    assert cell_xml("A1", "1", value) == re.search(r'<c r="A1".*?</c>', sheet, re.DOTALL).group(0)


def _matrix_pair(plan_dir, layout):
    from generators.plan import load_plan
    from generators.render import matrix
    from generators.views import Views

    plan = load_plan(plan_dir)
    views = Views(plan)
    return matrix.fast_bytes(plan, views, layout), workbook_bytes(matrix.workbook(plan, views, layout))


@pytest.mark.parametrize("fixture", ["yaodian", "subtasks", "monthly"])
def test_the_matrix_is_the_openpyxl_workbook_byte_for_byte(fixture, layout):
    """Plans of other shapes: 牵头 (★) units, sub-tasks sharing a measure's column, months."""
    from played_plan import FIXTURE_PLANS

    fast, slow = _matrix_pair(FIXTURE_PLANS / fixture, layout)
    assert fast == slow


def test_the_seed_matrix_is_the_openpyxl_workbook_byte_for_byte(plan, views, layout):
    from generators.render import matrix

    assert matrix.fast_bytes(plan, views, layout) == workbook_bytes(matrix.workbook(plan, views, layout))


def test_a_city_matrix_written_fast_is_the_openpyxl_workbook_byte_for_byte(tmp_path, layout):
    """300 units: most rows are written into the XML, past the rows openpyxl builds."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, str(root / "tools" / "make_city_plan.py"), str(tmp_path / "plan")]
        + ["--units", "300", "--measures", "60"],
        check=True,
        cwd=root,
        capture_output=True,
        env={**__import__("os").environ, "PYTHONPATH": str(root)},
    )
    fast, slow = _matrix_pair(tmp_path / "plan", layout)
    assert fast == slow
    sheet = zipfile.ZipFile(io.BytesIO(fast)).read("xl/worksheets/sheet1.xml").decode("ascii")
    assert sheet.count("<row ") == 4 + 300 + 2  # header, units, 单位数 and the legend
