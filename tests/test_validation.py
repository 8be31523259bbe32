"""One test per class of plan error: each names file, line, column and the offending text, in Chinese."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.cli import main
from generators.plan import PlanError, load_plan


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in a plan file; return the 1-based line where the first replacement starts."""
    content = path.read_text(encoding="utf-8")
    assert old in content, old
    line = content[: content.index(old)].count("\n") + 1
    path.write_text(content.replace(old, new, count), encoding="utf-8")
    return line


def problems_of(plan_dir: Path) -> list[str]:
    with pytest.raises(PlanError) as caught:
        load_plan(plan_dir)
    return [str(p) for p in caught.value.problems]


def one_problem(plan_dir: Path, file: str, line: int) -> str:
    """The single problem reported, checked to point at file:line; returns its message."""
    found = problems_of(plan_dir)
    assert len(found) == 1, found
    where, message = found[0].rsplit(": ", 1)[0], found[0].split(": ", 1)[1]
    path, line_no, col = where.rsplit(":", 2)
    assert path.endswith(f"plan/{file}"), found
    assert int(line_no) == line, found
    assert int(col) >= 1
    return message


def test_the_real_plan_is_valid(plan):
    assert len(plan.measures) == 46
    assert len(plan.key_tasks) == 21
    assert [p.number for p in plan.parts] == ["一", "二", "三", "四"]
    assert sum(len(p.sections) for p in plan.parts) == 17


def test_yaml_syntax_error(plan_copy):
    line = edit(plan_copy / "opinion.yaml", "部分:\n", "部分: [\n")
    message = one_problem(plan_copy, "opinion.yaml", line + 1)
    assert message.startswith("YAML 语法错误")


def test_unknown_key_suggests_the_right_one(plan_copy):
    line = edit(
        plan_copy / "opinion.yaml",
        "            责任单位: 区应急局、区安委会各成员单位",
        "            责任单元: 区应急局、区安委会各成员单位",
    )
    found = problems_of(plan_copy)
    unknown = [p for p in found if "未知的键" in p]
    assert len(unknown) == 1
    assert f"plan/opinion.yaml:{line}:13:" in unknown[0]
    assert "“责任单元”" in unknown[0] and "是否应为“责任单位”" in unknown[0]
    # the same measure now lacks its required key, reported too: all problems at once
    assert any("缺少必填的键“责任单位”" in p for p in found)


def test_missing_key(plan_copy):
    edit(plan_copy / "meta.yaml", "年度: 2023\n", "")
    lines = (plan_copy / "meta.yaml").read_text(encoding="utf-8").splitlines()
    first_key = next(i for i, text in enumerate(lines, 1) if not text.startswith("#"))
    assert one_problem(plan_copy, "meta.yaml", first_key) == "meta.yaml缺少必填的键“年度”"


def test_wrong_type(plan_copy):
    line = edit(plan_copy / "meta.yaml", "年度: 2023", "年度: 二〇二三")
    assert one_problem(plan_copy, "meta.yaml", line) == "“年度”应为整数，实际为“二〇二三”"


def test_duplicate_key_names_both_lines(plan_copy):
    line = edit(plan_copy / "meta.yaml", "年度: 2023\n", "年度: 2023\n年度: 2024\n")
    assert one_problem(plan_copy, "meta.yaml", line + 1) == f"重复的键“年度”（第一次出现在第 {line} 行）"


def test_duplicate_measure_number(plan_copy):
    first = edit(plan_copy / "opinion.yaml", "编号: 7\n", "编号: 7\n")
    line = edit(plan_copy / "opinion.yaml", "编号: 8\n", "编号: 7\n")
    found = problems_of(plan_copy)
    assert found[0].endswith(f"opinion.yaml:{line}:17: 措施编号 7 重复（第一次出现在第 {first} 行）")
    # 8 is now missing: the next measure says so, once
    assert len(found) == 2 and found[1].endswith("措施编号不连续：跳过了“8”，此处为“9”")


def test_skipped_measure_number(plan_copy):
    line = edit(plan_copy / "opinion.yaml", "编号: 20\n", "编号: 21\n")
    found = problems_of(plan_copy)
    assert f"plan/opinion.yaml:{line}:17: 措施编号不连续：跳过了“20”，此处为“21”" in found[0]
    # the real 21 after it is then a duplicate: reported once, not as a cascade
    assert len(found) == 2 and "措施编号 21 重复" in found[1]


def test_skipped_task_number(plan_copy):
    line = edit(plan_copy / "tasks.yaml", "序号: 9\n", "序号: 10\n")
    found = problems_of(plan_copy)
    assert f"plan/tasks.yaml:{line}:" in found[0] and "任务编号不连续：跳过了“9”，此处为“10”" in found[0]


def test_section_numeral_out_of_order(plan_copy):
    line = edit(
        plan_copy / "opinion.yaml",
        "      - 编号: 二\n        标题: 推动落实属地管理责任",
        "      - 编号: 三\n        标题: 推动落实属地管理责任",
    )
    message = one_problem(plan_copy, "opinion.yaml", line)
    assert message == "节编号不连续：跳过了“二”，此处为“三”"


def test_unknown_unit_with_column_and_suggestion(plan_copy):
    line = edit(plan_copy / "opinion.yaml", "区民宗办、区教育局", "区民中办、区教育局")
    text = (plan_copy / "opinion.yaml").read_text(encoding="utf-8").splitlines()[line - 1]
    found = problems_of(plan_copy)
    assert found == [
        f"{found[0].split(':')[0]}:{line}:{text.index('区民中办') + 1}: 未知的单位或分组“区民中办”，是否应为“区民宗办”？"
    ]


def test_unknown_group(plan_copy):
    line = edit(
        plan_copy / "opinion.yaml",
        "区应急局、区委编办、区安委会有关成员单位",
        "区应急局、区委编办、区安委会相关成员单位",
    )
    message = one_problem(plan_copy, "opinion.yaml", line)
    assert message == "未知的单位或分组“区安委会相关成员单位”，是否应为“区安委会有关成员单位”？"


def test_unknown_leader(plan_copy):
    line = edit(plan_copy / "tasks.yaml", "区领导: [张秩通]", "区领导: [张志通]")
    assert one_problem(plan_copy, "tasks.yaml", line) == "未知的区领导“张志通”，是否应为“张秩通”？"


def test_unknown_group_member(plan_copy):
    line = edit(
        plan_copy / "units.yaml", "成员: [生态企业集团, 长兴企业集团]", "成员: [生态企业集团, 长兴集团]"
    )
    message = one_problem(plan_copy, "units.yaml", line)
    assert message == "分组成员“长兴集团”不在单位名册中，是否应为“长兴企业集团”？"


def test_empty_text(plan_copy):
    line = edit(
        plan_copy / "opinion.yaml",
        "        导语: 坚持规划引领，协同加快推进安全生产、应急管理高质量发展。",
        "        导语: ''",
    )
    assert one_problem(plan_copy, "opinion.yaml", line) == "“导语”不能为空"


def test_bad_status(plan_copy):
    line = edit(plan_copy / "meta.yaml", "状态: 送审稿", "状态: 草稿")
    assert (
        one_problem(plan_copy, "meta.yaml", line) == "“状态”应为征求意见稿、送审稿、正式稿之一，实际为“草稿”"
    )


def test_all_problems_are_reported_at_once(plan_copy):
    edit(plan_copy / "meta.yaml", "年度: 2023", "年度: x")
    edit(plan_copy / "tasks.yaml", "区领导: [张秩通]", "区领导: [张志通]")
    edit(plan_copy / "opinion.yaml", "区民宗办、区教育局", "区民中办、区教育局")
    files = {p.split(":")[0].rsplit("/", 1)[-1] for p in problems_of(plan_copy)}
    assert files == {"meta.yaml", "tasks.yaml", "opinion.yaml"}


def test_check_command_exit_code_and_chinese_summary(plan_copy):
    runner = CliRunner()
    ok = runner.invoke(main, ["check", "--plan", str(plan_copy)])
    assert ok.exit_code == 0 and "46 条措施" in ok.output
    edit(plan_copy / "tasks.yaml", "区领导: [张秩通]", "区领导: [张志通]")
    bad = runner.invoke(main, ["check", "--plan", str(plan_copy)])
    assert bad.exit_code == 2
    assert "未知的区领导“张志通”" in bad.output and "计划数据有 1 处问题" in bad.output


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_broken_plan_leaves_output_byte_identical(plan_copy, tmp_path):
    out = tmp_path / "output"
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--plan", str(plan_copy), "--out", str(out)])
    assert first.exit_code == 0, first.output
    before = tree_digest(out)
    assert "manifest.json" in before
    edit(plan_copy / "opinion.yaml", "区民宗办、区教育局", "区民中办、区教育局")
    broken = runner.invoke(main, ["build", "--plan", str(plan_copy), "--out", str(out)])
    assert broken.exit_code == 2
    assert tree_digest(out) == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.text(min_size=1, max_size=40))
def test_any_text_in_a_value_is_either_valid_or_a_located_problem(plan_copy, garbage):
    """Whatever the office types where a measure's text goes, the loader answers with plan or problems."""
    path = plan_copy / "opinion.yaml"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original.replace("内容: 优化营商环境。", "内容: " + garbage, 1), encoding="utf-8")
        try:
            plan = load_plan(plan_copy)
        except PlanError as err:
            assert err.problems
            for problem in err.problems:
                assert problem.where.file.endswith(".yaml") and problem.where.line >= 1
        else:
            assert plan.measures[16].text.startswith(garbage.strip()[:1] or "")
    finally:
        path.write_text(original, encoding="utf-8")
