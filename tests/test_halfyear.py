"""The 半年 reporting cycle end to end: the monthly fixture plan set to 报送周期: 半年 with two due dates goes
through check → build (two form periods) → a played 上半年 with a late task → supervise naming it 逾期."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from played_plan import docx_text, entries, play

HALF_YEAR = {
    "meta.yaml": (
        "报送周期: 月度\n月度报送日: 26\n",
        '报送周期: 半年\n报送截止日期: ["2025-07-10", "2026-01-10"]\n',
    )
}


@pytest.fixture(scope="module")
def played(tmp_path_factory, layout):
    """上半年: 区应急局 reports 第1条 (2月底前) 按计划推进 — late — and the rest 已完成; everyone else 已完成."""
    done = play(
        tmp_path_factory.mktemp("halfyear"),
        "monthly",
        layout,
        period=1,
        date=dt.date(2025, 7, 5),
        late=("区应急局", "第1条", "按计划推进"),
        edits=HALF_YEAR,
    )
    return done.plan_dir, done.out, done.checked, done.collected, done.supervised


def test_the_plan_checks_and_builds_two_form_periods(played):
    _, out, checked, _, _ = played
    assert "错误" not in checked
    forms = entries(out, "form")
    assert {e["quarter"] for e in forms} == {1, 2}
    assert len(forms) == 2 * 5
    (first,) = [e for e in forms if e["unit"] == "区住建局" and e["quarter"] == 1]
    assert first["path"] == "forms/2025H1/区住建局.xlsx"
    ws = load_workbook(out / first["path"]).worksheets[0]
    assert ws.cell(1, 1).value == "2025年上半年安全生产工作进展情况报表"
    assert "2025年7月10日" in "".join(str(c.value) for c in ws[2] if c.value)


def test_collect_and_supervise_go_by_half_year(played):
    _, out, _, collected, supervised = played
    assert "上半年：应报 5 个单位，已报 5 个" in collected
    assert "接收  区住建局.xlsx：区住建局，上半年，" in collected and "季度" not in collected
    assert "上半年督办：1 个单位" in supervised
    letters = [e for e in entries(out, "supervision") if "unit" in e]
    assert [(e["unit"], e["path"]) for e in letters] == [("区应急局", "督办/2025H1/区应急局.docx")]
    text = docx_text(out / letters[0]["path"])
    assert "根据2025年上半年安全生产工作进展情况" in text
    assert "第1条" in text and "按计划推进，逾期（时限：2月底前）" in text


def test_the_letter_speaks_of_half_years(played):
    _, out, _, _, _ = played
    (letter,) = [e for e in entries(out, "letter") if e["unit"] == "区住建局"]
    text = docx_text(out / letter["path"])
    assert "二、半年报送要求" in text and "请于每半年结束后，" in text and "半年报表第1项" in text
    assert "报送截止日期：上半年2025年7月10日；下半年2026年1月10日。" in text
    assert "月度" not in text and "季度" not in text
