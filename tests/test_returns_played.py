"""A played quarter, read back from the files plandocs wrote: good returns, one with several errors, one
for another quarter, one that is not a workbook, one unit's form sent in by another unit. Every 退回 names
every problem in words the unit can act on, in a 退回通知 of its own; the 督办单 of a refused unit says
退回 and why; the 通报 holds no file name, cell address or Latin word; and collect, the 汇总表, the 通报,
supervise, the 督办清单 and the ledger count the same units."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PLAN_DIR
from docx import Document
from openpyxl import load_workbook
from returns_kit import fill, form_bytes, made_forms, rezip, tree_hashes

from generators.cli import main
from generators.collect import Outcome, collect, convert
from generators.formspec import FormsLayout

GOOD = ("区应急局", "城桥镇")
SEVERAL = "竖新镇"  # 填报人 missing, two 进展情况 empty, one 完成状态 not an option
WRONG_QUARTER = "堡镇"  # sends its second quarter's form
NOT_A_WORKBOOK = "新河镇"
SENDER, OWNER = "东平镇", "三星镇"  # 东平镇 sends 三星镇's form filled in, in its own folder
REFUSED = (WRONG_QUARTER, NOT_A_WORKBOOK, SEVERAL, SENDER)  # registry order below
CELL = re.compile(r"[A-Z]{1,3}\d+|!")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def spec(layout):
    return FormsLayout.of(layout)


@pytest.fixture(scope="module")
def several_keys(views):
    keys = [a for a in views.assignments[SEVERAL].all]
    assert len(keys) >= 3
    return keys


@pytest.fixture(scope="module")
def played(tmp_path_factory, plan, views, layout, spec, several_keys):
    """A plan copy (its ledger beside it), its forms, the returns folder, then collect and supervise."""
    root = tmp_path_factory.mktemp("played")
    plan_dir = root / "plan"
    shutil.copytree(PLAN_DIR, plan_dir)
    out = made_forms(root / "output")
    returns = root / "returns"
    q1 = lambda unit: form_bytes(plan, views, layout, 1, unit)  # noqa: E731
    for unit in GOOD:
        fill(q1(unit), returns / f"{unit}.xlsx", spec, date="2023年4月3日")
    key_text = [spec.key_text(a) for a in several_keys]
    empty, wrong = key_text[:2], key_text[2]
    fill(
        q1(SEVERAL),
        returns / f"{SEVERAL}.xlsx",
        spec,
        date="2023年4月3日",
        reporter=None,
        progress=lambda key: "" if key in empty else f"{key} 已推进",
        status=lambda key: "基本完成" if key == wrong else "按计划推进",
    )
    fill(
        form_bytes(plan, views, layout, 2, WRONG_QUARTER),
        returns / f"{WRONG_QUARTER}.xlsx",
        spec,
        date="2023年4月3日",
    )
    (returns / f"{NOT_A_WORKBOOK}.xlsx").write_text("这不是工作簿", encoding="utf-8")
    fill(q1(OWNER), returns / SENDER / f"{OWNER}.xlsx", spec, date="2023年4月3日")
    before = tree_hashes(returns)
    runner = CliRunner()
    common = ["--plan", str(plan_dir), "--out", str(out)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(convert, "find_soffice", lambda: None)
        collected = runner.invoke(main, ["collect", "--quarter", "1", str(returns), *common])
    assert collected.exit_code == 0, collected.output
    assert tree_hashes(returns) == before
    supervised = runner.invoke(main, ["supervise", "--quarter", "1", *common])
    assert supervised.exit_code == 0, supervised.output
    return {
        "root": root,
        "out": out,
        "plan_dir": plan_dir,
        "returns": returns,
        "collect": collected.output,
        "supervise": supervised.output,
        "expected_several": [
            "填报人未填写",
            *(f"第{n}项任务（{key_text[n - 1]}）的进展情况未填写" for n in (1, 2)),
            f"第3项任务（{wrong}）的完成状态“基本完成”不是可选项，请从{'、'.join(spec.statuses)}中选择",
        ],
    }


def paragraphs(path: Path) -> list[str]:
    doc = Document(path)
    texts = [p.text for p in doc.paragraphs]
    texts += [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return texts


def sent_back(views) -> list[str]:
    return [u for u in views.assignments if u in REFUSED]


def test_every_refusal_is_listed_in_full_in_the_units_own_return_notice(played, plan):
    folder = played["out"] / "summary" / "2023Q1" / "退回通知"
    assert sorted(p.stem for p in folder.iterdir()) == sorted(REFUSED)
    for unit in REFUSED:
        texts = paragraphs(folder / f"{unit}.docx")
        body = "\n".join(texts)
        assert "退回" in body and "报表" in body
        assert not CELL.search(body), (unit, body)
        assert ".xlsx" not in body and "Error" not in body and "File" not in body, (unit, body)
        assert not LATIN.search(body), (unit, body)  # none of these four needs a word of English
    listed = [t for t in paragraphs(folder / f"{SEVERAL}.docx") if re.match(r"\d+\.", t)]
    expected = played["expected_several"]
    assert [re.sub(r"^\d+\.", "", t).rstrip("；。") for t in listed] == expected  # every error, in order
    assert "有以下4处问题" in "\n".join(paragraphs(folder / f"{SEVERAL}.docx"))
    quarter = "\n".join(paragraphs(folder / f"{WRONG_QUARTER}.docx"))
    assert "交来的是第二季度的报表，本次收取的是第一季度报表" in quarter
    damaged = "\n".join(paragraphs(folder / f"{NOT_A_WORKBOOK}.docx"))
    assert "文件已损坏，无法作为表格打开" in damaged
    other = "\n".join(paragraphs(folder / f"{SENDER}.docx"))
    assert f"交来的是{OWNER}的报表，不是本单位的报表" in other
    full = {u.name: u.full_name for u in plan.units}
    assert f"{full[SEVERAL]}：" in paragraphs(folder / f"{SEVERAL}.docx")  # 主送: the unit's full name


def test_the_report_names_no_file_no_cell_and_no_latin_word(played, views):
    report = played["out"] / "summary/2023Q1/2023年第一季度安全生产工作进展情况通报.docx"
    texts = paragraphs(report)
    body = "\n".join(texts)
    # the only Latin letters allowed would be none: years and numbers are digits
    assert not LATIN.search(body), [t for t in texts if LATIN.search(t)]
    assert not CELL.search(body)
    for name in (f"{u}.xlsx" for u in REFUSED):
        assert name not in body
    assert "各乡镇人民政府，区安委会各成员单位，区有关直属单位：" in texts  # 主送
    assert texts[0] == "关于2023年第一季度" and texts[1] == "安全生产工作进展情况的通报"


def test_the_refused_units_supervision_letter_says_sent_back_and_why(played, views):
    folder = played["out"] / "督办" / "2023Q1"
    several = "\n".join(paragraphs(folder / f"{SEVERAL}.docx"))
    assert f"贵单位报送的第一季度进展情况报表被退回（{'；'.join(played['expected_several'])}）" in several
    assert "贵单位未报送" not in several
    quarter = "\n".join(paragraphs(folder / f"{WRONG_QUARTER}.docx"))
    assert "报表被退回（交来的是第二季度的报表" in quarter
    silent = next(u for u in views.assignments if u not in REFUSED and u not in GOOD and u != OWNER)
    assert "贵单位未报送第一季度进展情况报表" in "\n".join(paragraphs(folder / f"{silent}.docx"))


def test_all_counts_agree(played, views, spec):
    total = len(views.assignments)
    refused, good = len(REFUSED), len(GOOD)
    silent = total - refused - good
    assert (
        f"应报 {total} 个单位，已报 {good} 个，退回 {refused} 个，未报送 {silent} 个。" in played["collect"]
    )
    report = "\n".join(
        paragraphs(played["out"] / "summary/2023Q1/2023年第一季度安全生产工作进展情况通报.docx")
    )
    assert f"应报送单位{total}个，已报送{good}个，报表被退回{refused}个，未报送{silent}个。" in report
    assert f"报表被退回、需修改后重报的单位（{refused}个）" in report
    wb = load_workbook(played["out"] / "summary/2023Q1/2023年第一季度进展情况汇总表.xlsx")
    rest = list(wb[spec.summary.sheets["missing"]].iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rest if r[3] == "退回"] == sent_back(views)
    assert len([r for r in rest if r[3] == "未报送"]) == silent
    several = next(r for r in rest if r[1] == SEVERAL)
    assert several[4] == f"{SEVERAL}.xlsx：" + "；".join(
        played["expected_several"]
    )  # every one, for the office
    assert f"报表被退回 {refused} 个，未报送 {silent} 个" in played["supervise"]
    listing = load_workbook(played["out"] / "督办/2023Q1/2023年第一季度督办清单.xlsx").active
    matters = {r[1]: r[3] for r in listing.iter_rows(min_row=3, values_only=True) if r[1]}
    assert sorted(u for u, m in matters.items() if "报表被退回" in m) == sorted(REFUSED)
    assert len([u for u, m in matters.items() if "未报送第一季度报表" in m]) == silent
    with (played["root"] / "ledger" / "2023" / "应报.csv").open(encoding="utf-8-sig") as f:
        asked = [row for row in csv.DictReader(f) if row["季度"] == "1"]
    assert [r["单位"] for r in asked if r["报送情况"] == "退回"] == sent_back(views)
    reasons = {r["单位"]: r["退回原因"] for r in asked}
    assert reasons[SEVERAL] == "；".join(played["expected_several"])
    assert [r["单位"] for r in asked if r["报送情况"] == "已报"] == [
        u for u in views.assignments if u in GOOD
    ]


def test_another_units_form_is_never_recorded_as_that_unit(played, views):
    """东平镇 sent 三星镇's form filled in: 东平镇 is 退回, 三星镇 stays 未报送 (nothing of it recorded)."""
    assert (
        f"拒收  {SENDER}/{OWNER}.xlsx：{SENDER}（按所在文件夹判断）；交来的是{OWNER}的报表"
        in played["collect"]
    )
    assert "（所在文件夹为东平镇，表单标识为三星镇）" in played["collect"]
    with (played["root"] / "ledger" / "2023.csv").open(encoding="utf-8-sig") as f:
        assert {row["单位"] for row in csv.DictReader(f)} == set(GOOD)


def test_a_form_renamed_to_another_unit_is_that_units_refusal(tmp_path, plan, views, layout, spec):
    fill(form_bytes(plan, views, layout, 1, OWNER), tmp_path / f"{SENDER}.xlsx", spec, date="2023年4月3日")
    collection = collect(plan, views, layout, 1, tmp_path)
    assert list(collection.returned) == [SENDER] and not collection.reports
    (verdict,) = collection.verdicts
    assert verdict.unit is None and verdict.claimed == SENDER and verdict.claimed_by == "文件名"


def test_the_blank_forms_plandocs_wrote_are_never_returns(tmp_path, plan, views, layout, spec):
    """`collect --quarter 1 .` from the project root: output/forms/ (and the ledger, and hidden folders) are
    not read; the one return in the root's own folder is. Its summary may not go into output/ there, inside the
    returns folder (the guard: nothing is written into a returns folder), so it goes elsewhere."""
    root = tmp_path / "project"
    shutil.copytree(PLAN_DIR, root / "plan")
    made_forms(root / "output")
    (root / ".git").mkdir()
    (root / ".git" / "区应急局.xlsx").write_bytes(form_bytes(plan, views, layout, 1, "区应急局"))
    fill(
        form_bytes(plan, views, layout, 1, "城桥镇"), root / "交回" / "城桥镇.xlsx", spec, date="2023年4月3日"
    )
    base = ["collect", "--quarter", "1", str(root), "--plan", str(root / "plan"), "--out"]
    before = tree_hashes(root)
    inside = CliRunner().invoke(main, [*base, str(root / "output")])
    assert inside.exit_code == 2 and "位于回收报表文件夹" in inside.output, inside.output
    assert tree_hashes(root) == before
    args = [*base, str(tmp_path / "summaries")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    read = [line for line in result.output.splitlines() if line.startswith(("接收", "拒收", "不采用"))]
    assert read == [
        "接收  交回/城桥镇.xlsx：城桥镇，第一季度，{} 项任务".format(len(views.assignments["城桥镇"].all))
    ]
    assert "已报 1 个，退回 0 个" in result.output
    again = CliRunner().invoke(main, args)  # now ledger/ is in the root too: its archive is not a return
    assert again.exit_code == 0, again.output
    assert [line for line in again.output.splitlines() if line.startswith(("接收", "拒收", "不采用"))] == read
    assert "已报 1 个，退回 0 个" in again.output
    with (root / "ledger" / "2023" / "应报.csv").open(encoding="utf-8-sig") as f:
        assert [r["单位"] for r in csv.DictReader(f) if r["报送情况"] == "退回"] == []


@pytest.mark.parametrize(
    ("date", "said"),
    [
        ("2032年1月1日", "晚于今天"),
        ("2021年12月31日", "不在2022年至2024年之间"),
        ("2023年4月4日", "晚于今天"),  # with today 2023-04-03
    ],
)
def test_an_implausible_date_is_refused(tmp_path, plan, views, layout, spec, date, said):
    fill(form_bytes(plan, views, layout, 1, "区应急局"), tmp_path / "区应急局.xlsx", spec, date=date)
    collection = collect(plan, views, layout, 1, tmp_path, today=dt.date(2023, 4, 3))
    (verdict,) = collection.verdicts
    assert verdict.outcome is Outcome.REJECTED
    assert (
        verdict.problems == [f"填报日期“{date}”{said}，请填写实际填报的日期"] or said in verdict.problems[0]
    )
    assert list(collection.returned) == ["区应急局"]


def test_a_date_in_the_plan_year_is_accepted(tmp_path, plan, views, layout, spec):
    fill(
        form_bytes(plan, views, layout, 1, "区应急局"), tmp_path / "区应急局.xlsx", spec, date="2023年4月3日"
    )
    (verdict,) = collect(plan, views, layout, 1, tmp_path, today=dt.date(2023, 4, 3)).verdicts
    assert verdict.outcome is Outcome.ACCEPTED, verdict.errors


def test_a_cell_longer_than_a_spreadsheet_holds_is_refused(tmp_path, plan, views, layout, spec):
    """openpyxl cuts what it writes at 32,767 characters: the over-long text is put into the file's XML."""
    first = spec.key_text(views.assignments["区应急局"].all[0])
    filled = fill(
        form_bytes(plan, views, layout, 1, "区应急局"),
        tmp_path / "filled.xlsx",
        spec,
        date="2023年4月3日",
        progress=lambda key: "LONG-PROGRESS" if key == first else "已推进",
    )
    long = "字" * 32_768
    data = rezip(
        filled.read_bytes(), lambda b: b.replace(b"LONG-PROGRESS", long.encode()), "xl/worksheets/sheet1.xml"
    )
    returns = tmp_path / "returns"
    returns.mkdir()
    (returns / "区应急局.xlsx").write_bytes(data)
    (verdict,) = collect(plan, views, layout, 1, returns).verdicts
    assert verdict.outcome is Outcome.REJECTED
    assert verdict.problems == [
        f"第1项任务（{first}）的进展情况超过32767个字（表格一格的上限），请精简后重报"
    ]


def test_a_second_batch_counts_the_units_already_recorded(tmp_path, plan, views, layout, spec):
    plan_dir = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, plan_dir)
    out = made_forms(tmp_path / "output")
    first, second = tmp_path / "第一批", tmp_path / "第二批"
    fill(form_bytes(plan, views, layout, 1, "区应急局"), first / "区应急局.xlsx", spec, date="2023年4月3日")
    fill(form_bytes(plan, views, layout, 1, "城桥镇"), second / "城桥镇.xlsx", spec, date="2023年4月4日")
    common = ["--plan", str(plan_dir), "--out", str(out)]
    for folder in (first, second):
        result = CliRunner().invoke(main, ["collect", "--quarter", "1", str(folder), *common])
        assert result.exit_code == 0, result.output
    assert "台账中此前已记入第一季度的 1 个单位计为已报：区应急局" in result.output
    total = len(views.assignments)
    assert f"应报 {total} 个单位，已报 2 个，退回 0 个，未报送 {total - 2} 个。" in result.output
    report = "\n".join(paragraphs(out / "summary/2023Q1/2023年第一季度安全生产工作进展情况通报.docx"))
    assert "已报送的单位（2个）：区应急局、城桥镇。" in report
    assert "区应急局" not in report.split("未报送的单位")[1]
