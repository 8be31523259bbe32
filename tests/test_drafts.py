"""Drafts of other districts and years (tests/fixtures/drafts/): a new plan from each, letters for the
right units, the opinion reprinted as drafted; and never a silent wrong result."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import PLAN_DIR, SEED, TEMPLATES_DIR, schema_errors

from generators.cli import main
from generators.pipeline import render_all
from generators.plan import load_plan

DRAFTS = Path(__file__).resolve().parent / "fixtures" / "drafts"
JINSHAN = DRAFTS / "jinshan_2025_yaodian.txt"  # 工作要点: measures numbered （一） under 一、, no annex
SONGJIANG = (
    DRAFTS / "songjiang_2024_jihua.txt"
)  # 工作计划: 一、 →（一）标题。导语 → 1、, a part without （一）

# the units each draft names itself (its collective phrases are groups, not addressees)
NAMED = {
    JINSHAN: {
        "区委办",
        "区政府办",
        "区应急局",
        "区委编办",
        "金山第二工业区管委会",
        "区生态环境局",
        "区建设管理委",
        "区市场监管局",
        "区消防救援支队",
        "区委宣传部",
    },
    SONGJIANG: {
        "区应急局",
        "区委编办",
        "区委组织部",
        "区市场监管局",
        "区交通委",
        "区公安分局",
        "区检察院",
        "区城运中心",
        "区大数据中心",
        "区消防救援支队",
    },
}
GROUPS = {
    JINSHAN: {"区安委会有关成员单位", "各镇(街道)", "区其他相关部门"},
    SONGJIANG: {"各有关部门", "市安委会有关成员单位及有关产业园区", "各街镇"},
}
SIGNATURE = re.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日|.+安全生产委员会)$")


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def new_plan(draft: Path, tmp_path: Path) -> Path:
    target = tmp_path / "plan"
    result = run("new", draft, "--dir", target)
    assert result.exit_code == 0, result.output
    return target


def draft_lines(draft: Path) -> list[str]:
    return [line for line in draft.read_text(encoding="utf-8").split("\n") if line.strip()]


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


@pytest.mark.parametrize("draft", [JINSHAN, SONGJIANG], ids=["jinshan", "songjiang"])
def test_new_plan_builds_letters_for_the_named_units_and_reprints_the_draft(draft, tmp_path):
    plan = load_plan(new_plan(draft, tmp_path))
    assert not plan.has_annex
    artifacts = render_all(
        plan, TEMPLATES_DIR, only={"opinion", "letter", "annex", "annex-xlsx", "leader-sheet"}
    )
    letters = {a.unit for a in artifacts if a.kind == "letter"}
    assert letters == NAMED[draft]
    assert {a.kind for a in artifacts} == {"opinion", "letter", "letters-print"}  # no annex, no leader sheets
    (opinion,) = [a for a in artifacts if a.kind == "opinion"]
    expected = [line for line in draft_lines(draft) if not SIGNATURE.match(line)]
    assert paragraphs(opinion.data) == expected  # every heading, lead-in, measure and bracket as drafted
    document = docx.Document(io.BytesIO(opinion.data))
    assert len(document.sections) == 1  # no empty landscape annex section


def test_measures_numbered_like_sections_are_measures(tmp_path):
    plan = load_plan(new_plan(JINSHAN, tmp_path))
    assert [m.numbering for m in plan.measures] == [
        "（一）",
        "（二）",
        "（三）",
        "（一）",
        "（二）",
        "（三）",
        "（一）",
        "（二）",
    ]
    assert all(s.heading == "" for p in plan.parts for s in p.sections)  # parts hold measures directly
    assert plan.measures[0].printed == draft_lines(JINSHAN)[3]


def test_each_bracket_form_means_what_it_says(tmp_path):
    plan = load_plan(new_plan(JINSHAN, tmp_path))
    lines = [(m.responsibility.names, m.responsibility.support_names) for m in plan.measures]
    assert lines == [
        (("区委办", "区政府办", "区应急局"), ()),  # （A、B按职责分工负责）
        (("区应急局", "区委编办", "区安委会有关成员单位"), ()),  # 〔A牵头，B分工负责〕
        (("区应急局", "区安委会有关成员单位"), ()),  # （A会同B分工负责）
        (("区应急局",), ("金山第二工业区管委会", "区生态环境局")),  # 牵头单位；配合单位
        (("区建设管理委", "区市场监管局", "各镇(街道)"), ()),  # 牵头单位；责任单位
        (("区消防救援支队", "各镇(街道)"), ()),  # half-width (A、B负责)
        (("区应急局", "区委编办", "各镇(街道)"), ()),  # 责任单位：
        (("区委宣传部", "区应急局", "区其他相关部门"), ()),
    ]
    views_role = {a.unit: a.role_text for a in _assignments(plan, "区生态环境局")}
    assert set(views_role.values()) == {"配合单位"}


def _assignments(plan, unit):
    from generators.views import Views

    return Views(plan).assignments[unit].measures


def test_section_lead_in_on_the_heading_line_is_split_and_printed_on_one_line(tmp_path):
    plan = load_plan(new_plan(SONGJIANG, tmp_path))
    section = plan.parts[0].sections[0]
    assert (section.title, section.inline) == ("健全安全生产责任体系。", True)
    assert section.intro == "坚持党政同责、一岗双责、齐抓共管、失职追责，推动各方责任落实到位。"
    assert plan.parts[2].sections[0].heading == ""  # 三、 holds its 1、 measures directly
    assert [m.numbering for m in plan.measures] == ["1、", "2、", "1、", "2、", "1、", "2、", "1、", "2、"]
    (opinion,) = render_all(plan, TEMPLATES_DIR, only={"opinion"})
    heading = next(
        p for p in docx.Document(io.BytesIO(opinion.data)).paragraphs if p.text.startswith("（一）健全")
    )
    assert heading.style.name == "二级标题"
    intro_run = heading.runs[-1]
    assert intro_run.text == section.intro
    body_font = (
        docx.Document(io.BytesIO(opinion.data))
        .styles["正文"]
        .element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia"))
    )
    assert intro_run._r.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == body_font  # lead-in in the body font


def test_a_new_plans_opinion_docx_imports_without_change(tmp_path):
    target = new_plan(SONGJIANG, tmp_path)
    before = hashes(target)
    (opinion,) = render_all(load_plan(target), TEMPLATES_DIR, only={"opinion"})
    draft = tmp_path / "意见.docx"
    draft.write_bytes(opinion.data)
    result = run("import", draft, "--into", target)
    assert result.exit_code == 0, result.output
    assert hashes(target) == before


def test_collective_phrases_are_groups_the_office_fills_in(tmp_path):
    target = new_plan(JINSHAN, tmp_path)
    plan = load_plan(target)
    assert {g.name for g in plan.groups} == GROUPS[JINSHAN]
    assert all(g.assumed and not g.members for g in plan.groups)
    assert not GROUPS[JINSHAN] & {u.name for u in plan.units}
    assert {g.name: g.role.value for g in plan.groups}["各镇(街道)"] == "全体"
    # the office lists the towns: they get letters, the phrase itself never does
    units = (target / "units.yaml").read_text(encoding="utf-8")
    units = units.replace(
        "  区级部门:\n",
        "  乡镇:\n    - {简称: 朱泾镇, 全称: 金山区朱泾镇人民政府}\n"
        "    - {简称: 石化街道, 全称: 金山区石化街道办事处}\n  区级部门:\n",
    )
    units = units.replace(
        "{名称: 各镇(街道), 作用: 全体, 成员: []", "{名称: 各镇(街道), 作用: 全体, 成员: [朱泾镇, 石化街道]"
    )
    (target / "units.yaml").write_text(units, encoding="utf-8")
    letters = {
        a.unit for a in render_all(load_plan(target), TEMPLATES_DIR, only={"letter"}) if a.kind == "letter"
    }
    assert letters == NAMED[JINSHAN] | {"朱泾镇", "石化街道"}


def test_new_refuses_an_existing_plan(tmp_path):
    target = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, target)
    before = hashes(target)
    result = run("new", JINSHAN, "--dir", target)
    assert result.exit_code == 2
    assert "不会覆盖" in result.output
    assert hashes(target) == before


def test_new_lists_what_is_assumed(tmp_path):
    result = run("new", SONGJIANG, "--dir", tmp_path / "plan")
    assert result.exit_code == 0
    assert "发文机关" in result.output and "成文日期" in result.output  # the draft printed neither
    assert "各街镇（0 个成员）" in result.output
    # 二、（一）1、 names only collective phrases: until their members are listed no letter carries it
    assert "措施5（1、）的责任单位“市安委会有关成员单位及有关产业园区、各街镇”尚无成员" in result.output
    meta = (tmp_path / "plan" / "meta.yaml").read_text(encoding="utf-8")
    assert "年度: 2024" in meta and "2024-04-10" in meta and "2023" not in meta


# --- a draft without an annex ------------------------------------------------------------------------


def seed_without_annex() -> str:
    text = SEED.read_text(encoding="utf-8")
    return text[: text.index("\n 附件")] + "\n"


def test_draft_without_annex_says_so_and_changes_nothing(tmp_path, plan_copy):
    draft = tmp_path / "draft.txt"
    draft.write_text(seed_without_annex(), encoding="utf-8")
    before = hashes(plan_copy)
    result = run("import", draft, "--into", plan_copy)
    assert result.exit_code == 2
    assert "没有附件任务清单" in result.output and "--no-annex" in result.output
    assert hashes(plan_copy) == before


def test_no_annex_removes_the_annex_and_nothing_prints_it(tmp_path, plan_copy):
    draft = tmp_path / "draft.txt"
    draft.write_text(seed_without_annex(), encoding="utf-8")
    result = run("import", draft, "--into", plan_copy, "--no-annex")
    assert result.exit_code == 0, result.output
    assert not (plan_copy / "tasks.yaml").exists()
    plan = load_plan(plan_copy)
    artifacts = render_all(plan, TEMPLATES_DIR)
    kinds = {a.kind for a in artifacts}
    assert not kinds & {"annex", "annex-xlsx", "leader-sheet"}
    for artifact in artifacts:
        with zipfile.ZipFile(io.BytesIO(artifact.data)) as z:
            text = "".join(
                re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8")) for n in z.namelist() if n.endswith(".xml")
            )
        assert "共0项" not in text and "0项" not in text, artifact.path
        assert "重点工作任务清单" not in text and "附件《" not in text, artifact.path
    (opinion,) = [a for a in artifacts if a.kind == "opinion"]
    assert len(docx.Document(io.BytesIO(opinion.data)).sections) == 1
    letter = next(a for a in artifacts if a.kind == "letter" and a.unit == "区应急局")
    assert "现将《意见》中明确由贵单位承担的任务函告如下" in "".join(paragraphs(letter.data))
    result = run("check", "--plan", plan_copy)
    assert result.exit_code == 0 and "无附件任务清单" in result.output


# --- a new year's draft into last year's plan --------------------------------------------------------


def test_2025_draft_into_the_2023_plan_warns_of_2023_dates(tmp_path, plan_copy):
    text = SEED.read_text(encoding="utf-8").replace(
        "上海市崇明区2023年安全生产工作意见", "上海市崇明区2025年安全生产工作意见"
    )
    draft = tmp_path / "draft.txt"
    draft.write_text(text, encoding="utf-8")
    result = run("import", draft, "--into", plan_copy)
    assert result.exit_code == 0, result.output
    assert load_plan(plan_copy).meta.year == 2025
    assert "警告：年度由 2023 改为 2025" in result.output
    for output in (result.output, run("check", "--plan", plan_copy).output):
        warnings = [line for line in output.splitlines() if line.startswith("警告")]
        assert any("成文日期 2023-" in w and "2025 年度" in w for w in warnings), output
        assert sum("季度报送截止日期" in w for w in warnings) == 4
    seed_warnings = [w for w in run("check", "--plan", PLAN_DIR).output.splitlines() if "警告" in w]
    # the seed's own dates fit its year; its one warning is the 送审稿 status beside its 印发通知
    assert len(seed_warnings) == 1 and "状态为“送审稿”，但写有印发通知" in seed_warnings[0], seed_warnings


# --- never silently wrong ----------------------------------------------------------------------------


def test_a_draft_without_measures_is_an_error(tmp_path, plan_copy):
    text = "\n".join(
        re.sub(r"（责任单位：[^）]*(（办）[^）]*)?）", "", line)
        for line in SEED.read_text(encoding="utf-8").split("\n")
    )
    draft = tmp_path / "draft.txt"
    draft.write_text(text[: text.index("\n 附件")], encoding="utf-8")
    before = hashes(plan_copy)
    result = run("import", draft, "--into", plan_copy, "--no-annex")
    assert result.exit_code == 2
    assert "没有找到措施" in result.output and "可识别的写法" in result.output
    assert hashes(plan_copy) == before
    assert run("new", draft, "--dir", tmp_path / "new").exit_code == 2


def test_check_with_no_measures_exits_2(plan_copy):
    opinion = (plan_copy / "opinion.yaml").read_text(encoding="utf-8")
    opinion = re.sub(r"措施:\n(?:          .*\n)+", "措施: []\n", opinion)
    (plan_copy / "opinion.yaml").write_text(opinion, encoding="utf-8")
    result = run("check", "--plan", plan_copy)
    assert result.exit_code == 2
    assert "没有任何措施" in result.output


@pytest.mark.parametrize(
    ("bracket", "message"),
    [
        ("（配合单位：区应急局）", "没有责任单位"),
        ("（责任单位：区应急局；其他单位：区公安分局）", "无法读出责任单位"),
        ("（责任单位：区应急局、、区公安分局）", "无法读出责任单位"),
    ],
)
def test_an_unreadable_or_ownerless_line_names_its_paragraph(bracket, message, tmp_path, plan_copy):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith("9."))
    lines[i] = lines[i][: lines[i].rindex("（责任单位")] + bracket
    draft = tmp_path / "draft.txt"
    draft.write_text("\n".join(lines), encoding="utf-8")
    before = hashes(plan_copy)
    result = run("import", draft, "--into", plan_copy)
    assert result.exit_code == 2
    (line,) = [x for x in result.output.splitlines() if message in x]
    assert f":第{i + 1}行:" in line and "可识别的写法" in line and "9." in line
    assert hashes(plan_copy) == before


def test_add_units_proposes_collective_phrases_as_groups(tmp_path, plan_copy):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith("9."))
    lines[i] = lines[i][: lines[i].rindex("（责任单位")] + "（责任单位：区应急局、区数据局、区其他相关部门）"
    draft = tmp_path / "draft.txt"
    draft.write_text("\n".join(lines), encoding="utf-8")
    result = run("import", draft, "--into", plan_copy, "--add-units")
    assert result.exit_code == 0, result.output
    plan = load_plan(plan_copy)
    assert "区数据局" in {u.name for u in plan.units}
    assert "区其他相关部门" not in {u.name for u in plan.units}
    (group,) = [g for g in plan.groups if g.name == "区其他相关部门"]
    assert group.assumed and group.role.value == "有关" and group.members == ()


def test_a_printed_line_in_the_plan_is_checked_name_by_name(plan_copy):
    opinion = (plan_copy / "opinion.yaml").read_text(encoding="utf-8")
    line = "            责任单位: 区应急局、区安委会有关成员单位\n"
    assert opinion.count(line) == 1
    printed = "            责任单位行: 〔区应急局牵头，区应急管理局分工负责〕\n"
    (plan_copy / "opinion.yaml").write_text(opinion.replace(line, printed), encoding="utf-8")
    number = opinion[: opinion.index(line)].count("\n") + 1
    result = run("check", "--plan", plan_copy)
    assert result.exit_code == 2
    column = printed.index("区应急管理局") + 1
    assert (
        f"opinion.yaml:{number}:{column}: 未知的单位或分组“区应急管理局”，是否应为“区应急局”？"
        in result.output
    )
    (plan_copy / "opinion.yaml").write_text(
        opinion.replace(line, printed.replace("区应急管理局", "区委编办"))
    )
    assert run("check", "--plan", plan_copy).exit_code == 0
    measure = load_plan(plan_copy).measures[8]
    assert measure.printed.endswith("〔区应急局牵头，区委编办分工负责〕")
    assert measure.responsibility.names == ("区应急局", "区委编办")


def test_new_shapes_are_schema_valid(tmp_path, plan_copy):
    (plan_copy / "tasks.yaml").unlink()
    songjiang = load_plan(new_plan(SONGJIANG, tmp_path / "new"))
    documents = [
        *render_all(songjiang, TEMPLATES_DIR, only={"opinion"}),  # 导语同行: a run in the body font
        *render_all(load_plan(plan_copy), TEMPLATES_DIR, only={"opinion"}),  # its annex section dropped
    ]
    for i, artifact in enumerate(documents):
        path = tmp_path / f"{i}.docx"
        path.write_bytes(artifact.data)
        assert schema_errors(path) == [], artifact.path


def test_new_reads_a_docx_draft_as_its_text(tmp_path):
    from_text = new_plan(SONGJIANG, tmp_path / "text")
    (opinion,) = render_all(load_plan(from_text), TEMPLATES_DIR, only={"opinion"})
    draft = tmp_path / "松江区2024年安全生产工作计划.docx"
    draft.write_bytes(opinion.data)
    from_docx = new_plan(draft, tmp_path / "docx")
    for name in ("opinion.yaml", "units.yaml", "leaders.yaml"):
        assert (from_docx / name).read_text(encoding="utf-8") == (from_text / name).read_text(
            encoding="utf-8"
        )
    assert load_plan(from_docx).parts == load_plan(from_text).parts
