"""Names are what they look like: a unit, group or leader name with a character nobody can see is refused
at its file:line:col with the visible name to use; a name that reads like another (traditional/simplified,
full-/half-width) is flagged with a did-you-mean. Also when import --add-units brings the name in."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import PLAN_DIR, SEED
from hypothesis import given, settings
from hypothesis import strategies as st
from promises import plandocs, tree

from generators.plan import PlanError, load_plan

WHERE = re.compile(r"^(\S+?):(\d+):(\d+): ")
UNITS_LINE = "    - {简称: 区经委,"

HIDDEN = {
    "\u200d": "零宽连接符",
    "\u200b": "零宽空格",
    "\u200c": "零宽非连接符",
    "\ufeff": "字节顺序标记",
    "\u00a0": "不换行空格",
    "\u00ad": "软连字符",
    "\u200e": "从左到右标记",
    "\u202e": "双向文字控制符",
    "\u2066": "双向文字控制符",
    "\u2060": "零宽不换行空格",
    "\u3164": "韩文填充符",
    "\ufe0f": "变体选择符",
}


def add_unit(plan_dir, name: str) -> int:
    """A unit named `name` added before 区经委 in units.yaml; returns its line."""
    path = plan_dir / "units.yaml"
    content = path.read_text(encoding="utf-8")
    line = content[: content.index(UNITS_LINE)].count("\n") + 1
    path.write_text(
        content.replace(UNITS_LINE, f"    - {{简称: {name}, 全称: 某单位}}\n{UNITS_LINE}", 1), "utf-8"
    )
    return line


def problems(plan_dir) -> list[str]:
    with pytest.raises(PlanError) as caught:
        load_plan(plan_dir)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("char", list(HIDDEN))
def test_a_hidden_character_in_a_unit_name_is_refused_where_it_is(plan_copy, char):
    name = "区应" + char + "急局"
    line = add_unit(plan_copy, name)
    (found,) = problems(plan_copy)
    file, row, col = WHERE.match(found).groups()
    assert file.endswith("plan/units.yaml") and int(row) == line
    assert int(col) == len("    - {简称: ") + 1 + 2  # the hidden character itself
    assert HIDDEN[char] in found and f"U+{ord(char):04X}" in found
    assert "是否应为“区应急局”" in found
    assert char not in found  # printed as an escape, never as the invisible character


def test_check_says_it_in_one_line_and_exits_2(plan_copy):
    add_unit(plan_copy, "区应\u200d急局")
    result = plandocs("check", "--plan", str(plan_copy))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if "units.yaml" in line]
    assert len(lines) == 1 and "区应\\u200d急局" in lines[0] and "是否应为“区应急局”" in lines[0]


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        ("区应急局", "區應急局", "繁体/简体"),
        ("区第1中学", "区第１中学", "全角/半角"),
        ("区ABC办", "区ＡＢＣ办", "全角/半角"),
    ],
)
def test_a_look_alike_of_another_name_is_flagged_with_a_did_you_mean(plan_copy, first, second, why):
    if first != "区应急局":
        add_unit(plan_copy, first)
    line = add_unit(plan_copy, second)
    (found,) = problems(plan_copy)
    file, row, _ = WHERE.match(found).groups()
    assert file.endswith("plan/units.yaml") and int(row) == line
    assert why in found and f"是否应为“{first}”" in found


def test_a_group_named_like_a_unit_and_leader_twins_are_flagged(plan_copy):
    units = plan_copy / "units.yaml"
    content = units.read_text(encoding="utf-8")
    head = content.index("分组:")
    name = re.search(r"名称: (\S+)", content[head:]).group(1)
    units.write_text(content[:head] + content[head:].replace(f"名称: {name}", "名称: 區應急局", 1), "utf-8")
    leaders = plan_copy / "leaders.yaml"
    text = leaders.read_text(encoding="utf-8")
    leader = re.search(r"姓名: (\S+?),", text).group(1)
    leaders.write_text(text.replace(f"{{姓名: {leader},", f"{{姓名: {leader}\u200b,", 1), "utf-8")
    found = problems(plan_copy)
    assert any("分组名称“區應急局”" in p and "是否应为“区应急局”" in p for p in found), found
    assert any("区领导姓名" in p and "零宽空格" in p and f"是否应为“{leader}”" in p for p in found), found


def test_import_add_units_does_not_bring_a_hidden_twin_in(plan_copy, tmp_path):
    seed = SEED.read_text(encoding="utf-8")
    at = seed.index("区应急局")
    draft = tmp_path / "draft.txt"
    draft.write_text(seed[:at] + "区应\u200d急局" + seed[at + 4 :], encoding="utf-8")
    before = tree(plan_copy)
    result = plandocs("import", str(draft), "--into", str(plan_copy), "--add-units")
    assert result.exit_code == 2, result.output
    assert "零宽连接符" in result.output and "是否应为“区应急局”" in result.output
    assert tree(plan_copy) == before


def test_a_reference_written_with_a_hidden_character_suggests_the_real_unit(plan_copy):
    opinion = plan_copy / "opinion.yaml"
    content = opinion.read_text(encoding="utf-8")
    opinion.write_text(content.replace("责任单位: 区应急局", "责任单位: 区应\u200c急局", 1), "utf-8")
    found = problems(plan_copy)
    assert any("是否应为“区应急局”" in p for p in found), found


def test_the_real_plan_has_no_hidden_or_look_alike_names():
    from generators.plan.names import fold, invisible

    plan = load_plan(PLAN_DIR)
    names = [u.name for u in plan.units] + [g.name for g in plan.groups]
    assert all(invisible(n) is None for n in names + [leader.name for leader in plan.leaders])
    assert len({fold(n) for n in names}) == len(names)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_fold_ignores_exactly_what_cannot_be_seen(name):
    from generators.plan.names import fold, invisible, visible

    assert invisible(visible(name)) is None
    assert fold(name) == fold(visible(name))
    if invisible(name) is None:
        assert visible(name) == name


def test_the_seed_units_still_build(tmp_path):
    """(the check adds no problem to a sound plan)"""
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    assert load_plan(tmp_path / "plan").units


CYRILLIC_A, GREEK_BETA, CYRILLIC_ES = "\u0410", "\u0392", "\u0441"


@pytest.mark.parametrize(
    ("first", "second", "said"),
    [
        ("区ABC办", f"区{CYRILLIC_A}BC办", "“А”是西里尔字母（U+0410），外形与拉丁字母“A”相同"),
        ("区ABC办", f"区A{GREEK_BETA}C办", "“Β”是希腊字母（U+0392），外形与拉丁字母“B”相同"),
        ("区abc办", f"区ab{CYRILLIC_ES}办", "“с”是西里尔字母（U+0441），外形与拉丁字母“c”相同"),
    ],
)
def test_a_cyrillic_or_greek_look_alike_of_a_latin_name_is_flagged_with_a_did_you_mean(
    plan_copy, first, second, said
):
    add_unit(plan_copy, first)
    line = add_unit(plan_copy, second)
    (found,) = problems(plan_copy)
    file, row, col = WHERE.match(found).groups()
    assert file.endswith("plan/units.yaml") and int(row) == line
    assert int(col) == len("    - {简称: ") + 1 + next(
        i for i, c in enumerate(second) if not c.isascii() and c not in first
    )
    assert said in found and f"是否应为“{first}”" in found, found


def test_the_look_alike_written_first_is_the_one_flagged(plan_copy):
    """The Cyrillic name comes first in units.yaml: it is the one said wrong, the Latin one suggested."""
    line = add_unit(plan_copy, f"区{CYRILLIC_A}BC办")
    add_unit(plan_copy, "区ABC办")
    (found,) = problems(plan_copy)
    assert int(WHERE.match(found).group(2)) == line
    assert f"单位简称“区{CYRILLIC_A}BC办”" in found and "是否应为“区ABC办”" in found, found


def test_a_look_alike_without_a_twin_is_flagged_too(plan_copy):
    add_unit(plan_copy, f"区{CYRILLIC_A}BC办")
    (found,) = problems(plan_copy)
    assert "西里尔字母" in found and "是否应为“区ABC办”" in found, found


def test_a_reference_with_a_cyrillic_letter_suggests_the_latin_unit(plan_copy):
    for path in plan_copy.glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("区科委", "区ABC委"), encoding="utf-8")
    opinion = plan_copy / "opinion.yaml"
    content = opinion.read_text(encoding="utf-8")
    assert "区ABC委" in content
    opinion.write_text(content.replace("区ABC委", f"区{CYRILLIC_A}BC委", 1), encoding="utf-8")
    result = plandocs("check", "--plan", str(plan_copy))
    assert result.exit_code == 2
    (line,) = [line for line in result.output.splitlines() if "opinion.yaml" in line]
    assert f"未知的单位或分组“区{CYRILLIC_A}BC委”，是否应为“区ABC委”？" in line, line


def test_names_wholly_in_greek_and_in_latin_are_twins_named_by_the_letter():
    from generators.plan.names import fold, foreign_look_alike, how_they_differ

    greek = "\u0391\u0392\u039f"  # ΑΒΟ
    assert fold(greek) == fold("ABO") and foreign_look_alike(greek) is None  # (a Greek word is left alone)
    assert how_they_differ(greek, "ABO") == "只差外形相同的字母（“Α”是希腊字母 U+0391，不是拉丁字母“A”）"
    assert fold("区应急局") != fold("区应急局A") and foreign_look_alike("Москва") is None
