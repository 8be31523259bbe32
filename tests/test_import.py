"""plandocs import: drafts (.txt in the seed's form, .docx as Word leaves it) back into plan/."""

from __future__ import annotations

import copy
import difflib
import io
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PLAN_DIR, SEED, TEMPLATES_DIR
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from generators.cli import main
from generators.diff import diff_plans
from generators.importer import import_draft
from generators.importer.docx import read_docx
from generators.importer.draft import Table
from generators.pipeline import render_all
from generators.plan import load_plan

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REGISTRY_FILES = ("meta.yaml", "units.yaml", "leaders.yaml")


def registry_only(tmp_path: Path) -> Path:
    """An empty plan directory holding only what a draft does not carry."""
    target = tmp_path / "fresh"
    target.mkdir()
    for name in REGISTRY_FILES:
        shutil.copyfile(PLAN_DIR / name, target / name)
    return target


def import_text(text: str, into: Path, tmp_path: Path, *args: str):
    draft = tmp_path / "draft.txt"
    draft.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["import", str(draft), "--into", str(into), *args])


def opinion_docx(plan) -> bytes:
    (artifact,) = render_all(plan, TEMPLATES_DIR, only={"opinion"})
    return artifact.data


def plan_files(plan_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(plan_dir.glob("*.yaml"))}


# --- round trips -------------------------------------------------------------------------------------


def test_seed_imports_into_an_empty_plan_as_the_plan(tmp_path, plan):
    fresh = registry_only(tmp_path)
    result = import_text(SEED.read_text(encoding="utf-8"), fresh, tmp_path)
    assert result.exit_code == 0, result.output
    assert load_plan(fresh) == plan
    # written in the very layout of the hand-made files
    for name in ("opinion.yaml", "tasks.yaml", "meta.yaml"):
        assert (fresh / name).read_text(encoding="utf-8") == (PLAN_DIR / name).read_text(encoding="utf-8")


def test_seed_import_builds_the_same_opinion(tmp_path, plan):
    fresh = registry_only(tmp_path)
    assert import_draft(SEED, fresh).problems == []
    assert opinion_docx(load_plan(fresh)) == opinion_docx(plan)


def test_generated_opinion_docx_imports_without_change(tmp_path, plan, plan_copy):
    draft = tmp_path / "意见.docx"
    draft.write_bytes(opinion_docx(plan))
    before = plan_files(plan_copy)
    report = import_draft(draft, plan_copy)
    assert report.problems == []
    assert report.written == []
    assert plan_files(plan_copy) == before
    assert load_plan(plan_copy) == plan
    assert diff_plans(plan, load_plan(plan_copy)).empty


# --- variants real drafts use ------------------------------------------------------------------------


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def line_of(lines: list[str], start: str) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(start))


def test_variants_keep_their_printed_form(tmp_path, plan):
    lines = seed_lines()
    for number in (1, 2, 17, 46):  # 1、 numbering
        i = line_of(lines, f"{number}.")
        lines[i] = f"{number}、" + lines[i][len(f"{number}.") :]
    i = line_of(lines, "（二）")  # half-width section brackets, stray spaces
    lines[i] = "  (二) " + lines[i][len("（二）") :] + "  "
    i = line_of(lines, "12.")  # half-width responsibility, spaces inside it and around the number
    lines[i] = (
        lines[i]
        .replace("12.", "12. ")
        .replace("（责任单位：区安委会有关成员单位，各乡镇）", " (责任单位: 区安委会有关成员单位 , 各乡镇) ")
    )
    i = line_of(lines, "17、")  # a responsibility line without a label
    lines[i] = lines[i].replace("（责任单位：区应急局）", "（区应急局）")
    i = line_of(lines, "30.")
    lines[i] = lines[i].replace("（责任单位：区应急局，各乡镇）", "(区应急局,各乡镇)")
    fresh = registry_only(tmp_path)
    result = import_text("\n".join(lines), fresh, tmp_path)
    assert result.exit_code == 0, result.output
    imported = load_plan(fresh)
    # the numbering and the responsibility lines print as the draft wrote them (its stray spaces dropped);
    # what they mean, and every other measure, is the seed's
    changed = {1, 2, 12, 17, 30, 46}
    for before, after in zip(plan.measures, imported.measures, strict=True):
        assert after.responsibility.names == before.responsibility.names
        assert after.text == before.text
        if after.number in changed:
            line = next(line for line in lines if before.text[:30] in line and line.strip()[0].isdigit())
            assert after.printed == re.sub(r"\s", "", line)
        else:
            assert after == before
    assert [m.numbering for m in imported.measures[:3]] == ["1、", "2、", "3."]
    assert imported.measures[16].responsibility.printed == "（区应急局）"
    assert imported.measures[29].responsibility.printed == "(区应急局,各乡镇)"
    assert imported.parts[0].sections[1] == plan.parts[0].sections[1]  # a heading's brackets: the plan's


LEAD_AND_SUPPORT = "（牵头单位：区应急局；配合单位：区安委会有关成员单位，各乡镇，区有关直属单位）"


@pytest.mark.parametrize(
    "printed",
    [
        LEAD_AND_SUPPORT,
        "(牵头单位:区应急局;配合单位:区安委会有关成员单位,各乡镇,区有关直属单位)",
        LEAD_AND_SUPPORT + " ",
    ],
)
def test_lead_and_support_units(tmp_path, plan, printed):
    lines = seed_lines()
    i = line_of(lines, "5.")
    lines[i] = lines[i].replace(
        "（责任单位：区应急局、区安委会有关成员单位，各乡镇，区有关直属单位）", printed
    )
    fresh = registry_only(tmp_path)
    result = import_text("\n".join(lines), fresh, tmp_path)
    assert result.exit_code == 0, result.output
    imported = load_plan(fresh)
    measure = imported.measures[4]
    assert measure.responsibility.label == "牵头单位"
    assert measure.responsibility.names == ("区应急局",)
    assert measure.responsibility.support_names == ("区安委会有关成员单位", "各乡镇", "区有关直属单位")
    assert measure.printed == lines[i].rstrip()  # as the draft printed it, half-width marks too
    assert imported.measures[:4] == plan.measures[:4] and imported.measures[5:] == plan.measures[5:]


def test_part_without_sections(tmp_path, plan):
    """Part 三 printed without its （八）…（十四） headings: one untitled section, later ones renumbered."""
    lines = seed_lines()
    start, end = line_of(lines, "三、"), line_of(lines, "四、")
    lines[start:end] = [line for line in lines[start:end] if not line.startswith("（")]
    for old, new in (("（十五）", "（八）"), ("（十六）", "（九）"), ("（十七）", "（十）")):
        i = line_of(lines, old)
        lines[i] = new + lines[i][len(old) :]
    fresh = registry_only(tmp_path)
    result = import_text("\n".join(lines), fresh, tmp_path)
    assert result.exit_code == 0, result.output
    imported = load_plan(fresh)
    (section,) = imported.parts[2].sections
    assert section.heading == "" and [m.number for m in section.measures] == list(range(22, 39))
    assert imported.measures == plan.measures
    assert [s.heading for s in imported.parts[3].sections][0].startswith("（八）")


# --- what it cannot place ----------------------------------------------------------------------------


def test_unknown_unit_is_reported_with_did_you_mean_and_nothing_written(tmp_path, plan_copy):
    lines = seed_lines()
    i = line_of(lines, "17.")
    lines[i] = lines[i].replace("（责任单位：区应急局）", "（责任单位：区应急管理局）")
    before = plan_files(plan_copy)
    result = import_text("\n".join(lines), plan_copy, tmp_path)
    assert result.exit_code == 2
    assert f"第{i + 1}行" in result.output
    assert "未知的单位或分组“区应急管理局”，是否应为“区应急局”？" in result.output
    assert plan_files(plan_copy) == before


def test_add_units_appends_to_the_registry_marked_unverified(tmp_path, plan_copy):
    lines = seed_lines()
    i = line_of(lines, "17.")
    lines[i] = lines[i].replace("（责任单位：区应急局）", "（责任单位：区应急局、区数据局）")
    result = import_text("\n".join(lines), plan_copy, tmp_path, "--add-units")
    assert result.exit_code == 0, result.output
    imported = load_plan(plan_copy)
    unit = next(u for u in imported.units if u.name == "区数据局")
    assert unit.assumed
    assert imported.measures[16].responsibility.names == ("区应急局", "区数据局")
    assert "# 单位名册" in (plan_copy / "units.yaml").read_text(encoding="utf-8")  # layout kept


def test_unplaceable_paragraph_is_reported(tmp_path, plan_copy):
    lines = seed_lines()
    i = line_of(lines, "3.")
    lines.insert(i + 1, "这是一段没有编号的补充说明。")
    result = import_text("\n".join(lines), plan_copy, tmp_path)
    assert result.exit_code == 2
    assert f"第{i + 2}行" in result.output and "这是一段没有编号的补充说明。" in result.output


def test_invalid_result_is_not_written(tmp_path, plan_copy):
    """A status no plan allows passes the parser but not load_plan: the plan stays as it was."""
    text = SEED.read_text(encoding="utf-8").replace("（送审稿）", "（讨论稿）", 1)
    before = plan_files(plan_copy)
    result = import_text(text, plan_copy, tmp_path)
    assert result.exit_code == 2
    assert "meta.yaml" in result.output and "讨论稿" in result.output and "import-" not in result.output
    assert plan_files(plan_copy) == before
    assert not list(plan_copy.parent.glob(".*import-*"))


# --- identities under --into -------------------------------------------------------------------------


def test_reworded_and_inserted_measures_keep_entries_and_comments(tmp_path, plan_copy, plan):
    opinion = plan_copy / "opinion.yaml"
    text = opinion.read_text(encoding="utf-8")
    text = text.replace("          - 编号: 5\n", "          # 第5条：办公室备注\n          - 编号: 5\n")
    opinion.write_text(text, encoding="utf-8")
    lines = seed_lines()
    i = line_of(lines, "3.")
    lines[i] = lines[i].replace("闭环管理问题隐患", "闭环管理各类问题隐患")
    lines.insert(i + 1, "4.新增一条措施。（责任单位：区应急局）")
    for j in range(i + 2, len(lines)):  # renumber the measures after the insertion
        if m := re.match(r"^(\d+)\.", lines[j]):
            lines[j] = f"{int(m.group(1)) + 1}." + lines[j][len(m.group(0)) :]
    result = import_text("\n".join(lines), plan_copy, tmp_path)
    assert result.exit_code == 0, result.output
    after = opinion.read_text(encoding="utf-8").splitlines()
    k = after.index("          # 第5条：办公室备注")
    assert after[k + 1] == "          - 编号: 6"
    assert after[k + 2].strip() == f"内容: {plan.measures[4].text}"
    changed = [
        line
        for line in difflib.ndiff(text.splitlines(), after)
        if line.startswith(("- ", "+ ")) and "编号:" not in line
    ]
    # numbers aside: the reworded text, and the new entry's 内容 and 责任单位; nothing else moved
    assert len([c for c in changed if c.startswith("- ")]) == 1
    assert len([c for c in changed if c.startswith("+ ")]) == 3
    assert load_plan(plan_copy).measures[3].text == "新增一条措施。"


# --- Word's tracked changes --------------------------------------------------------------------------


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _run(text: str, deleted: bool = False):
    run = etree.Element(_w("r"))
    t = etree.SubElement(run, _w("delText" if deleted else "t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _revision(tag: str, *runs):
    element = etree.Element(
        _w(tag), {_w("id"): "1", _w("author"): "领导", _w("date"): "2023-02-01T00:00:00Z"}
    )
    element.extend(runs)
    return element


def _text(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(_w("t")))


def tracked_draft(plain: bytes) -> bytes:
    """The generated opinion with a leader's edits left as tracked changes and a comment."""
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    paragraphs = list(root.iter(_w("p")))
    measure = next(p for p in paragraphs if _text(p).startswith("2.以“重责任担当"))
    original = _text(measure)
    props = measure.find(_w("pPr"))
    for child in list(measure):
        if child is not props:
            measure.remove(child)
    head, tail = original.split("“重责任担当保一方平安”", 1)
    measure.extend(
        [
            _run(head),
            _revision("del", _run("“重责任担当保一方平安”", deleted=True)),
            _revision("ins", _run("“守安全底线保一方平安”")),
            etree.Element(_w("commentRangeStart"), {_w("id"): "0"}),
            _revision("moveFrom", _run("（已移走的文字）")),
            _run(tail),
        ]
    )
    intro = next(p for p in paragraphs if _text(p).startswith("推动党委政府严格落实"))
    for run in intro.findall(_w("r")):  # the whole intro deleted, paragraph mark included
        t = run.find(_w("t"))
        t.tag = _w("delText")
        intro.replace(run, _revision("del", copy.deepcopy(run)))
    marks = intro.find(_w("pPr")) if intro.find(_w("pPr")) is not None else etree.SubElement(intro, _w("pPr"))
    run_marks = etree.SubElement(marks, _w("rPr"))
    run_marks.append(_revision("del"))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_tracked_changes_import_as_accepted(tmp_path, plan, plan_copy):
    draft = tmp_path / "修改稿.docx"
    draft.write_bytes(tracked_draft(opinion_docx(plan)))
    report = import_draft(draft, plan_copy)
    assert report.problems == []
    imported = load_plan(plan_copy)
    assert imported.measures[1].text == plan.measures[1].text.replace("重责任担当", "守安全底线")
    assert imported.parts[0].sections[0].intro is None
    assert imported.measures[2:] == plan.measures[2:] and imported.annex == plan.annex
    changes = diff_plans(plan, imported).changes
    assert any("守安全底线" in c.new_text and "重责任担当" in c.old_text for c in changes)


# --- text survives the trip --------------------------------------------------------------------------

MEASURE_TEXT = (
    st.lists(
        st.sampled_from([*"安全生产责任落实，。、；：“”《》（）()&<>{}%#'\"!*-: ", "{{", "{%", "1."]),
        max_size=40,
    )
    .map(lambda tokens: "".join(tokens).strip())
    .filter(lambda s: s and not s.endswith(("）", ")")) and not s[0].isdigit())
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=MEASURE_TEXT)
def test_measure_text_round_trips(text, plan):
    lines = seed_lines()
    i = line_of(lines, "17.")
    lines[i] = f"17.{text}（责任单位：区应急局）"
    with tempfile.TemporaryDirectory() as tmp:
        fresh = registry_only(Path(tmp))
        draft = Path(tmp) / "draft.txt"
        draft.write_text("\n".join(lines), encoding="utf-8")
        report = import_draft(draft, fresh)
        assert report.problems == []
        measure = load_plan(fresh).measures[16]
    assert measure.text == text
    assert measure.printed == lines[i]


@pytest.mark.parametrize("span", ["<w:gridSpan/>", '<w:gridSpan w:val="abc"/>', '<w:gridSpan w:val="²"/>'])
def test_a_cell_span_without_a_usable_value_spans_one_column(tmp_path, span):
    """Word reads a w:gridSpan without a number as one column; the importer did int(None) and stopped with
    a traceback."""
    document = Document()
    table = document.add_table(rows=2, cols=2)
    for row, texts in zip(table.rows, (("序号", "重点任务"), ("1", "隐患排查")), strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    plain = io.BytesIO()
    document.save(plain)
    path = tmp_path / "draft.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = data.replace(b"<w:tc><w:tcPr>", b"<w:tc><w:tcPr>" + span.encode(), 1)
                assert span.encode() in data
            out.writestr(name, data)
    draft = read_docx(path, "draft.docx")
    tables = [b for b in draft.blocks if isinstance(b, Table)]
    assert [row.cells for row in tables[0].rows] == [(("序号",), ("重点任务",)), (("1",), ("隐患排查",))]
