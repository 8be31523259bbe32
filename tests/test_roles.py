"""Roles are data: 牵头, 责任 and 配合 units of any responsibility form get letters worded by their role, the
matrix marks the same role, and plans shaped unlike the seed (parts without sections, （一） measures) go
through every command. Fixture: tests/fixtures/plans/yaodian (a 工作要点, 〔A牵头，B配合〕 and （A负责））."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from generators.cli import main
from generators.grammar.responsibility import parse
from generators.plan import load_plan
from generators.views import Role, Views, document_kind

FIXTURES = Path(__file__).parent / "fixtures" / "plans"
YAODIAN = FIXTURES / "yaodian"


def docx_text(path: Path) -> str:
    """Every text a reader sees: body paragraphs, table cells, headers and footers."""
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.even_page_header):
            texts += [p.text for p in part.paragraphs]
    return "\n".join(texts)


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("yaodian")
    plan_dir, out = root / "plan", root / "output"
    shutil.copytree(YAODIAN, plan_dir)
    run("build", "--plan", str(plan_dir), "--out", str(out))
    return plan_dir, out


def entries(out: Path, kind: str) -> list[dict]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [e for e in manifest["artifacts"] if e["kind"] == kind]


def test_a_clause_gives_its_names_their_role():
    line = parse("〔区应急管理局牵头，区委组织部、各镇街配合〕")
    assert [c.role for c in line.clauses] == ["牵头", "配合"]
    assert line.prime_names == ("区应急管理局",) and line.support_names == ("区委组织部", "各镇街")
    assert [c.role for c in parse("（牵头单位：A；责任单位：B）").clauses] == ["牵头", "责任"]
    assert [c.role for c in parse("（A负责）").clauses] == ["责任"]
    assert [c.role for c in parse("（A会同B分工负责）").clauses] == ["责任", "责任"]
    assert [c.role for c in parse("（责任单位：A；配合单位：B）").clauses] == ["责任", "配合"]


def test_views_hold_the_role_of_every_unit():
    views = Views(load_plan(YAODIAN))
    roles = {(a.unit, a.number): a.role for held in views.assignments.values() for a in held.all}
    assert roles[("区应急管理局", 1)] is Role.PRIME
    assert roles[("区应急管理局", 2)] is Role.LEAD_NAMED  # （区应急管理局负责）
    assert roles[("区委组织部", 1)] is Role.SUPPORT
    assert roles[("青山镇", 1)] is Role.SUPPORT  # via 各镇街 in the 配合 clause
    assert roles[("青山镇", 4)] is Role.SUPPORT  # named
    assert ("区委组织部", 2) not in roles


@pytest.mark.parametrize(
    ("title", "short", "items"),
    [
        ("上海市崇明区2023年安全生产工作意见", "意见", "工作措施"),
        ("浙江省东湖区2025年安全生产工作要点", "要点", "工作任务"),
        ("某区2025年安全生产工作计划", "计划", "工作任务"),
        ("某区安全生产治本攻坚三年行动实施方案", "方案", "工作任务"),
        ("某区2025年安全生产重点任务清单", "清单", "工作任务"),
    ],
)
def test_the_document_kind_comes_from_the_title(title, short, items):
    kind = document_kind(title)
    assert (kind.short, kind.items) == (short, items)


def test_letters_go_to_the_named_units_worded_by_their_role(built):
    plan_dir, out = built
    letters = {e["unit"]: docx_text(out / e["path"]) for e in entries(out, "letter")}
    named = {"区应急管理局", "区委组织部", "区市场监管局", "区经信局", "区住建局", "区公安分局"}
    assert set(letters) == named | {"区消防救援大队", "湖滨街道", "青山镇", "白沙镇"}
    lead = letters["区应急管理局"]
    assert "（以下简称《要点》）" in lead and "《意见》" not in lead and "工作措施" not in lead
    assert "贵单位共承担《要点》工作任务3条（其中牵头2条、列为责任单位1条）" in lead
    prime, named_part = lead.index("、牵头任务"), lead.index("、责任单位任务")
    assert prime < lead.index("（一）落实党政领导责任") < lead.index("（四）开展危险化学品") < named_part
    assert named_part < lead.index("（二）压实部门监管责任")
    town = letters["青山镇"]
    assert "、配合任务" in town and "以下工作任务中贵单位为配合单位" in town
    assert "责任单位任务" not in town and "结合职责落实" not in town and "牵头任务" not in town
    assert "（一）落实党政领导责任" in town and "（四）开展危险化学品" in town and "（六）强化消防" in town
    assert "（二）" not in town
    for text in letters.values():
        assert "None" not in text and "“”" not in text


def test_the_matrix_marks_the_same_roles(built):
    _, out = built
    (entry,) = entries(out, "matrix")
    ws = load_workbook(out / entry["path"]).active
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 8)] for r in range(5, ws.max_row)}
    assert rows["区应急管理局"] == ["★", "●", None, "★", None, None]
    assert rows["青山镇"] == ["○", None, None, "○", None, "○"]
    assert rows["区委组织部"] == ["○", None, None, None, None, None]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert any(t.startswith("图例：★ 牵头单位") for t in texts)
    assert "工作任务（要点正文）" in texts


def test_the_matrix_numbers_a_measure_as_the_draft_prints_it(built):
    _, out = built
    (entry,) = entries(out, "matrix")
    ws = load_workbook(out / entry["path"]).active
    numbers = [ws.cell(4, c).value for c in range(2, 6)]
    assert numbers == ["（一）", "（二）", "（三）", "（四）"]  # not 1 2 3 4: forms and 督办单 say （一） too


def test_forms_name_a_measure_as_the_draft_prints_it(built):
    _, out = built
    (form,) = [e for e in entries(out, "form") if e["unit"] == "区应急管理局" and e["quarter"] == 1]
    ws = load_workbook(out / form["path"]).worksheets[0]
    keys = [ws.cell(r, 2).value for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value]
    assert keys[:3] == ["（一）", "（二）", "（四）"]
    roles = [ws.cell(r, 4).value for r in range(5, 8)]
    assert roles == ["牵头单位", "责任单位", "牵头单位"]


def test_diff_of_a_plan_without_sections(built, tmp_path):
    plan_dir, _ = built
    assert "无变化" in run("diff", str(plan_dir), "--plan", str(plan_dir))
    edited = tmp_path / "edited"
    shutil.copytree(plan_dir, edited)
    opinion = edited / "opinion.yaml"
    opinion.write_text(
        opinion.read_text(encoding="utf-8")
        .replace("年底前完成老旧燃气管道更新改造。", "年底前完成老旧燃气管道更新改造80公里。")
        .replace("〔区市场监管局牵头，区经信局、区住建局配合〕", "〔区市场监管局牵头，区经信局配合〕"),
        encoding="utf-8",
    )
    shown = run("diff", str(plan_dir), "--plan", str(edited), "--docx", str(tmp_path / "对照表.docx"))
    assert "修改（五）表述" in shown and "区住建局" in shown
    table = docx_text(tmp_path / "对照表.docx")
    assert "（五）" in table and "None" not in table


def test_build_with_a_base_makes_the_changes_table_of_a_plan_without_sections(tmp_path):
    plan_dir, out = tmp_path / "plan", tmp_path / "output"
    shutil.copytree(YAODIAN, plan_dir)
    run("存稿", "第1稿", "--plan", str(plan_dir))
    opinion, meta = plan_dir / "opinion.yaml", plan_dir / "meta.yaml"
    opinion.write_text(
        opinion.read_text(encoding="utf-8").replace("长期坚持。", "长期坚持，每季度通报一次。"),
        encoding="utf-8",
    )
    meta.write_text(
        meta.read_text(encoding="utf-8").replace('比较基准: ""', "比较基准: 第1稿"), encoding="utf-8"
    )
    run("check", "--plan", str(plan_dir))
    run("build", "--plan", str(plan_dir), "--out", str(out))
    (entry,) = entries(out, "changes")
    table = docx_text(out / entry["path"])
    assert "修改（六）表述" in table and "每季度通报一次" in table
    for word in ("None", "null", "{{", "[]"):
        assert word not in table
