"""The 半年 reporting cycle end to end: the monthly fixture plan set to 报送周期: 半年 with two due dates goes
through check → build (two form periods) → a played 上半年 with a late task → supervise naming it 逾期."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from returns_kit import fill, form_bytes

from generators.cli import main
from generators.formspec import FormsLayout
from generators.plan import load_plan
from generators.views import Views

MONTHLY = Path(__file__).parent / "fixtures" / "plans" / "monthly"


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.output


def entries(out: Path, kind: str) -> list[dict]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [e for e in data["artifacts"] if e["kind"] == kind]


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )


def half_year_plan(plan_dir: Path) -> None:
    shutil.copytree(MONTHLY, plan_dir)
    meta = plan_dir / "meta.yaml"
    text = meta.read_text(encoding="utf-8")
    assert "报送周期: 月度\n月度报送日: 26\n" in text
    text = text.replace(
        "报送周期: 月度\n月度报送日: 26\n", '报送周期: 半年\n报送截止日期: ["2025-07-10", "2026-01-10"]\n'
    )
    meta.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def played(tmp_path_factory, layout):
    """上半年: 区应急局 reports 第1条 (2月底前) 按计划推进 — late — and the rest 已完成; everyone else 已完成."""
    root = tmp_path_factory.mktemp("halfyear")
    plan_dir, out, returns = root / "plan", root / "output", root / "returns"
    half_year_plan(plan_dir)
    checked = run("check", "--plan", str(plan_dir))
    run("build", "--plan", str(plan_dir), "--out", str(out))
    plan = load_plan(plan_dir)
    views = Views(plan)
    spec = FormsLayout.of(layout)
    for unit in views.assignments:
        late = unit == "区应急局"
        fill(
            form_bytes(plan, views, layout, 1, unit),
            returns / f"{unit}.xlsx",
            spec,
            date=dt.date(2025, 7, 5),
            status=lambda key, late=late: "按计划推进" if late and key == "第1条" else "已完成",
        )
    collected = run("collect", "--period", "1", str(returns), "--plan", str(plan_dir), "--out", str(out))
    supervised = run("supervise", "--period", "1", "--plan", str(plan_dir), "--out", str(out))
    return plan_dir, out, checked, collected, supervised


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
