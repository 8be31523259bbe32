"""Drafts as other offices publish them (issue 22): 工作要点 with 〔A牵头，B配合〕, published files behind
their 红头 and 印发通知, responsibility on its own lines, sub-tasks, table-shaped plans; every new plan is
one `check` accepts, builds, and prints no "None", "null", "{{" or "[]"."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from generators.cli import main
from generators.plan import load_plan

DRAFTS = Path(__file__).resolve().parent / "fixtures" / "drafts"
QINGTIAN = DRAFTS / "qingtian_2026_yaodian.txt"  # 工作要点: （一） measures in 〔A牵头，B配合〕, no sections
BAD_TEXT = ("None", "null", "{{", "[]")


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def document_text(path: Path) -> str:
    """Every text run of a .docx or .xlsx (document, headers, shared strings, sheets)."""
    with zipfile.ZipFile(path) as archive:
        parts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")]
    return "".join(t for part in parts for t in re.findall(r"<(?:w:t|t)(?: [^>]*)?>([^<]*)<", part))


def new_checked_built(draft: Path, tmp_path: Path) -> tuple[Path, Path]:
    plan, out = tmp_path / "plan", tmp_path / "output"
    result = run("new", draft, "--dir", plan)
    assert result.exit_code == 0, result.output
    result = run("check", "--plan", plan)
    assert result.exit_code == 0, result.output
    result = run("build", "--plan", plan, "--out", out)
    assert result.exit_code == 0, result.output
    return plan, out


def test_a_draft_naming_no_collective_phrase_is_a_plan_check_accepts(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "武陵区2026年安全生产工作计划\n为做好安全生产工作，制定本计划。\n一、总体要求\n"
        "1. 开展隐患排查。（责任单位：区应急局）\n2. 加强消防检查。（责任单位：区消防救援大队、区住建局）\n",
        encoding="utf-8",
    )
    plan_dir, _ = new_checked_built(draft, tmp_path)
    assert "分组: []" in (plan_dir / "units.yaml").read_text(encoding="utf-8")


def test_a_list_closed_by_etc_names_the_listed_units(tmp_path):
    plan = load_plan(new_checked_built(QINGTIAN, tmp_path)[0])
    names = {u.name for u in plan.units}
    assert {"县委宣传部", "县教育局"} <= names
    assert not any("等" in name for name in names)
