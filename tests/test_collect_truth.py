"""collect tells the truth: every unit is exactly one of 已报 / 退回 / 未报送, named on the console, in the
通报 and in the summary workbook, with the same counts everywhere; a folder without returns never replaces
a summary; each warning is printed once; "the tasks changed" means the tasks changed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PLAN_DIR
from docx import Document
from openpyxl import load_workbook
from plan_edits import replace_in
from returns_kit import OLD_FORMAT, fill, form_bytes, made_forms, task_table, tree_hashes

from generators.cli import main
from generators.collect import convert
from generators.formspec import FormsLayout

SUMMARY = "summary/2023Q1/2023年第一季度进展情况汇总表.xlsx"
REPORT = "summary/2023Q1/2023年第一季度安全生产工作进展情况通报.docx"
REPORTED = ("区应急局", "城桥镇", "庙镇")
SENT_BACK = ("堡镇", "新河镇")  # a wrong status; an .xls with no LibreOffice to convert it


@pytest.fixture(scope="module")
def spec(layout):
    return FormsLayout.of(layout)


@pytest.fixture(scope="module")
def returns(tmp_path_factory, plan, views, layout, spec):
    folder = tmp_path_factory.mktemp("truth-returns")
    q1 = lambda unit: form_bytes(plan, views, layout, 1, unit)  # noqa: E731
    fill(q1("区应急局"), folder / "区应急局.xlsx", spec, date="2023年4月3日")
    fill(q1("城桥镇"), folder / "城桥镇.xlsx", spec, date="2023年4月3日")
    fill(q1("庙镇"), folder / "庙镇-旧.xlsx", spec, date="2023年4月1日")
    fill(q1("庙镇"), folder / "庙镇.xlsx", spec, date="2023年4月4日")
    fill(q1("堡镇"), folder / "堡镇.xlsx", spec, date="2023年4月3日", status=lambda k: "基本完成")
    (folder / "2023Q1新河镇报表.xls").write_bytes(OLD_FORMAT)
    (folder / "说明.txt").write_text("请查收", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def forms_out(tmp_path_factory):
    return made_forms(tmp_path_factory.mktemp("truth-out"))


def run(args: list[str], watched: list[Path], monkeypatch):
    """Run plandocs with LibreOffice hidden; return the result and each watched folder's change set."""
    monkeypatch.setattr(convert, "find_soffice", lambda: None)
    before = [tree_hashes(p) for p in watched]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    changed = []
    for folder, old in zip(watched, before, strict=True):
        new = tree_hashes(folder)
        changed.append({p for p in set(old) | set(new) if old.get(p) != new.get(p) and not p.startswith(".")})
    return result, changed


@pytest.fixture(scope="module")
def collected(tmp_path_factory, returns, forms_out):
    monkeypatch = pytest.MonkeyPatch()
    out = tmp_path_factory.mktemp("collected") / "out"
    shutil.copytree(forms_out, out)
    try:
        result, (returns_changed, out_changed) = run(
            ["collect", "--quarter", "1", str(returns), "--out", str(out)], [returns, out], monkeypatch
        )
    finally:
        monkeypatch.undo()
    assert result.exit_code == 0, result.output
    assert returns_changed == set()
    notices = {f"summary/2023Q1/退回通知/{unit}.docx" for unit in SENT_BACK}
    assert out_changed == {"manifest.json", SUMMARY, REPORT, *notices}
    return out, result.output


def groups(views):
    units = list(views.assignments)
    missing = [u for u in units if u not in REPORTED and u not in SENT_BACK]
    return [u for u in units if u in REPORTED], [u for u in units if u in SENT_BACK], missing


def test_console_names_each_group_once(collected, views):
    _, output = collected
    reported, sent_back, missing = groups(views)
    total = len(views.assignments)
    assert f"第一季度：应报 {total} 个单位，已报 3 个，退回 2 个，未报送 {total - 5} 个。" in output
    assert f"  已报（3 个）：{'、'.join(reported)}\n" in output
    assert f"  未报送（{len(missing)} 个）：{'、'.join(missing)}\n" in output
    assert "  退回（2 个，请通知其修改后重报）：\n" in output
    assert re.search(r"\n    堡镇：堡镇\.xlsx：第1项任务（措施\d+）的完成状态“基本完成”不是可选项", output)
    assert "\n    新河镇：2023Q1新河镇报表.xls：文件是其他表格格式，无法转换读取" in output
    assert "拒收  2023Q1新河镇报表.xls：新河镇（按文件名判断）；" in output
    assert "  另有 1 个文件无法对应到任何单位，未计入：说明.txt" in output
    # every unit named exactly once in the three lists
    listed = output[output.index("  已报（") : output.index("写入")]
    for unit in views.assignments:
        assert len(re.findall(rf"(?<![\w]){re.escape(unit)}(?![\w])", _names_only(listed))) == 1, unit


def _names_only(listed: str) -> str:
    """The group lists with the reasons (which quote file names) cut off."""
    return "\n".join(line.split("：")[0] if line.startswith("    ") else line for line in listed.splitlines())


def test_warnings_print_once(collected):
    _, output = collected
    assert output.count("庙镇 交来 2 份报表") == 1
    assert "不采用  庙镇-旧.xlsx：庙镇，第一季度；采用 庙镇.xlsx" in output
    lines = [line for line in output.splitlines() if line.startswith("      ")]
    per_file: list[list[str]] = []
    for line in output.splitlines():
        if not line.startswith(" "):
            per_file.append([])
        elif line.startswith("      ") and per_file:
            per_file[-1].append(line)
    assert lines and all(len(block) == len(set(block)) for block in per_file)


def test_the_workbook_and_the_report_name_the_same_groups(collected, views, spec):
    out, output = collected
    reported, sent_back, missing = groups(views)
    wb = load_workbook(out / SUMMARY)
    units = [r[0] for r in wb[spec.summary.sheets["units"]].iter_rows(min_row=3, values_only=True)]
    assert units == reported
    rest = list(wb[spec.summary.sheets["missing"]].iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[3]) for r in rest] == [(u, "退回") for u in sent_back] + [(u, "未报送") for u in missing]
    assert [r[0] for r in rest] == list(range(1, len(rest) + 1))
    assert rest[0][4].startswith("堡镇.xlsx：") and rest[1][4].startswith("2023Q1新河镇报表.xls：")
    for cell in task_table(wb[spec.summary.sheets["tasks"]]).values():
        named = [filter(None, (value or "").split("、")) for h, value in cell.items() if h.endswith("单位")]
        flat = [u for s in named for u in s]
        assert len(flat) == len(set(flat)) == cell["应报单位数"]  # each holder in exactly one column

    text = "\n".join(p.text for p in Document(out / REPORT).paragraphs)
    total = len(views.assignments)
    assert f"应报送单位{total}个，已报送3个，报表被退回2个，未报送{total - 5}个。" in text
    assert f"已报送的单位（3个）：{'、'.join(reported)}。" in text
    assert "报表被退回、需修改后重报的单位（2个），退回的报表已随退回通知逐项列明问题：" in text
    held = len(views.assignments["堡镇"].all)  # every row's status is wrong: every one is named
    assert f"\n1.堡镇（{held}处问题）。" in text and "\n2.新河镇（1处问题）。" in text
    assert f"未报送的单位（{len(missing)}个）：{'、'.join(missing)}。" in text
    assert "三、退回和未报送单位" in text


@pytest.mark.parametrize("contents", ["empty", "no-returns"])
def test_a_folder_without_returns_keeps_the_summary(tmp_path, collected, contents, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(collected[0], out)
    folder = tmp_path / "returns"
    folder.mkdir()
    if contents == "no-returns":
        (folder / "说明.txt").write_text("请查收", encoding="utf-8")
        (folder / "~$区应急局.xlsx").write_bytes(b"lock")
    result, changed = run(
        ["collect", "--quarter", "1", str(folder), "--out", str(out)], [out, folder], monkeypatch
    )
    assert result.exit_code == 1
    assert changed == [set(), set()]
    said = "是空的" if contents == "empty" else "的 2 个文件中没有任何单位交回的报表"
    assert f"{folder} {said}，已有的汇总表和通报保持不变：{SUMMARY}、{REPORT}。" in result.output


def test_a_folder_without_returns_writes_nothing_when_there_is_no_summary(tmp_path, monkeypatch):
    out, folder = tmp_path / "out", tmp_path / "returns"
    out.mkdir()
    folder.mkdir()
    result, changed = run(["collect", "--quarter", "1", str(folder), "--out", str(out)], [out], monkeypatch)
    assert result.exit_code == 1 and changed == [set()]
    assert "是空的，未生成汇总表和通报" in result.output
    assert list(out.iterdir()) == []


def _plan_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, folder)
    replace_in(folder, file, old, new)
    return folder


@pytest.mark.parametrize(
    ("edit", "warned"),
    [
        (("meta.yaml", "021-00000000", "021-99999999"), False),  # 联系电话 alone: the tasks are the same
        (("meta.yaml", "2023-04-05", "2023-04-06"), False),  # the due date alone
        (("opinion.yaml", "各类办事指南", "办事指南"), True),  # measure 17, held by 区应急局
    ],
    ids=["phone", "due-date", "task-text"],
)
def test_tasks_changed_warning_compares_tasks_only(
    tmp_path, plan, views, layout, spec, edit, warned, monkeypatch
):
    returns = tmp_path / "returns"
    fill(form_bytes(plan, views, layout, 1, "区应急局"), returns / "区应急局.xlsx", spec, date="2023年4月3日")
    revised = _plan_with(tmp_path, *edit)
    out = tmp_path / "out"
    args = ["collect", "--quarter", "1", str(returns), "--out", str(out), "--plan", str(revised)]
    result, (changed,) = run(args, [returns], monkeypatch)
    assert result.exit_code == 0, result.output
    assert changed == set()
    assert result.output.count("该单位的任务已有变化") == (1 if warned else 0), result.output


def test_collect_never_reads_a_manifest_path_outside_output(tmp_path, collected, returns, monkeypatch):
    """A damaged manifest naming a file outside output/ as an earlier summary: collect neither reads nor
    rewrites it, and the file outside is unchanged."""
    import json

    out = tmp_path / "out"
    shutil.copytree(collected[0], out)
    secret = tmp_path / "secret.txt"
    secret.write_text("不属于 output", encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["artifacts"].append(
        {"kind": "summary", "path": "../secret.txt", "quarter": 2, "sha256": "0" * 64}
    )
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    result, (outside,) = run(
        ["collect", "--quarter", "1", str(returns), "--out", str(out)], [tmp_path], monkeypatch
    )
    assert result.exit_code == 0, result.output
    assert secret.read_text(encoding="utf-8") == "不属于 output"
    assert {p for p in outside if not p.startswith("out/")} == set()
    written = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "../secret.txt" not in [e["path"] for e in written["artifacts"]]


def test_the_output_folder_is_not_a_returns_folder(tmp_path, collected, monkeypatch):
    """`collect output/forms/2023Q1` (the blank forms sent out) would send every unit back: refused."""
    out = tmp_path / "out"
    shutil.copytree(collected[0], out)
    folder = out / "forms" / "2023Q1"
    result, changed = run(["collect", "--quarter", "1", str(folder), "--out", str(out)], [out], monkeypatch)
    assert result.exit_code == 2 and changed == [set()]
    assert f"输出目录 {out} 包含了回收报表文件夹 {folder}" in result.output
