"""A unit renamed mid-year (简称 and 全称 both, as diff's registry matching recognises it) keeps its
history: in the ledger, the year workbook, the 督办单, the year-end summary and the rebuilt summaries."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from plan_edits import rename_everywhere, replace_in
from returns_kit import fill, form_bytes
from test_ledger_rebuild import contents

from generators.cli import main
from generators.formspec import FormsLayout
from generators.plan import load_plan
from generators.views import Views

OLD, NEW = "长兴企业集团", "长兴集团"
OLD_FULL, NEW_FULL = "上海长兴企业集团有限公司", "上海长兴集团有限公司"
STEADY = "堡镇"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def entries(out: Path, kind: str) -> list[dict]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [e for e in manifest["artifacts"] if e["kind"] == kind]


def text_of(path: Path) -> str:
    doc = Document(path)
    return "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )


@pytest.fixture(scope="module")
def played(tmp_path_factory, layout):
    """Q1: 长兴企业集团 reports every task 滞后, 堡镇 all 已完成. Then the plan renames it 长兴集团 /
    上海长兴集团有限公司. Q2: only 堡镇 reports."""
    root = tmp_path_factory.mktemp("rename")
    plan_dir, out = root / "plan", root / "output"
    shutil.copytree(Path(__file__).resolve().parent.parent / "plan", plan_dir)
    flags = ["--plan", str(plan_dir), "--out", str(out)]
    spec = FormsLayout.of(layout)
    for quarter in (1, 2):
        if quarter == 2:
            rename_everywhere(plan_dir, OLD, NEW)
            replace_in(plan_dir, "units.yaml", OLD_FULL, NEW_FULL)
        plan = load_plan(plan_dir)
        views = Views(plan)
        folder = root / f"returns{quarter}"
        senders = {1: [(OLD, "滞后"), (STEADY, "已完成")], 2: [(STEADY, "已完成")]}[quarter]
        for unit, status in senders:
            fill(
                form_bytes(plan, views, layout, quarter, unit),
                folder / f"{unit}.xlsx",
                spec,
                date=dt.date(2023, 3 * quarter, 28),
                status=lambda key, status=status: status,
                progress=lambda key, q=quarter: f"第{q}季度 {key} 的进展",
            )
        run("collect", "--quarter", str(quarter), str(folder), *flags)
        if quarter == 1:
            first = contents(out)
    run("ledger", *flags)
    run("supervise", "--quarter", "1", *flags)
    run("supervise", "--quarter", "2", *flags)
    run("year-summary", *flags)
    return root, plan_dir, out, flags, first


def test_the_ledger_keeps_one_identity_with_the_former_name(played):
    root, *_ = played
    with open(root / "ledger" / "2023" / "单位.csv", encoding="utf-8-sig", newline="") as handle:
        units = {r["单位标识"]: r for r in csv.DictReader(handle)}
    assert NEW not in units  # no second identity
    assert (units[OLD]["单位"], units[OLD]["全称"], units[OLD]["曾用名"]) == (NEW, NEW_FULL, OLD)
    assert units[OLD]["离开季度"] == ""
    with open(root / "ledger" / "2023" / "应报.csv", encoding="utf-8-sig", newline="") as handle:
        asked = {(r["季度"], r["单位标识"]): r for r in csv.DictReader(handle)}
    assert (asked[("1", OLD)]["单位"], asked[("1", OLD)]["报送情况"]) == (OLD, "已报")
    assert (asked[("2", OLD)]["单位"], asked[("2", OLD)]["报送情况"]) == (NEW, "未报送")


def test_the_year_workbook_shows_one_history_under_the_new_name(played, layout, plan):
    _, plan_dir, out, _, _ = played
    (entry,) = entries(out, "ledger-record")
    wb = load_workbook(out / entry["path"])
    names = layout.ledger["workbook"]["sheets"]
    rows = [r for r in wb[names["grid"]].iter_rows(min_row=3, values_only=True) if r[2] in (OLD, NEW)]
    held = len(Views(load_plan(plan_dir)).assignments[NEW].all)
    assert len(rows) == held and {r[2] for r in rows} == {NEW}
    assert {r[3:7] for r in rows} == {("滞后", "未报送", None, None)}
    assert all(r[7].startswith("（第一季度）第1季度") and f"曾用名：{OLD}" in r[8] for r in rows)
    (printed,) = entries(out, "ledger")
    year_book = load_workbook(out / printed["path"])
    units = {(r[0], r[2]): r for r in year_book[names["units"]].iter_rows(min_row=3, values_only=True)}
    assert OLD not in {unit for unit, _ in units}
    # the printed 任务进度 of each quarter names the unit by its new name only
    for q in ("第一季度", "第二季度"):
        shown = {
            r[0] for r in year_book[names["view"].format(period=q)].iter_rows(min_row=4, values_only=True)
        }
        assert NEW in shown and OLD not in shown
    assert units[(NEW, "第一季度")][3:7] == ("2023年3月28日", held, 0, 0)
    assert units[(NEW, "第二季度")][3] == "未报送"


def test_supervision_follows_the_unit_to_its_new_name(played):
    _, _, out, _, _ = played
    letters = {(e["quarter"], e["unit"]): e for e in entries(out, "supervision") if "unit" in e}
    assert (1, OLD) not in letters and (2, OLD) not in letters
    q1 = text_of(out / letters[(1, NEW)]["path"])
    assert f"{NEW_FULL}：" in q1 and "第1季度" in q1 and "项任务滞后" in q1  # its Q1 report, by the new name
    q2 = text_of(out / letters[(2, NEW)]["path"])
    assert f"{NEW_FULL}：" in q2 and "贵单位未报送第二季度进展情况报表" in q2
    assert (2, STEADY) not in letters


def test_the_year_summary_counts_the_renamed_unit_as_having_reported(played, layout):
    _, _, out, _, _ = played
    (xlsx,) = [e for e in entries(out, "year-summary") if e["path"].endswith(".xlsx")]
    wb = load_workbook(out / xlsx["path"])
    names = layout.ledger["year_summary"]["sheets"]
    silent = [r[1] for r in wb[names["never_reported"]].iter_rows(min_row=3, values_only=True)]
    assert NEW not in silent and OLD not in silent and STEADY not in silent and silent


def test_the_first_quarter_rebuilt_after_the_rename_is_the_one_collected(played):
    _, _, out, flags, first = played
    shutil.rmtree(out)
    run("ledger", "--rebuild-summaries", *flags)
    rebuilt = contents(out)
    q1 = {name: cells for name, cells in rebuilt.items() if "Q1" in name}
    assert q1 == first  # 长兴企业集团 as it was named then, every cell the same
    units = [r[0] for r in next(iter(v for k, v in q1.items() if k.endswith(".xlsx")))["按单位"][0][2:]]
    assert OLD in units and NEW not in units
