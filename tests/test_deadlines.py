"""Deadlines (时限) read from a task's text into data; shown in forms, letters, the matrix and the ledger;
supervise flags a task past its deadline and not 已完成 as 逾期."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from played_plan import copy_plan, docx_text, entries, play, run
from returns_kit import fill

from generators.formspec import FormsLayout
from generators.grammar.deadline import deadlines, task_deadline
from generators.plan import load_plan
from generators.views import Views

PLAN = Path(__file__).parent.parent / "plan"


@pytest.mark.parametrize(
    ("text", "shown", "due", "recurrence"),
    [
        ("动态调整清单，4月底前完成修订。", "4月底前", dt.date(2025, 4, 30), ""),
        ("6月30日前完成重大危险源企业专项检查。", "6月30日前", dt.date(2025, 6, 30), ""),
        ("年底前完成老旧燃气管道更新改造。", "年底前", dt.date(2025, 12, 31), ""),
        ("督促企业，每季度开展一次履职检查。", "每季度", None, "每季度"),
        ("深化高层建筑消防安全治理，长期坚持。", "长期坚持", None, "长期坚持"),
        ("2026年1月底前报送总结。", "2026年1月底前", dt.date(2026, 1, 31), ""),
        ("三季度末前完成评估。", "三季度末前", dt.date(2025, 9, 30), ""),
        (
            "5月上旬前部署，4月底前完成自查；6月30日前完成整改。",
            "5月上旬前、4月底前、6月30日前",
            dt.date(2025, 6, 30),
            "",
        ),
        ("2月底前完成。", "2月底前", dt.date(2025, 2, 28), ""),
        # prose, not deadlines: a recurrence inside a phrase, a year with 以前
        ("完善每季度生产安全事故通报机制。", "", None, ""),
        ("重点对2000年以前建设的市政燃气管道进行评估。", "", None, ""),
    ],
)
def test_deadlines_are_read_from_the_text(text, shown, due, recurrence):
    deadline = task_deadline(text)
    assert (deadline.text, deadline.due(2025), deadline.recurrence) == (shown, due, recurrence)


def test_the_stated_deadline_wins_over_the_text():
    assert task_deadline("4月底前完成。", "2025-05-15").due(2025) == dt.date(2025, 5, 15)
    assert task_deadline("4月底前完成。", "年底前").due(2025) == dt.date(2025, 12, 31)


@given(st.integers(1, 12), st.integers(1, 31), st.text(alphabet="完成检查，。、安全生产工作", max_size=20))
def test_a_written_date_reads_back_whatever_surrounds_it(month, day, prose):
    text = f"{prose}，{month}月{day}日前{prose}"
    found = deadlines(text)
    try:
        expected = dt.date(2024, month, day)  # a leap year: 2月29日 is a date
    except ValueError:
        assert found == ()
        return
    assert [(d.text, d.month, d.day) for d in found] == [(f"{month}月{day}日前", month, day)]
    assert task_deadline(text).due(2024) == expected


@given(st.text(max_size=60))
def test_any_text_reads_without_error_and_keeps_its_words(text):
    for deadline in deadlines(text):
        assert deadline.text in text
        assert deadline.due(2025) is None or deadline.due(2025).year >= 2025 or deadline.year


def test_the_seed_sets_no_deadline_so_its_forms_are_unchanged():
    views = Views(load_plan(PLAN))
    assert not views.has_deadlines


@pytest.fixture(scope="module")
def played(tmp_path_factory, layout):
    """The 工作要点 fixture through a second quarter: every unit reports everything 已完成 but
    区应急管理局, which reports （二） (4月底前) 按计划推进 — late by the end of June."""
    done = play(
        tmp_path_factory.mktemp("late"),
        "yaodian",
        layout,
        period=2,
        date=dt.date(2025, 7, 5),
        late=("区应急管理局", "（二）", "按计划推进"),
        ledger=True,
    )
    return done.out, done.collected, done.supervised


def test_the_form_has_a_deadline_column(played):
    out, _, _ = played
    (entry,) = [e for e in entries(out, "form") if e["unit"] == "区住建局" and e["quarter"] == 2]
    ws = load_workbook(out / entry["path"]).worksheets[0]
    header = [c.value for c in ws[4]]
    assert header[header.index("工作内容") + 1] == "时限"
    rows = {ws.cell(r, 2).value: ws.cell(r, header.index("时限") + 1).value for r in range(5, 7)}
    assert rows == {"（三）": "每季度", "（五）": "年底前"}


def test_a_late_task_is_supervised_as_overdue(played):
    out, collected, supervised = played
    letters = [e for e in entries(out, "supervision") if "unit" in e]
    assert [e["unit"] for e in letters] == ["区应急管理局"]
    text = docx_text(out / letters[0]["path"])
    assert "1项任务逾期" in text
    assert "按计划推进，逾期（时限：4月底前）" in text and "（二）" in text
    assert "（四）" not in text  # 6月30日前 too, but reported 已完成
    for word in ("None", "null", "{{", "[]"):
        assert word not in text
    (listing,) = [e for e in entries(out, "supervision") if "unit" not in e]
    cells = [
        str(c.value) for row in load_workbook(out / listing["path"]).worksheets[0].iter_rows() for c in row
    ]
    assert any("（二）（按计划推进，逾期（时限：4月底前））" in c for c in cells)


def test_the_ledger_shows_the_deadline_and_the_lateness(played):
    out, _, _ = played
    (entry,) = entries(out, "ledger-record")
    ws = load_workbook(out / entry["path"]).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    (late,) = [r for r in rows if r[0] == "（二）" and r[2] == "区应急管理局"]
    assert "时限：4月底前，逾期" in late[-1]
    (done,) = [r for r in rows if r[0] == "（四）" and r[2] == "区应急管理局"]
    assert done[-1] == "时限：6月30日前"


def test_the_compact_letter_shows_the_deadline(tmp_path):
    plan_dir, out = tmp_path / "plan", tmp_path / "output"
    copy_plan("yaodian", plan_dir)
    meta = plan_dir / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "分工函样式: 摘要\n", encoding="utf-8")
    run("letters", "--plan", str(plan_dir), "--out", str(out))
    (entry,) = [e for e in entries(out, "letter") if e["unit"] == "区住建局"]
    text = docx_text(out / entry["path"])
    assert "加强燃气安全管理。（时限：年底前）" in text


def test_the_next_forms_carry_what_the_ledger_holds(played, tmp_path, layout):
    """一表通: after the second quarter is collected, a build prefills the third quarter's forms with each
    unit's last status and progress; a form sent back unchanged is counted as carried."""
    out, _, _ = played
    plan_dir = out.parent / "plan"
    run("build", "--plan", str(plan_dir), "--out", str(out))
    forms = {(e["unit"], e["quarter"]): out / e["path"] for e in entries(out, "form")}
    ws = load_workbook(forms[("区应急管理局", 3)]).worksheets[0]
    header = [c.value for c in ws[4]]
    rows = {
        ws.cell(r, 2).value: (
            ws.cell(r, header.index("完成状态") + 1).value,
            ws.cell(r, header.index("进展情况") + 1).value,
        )
        for r in range(5, 8)
    }
    assert rows["（二）"] == ("按计划推进", "（二） 已按计划推进 & <检查>")
    assert rows["（四）"] == ("已完成", "（四） 已按计划推进 & <检查>")  # 已完成 is carried as such
    first = load_workbook(forms[("区应急管理局", 2)]).worksheets[0]
    assert first.cell(5, header.index("完成状态") + 1).value is None  # nothing reported before Q2
    plan = load_plan(plan_dir)
    views = Views(plan)
    returns = tmp_path / "q3"
    for unit in views.assignments:
        data = forms[(unit, 3)].read_bytes()
        fill(
            data,
            returns / f"{unit}.xlsx",
            FormsLayout.of(layout),
            date=dt.date(2025, 10, 5),
            status=lambda key, unit=unit: (
                "按计划推进" if unit == "区应急管理局" and key == "（二）" else "已完成"
            ),
        )
    shown = run("collect", "--quarter", "3", str(returns), "--plan", str(plan_dir), "--out", str(out))
    assert "项沿用上期状态和进展（未改动），0 项为新填报" in shown


def test_the_summary_tells_new_text_from_carried_text(played, tmp_path, layout):
    """一表通: a third quarter where 区应急管理局 changes （二） only: the summary's 明细 gains 本期是否更新, 新填报
    on that row and 沿用上期 on every other; the second quarter's summary (nothing carried) has no such column."""
    out, _, _ = played
    root = tmp_path / "copy"
    shutil.copytree(out.parent, root, ignore=shutil.ignore_patterns("returns"))
    plan_dir, out = root / "plan", root / "output"
    spec = FormsLayout.of(layout)
    run("build", "--plan", str(plan_dir), "--out", str(out))
    forms = {(e["unit"], e["quarter"]): out / e["path"] for e in entries(out, "form")}
    returns = tmp_path / "q3"
    for unit in Views(load_plan(plan_dir)).assignments:
        fill(
            forms[(unit, 3)].read_bytes(),
            returns / f"{unit}.xlsx",
            spec,
            date=dt.date(2025, 10, 5),
            status=lambda key, unit=unit: (
                "按计划推进" if unit == "区应急管理局" and key == "（二）" else "已完成"
            ),
            progress=lambda key, unit=unit: (
                "（二） 已完成改造"
                if unit == "区应急管理局" and key == "（二）"
                else f"{key} 已按计划推进 & <检查>"
            ),
        )
    shown = run("collect", "--quarter", "3", str(returns), "--plan", str(plan_dir), "--out", str(out))
    assert "项为新填报" in shown and "，1 项为新填报" in shown
    summaries = {e["quarter"]: out / e["path"] for e in entries(out, "summary")}
    rows_sheet = spec.summary.sheets["rows"]

    def marks(path: Path) -> tuple[list, dict]:
        ws = load_workbook(path)[rows_sheet]
        header = [c.value for c in ws[2]]
        if "本期是否更新" not in header:
            return header, {}
        at, key_at = header.index("本期是否更新"), header.index("编号")
        return header, {(r[0].value, r[key_at].value): r[at].value for r in ws.iter_rows(min_row=3)}

    header, third = marks(summaries[3])
    assert header.index("本期是否更新") == header.index("进展情况") + 1
    assert third.pop(("区应急管理局", "（二）")) == "新填报"
    assert third and set(third.values()) == {"沿用上期"}
    second_header, second = marks(summaries[2])
    assert second == {} and "本期是否更新" not in second_header
