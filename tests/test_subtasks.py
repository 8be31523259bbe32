"""A measure whose sentences each close with their own bracket holds sub-tasks (2-1, 2-2, 2-3): the opinion
prints it as drafted; letters, forms, the ledger and 督办单 go by sub-task with the measure for context.
Fixture: tests/fixtures/plans/subtasks (three bracketed sentences, two deadlines)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from docx import Document
from openpyxl import load_workbook
from played_plan import FIXTURE_PLANS, copy_plan, docx_text, entries, run, send_back

from generators.plan import load_plan
from generators.views import Role, Views

SUBTASKS = FIXTURE_PLANS / "subtasks"
MEASURE_2 = (
    "2.强化危险化学品安全监管。4月底前，完成危险化学品企业安全风险复核（责任单位：区应急局）；"
    "6月30日前，完成重大危险源企业专项检查〔区应急局牵头，区公安分局、各镇配合〕；"
    "加强危险货物道路运输联合执法（区交通局、区公安分局按职责分工负责）。"
)


def test_views_hold_each_sub_task_with_its_own_role():
    views = Views(load_plan(SUBTASKS))
    held = {(a.unit, a.key): a.role for u in views.assignments.values() for a in u.all}
    assert held[("区应急局", "M2-1")] is Role.LEAD_NAMED
    assert held[("区应急局", "M2-2")] is Role.PRIME
    assert held[("区公安分局", "M2-2")] is Role.SUPPORT
    assert held[("区公安分局", "M2-3")] is Role.LEAD_NAMED
    assert held[("东山镇", "M2-2")] is Role.SUPPORT
    assert ("区交通局", "M2-1") not in held and ("区交通局", "M2-3") in held
    assert views.deadlines["M2-1"].text == "4月底前" and views.deadlines["M2-2"].text == "6月30日前"
    assert not views.deadlines["M2-3"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("subtasks")
    plan_dir, out = root / "plan", root / "output"
    copy_plan("subtasks", plan_dir)
    run("check", "--plan", str(plan_dir))
    run("build", "--plan", str(plan_dir), "--out", str(out))
    return plan_dir, out


def test_the_opinion_prints_the_measure_as_drafted(built):
    _, out = built
    (opinion,) = entries(out, "opinion")
    paragraphs = [p.text for p in Document(str(out / opinion["path"])).paragraphs]
    assert MEASURE_2 in paragraphs


def test_a_letter_names_only_the_units_own_sentences(built):
    _, out = built
    letters = {e["unit"]: docx_text(out / e["path"]) for e in entries(out, "letter")}
    assert set(letters) == {"区应急局", "区委编办", "区公安分局", "区交通局", "东山镇", "南湖镇"}
    traffic = letters["区交通局"]
    assert (
        "2.强化危险化学品安全监管。加强危险货物道路运输联合执法（区交通局、区公安分局按职责分工负责）。"
        in traffic
    )
    assert "4月底前" not in traffic and "6月30日前" not in traffic
    police = letters["区公安分局"]
    named, support = police.index("、责任单位任务"), police.index("、配合任务")
    assert (
        named
        < police.index("加强危险货物道路运输联合执法")
        < support
        < police.index("6月30日前，完成重大危险源")
    )
    assert "4月底前" not in police
    for text in letters.values():
        assert "None" not in text


def test_the_form_lists_sub_tasks_with_their_deadlines(built):
    _, out = built
    (form,) = [e for e in entries(out, "form") if e["unit"] == "区应急局" and e["quarter"] == 1]
    ws = load_workbook(out / form["path"]).worksheets[0]
    header = [c.value for c in ws[4]]
    at = {name: header.index(name) + 1 for name in ("编号", "工作内容", "时限", "责任类型")}
    rows = [
        tuple(ws.cell(r, at[n]).value for n in ("编号", "责任类型", "时限"))
        for r in range(5, ws.max_row + 1)
        if ws.cell(r, 1).value
    ]
    assert rows == [
        ("措施1", "牵头单位", None),
        ("措施2-1", "责任单位", "4月底前"),
        ("措施2-2", "牵头单位", "6月30日前"),
        ("措施3", "责任单位", None),
    ]
    assert (
        ws.cell(6, at["工作内容"]).value == "强化危险化学品安全监管。4月底前，完成危险化学品企业安全风险复核"
    )


def test_the_matrix_shows_the_strongest_role_of_a_units_sub_tasks(built):
    _, out = built
    (entry,) = entries(out, "matrix")
    ws = load_workbook(out / entry["path"]).active
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 5)] for r in range(5, ws.max_row)}
    assert rows["区公安分局"] == [None, "●", None]
    assert rows["区应急局"] == ["★", "★", "●"]


def test_a_late_sub_task_is_supervised_by_its_number(built, layout, tmp_path):
    plan_dir, out = built
    returns = tmp_path / "returns"
    send_back(plan_dir, layout, 2, returns, dt.date(2025, 7, 5), ("区应急局", "措施2-1", "未启动"))
    run("collect", "--quarter", "2", str(returns), "--plan", str(plan_dir), "--out", str(out))
    run("supervise", "--quarter", "2", "--plan", str(plan_dir), "--out", str(out))
    letters = [e for e in entries(out, "supervision") if "unit" in e and e["quarter"] == 2]
    assert [e["unit"] for e in letters] == ["区应急局"]
    text = docx_text(out / letters[0]["path"])
    assert "措施2-1" in text and "未启动，逾期（时限：4月底前）" in text
    assert "1项任务未启动，1项任务逾期" in text


def test_diff_names_the_changed_sub_task(built, tmp_path):
    plan_dir, _ = built
    edited = tmp_path / "edited"
    shutil.copytree(plan_dir, edited)
    opinion = edited / "opinion.yaml"
    opinion.write_text(
        opinion.read_text(encoding="utf-8").replace(
            "加强危险货物道路运输联合执法", "加强危险货物道路运输联合执法检查"
        ),
        encoding="utf-8",
    )
    shown = run("diff", str(plan_dir), "--plan", str(edited), "--docx", str(tmp_path / "对照表.docx"))
    assert "修改第2条表述" in shown
    assert (
        "区交通局：措施2-3内容修改" in shown
        and "区应急局" not in shown.split("分工函和季度报表")[1].split("\n\n")[0]
    )
