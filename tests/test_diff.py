"""plandocs diff: items matched by identity, not number; the units whose letters change, and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from plan_edits import commit_all, insert_measure_before, move_measure_after, rename_everywhere, replace_in

from generators.cli import main
from generators.diff import Action, Impact, Kind, diff_plans
from generators.diff.matching import match_texts
from generators.plan import load_plan
from generators.views import Views

NEW_MEASURE = "加强校园及周边安全管理，开展学校实验室危险化学品专项检查。"


def diff_dirs(old: Path, new: Path):
    return diff_plans(load_plan(old), load_plan(new))


def units(diff, impact: Impact) -> dict[str, tuple[str, ...]]:
    return {u.unit: u.reasons for u in diff.units_with(impact)}


def assert_only_the_line_changed_for_the_other_holders(plan_dir: Path, diff, number: int, added: str) -> None:
    """Every other holder of the measure reprints its changed responsibility line: listed apart."""
    new = load_plan(plan_dir)
    holders = set(Views(new).holders_of_measure(new.measures[number - 1])) - {added}
    lines = units(diff, Impact.LINES)
    assert set(lines) == holders and len(holders) > 1
    assert all(reasons == (f"措施{number}的责任单位行有变化",) for reasons in lines.values())
    assert diff.units_with(Impact.RENUMBERED) == ()


def test_plan_against_itself_is_empty(plan_copy):
    diff = diff_dirs(plan_copy, plan_copy)
    assert diff.empty and diff.changes == () and diff.units == ()
    result = CliRunner().invoke(main, ["diff", str(plan_copy), "--plan", str(plan_copy)])
    assert result.exit_code == 0, result.output
    assert "无变化" in result.output


def test_inserted_measure_is_one_addition_and_a_renumbering(plan, plan_copy):
    # Section （三） holds measures 8, 9, 10: the new one goes between 8 and 9.
    insert_measure_before(plan_copy, 9, NEW_MEASURE, "区教育局、区应急局")
    diff = diff_dirs(Path(plan.directory), plan_copy)

    assert [(c.kind, c.action, c.ref) for c in diff.changes] == [
        (Kind.MEASURE, Action.ADDED, "第9条"),
        (Kind.MEASURE, Action.RENUMBERED, "措施编号"),
    ]
    renumbering = diff.changes[1]
    assert (renumbering.old_text, renumbering.new_text) == ("第9条—第46条", "第10条—第47条")
    assert NEW_MEASURE in diff.changes[0].new_text

    content = units(diff, Impact.CONTENT)
    assert list(content) == ["区应急局", "区教育局"]  # registry order
    assert all("新增措施9（责任单位）" in reasons[0] for reasons in content.values())
    # Everyone else holding measure 9 or later (old numbers) only sees new numbers.
    later = {
        unit for unit, held in Views(plan).assignments.items() if any(a.number >= 9 for a in held.measures)
    }
    renumbered = units(diff, Impact.RENUMBERED)
    assert set(renumbered) == later - set(content)
    assert "城桥镇" in renumbered and "区委宣传部" in renumbered
    assert renumbered["生态企业集团"] == ("措施11、26编号加1",)
    assert all("编号" in r for reasons in renumbered.values() for r in reasons)


def test_insert_late_in_a_section_leaves_untouched_units_out(plan, plan_copy):
    # Section （十七） holds 45 and 46: only the holders of 46 see a new number.
    insert_measure_before(plan_copy, 46, NEW_MEASURE, "区教育局")
    diff = diff_dirs(Path(plan.directory), plan_copy)

    assert list(units(diff, Impact.CONTENT)) == ["区教育局"]
    towns = {"城桥镇", "堡镇", "新河镇", "庙镇", "竖新镇", "向化镇", "三星镇", "港沿镇", "中兴镇", "陈家镇"}
    towns |= {"绿华镇", "港西镇", "建设镇", "新海镇", "东平镇", "长兴镇", "新村乡", "横沙乡"}
    expected = {"区应急局", "区公安分局", "区交通委", "区消防救援支队", "崇明海事局"} | towns
    renumbered = units(diff, Impact.RENUMBERED)
    assert set(renumbered) == expected
    assert renumbered["区交通委"] == ("措施46编号加1",)
    listed = {u.unit for u in diff.units}
    assert "区委宣传部" not in listed and "生态企业集团" not in listed


def test_reworded_measure_is_one_entry(plan, plan_copy):
    replace_in(plan_copy, "opinion.yaml", "扫除监管盲区。", "消除监管盲区和死角。")
    diff = diff_dirs(Path(plan.directory), plan_copy)

    assert len(diff.changes) == 1
    change = diff.changes[0]
    assert (change.kind, change.action, change.ref) == (Kind.MEASURE, Action.REWORDED, "第8条")
    assert change.old_text.startswith("8.扫除监管盲区。") and change.new_text.startswith(
        "8.消除监管盲区和死角。"
    )
    measure_8 = plan.measures[7]
    holders = Views(plan).holders_of_measure(measure_8)
    content = units(diff, Impact.CONTENT)
    assert set(content) == set(holders)
    assert content["区委编办"] == ("措施8内容修改",)
    assert diff.units_with(Impact.RENUMBERED) == ()


@pytest.mark.parametrize(
    ("added", "reason"),
    [
        ("区教育局", "措施9：结合职责落实（区安委会有关成员单位）→责任单位"),  # was reached through a group
        ("城桥镇", "新增措施9（责任单位）"),  # was not reached at all
    ],
)
def test_responsibility_line_with_one_more_unit(plan, plan_copy, added, reason):
    line = "责任单位: 区应急局、区安委会有关成员单位\n          - 编号: 10"
    replace_in(plan_copy, "opinion.yaml", line, line.replace("区应急局、", f"区应急局、{added}、"))
    diff = diff_dirs(Path(plan.directory), plan_copy)

    assert [(c.action, c.ref) for c in diff.changes] == [(Action.RESPONSIBILITY, "第9条")]
    assert f"增加{added}" in diff.changes[0].note
    content = [u.as_json() for u in diff.units_with(Impact.CONTENT)]
    assert content == [{"unit": added, "impact": "内容变动", "reasons": [reason]}]
    assert_only_the_line_changed_for_the_other_holders(plan_copy, diff, 9, added)


@pytest.mark.parametrize(
    ("old", "new", "full_name"),
    [
        ("区委编办", "区委机构编制委员会办公室", None),  # same full name
        ("区人武部", "崇明区人武部", "上海市崇明区人民武装部（更名）"),  # new full name: found by its places
    ],
)
def test_renamed_unit_is_a_rename(plan, plan_copy, old, new, full_name):
    rename_everywhere(plan_copy, old, new)
    if full_name:
        replace_in(
            plan_copy,
            "units.yaml",
            f"{{简称: {new}, 全称: 上海市崇明区人民武装部",
            f"{{简称: {new}, 全称: {full_name}",
        )
    diff = diff_dirs(Path(plan.directory), plan_copy)

    actions = [(c.kind, c.action) for c in diff.changes]
    assert (Kind.UNIT, Action.RENAMED) in actions
    assert not {Action.ADDED, Action.REMOVED, Action.RESPONSIBILITY, Action.MEMBERSHIP} & {
        a for _, a in actions
    }
    rename = next(c for c in diff.changes if c.action is Action.RENAMED)
    assert (rename.old_text, rename.new_text) == (old, new)
    assert (Action.FULL_NAME in {a for _, a in actions}) == bool(full_name)
    content = units(diff, Impact.CONTENT)
    assert list(content) == [new]
    assert f"单位更名（原“{old}”）" in content[new]
    # every other unit whose letter prints a line naming the renamed unit is named too, apart
    lines = units(diff, Impact.LINES)
    assert "区应急局" in lines and new not in lines
    assert all("责任单位行有变化" in r for reasons in lines.values() for r in reasons)


def test_moved_measure_is_a_move_not_remove_and_add(plan, plan_copy):
    move_measure_after(plan_copy, 9, 11)  # from （三） into （四）
    diff = diff_dirs(Path(plan.directory), plan_copy)
    moves = [c for c in diff.changes if c.action is Action.MOVED]
    assert [(c.ref, c.old_text, c.new_text) for c in moves] == [
        ("第11条", "（三）压紧压实部门监管责任", "（四）全面夯实企业主体责任")
    ]
    assert {c.action for c in diff.changes} == {Action.MOVED, Action.RENUMBERED}


def test_key_task_leaders_and_units(plan, plan_copy):
    replace_in(
        plan_copy, "tasks.yaml", "区领导: [黄晓霞, 胡柳强, 陈琦, 徐慧泉]", "区领导: [黄晓霞, 陈琦, 徐慧泉]"
    )
    replace_in(
        plan_copy, "tasks.yaml", "责任单位: [区应急局, 区司法局]", "责任单位: [区应急局, 区司法局, 区教育局]"
    )
    diff = diff_dirs(Path(plan.directory), plan_copy)
    assert [(c.action, c.ref) for c in diff.changes] == [
        (Action.LEADERS, "重点任务5"),
        (Action.RESPONSIBILITY, "重点任务6"),
    ]
    assert diff.changes[0].note == "重点任务5区领导删去胡柳强"
    assert diff.changes[1].note == "重点任务6责任单位增加区教育局"
    assert list(units(diff, Impact.CONTENT)) == ["区教育局"]


def test_matching_prefers_order_and_ignores_numbers():
    old = ["甲乙丙丁戊己庚辛", "子丑寅卯辰巳午未", "天地玄黄宇宙洪荒"]
    new = ["新插入的完全不同的一条", "甲乙丙丁戊己庚辛", "子丑寅卯辰巳午申", "天地玄黄宇宙洪荒"]
    assert match_texts(old, new) == {0: 1, 1: 2, 2: 3}
    assert match_texts(["完全不同"], ["毫无关系的文字"]) == {}


def test_json_output(plan, plan_copy):
    replace_in(plan_copy, "opinion.yaml", "扫除监管盲区。", "消除监管盲区。")
    result = CliRunner().invoke(main, ["diff", plan.directory, "--plan", str(plan_copy), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["empty"] is False
    assert [(c["action"], c["ref"]) for c in data["changes"]] == [("reworded", "第8条")]
    assert "区委编办" in {u["unit"] for u in data["units"]["content"]}
    assert data["units"]["renumbered"] == []


@pytest.fixture
def plan_repo(plan_copy) -> Path:
    """A git repository whose plan/ has two commits: the seed, then measure 8 reworded."""
    repo = plan_copy.parent
    commit_all(repo, "征求意见稿")
    replace_in(plan_copy, "opinion.yaml", "扫除监管盲区。", "消除监管盲区。")
    commit_all(repo, "送审稿")
    return repo


def test_diff_against_git_revision(plan_repo, monkeypatch):
    monkeypatch.chdir(plan_repo)
    runner = CliRunner()
    for args in (["diff", "HEAD~1"], ["diff", "HEAD~1", "HEAD"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        assert "修改  第8条" in result.output
        assert "区委编办：措施8内容修改" in result.output
    same = runner.invoke(main, ["diff", "HEAD"])
    assert same.exit_code == 0 and "无变化" in same.output


def test_bad_revision_is_bad_input(plan_repo, monkeypatch):
    monkeypatch.chdir(plan_repo)
    result = CliRunner().invoke(main, ["diff", "no-such-revision"])
    assert result.exit_code == 2
    assert "“no-such-revision”不是计划目录，也不是 git 仓库中的版本" in result.output


def test_broken_plan_in_revision_names_the_revision(plan_repo, monkeypatch):
    replace_in(
        plan_repo / "plan", "opinion.yaml", "责任单位: 区应急局、区委编办", "责任单位: 区应急局、区委编辦"
    )
    commit_all(plan_repo, "typo")
    replace_in(plan_repo / "plan", "opinion.yaml", "区委编辦", "区委编办")
    monkeypatch.chdir(plan_repo)
    result = CliRunner().invoke(main, ["diff", "HEAD"])
    assert result.exit_code == 2
    assert "HEAD:plan/opinion.yaml:" in result.output and "区委编辦" in result.output


def test_measure_support_line(plan, plan_copy):
    line = "责任单位: 区应急局、区安委会有关成员单位\n          - 编号: 10"
    replace_in(
        plan_copy,
        "opinion.yaml",
        line,
        line.replace("有关成员单位\n", "有关成员单位\n            配合单位: 城桥镇\n"),
    )
    diff = diff_dirs(Path(plan.directory), plan_copy)
    assert [(c.action, c.ref, c.note) for c in diff.changes] == [
        (Action.RESPONSIBILITY, "第9条", "第9条配合单位增加城桥镇")
    ]
    assert diff.changes[0].new_text.endswith("；配合单位：城桥镇）")
    assert [u.as_json() for u in diff.units_with(Impact.CONTENT)] == [
        {"unit": "城桥镇", "impact": "内容变动", "reasons": ["新增措施9（配合单位）"]}
    ]
    assert_only_the_line_changed_for_the_other_holders(plan_copy, diff, 9, "城桥镇")


def test_deleting_a_section_intro_is_one_change_not_a_moved_section(plan, plan_copy):
    intro = "坚持规划引领，协同加快推进安全生产、应急管理高质量发展。"
    replace_in(plan_copy, "opinion.yaml", f"        导语: {intro}\n", "")
    diff = diff_dirs(Path(plan.directory), plan_copy)
    assert [(c.kind, c.action, c.old_text, c.new_text) for c in diff.changes] == [
        (Kind.SECTION, Action.REWORDED, intro, "")
    ]
    assert diff.units == ()
