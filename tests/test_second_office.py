"""A second office's draft in a shape the importer had not seen (tests/fixtures/drafts/
jiading_2026_fangan_deadline_lines.txt): items numbered 1． (full-width stop), responsibility on lines of its
own under an item with a 完成时限：… line after them, 【】 brackets closing each sentence of one measure,
monthly reporting (每月25日前) in the 序言, and a closing 工作要求 part of prose only. Played as the office
would: new → check → build, read two letters as their units do, edit the draft, import, diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from played_plan import docx_text, entries, run

from generators.plan import PlanError, load_plan

DRAFT = Path(__file__).resolve().parent / "fixtures" / "drafts" / "jiading_2026_fangan_deadline_lines.txt"
TITLE = "嘉定区2026年安全生产工作实施方案"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("jiading")
    plan_dir, out = root / "plan", root / "output"
    run("new", str(DRAFT), "--dir", str(plan_dir))
    run("check", "--plan", str(plan_dir))
    run("build", "--plan", str(plan_dir), "--out", str(out))
    return plan_dir, out


def test_the_opinion_prints_every_line_of_the_draft_as_drafted(built):
    """The body from the title to the 工作要求 is the draft's own lines, 完成时限 lines included, in order."""
    _, out = built
    drafted = [line.strip() for line in DRAFT.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = drafted[: drafted.index("嘉定区安全生产委员会")]
    printed = [p.text for p in Document(str(out / f"{TITLE}.docx")).paragraphs if p.text.strip()]
    assert printed[: len(body)] == body


def test_a_deadline_line_is_the_measure_s_deadline(built):
    plan_dir, _ = built
    plan = load_plan(plan_dir)
    measures = {m.number: m for m in plan.measures}
    assert (measures[1].deadline, measures[1].deadline_label) == ("2026年6月底前", "完成时限")
    assert measures[1].paragraphs[-1] == "完成时限：2026年6月底前" and measures[1].own_lines
    assert measures[2].deadline_line == "完成时限：年底前"
    assert measures[4].deadline == "" and measures[4].deadlines.text == "9月30日前"  # in its own words
    assert measures[5].deadline_line == "完成时限：长期坚持"
    assert plan.meta.cycle == "月度" and plan.meta.due_dates[5] == "2026-06-25"


def test_the_letters_print_the_deadline_line_under_the_measure(built):
    """区应急局 (牵头 of 第1条) and 区公安分局 (责任 of 第5条) read their deadlines in their letters."""
    _, out = built
    lead = [p.text for p in Document(str(out / "letters" / "区应急局.docx")).paragraphs]
    first = next(i for i, t in enumerate(lead) if t.startswith("1．修订区安委会"))
    assert lead[first + 1] == "完成时限：2026年6月底前"
    assert "3．督促企业主要负责人每季度开展一次安全生产履职检查【区应急局牵头，各街镇配合】；" in lead
    police = docx_text(out / "letters" / "区公安分局.docx")
    assert "（责任单位：区公安分局、区交通委）\n完成时限：长期坚持\n" in police
    assert "请于每月25日前" in police and "季度" not in police


def test_the_monthly_form_shows_the_deadline(built):
    _, out = built
    (form,) = [e for e in entries(out, "form") if e["unit"] == "区应急局" and e["quarter"] == 6]
    ws = load_workbook(out / form["path"]).worksheets[0]
    header = [c.value for c in ws[4]]
    assert ws.cell(5, header.index("时限") + 1).value == "2026年6月底前"


def test_the_generated_opinion_imports_back_unchanged(built, tmp_path):
    import shutil

    plan_dir, out = built
    copy = tmp_path / "plan"
    shutil.copytree(plan_dir, copy)
    shown = run("import", str(out / f"{TITLE}.docx"), "--into", str(copy))
    assert "写入 0 个文件" in shown
    assert {p.name: p.read_bytes() for p in copy.iterdir()} == {
        p.name: p.read_bytes() for p in plan_dir.iterdir()
    }


def test_a_changed_deadline_line_is_a_change_the_diff_names_with_its_units(built, tmp_path):
    import shutil

    plan_dir, _ = built
    revised = tmp_path / "plan"
    shutil.copytree(plan_dir, revised)
    draft = tmp_path / "第二稿.txt"
    draft.write_text(
        DRAFT.read_text(encoding="utf-8").replace("完成时限：2026年6月底前", "完成时限：2026年9月底前"),
        encoding="utf-8",
    )
    run("import", str(draft), "--into", str(revised))
    table = tmp_path / "对照表.docx"
    shown = run("diff", str(plan_dir), "--plan", str(revised), "--docx", str(table))
    assert "第1条时限由“2026年6月底前”改为“2026年9月底前”" in shown
    rows = [[c.text for c in r.cells] for r in Document(str(table)).tables[0].rows]
    assert [
        "1",
        "完成时限：2026年6月底前",
        "完成时限：2026年9月底前",
        "第1条时限由“2026年6月底前”改为“2026年9月底前”",
    ] in rows
    reissue = shown.split("需重新印发的单位")[1].split("\n\n")[0]
    for unit in ("区应急局", "区委编办", "区司法局"):
        assert f"{unit}：第1条时限改为“2026年9月底前”" in reissue, shown
    assert "区公安分局" not in reissue


def test_a_deadline_line_label_without_its_deadline_is_refused(built, tmp_path):
    import shutil

    plan_dir, _ = built
    copy = tmp_path / "plan"
    shutil.copytree(plan_dir, copy)
    opinion = copy / "opinion.yaml"
    text = opinion.read_text(encoding="utf-8")
    opinion.write_text(text.replace("            时限: 2026年6月底前\n", "", 1), encoding="utf-8")
    with pytest.raises(PlanError) as refused:
        load_plan(copy)
    assert any("写了“时限行”，缺少它印出的“时限”" in str(p) for p in refused.value.problems)


def test_a_stated_deadline_set_in_plan_data_is_named_by_the_diff(plan_copy, tmp_path):
    """The same for 时限 written into opinion.yaml (or a table plan's 完成时限 column): was not compared."""
    import shutil

    before = tmp_path / "before"
    shutil.copytree(plan_copy, before)
    opinion = plan_copy / "opinion.yaml"
    anchor = "            责任单位: 区应急局、区委督查室、区政府督查室、区安委会各成员单位，各乡镇，区有关直属单位\n"
    text = opinion.read_text(encoding="utf-8")
    assert text.count(anchor) == 1
    opinion.write_text(text.replace(anchor, anchor + "            时限: 2023-06-30\n"), encoding="utf-8")
    shown = run("diff", str(before), "--plan", str(plan_copy))
    assert "第3条时限由“未写明”改为“2023-06-30”" in shown
    reissue = shown.split("需重新印发的单位")[1].split("\n\n")[0]
    assert "区委督查室：措施3时限改为“2023-06-30”" in reissue, shown


def test_a_measure_standing_in_a_part_without_sections_has_no_empty_heading_in_the_letter(built):
    """第5条 stands in 二、 directly (no （一）): the letter printed an empty 二级标题 line above it."""
    _, out = built
    for name in ("区公安分局.docx", "区建管委.docx"):
        paragraphs = [p.text for p in Document(str(out / "letters" / name)).paragraphs]
        at = next(i for i, t in enumerate(paragraphs) if t.startswith(("5．", "4．")))
        assert paragraphs[at - 1].startswith(("《方案》在以下工作任务", "以下工作任务由贵单位牵头")), (
            paragraphs[at - 1]
        )


OTHER_SHAPES = """宝山区2026年安全生产工作要点
一、重点工作
1.加强消防检查。（责任单位：区消防救援支队）
完成时限：年底前
2.开展燃气排查。
牵头单位：区建管委
配合单位：各街镇
完成时限：6月30日前
3.开展危化品检查（责任单位：区应急局）；推进园区封闭化管理（责任单位：区经委）。
完成时间：2026年9月30日前
"""


def test_a_deadline_line_under_a_bracket_or_under_sub_tasks_is_printed_as_drafted(tmp_path):
    draft = tmp_path / "要点.txt"
    draft.write_text(OTHER_SHAPES, encoding="utf-8")
    plan_dir, out = tmp_path / "plan", tmp_path / "output"
    run("new", str(draft), "--dir", str(plan_dir))
    run("build", "--plan", str(plan_dir), "--out", str(out))
    printed = [
        p.text for p in Document(str(out / "宝山区2026年安全生产工作要点.docx")).paragraphs if p.text.strip()
    ]
    assert printed == OTHER_SHAPES.splitlines()
    measures = load_plan(plan_dir).measures
    assert [m.deadline for m in measures] == ["年底前", "6月30日前", "2026年9月30日前"]
    assert [s.deadlines.text for s in measures[2].subtasks] == [
        "2026年9月30日前"
    ] * 2  # the measure's, for each


def test_a_deadline_line_written_before_the_responsibility_lines_is_reported_not_moved(tmp_path):
    draft = tmp_path / "要点.txt"
    draft.write_text(
        OTHER_SHAPES.replace(
            "开展燃气排查。\n牵头单位：区建管委\n配合单位：各街镇\n完成时限：6月30日前\n",
            "开展燃气排查。\n完成时限：6月30日前\n牵头单位：区建管委\n配合单位：各街镇\n",
        ),
        encoding="utf-8",
    )
    shown = run("new", str(draft), "--dir", str(tmp_path / "plan"), code=2)
    assert shown.splitlines()[0] == (
        f"{draft}:第6行: 这一行时限写在了该条的“牵头单位”行之前：计划把时限行印在责任单位行之后，"
        "请在草稿中把它移到责任单位行之后再导入：“完成时限：6月30日前”"
    )
    assert len(shown.splitlines()) == 2 and not (tmp_path / "plan").exists()
