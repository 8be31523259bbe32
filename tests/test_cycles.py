"""The reporting cycle (报送周期) is plan data: a 月度 plan gets a form per month, collect and supervise take
a month, letters and the ledger speak of months. Fixture: tests/fixtures/plans/monthly (每月26日前)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from openpyxl import load_workbook
from played_plan import copy_plan, docx_text, entries, play, run

from generators.periods import Cycle, monthly_due_dates


@pytest.mark.parametrize(
    ("name", "count", "names", "tags", "ends"),
    [
        ("季度", 4, ("第一季度", "第四季度"), ("Q1", "Q4"), (dt.date(2025, 3, 31), dt.date(2025, 12, 31))),
        ("月度", 12, ("1月", "12月"), ("M01", "M12"), (dt.date(2025, 1, 31), dt.date(2025, 12, 31))),
        ("半年", 2, ("上半年", "下半年"), ("H1", "H2"), (dt.date(2025, 6, 30), dt.date(2025, 12, 31))),
    ],
)
def test_a_cycle_names_its_periods(name, count, names, tags, ends):
    cycle = Cycle(name)
    last = cycle.periods[-1]
    assert cycle.count == count == last
    assert (cycle.name_of(1), cycle.name_of(last)) == names
    assert (cycle.tag(1), cycle.tag(last)) == tags
    assert (cycle.end(2025, 1), cycle.end(2025, last)) == ends


def test_a_monthly_due_day_gives_each_month_its_date():
    dates = monthly_due_dates(2025, 30)
    assert len(dates) == 12 and dates[0] == "2025-01-30" and dates[1] == "2025-02-28"


def test_a_period_outside_the_cycle_is_refused(tmp_path):
    plan = copy_plan("monthly", tmp_path / "plan", {"meta.yaml": ("报送周期: 月度", "报送周期: 半年")})
    shown = run("check", "--plan", str(plan), code=2)
    assert "“月度报送日”用于报送周期为月度的计划" in shown


@pytest.fixture(scope="module")
def played(tmp_path_factory, layout):
    """March of the monthly plan: 区应急局 reports （第1条, 2月底前）按计划推进 — late — the rest 已完成."""
    done = play(
        tmp_path_factory.mktemp("monthly"),
        "monthly",
        layout,
        period=3,
        date=dt.date(2025, 3, 25),
        late=("区应急局", "第1条", "按计划推进"),
        check=False,
        ledger=True,
    )
    return done.plan_dir, done.out, done.collected, done.supervised


def test_every_unit_gets_a_form_per_month(played):
    _, out, _, _ = played
    forms = entries(out, "form")
    assert {e["quarter"] for e in forms} == set(range(1, 13))
    assert len(forms) == 12 * 5
    (march,) = [e for e in forms if e["unit"] == "区住建局" and e["quarter"] == 3]
    assert march["path"] == "forms/2025M03/区住建局.xlsx"
    ws = load_workbook(out / march["path"]).worksheets[0]
    assert ws.cell(1, 1).value == "2025年3月安全生产工作进展情况报表"
    assert "报送截止日期：2025年3月26日" in str(ws.cell(2, 5).value or "") + "".join(
        str(c.value) for c in ws[2] if c.value
    )


def test_the_letter_speaks_of_months(played):
    _, out, _, _ = played
    (letter,) = [e for e in entries(out, "letter") if e["unit"] == "区住建局"]
    text = docx_text(out / letter["path"])
    assert "、月度报送要求" in text and "请于每月26日前，" in text and "月度报表第1项" in text
    assert "季度" not in text


def test_collect_and_supervise_go_by_month(played):
    _, out, collected, supervised = played
    assert "3月：应报 5 个单位，已报 5 个" in collected
    assert "3月督办：1 个单位" in supervised
    letters = [e for e in entries(out, "supervision") if "unit" in e]
    assert [(e["unit"], e["path"]) for e in letters] == [("区应急局", "督办/2025M03/区应急局.docx")]
    text = docx_text(out / letters[0]["path"])
    assert "根据2025年3月安全生产工作进展情况" in text
    assert "第1条" in text and "按计划推进，逾期（时限：2月底前）" in text


def test_the_ledger_has_a_column_per_month(played):
    _, out, _, _ = played
    (entry,) = entries(out, "ledger-record")
    ws = load_workbook(out / entry["path"]).worksheets[0]
    header = [c.value for c in ws[2]]
    assert header[3:15] == [f"{m}月" for m in range(1, 13)]


def test_a_month_beyond_the_year_is_refused(played):
    plan_dir, out, _, _ = played
    shown = run("supervise", "--period", "13", "--plan", str(plan_dir), "--out", str(out), code=2)
    assert "13" in shown


def test_letters_go_to_the_named_units_and_diff_reads_the_monthly_plan(played, tmp_path):
    plan_dir, out, _, _ = played
    letters = {e["unit"]: docx_text(out / e["path"]) for e in entries(out, "letter")}
    assert set(letters) == {"区应急局", "区司法局", "区住建局", "北岭镇", "石门乡"}
    assert (
        "配合单位" in letters["区司法局"]
        and "牵头单位" not in letters["区司法局"].split("报送要求")[0][-200:]
    )
    edited = tmp_path / "edited"
    shutil.copytree(plan_dir, edited, ignore=shutil.ignore_patterns("ledger"))
    opinion = edited / "opinion.yaml"
    opinion.write_text(
        opinion.read_text(encoding="utf-8").replace("9月30日前", "10月31日前"), encoding="utf-8"
    )
    shown = run("diff", str(plan_dir), "--plan", str(edited), "--docx", str(tmp_path / "对照表.docx"))
    assert "修改第3条表述" in shown and "区住建局" in shown
    assert "10月31日前" in docx_text(tmp_path / "对照表.docx")


def test_the_console_names_the_month_never_a_quarter(played, tmp_path):
    plan_dir, out, collected, _ = played
    assert "接收  区住建局.xlsx：区住建局，3月，" in collected
    assert "3月新记 5 个单位" in collected
    assert "季度" not in collected
    root = tmp_path / "copy"
    shutil.copytree(plan_dir.parent, root)
    withdrawn = run(
        "collect",
        "--period",
        "3",
        "--withdraw",
        "区住建局",
        "--plan",
        str(root / "plan"),
        "--out",
        str(root / "output"),
    )
    assert "撤回  区住建局 3月的报表" in withdrawn and "该单位本月改为未报送" in withdrawn
    assert "季度" not in withdrawn


def test_the_workbench_names_the_month():
    from generators.web.server import collect_said

    cycle = Cycle("月度")

    class Done:  # what collect_said reads of a collect's outcome
        period = type(
            "P", (), {"quarter": 3, "expected": 5, "reports": ["a"], "returned": [], "not_reported": []}
        )
        earlier = ["a"]

    lines = collect_said(Done(), cycle)
    assert lines[0].startswith("3月：应报 5 个单位") and lines[1].startswith(
        "台账中此前已记入本月的 1 个单位"
    )
