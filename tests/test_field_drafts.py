"""Drafts as other offices publish them (issue 22): 工作要点 with 〔A牵头，B配合〕, published files behind
their 红头 and 印发通知, responsibility on its own lines, sub-tasks, table-shaped plans; every new plan is
one `check` accepts, builds, and prints no "None", "null", "{{" or "[]"."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import TEMPLATES_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.cli import main
from generators.formspec import FormsLayout
from generators.grammar.deadline import task_deadline
from generators.ledger.synthetic import write_returns
from generators.plan import build as plan_build
from generators.plan import load_plan
from generators.views import Views

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


HESHAN = (
    DRAFTS / "heshan_2026_fangan_published.txt"
)  # 红头 + 发文字号 + 印发通知, then the plan; 牵头单位： lines


def test_a_published_file_is_read_behind_its_notice(tmp_path):
    plan_dir, out = new_checked_built(HESHAN, tmp_path)
    plan = load_plan(plan_dir)
    assert plan.meta.title == "鹤山区2026年安全生产重点工作方案"
    assert (plan.meta.year, plan.meta.issuer, plan.meta.date) == (2026, "鹤山区人民政府", "2026-03-16")
    assert plan.meta.doc_number == ""  # the letters' own number: not the government's 发文字号
    notice = plan.meta.notice
    assert notice is not None
    assert notice.organ_mark == "鹤山区人民政府文件" and notice.doc_number == "鹤府发〔2026〕7号"
    assert notice.title == "鹤山区人民政府关于印发《鹤山区2026年安全生产重点工作方案》的通知"
    assert notice.addressees == "各镇人民政府、街道办事处，区政府各部门、各直属机构"
    assert notice.body == ("现将《鹤山区2026年安全生产重点工作方案》印发给你们，请结合实际认真组织实施。",)
    assert (notice.signature, notice.date) == ("鹤山区人民政府", "2026-03-16")
    assert set(notice.assumed_fields) == {"附件说明", "抄送", "印发机关", "印发日期"}
    assert plan.preamble.startswith("为深入贯彻落实")  # the notice is not the plan's preamble
    for path in sorted(out.rglob("*.docx")) + sorted(out.rglob("*.xlsx")):
        text = document_text(path)
        assert "此件公开发布" not in text


def test_responsibility_on_its_own_lines_belongs_to_its_item(tmp_path):
    plan = load_plan(new_checked_built(HESHAN, tmp_path)[0])
    measures = [m for part in plan.parts for section in part.sections for m in section.measures]
    assert [m.label for m in measures] == ["（一）", "（二）", "（三）", "（四）"]
    first, _, _, last = measures
    assert first.text == "开展重大事故隐患排查整治，建立隐患清单和整改责任清单。"
    assert first.responsibility.names == ("区应急管理局", "区住房城乡建设局", "区交通运输局")
    assert last.responsibility.names == ("区应急管理局", "区政务服务数据管理局")
    assert last.responsibility.support_names == ("区财政局",)
    opinion = (tmp_path / "plan" / "opinion.yaml").read_text(encoding="utf-8")
    assert opinion.count("行外: true") == 4


def manifest_units(out: Path, kind: str) -> set[str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {e["unit"] for e in manifest["artifacts"] if e["kind"] == kind}


@pytest.mark.parametrize("draft", ["QINGTIAN", "HESHAN", "XINJIN"])
def test_no_generated_document_prints_none_null_or_template_tags(draft, tmp_path):
    _, out = new_checked_built(globals()[draft], tmp_path)
    documents = sorted(out.rglob("*.docx")) + sorted(out.rglob("*.xlsx"))
    assert len(documents) > 10
    for path in documents:
        text = document_text(path)
        assert not [bad for bad in BAD_TEXT if bad in text], path


def test_the_issuing_office_is_not_written_to_unless_the_plan_says_so(tmp_path):
    plan_dir, out = new_checked_built(QINGTIAN, tmp_path)
    letters = manifest_units(out, "letter")
    assert "县安委办" not in letters and "县委组织部" in letters  # 〔县安委办牵头，县委组织部配合〕
    assert "县安委办" not in manifest_units(out, "form")
    assert "不给它自己发函" in run("check", "--plan", plan_dir).output
    meta = plan_dir / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "函件发出单位收函: true\n", encoding="utf-8")
    result = run("build", "--plan", plan_dir, "--out", out)
    assert result.exit_code == 0, result.output
    assert "县安委办" in manifest_units(out, "letter") and "县安委办" in manifest_units(out, "form")


def test_new_writes_a_reply_date_after_each_due_date_and_check_warns_when_one_is_not(tmp_path):
    plan_dir, _ = new_checked_built(QINGTIAN, tmp_path)
    meta = load_plan(plan_dir).meta
    assert len(meta.reply_dates) == len(meta.due_dates) == 4
    assert all(reply > due for due, reply in zip(meta.due_dates, meta.reply_dates, strict=True))
    assert "督办回复期限" in meta.assumed_fields
    path = plan_dir / "meta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2026-07-30", "2026-07-10"), encoding="utf-8")
    result = run("check", "--plan", plan_dir)
    assert result.exit_code == 0
    assert "督办回复期限 第2季度 2026-07-10 不晚于该季度督办单的日期 2026-07-10" in result.output
    assert "第1季度" not in result.output.split("督办回复期限", 1)[1].split("\n", 1)[0]


def test_a_measure_deleted_without_renumbering_is_said_once_and_renumber_imports(plan_copy, tmp_path):
    seed = (DRAFTS.parent / "seed.txt").read_text(encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("\n".join(line for line in seed.split("\n") if not line.startswith("30.")), "utf-8")
    before = (plan_copy / "opinion.yaml").read_bytes()
    result = run("import", draft, "--into", plan_copy)
    assert result.exit_code == 2
    assert result.output.count("第30条缺失（或已删除）") == 1 and "--renumber" in result.output
    assert "草稿有 1 处无法导入" in result.output
    assert (plan_copy / "opinion.yaml").read_bytes() == before
    result = run("import", draft, "--into", plan_copy, "--renumber")
    assert result.exit_code == 0, result.output
    measures = load_plan(plan_copy).measures
    assert [m.number for m in measures] == list(range(1, 46))
    assert measures[29].text.startswith("规范建设工程安全管理。")  # the draft's 31. is now 30.


XINJIN = DRAFTS / "xinjin_2026_jihua.txt"  # a measure of three bracketed sentences, two with deadlines


def test_a_measure_of_bracketed_sentences_becomes_sub_tasks_printed_as_drafted(tmp_path):
    plan_dir, out = new_checked_built(XINJIN, tmp_path)
    plan = load_plan(plan_dir)
    first = plan.measures[0]
    assert first.text == "强化危险化学品安全治理。"
    assert [s.text for s in first.subtasks] == [
        "4月底前，完成全区危化品企业风险评估",
        "6月30日前，完成化工园区封闭化管理改造",
        "持续开展危化品运输车辆专项检查",
    ]
    assert [s.responsibility.names for s in first.subtasks] == [("区应急局",), ("区经信局",), ("区交警大队",)]
    assert first.subtasks[1].responsibility.support_names == ("区应急局", "区公安分局")
    due = [task_deadline(s.text, s.deadline).due(2026) for s in first.subtasks]
    assert due == [date(2026, 4, 30), date(2026, 6, 30), None]
    assert len(plan.measures[3].subtasks) == 2  # 〔A牵头，B配合〕；……〔B负责〕。
    (opinion,) = [p for p in out.glob("*.docx") if p.stem == plan.meta.title]
    printed = [p.text for p in docx.Document(str(opinion)).paragraphs if p.text.strip()]
    assert printed == [line for line in XINJIN.read_text(encoding="utf-8").split("\n") if line.strip()]
    again = run("import", XINJIN, "--into", plan_dir)
    assert again.exit_code == 0 and "写入 0 个文件" in again.output  # the sub-tasks read back unchanged


def docx_of(text_draft: Path, target: Path) -> Path:
    """The draft as a .docx: one paragraph a line, as a clerk would have typed it in Word."""
    document = docx.Document()
    for line in text_draft.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            document.add_paragraph(line)
    document.save(str(target))
    return target


@pytest.mark.parametrize("suffix", ["doc", "odt"])
def test_a_doc_or_odt_draft_is_read_through_a_libreoffice_copy(suffix, tmp_path):
    from generators.pdf.soffice import converter_env, find_soffice

    soffice = find_soffice()
    assert soffice is not None  # installed on this machine kind (docs/pdf.md)
    source = docx_of(HESHAN, tmp_path / "heshan.docx")
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to",
         suffix, "--outdir", str(tmp_path / "saved"), str(source)],
        check=True, capture_output=True, env=converter_env(), timeout=120,
    )  # fmt: skip
    draft = tmp_path / "saved" / f"heshan.{suffix}"
    before = draft.read_bytes()
    plan_dir, _ = new_checked_built(draft, tmp_path)
    assert draft.read_bytes() == before and sorted(p.name for p in draft.parent.iterdir()) == [draft.name]
    plan = load_plan(plan_dir)
    assert plan.meta.notice is not None and plan.meta.notice.doc_number == "鹤府发〔2026〕7号"
    assert len(plan.measures) == 4


def test_without_libreoffice_a_doc_draft_gets_a_chinese_hint(tmp_path, monkeypatch):
    from generators.collect import convert

    monkeypatch.setattr(convert, "find_soffice", lambda: None)
    draft = tmp_path / "草稿.wps"
    draft.write_bytes(b"\xd0\xcf\x11\xe0 not really a wps file")
    result = run("new", draft, "--dir", tmp_path / "plan")
    assert result.exit_code == 2
    assert "未安装 LibreOffice" in result.output and "另存为 .docx" in result.output
    assert not (tmp_path / "plan").exists()


WUYUAN = (
    DRAFTS / "wuyuan_2026_qingdan_table.docx"
)  # 序号|重点任务|完成时限|牵头单位|配合单位, merged part rows


def test_a_plan_written_as_a_table_imports_as_measures(tmp_path):
    plan_dir, out = new_checked_built(WUYUAN, tmp_path)
    plan = load_plan(plan_dir)
    assert [(p.number, p.title) for p in plan.parts] == [("一", "风险防控"), ("二", "基层基础")]
    assert plan.preamble.startswith("为推动全县安全生产各项任务落地见效")
    assert (plan.meta.issuer, plan.meta.date) == ("婺源县安全生产委员会", "2026-02-20")
    measures = plan.measures
    assert [m.text for m in measures][:2] == [
        "开展危险化学品企业安全检查，建立问题清单",
        "完成燃气管网隐患排查整治",
    ]
    assert [m.deadline for m in measures] == ["4月底前", "6月30日前", "每季度", "年底前", "长期坚持"]
    assert measures[0].responsibility.prime_names == ("县应急管理局",)
    assert measures[0].responsibility.support_names == ("县公安局", "县市场监管局")
    assert measures[4].responsibility.support_names == ("县教育体育局", "县应急管理局")  # two lines in a cell
    assert {"县应急管理局", "县公安局", "县文广旅游局", "县消防救援大队"} <= manifest_units(out, "letter")
    for path in sorted(out.rglob("*.docx")) + sorted(out.rglob("*.xlsx")):
        text = document_text(path)
        assert not [bad for bad in BAD_TEXT if bad in text], path
    # 各责任单位于每月26日前……报送: monthly reporting, due on the 26th, a 督办 reply after each due date
    assert plan.meta.cycle == "月度" and len(plan.meta.due_dates) == len(plan.meta.reply_dates) == 12
    assert plan.meta.due_dates[2] == "2026-03-26" and all(
        reply > due for due, reply in zip(plan.meta.due_dates, plan.meta.reply_dates, strict=True)
    )
    assert "请于每月26日前" in document_text(out / "letters" / "县住建局.docx")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len({e["path"].split("/")[1] for e in manifest["artifacts"] if e["kind"] == "form"}) == 12


def test_a_monthly_reporting_sentence_is_read_when_the_loader_knows_cycles(monkeypatch):
    from generators.importer.cycle import reporting_cycle

    monkeypatch.setattr(plan_build, "CYCLES", ("季度", "月度", "半年"), raising=False)
    said = "各责任单位于每月26日前向县安委办报送当月工作进展情况。"
    assert reporting_cycle(["为推动……。", said]) == {"报送周期": "月度", "月度报送日": 26}
    assert reporting_cycle(["每月26日前完成巡查。"]) == {}  # a task's rhythm, not reporting
    assert reporting_cycle(["每半年报送一次。"]) == {"报送周期": "半年"}
    monkeypatch.setattr(plan_build, "CYCLES", (), raising=False)
    assert reporting_cycle([said]) == {}


def test_a_table_row_without_a_unit_or_with_an_unreadable_time_is_named(tmp_path):
    document = docx.Document()
    document.add_paragraph("婺源县2026年安全生产重点任务清单")
    table = document.add_table(rows=0, cols=3)
    for row in (
        ("重点任务", "完成时限", "责任单位"),
        ("开展检查", "择机", "县应急管理局"),
        ("开展宣传", "年底前", ""),
    ):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    draft = tmp_path / "draft.docx"
    document.save(str(draft))
    result = run("new", draft, "--dir", tmp_path / "plan")
    assert result.exit_code == 2
    assert "第1个表格第2行: 完成时限“择机”无法读出" in result.output
    assert "第1个表格第3行: 这一行没有牵头或责任单位" in result.output
    assert not (tmp_path / "plan").exists()


def test_lines_on_their_own_are_printed_on_their_own_and_read_back(tmp_path):
    plan_dir, out = new_checked_built(HESHAN, tmp_path)
    plan = load_plan(plan_dir)
    (opinion,) = [p for p in out.glob("*.docx") if p.stem == plan.meta.title]
    printed = [p.text for p in docx.Document(str(opinion)).paragraphs if p.text.strip()]
    drafted = [line for line in HESHAN.read_text(encoding="utf-8").split("\n") if line.strip()]
    assert printed == drafted[drafted.index(plan.meta.title) :]  # the plan behind its notice, as drafted
    again = run("import", opinion, "--into", plan_dir)
    assert again.exit_code == 0 and "写入 0 个文件" in again.output, again.output


def test_a_new_plan_plays_a_quarter_and_names_the_late_task_in_its_督办单(tmp_path, layout, monkeypatch):
    """new → build → diff against an edited copy → a second quarter collected in which 4月底前 and
    6月30日前 tasks are not done → 督办单 naming them 逾期, replying after the day it is dated."""
    plan_dir, out = new_checked_built(XINJIN, tmp_path)
    units = plan_dir / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("成员: []", "成员: [区住建局]"), "utf-8")
    edited = tmp_path / "edited"
    shutil.copytree(plan_dir, edited)
    opinion = edited / "opinion.yaml"
    opinion.write_text(
        opinion.read_text(encoding="utf-8").replace("完成全区危化品", "完成全县危化品"), "utf-8"
    )
    diff = run("diff", plan_dir, edited)
    assert diff.exit_code == 0 and "措施1" in diff.output and "区应急局" in diff.output, diff.output
    monkeypatch.chdir(tmp_path)
    plan = load_plan(plan_dir)
    assert write_returns(plan, Views(plan), FormsLayout.of(layout), 2, tmp_path / "returns") > 0
    assert run("collect", "--quarter", 2, tmp_path / "returns", "--templates", TEMPLATES_DIR).exit_code == 0
    result = run("supervise", "--quarter", 2, "--templates", TEMPLATES_DIR)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    sheets = {
        e["unit"]: out / e["path"]
        for e in manifest["artifacts"]
        if e["kind"] == "supervision" and "unit" in e
    }
    overdue = {unit: document_text(path) for unit, path in sheets.items() if "逾期" in document_text(path)}
    assert overdue, sheets
    for text in overdue.values():
        assert re.search(r"措施1-[12].{0,40}逾期（时限：(4月底前|6月30日前)）", text), text
        assert "2026年7月30日前将落实情况书面回复" in text and "2026年7月10日" in text
        assert "联系人：；" not in text


def test_letters_go_to_the_named_units_in_their_role(tmp_path):
    _, out = new_checked_built(QINGTIAN, tmp_path)
    named = {"县委组织部", "县应急管理局", "县市场监管局", "县住建局", "县经信局", "县公安局", "县交通运输局"}
    assert manifest_units(out, "letter") == named | {"县委宣传部", "县教育局"}  # not the office, no 等
    support = document_text(out / "letters" / "县委组织部.docx")
    assert "配合任务" in support and "贵单位为配合单位" in support
    assert "牵头" in document_text(out / "letters" / "县住建局.docx")


def test_a_notice_title_over_two_lines_without_a_red_head_is_read():
    from generators.importer.draft import Paragraph
    from generators.importer.notice import read_notice

    lines = [
        "关于印发《泰顺县2026年安全生产",
        "工作要点》的通知",
        "各乡镇人民政府：",
        "现将《泰顺县2026年安全生产工作要点》印发给你们，请认真贯彻落实。",
        "泰顺县安全生产委员会",
        "2026年1月30日",
        "泰顺县2026年安全生产工作要点",
    ]
    found = read_notice([Paragraph(f"第{i}段", text) for i, text in enumerate(lines, 1)])
    assert found is not None and found.start == 6
    notice = found.meta["印发通知"]
    assert notice["标题"] == "关于印发《泰顺县2026年安全生产工作要点》的通知"
    assert notice["发文机关标志"] == "泰顺县安全生产委员会文件" and "发文机关标志" in notice["待核实"]
    assert found.meta["成文日期"] == "2026-01-30" and "文号" not in found.meta
    assert read_notice([Paragraph("第1段", "泰顺县2026年安全生产工作要点")]) is None


def test_the_seed_behind_its_notice_imports_into_the_plan_confirming_the_notice(plan_copy, tmp_path):
    notice = (
        "上海市崇明区安全生产委员会文件\n崇安委〔2023〕1号\n关于印发《上海市崇明区2023年安全生产工作意见》的通知\n"
        "各乡镇人民政府，区安委会各成员单位，区有关直属单位：\n"
        "现将《上海市崇明区2023年安全生产工作意见》印发给你们，请结合实际，认真贯彻落实。\n"
        "上海市崇明区安全生产委员会\n2023年3月1日\n"
    )
    draft = tmp_path / "issued.txt"
    draft.write_text(notice + (DRAFTS.parent / "seed.txt").read_text(encoding="utf-8"), encoding="utf-8")
    before = {p.name: p.read_text(encoding="utf-8") for p in plan_copy.iterdir()}
    result = run("import", draft, "--into", plan_copy)
    assert result.exit_code == 0, result.output
    after = {p.name: p.read_text(encoding="utf-8") for p in plan_copy.iterdir()}
    assert {name for name in before if before[name] != after[name]} == {"meta.yaml"}
    changed = [
        (old, new)
        for old, new in zip(before["meta.yaml"].split("\n"), after["meta.yaml"].split("\n"), strict=True)
        if old != new
    ]
    assert changed == [
        ("  待核实: [发文机关标志, 发文字号, 主送机关, 正文, 附件说明, 署名, 成文日期, 抄送, 印发机关, 印发日期]",
         "  待核实: [附件说明, 抄送, 印发机关, 印发日期]"),
    ]  # fmt: skip


PIECES = [
    "鹤山区人民政府文件", "鹤府发〔2026〕7号", "鹤山区人民政府关于印发《鹤山区2026年方案》的通知", "各镇：",
    "现将《鹤山区2026年方案》印发给你们。", "鹤山区人民政府", "2026年3月16日", "（此件公开发布）",
    "鹤山区2026年方案", "一、任务", "二、保障", "（一）开展检查。", "（二）加强宣传。", "牵头单位：区应急局",
    "责任单位：区公安局", "配合单位：各镇（街道）", "1.做事（责任单位：区应急局）；再做事（牵头单位：区住建局；配合单位：区公安局）。",
    "2.推进（责任单位：区委宣传部、区教育局等按职责负责）", "〔区应急局牵头，区公安局配合〕", "4月底前，完成（责任单位：区财政局）",
    "各责任单位每月26日前报送进展。", "3.", "（三）", "附件", "（征求意见稿）",
]  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14), st.booleans())
def test_new_writes_a_plan_check_accepts_or_nothing(tmp_path_factory, lines, renumber):
    tmp = tmp_path_factory.mktemp("draft")
    draft = tmp / "draft.txt"
    draft.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["new", draft, "--dir", tmp / "plan", *(["--renumber"] if renumber else [])]
    result = run(*args)
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    if result.exit_code == 0:
        assert run("check", "--plan", tmp / "plan").exit_code == 0
    else:
        assert result.exit_code == 2 and not (tmp / "plan").exists(), result.output


def test_half_yearly_reporting_stated_in_a_draft_makes_a_half_yearly_plan(tmp_path):
    draft = tmp_path / "draft.txt"
    text = QINGTIAN.read_text(encoding="utf-8").replace(
        "特制定本要点。", "特制定本要点。各单位每半年报送一次工作进展。"
    )
    draft.write_text(text, encoding="utf-8")
    plan = load_plan(new_checked_built(draft, tmp_path)[0])
    assert plan.meta.cycle == "半年" and plan.meta.due_dates == ("2026-07-10", "2027-01-10")
    assert all(reply > due for due, reply in zip(plan.meta.due_dates, plan.meta.reply_dates, strict=True))


def test_a_table_plan_with_a_merged_category_column_makes_one_part_per_category(tmp_path):
    document = docx.Document()
    document.add_paragraph("庆元县2026年安全生产工作任务分解表")
    rows = [
        ("序号", "类别", "工作任务", "完成时间", "责任单位"),
        ("1", "道路交通", "开展货车超限超载治理", "6月底前", "县公安局、县交通运输局"),
        ("2", "", "整治农村道路安全隐患", "年底前", "各乡镇"),
        ("3", "消防安全", "开展高层建筑消防检查", "每季度", "县消防救援大队"),
    ]
    table = document.add_table(rows=0, cols=5)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    table.cell(1, 1).merge(table.cell(2, 1))  # 道路交通 spans its two rows, as drafts merge them
    draft = tmp_path / "draft.docx"
    document.save(str(draft))
    plan_dir, out = new_checked_built(draft, tmp_path)
    plan = load_plan(plan_dir)
    assert plan.preamble == ""  # the table follows its title: no 序言, and none printed
    (opinion,) = [p for p in out.glob("*.docx") if p.stem == plan.meta.title]
    body = [p.text for p in docx.Document(str(opinion)).paragraphs]
    assert body[body.index(plan.meta.title) + 1 :][:2] == [
        "",
        "一、道路交通",
    ]  # the one blank line after the title
    assert [(p.number, p.title, len(p.sections[0].measures)) for p in plan.parts] == [
        ("一", "道路交通", 2),
        ("二", "消防安全", 1),
    ]
    assert plan.measures[1].responsibility.names == ("各乡镇",) and plan.measures[1].deadline == "年底前"


def test_a_red_head_typed_with_spaces_is_read_without_them():
    from generators.importer.draft import Paragraph
    from generators.importer.notice import read_notice

    lines = [
        "鹤 山 区 人 民 政 府 文 件",
        "鹤府发〔2026〕7号",
        "关于印发《鹤山区2026年方案》的通知",
        "现将方案印发给你们。",
    ]
    lines += ["鹤山区人民政府", "2026年3月16日", "鹤山区2026年方案"]
    found = read_notice([Paragraph(f"第{i}段", text) for i, text in enumerate(lines, 1)])
    assert found is not None and found.start == 6
    assert found.meta["印发通知"]["发文机关标志"] == "鹤山区人民政府文件"
    assert "主送机关" in found.meta["印发通知"]["待核实"]  # this notice names no addressees


@pytest.mark.parametrize("draft", ["QINGTIAN", "HESHAN", "XINJIN", "WUYUAN"])
def test_each_new_plan_diffs_against_its_stored_round_into_a_changes_table(draft, tmp_path):
    plan_dir, out = new_checked_built(globals()[draft], tmp_path)
    assert run("存稿", "第1稿", "--plan", plan_dir).exit_code == 0
    opinion = plan_dir / "opinion.yaml"
    text = opinion.read_text(encoding="utf-8")
    edited = re.sub(r"(内容: )(\S)", r"\1进一步\2", text, count=1)  # the first measure's (or lead's) words
    assert edited != text
    opinion.write_text(edited, encoding="utf-8")
    meta = plan_dir / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('比较基准: ""', "比较基准: 第1稿"), "utf-8")
    diff = run("diff", "第1稿", "--plan", plan_dir)
    assert diff.exit_code == 0 and "修改" in diff.output, diff.output
    result = run("build", "--plan", plan_dir, "--out", out)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (changes,) = [out / e["path"] for e in manifest["artifacts"] if e["kind"] == "changes"]
    table = document_text(changes)
    assert "进一步" in table and not [bad for bad in BAD_TEXT if bad in table]
