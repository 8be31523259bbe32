"""任务分工函: each unit's letter holds exactly what the seed gives it, read back from the .docx."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seed_assignments import CONCERNED, LEAD, SUPPORT, expected_assignments, seed_tasks

from generators.cli import main
from generators.layout import load_layout
from generators.model import Category
from generators.render import docx as docx_render
from generators.render import leader_sheets, letters
from generators.views import Views

MEASURE = re.compile(r"^(\d+)\.")
TASK = re.compile(r"^第(\d+)项")
# The letter's headings as printed (template wording) → which list the numbers under them belong to.
MEASURE_SECTIONS = {"责任单位任务": LEAD, "结合职责落实任务": CONCERNED}
TASK_GROUPS = {"作为责任单位": LEAD, "作为配合单位": SUPPORT, "结合职责配合": CONCERNED}


@dataclass
class LetterContent:
    addressee: str = ""
    measures: dict[int, str] = field(default_factory=dict)  # number → role section it is listed under
    tasks: dict[int, str] = field(default_factory=dict)
    paragraphs: list[str] = field(default_factory=list)


def read_letters(document) -> list[LetterContent]:
    """Walk the body as a reader would: the addressee opens a letter, headings say what follows."""
    out: list[LetterContent] = []
    section = group = None
    for p in document.paragraphs:
        style, text = p.style.name, p.text
        if style == "主送机关":
            out.append(LetterContent(addressee=text.removesuffix("：")))
            section = group = None
        if not out:
            continue
        letter = out[-1]
        letter.paragraphs.append(text)
        if style == "一级标题":
            section = next((role for key, role in MEASURE_SECTIONS.items() if key in text), None)
            group = "tasks" if "重点工作任务" in text else None
        elif style == "二级标题" and group is not None:
            group = next(role for key, role in TASK_GROUPS.items() if key in text)
        elif style == "正文" and section and MEASURE.match(text):
            number = int(MEASURE.match(text).group(1))
            assert number not in letter.measures, f"措施{number}重复"
            letter.measures[number] = section
        elif style == "任务标题" and group and TASK.match(text):
            number = int(TASK.match(text).group(1))
            assert number not in letter.tasks, f"任务{number}重复"
            letter.tasks[number] = group
    return out


def read_letter(data: bytes) -> LetterContent:
    (letter,) = read_letters(docx.Document(io.BytesIO(data)))
    return letter


@pytest.fixture(scope="module")
def layout():
    return load_layout()


@pytest.fixture(scope="module")
def rendered(plan, views, layout):
    return letters.render(plan, views, layout)


@pytest.fixture(scope="module")
def by_unit(rendered) -> dict[str, LetterContent]:
    return {a.unit: read_letter(a.data) for a in rendered if a.kind == "letter"}


@pytest.fixture(scope="module")
def expected(seed_text, plan):
    return expected_assignments(seed_text, plan)


def test_every_unit_with_a_task_gets_exactly_one_letter(rendered, expected, plan):
    units = [a.unit for a in rendered if a.kind == "letter"]
    assert len(units) == len(set(units))
    assert set(units) == set(expected)
    assert not set(units) & {g.name for g in plan.groups}
    towns = [u.name for u in plan.units if u.category is Category.TOWN]
    assert len(towns) == 18 and set(towns) <= set(units)
    assert {a.path for a in rendered if a.kind == "letter"} == {f"letters/{u}.docx" for u in units}
    # registry order: departments, then towns, then direct units
    registry = [u.name for u in plan.units]
    assert units == sorted(units, key=registry.index)


def test_each_letter_holds_what_the_seed_gives_the_unit(by_unit, expected, plan):
    full_names = {u.name: u.full_name for u in plan.units}
    for unit, want in expected.items():
        got = by_unit[unit]
        assert got.addressee == full_names[unit]
        assert got.measures == {n: LEAD if r == LEAD else CONCERNED for n, r in want.measures.items()}, unit
        assert got.tasks == want.tasks, unit


def test_named_examples(by_unit, plan):
    mz = by_unit["区民宗办"]
    assert mz.measures[35] == LEAD and all(mz.measures[n] == LEAD for n in (1, 2, 3, 4))
    assert not {17, 26, 29, 30, 33, 37, 38} & set(mz.measures)
    hs = by_unit["崇明海事局"]
    assert all(hs.measures[n] == LEAD for n in (37, 45, 46))
    assert hs.tasks[5] == LEAD and hs.tasks[16] == LEAD
    sc = by_unit["区市场监管局"]
    assert sc.measures[38] == LEAD and sc.tasks[5] == LEAD and sc.tasks[17] == LEAD
    st_ = by_unit["区生态环境局"]
    assert st_.measures[27] == LEAD and st_.tasks[13] == LEAD
    for town in (u.name for u in plan.units if u.category is Category.TOWN):
        got = by_unit[town]
        assert all(got.measures.get(n) == LEAD for n in (26, 33, 38)), town
        assert 10 not in got.measures and 17 not in got.measures, town


def test_letter_prints_measure_text_and_task_details(by_unit, plan, views):
    mz = by_unit["区民宗办"]
    m35 = next(m for m in plan.measures if m.number == 35)
    assert m35.printed in mz.paragraphs
    assert views.place_of(m35)[1].heading in mz.paragraphs
    hs = "\n".join(by_unit["崇明海事局"].paragraphs)
    t16 = next(t for t in plan.key_tasks if t.number == 16)
    assert f"区领导：{'、'.join(t16.leaders)}" in hs and f"工作内容：{t16.content}" in hs
    meta = plan.meta
    text = "\n".join(mz.paragraphs)
    assert f"《{meta.title}》" in text and meta.office_full_name in text and meta.contact in text
    for iso in (meta.date, *meta.due_dates):
        year, month, day = (int(x) for x in iso.split("-"))
        assert f"{year}年{month}月{day}日" in text


def test_shared_tasks_name_their_group(by_unit):
    text = "\n".join(by_unit["区民宗办"].paragraphs)
    assert "“区安委会有关成员单位”" in text


def _sections(document):
    """Section properties in order: those ending a section inside the body, then the body's last."""
    body = document.element.body
    inner = [s for p in body.iter(qn("w:p")) for s in p.iterfind(f"{qn('w:pPr')}/{qn('w:sectPr')}")]
    return [*inner, body.find(qn("w:sectPr"))]


def test_print_file_holds_every_letter_each_on_a_new_odd_page(rendered, by_unit):
    (combined,) = [a for a in rendered if a.kind == "letters-print"]
    document = docx.Document(io.BytesIO(combined.data))
    in_print = read_letters(document)
    singles = [by_unit[a.unit] for a in rendered if a.kind == "letter"]
    assert [c.addressee for c in in_print] == [s.addressee for s in singles]
    lead_in = {""}
    title = next(
        p.text for p in docx.Document(io.BytesIO(rendered[0].data)).paragraphs if p.style.name == "公文标题"
    )
    for c, s in zip(in_print, singles, strict=True):
        # complete: the letter as sent, then only the next letter's lead-in (break, title, blank lines)
        assert c.paragraphs[: len(s.paragraphs)] == s.paragraphs
        assert set(c.paragraphs[len(s.paragraphs) :]) <= lead_in | {title}
    sections = _sections(document)
    assert len(sections) == len(singles)
    for sect in sections:
        assert sect.find(qn("w:type")).get(qn("w:val")) == "oddPage"
        assert sect.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
        assert sect.find(qn("w:titlePg")) is not None  # letterhead, no page number on page 1
    # each section (letter) starts with its addressee: the break paragraph is the last of a letter
    body = document.element.body
    starts, current = [], []
    for p in body.iter(qn("w:p")):
        current.append(p)
        pPr = p.find(qn("w:pPr"))
        if pPr is not None and pPr.find(qn("w:sectPr")) is not None:
            starts.append(current)
            current = []
    starts.append(current)
    for paragraphs, single in zip(starts, singles, strict=True):
        addressees = [
            docx.text.paragraph.Paragraph(p, document).text for p in paragraphs if _style(p) == "主送机关"
        ]
        assert addressees == [single.addressee + "："]


def _style(p) -> str | None:
    pPr = p.find(qn("w:pPr"))
    style = None if pPr is None else pPr.find(qn("w:pStyle"))
    return None if style is None else style.get(qn("w:val"))


def test_letters_are_reproducible(plan, views, layout, rendered):
    again = letters.render(plan, views, layout, units=["区应急局"])
    (first,) = [a for a in rendered if a.unit == "区应急局"]
    assert again[0].data == first.data


ORIGINAL_PARAGRAPHS: list[str] = []


@pytest.fixture(autouse=True, scope="module")
def _original_paragraphs(by_unit):
    ORIGINAL_PARAGRAPHS[:] = by_unit["区应急局"].paragraphs


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noise=st.text(alphabet="&<>\"'{}%#R D", min_size=1, max_size=12))
def test_markup_in_a_unit_name_comes_out_literally(plan, layout, noise):
    name = f"区应急局{noise}"
    units = tuple(replace(u, full_name=name) if u.name == "区应急局" else u for u in plan.units)
    changed = replace(plan, units=units)
    (artifact,) = letters.render(changed, Views(changed), layout, units=["区应急局"])
    got = read_letter(artifact.data)
    assert got.addressee == name
    assert len(got.paragraphs) == len(ORIGINAL_PARAGRAPHS)


def test_ampersand_in_registry_short_name_yields_a_complete_letter(plan_copy, layout, by_unit):
    """Rename 区民宗办 to 区民宗&办 in every plan file: the letter is still whole."""
    from generators.plan import load_plan

    for path in plan_copy.glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("区民宗办", "区民宗&办"), encoding="utf-8")
    changed = load_plan(plan_copy)
    (artifact,) = letters.render(changed, Views(changed), layout, units=["区民宗&办"])
    got = read_letter(artifact.data)
    want = by_unit["区民宗办"]
    assert got.measures == want.measures and got.tasks == want.tasks
    assert len(got.paragraphs) == len(want.paragraphs)
    assert any("区民宗&办" in p for p in got.paragraphs)
    assert artifact.path == "letters/区民宗&办.docx"


def test_templates_compile_and_have_their_styles(layout):
    for kind in ("letter", "letters_print"):
        path = layout.template(kind)
        assert docx_render.compile_template(path)
        names = {s.name for s in docx.Document(path).styles}
        assert {
            "公文标题",
            "主送机关",
            "一级标题",
            "二级标题",
            "任务标题",
            "正文",
            "发文机关署名",
            "成文日期",
        } <= names


def _schema_errors(data: bytes, tmp_path: Path) -> list[dict]:
    path = tmp_path / "audit.docx"
    path.write_bytes(data)
    audit = Path(sys.executable).parent / "openxml-audit"
    out = subprocess.run([str(audit), "-o", "json", str(path)], capture_output=True, text=True, check=False)
    return [e for r in json.loads(out.stdout) for e in r["errors"] if e.get("type") == "schema"]


def test_no_schema_errors(rendered, plan, views, layout, tmp_path):
    letter = next(a for a in rendered if a.kind == "letter")
    assert _schema_errors(letter.data, tmp_path) == []
    # the print file's structure with three letters: auditing all of it takes a minute and shows no more
    common, contexts = letters.contexts(plan, views, layout)
    short_print = letters.print_job(plan, layout, common, contexts[:3]).make()
    assert _schema_errors(short_print, tmp_path) == []


def test_cli_letters_for_one_unit_then_all(tmp_path, expected):
    out = tmp_path / "output"
    runner = CliRunner()
    result = runner.invoke(main, ["letters", "--unit", "区应急局", "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [(e["kind"], e.get("unit")) for e in manifest["artifacts"]] == [("letter", "区应急局")]
    assert read_letter((out / "letters/区应急局.docx").read_bytes()).addressee.endswith("应急管理局")
    result = runner.invoke(main, ["letters", "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    kinds = [e["kind"] for e in manifest["artifacts"]]
    assert kinds.count("letter") == len(expected) and kinds.count("letters-print") == 1
    for entry in manifest["artifacts"]:
        assert (out / entry["path"]).is_file()


def test_cli_rejects_an_unknown_unit(tmp_path):
    result = CliRunner().invoke(main, ["letters", "--unit", "区应急", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "区应急" in result.output and "区应急局" in result.output


def test_leader_sheets_list_each_leaders_tasks_with_their_units(plan, views, layout, seed_text, tmp_path):
    tasks = seed_tasks(seed_text, [*(u.name for u in plan.units), *(g.name for g in plan.groups)])
    sheets = leader_sheets.render(plan, views, layout)
    want = {}
    for task in tasks.values():
        for leader in task.leaders:
            want.setdefault(leader, []).append(task)
    assert {a.leader for a in sheets} == set(want)
    for artifact in sheets:
        assert artifact.path == f"leaders/{artifact.leader}.docx"
        (table,) = docx.Document(io.BytesIO(artifact.data)).tables
        rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
        assert [int(r[0]) for r in rows] == [t.number for t in want[artifact.leader]]
        for row, task in zip(rows, want[artifact.leader], strict=True):
            assert row[1] == task.name
            assert row[2].split("\n") == task.leads and row[3].split("\n") == task.supports
            others = [n.replace(" ", "") for line in row[5].split("\n") for n in line.split("\u3000") if n]
            assert others == [n for n in task.leaders if n != artifact.leader]
    assert _schema_errors(sheets[0].data, tmp_path) == []
