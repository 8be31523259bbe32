"""修改对照表: one row per change, deleted characters struck through, inserted ones bold and underlined."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import schema_errors
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st
from plan_edits import commit_all, insert_measure_before, replace_in

from generators.cli import main
from generators.context import BuildContext
from generators.diff import diff_plans
from generators.pipeline import build
from generators.plan import PlanError, load_plan
from generators.render import changes
from generators.render.docx import compile_template
from generators.textdiff import Mark, char_diff


def table_docx(old: Path, new: Path, out: Path) -> Document:
    result = CliRunner().invoke(main, ["diff", str(old), "--plan", str(new), "--docx", str(out)])
    assert result.exit_code == 0, result.output
    return Document(str(out))


def marked_runs(cell) -> list[tuple[str, str]]:
    """(text, mark) of each run of a cell: 'strike', 'insert' (bold + underline) or ''."""
    out = []
    for paragraph in cell.paragraphs:
        for run in (r for r in paragraph.runs if r.text):
            font = run.font
            mark = "strike" if font.strike else "insert" if font.underline and font.bold else ""
            out.append((run.text, mark))
    return out


def test_reworded_measure_is_marked_character_by_character(plan, plan_copy, tmp_path):
    replace_in(plan_copy, "opinion.yaml", "扫除监管盲区。", "消除监管盲区和死角。")
    doc = table_docx(Path(plan.directory), plan_copy, tmp_path / "对照表.docx")

    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "原文", "修改后", "修改说明"]
    assert len(table.rows) == 2  # header + one change
    number, old, new, note = table.rows[1].cells
    assert number.text == "1" and note.text == "修改第8条表述"
    assert old.text == "8." + plan.measures[7].text
    assert new.text.startswith("8.消除监管盲区和死角。")
    assert [(text[:6], mark) for text, mark in marked_runs(old)] == [
        ("8.", ""),
        ("扫", "strike"),
        ("除监管盲区。", ""),
    ]
    assert marked_runs(new)[:4] == [("8.", ""), ("消", "insert"), ("除监管盲区", ""), ("和死角", "insert")]
    assert not schema_errors(tmp_path / "对照表.docx")


TRICKY = ("R&D <b>五</b>", "{{ title }} {% if x %}", "{_{ a }_}", "'\"&amp;")
# Measures 8, 9, 12, 13 begin with these words: one tricky insertion each, one document, one schema check.
OPENINGS = ("扫除监管盲区。", "压实监管责任。", "强化监管执法。", "严格刚性约束。")


def test_markup_in_a_change_comes_out_literally(plan, plan_copy, tmp_path):
    for opening, tricky in zip(OPENINGS, TRICKY, strict=True):
        replace_in(plan_copy, "opinion.yaml", opening, opening[:-1] + tricky + "。")
    doc = table_docx(Path(plan.directory), plan_copy, tmp_path / "t.docx")
    rows = doc.tables[0].rows[1:]
    assert len(rows) == len(TRICKY)
    for row, opening, tricky in zip(rows, OPENINGS, TRICKY, strict=True):
        new = row.cells[2]
        assert opening[:-1] + tricky + "。" in new.text
        assert (tricky, "insert") in marked_runs(new)
    assert not schema_errors(tmp_path / "t.docx")


def test_table_page_is_landscape_with_repeating_header(plan, plan_copy, tmp_path):
    insert_measure_before(plan_copy, 9, "新增一条措施。", "区教育局")
    doc = table_docx(Path(plan.directory), plan_copy, tmp_path / "t.docx")
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert round(section.page_width.mm) == 297 and round(section.left_margin.mm) == 35
    assert doc.paragraphs[0].text == f"《{plan.meta.title}》修改对照表"
    assert doc.paragraphs[0].style.name == "公文标题"
    header = doc.tables[0].rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows[1:]]
    assert [r[0] for r in rows] == ["1", "2"]
    assert rows[0][1:3] == ["", "9.新增一条措施。（责任单位：区教育局）"]
    assert rows[1][1:3] == ["第9条—第46条", "第10条—第47条"]


def test_same_diff_same_bytes(plan, plan_copy, layout):
    replace_in(plan_copy, "opinion.yaml", "扫除监管盲区。", "消除监管盲区。")
    old, new = plan, load_plan(plan_copy)
    first = changes.document(diff_plans(old, new), old, new, layout)
    again = changes.document(diff_plans(old, new), old, new, layout)
    assert first == again
    assert Document(io.BytesIO(first)).tables[0].rows[1].cells[3].text == "修改第8条表述"


@given(
    st.text(alphabet="安全生产责任&<>{}%的。 ", max_size=30),
    st.text(alphabet="安全生产责任&<>{}%的。 ", max_size=30),
)
def test_char_diff_keeps_both_texts(old, new):
    before, after = char_diff(old, new)
    assert "".join(s.text for s in before) == old
    assert "".join(s.text for s in after) == new
    assert all(s.mark is not Mark.INSERTED for s in before)
    assert all(s.mark is not Mark.DELETED for s in after)
    same_before = "".join(s.text for s in before if s.mark is Mark.SAME)
    assert same_before == "".join(s.text for s in after if s.mark is Mark.SAME)


def test_template_compiles_and_has_its_styles(layout):
    path = layout.template("changes")
    assert "/word/document.xml" in compile_template(path)
    names = {s.name for s in Document(str(path)).styles if s.type == 1}
    assert {"公文标题", "稿件状态", "表头", "表格文字", "表格居中", "页码"} <= names
    assert not schema_errors(path)


def test_no_base_revision_no_table(plan, views, layout):
    assert plan.meta.base_revision == ""
    assert changes.render(BuildContext.of(plan, layout, views)) == []


def set_base(plan_dir: Path, revision: str) -> None:
    replace_in(plan_dir, "meta.yaml", '比较基准: ""', f"比较基准: {revision}")


def test_build_makes_the_table_from_the_base_revision(plan_copy, tmp_path):
    repo = plan_copy.parent
    commit_all(repo, "征求意见稿")
    replace_in(plan_copy, "opinion.yaml", "扫除监管盲区。", "消除监管盲区。")
    set_base(plan_copy, "HEAD")
    out = tmp_path / "output"
    build(plan_copy, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = [e for e in manifest["artifacts"] if e["kind"] == "changes"]
    assert len(entries) == 1
    doc = Document(str(out / entries[0]["path"]))
    assert [c.text for c in doc.tables[0].rows[1].cells][3] == "修改第8条表述"
    assert len(doc.tables[0].rows) == 2  # the base revision line in meta.yaml is not a change


def test_unusable_base_revision_points_at_meta(plan_copy, tmp_path):
    commit_all(plan_copy.parent, "征求意见稿")
    set_base(plan_copy, "no-such-revision")
    with pytest.raises(PlanError) as caught:
        build(plan_copy, tmp_path / "output")
    [problem] = caught.value.problems
    line = plan_copy.joinpath("meta.yaml").read_text(encoding="utf-8").splitlines()[problem.where.line - 1]
    assert line.startswith("比较基准: no-such-revision")
    assert "no-such-revision" in problem.message
    assert not (tmp_path / "output" / "manifest.json").exists()
