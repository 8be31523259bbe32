"""Proofreading lint: the seed's two slips and nothing else; each planted slip at its exact line:col;
--fix rewrites only the confirmed kind and leaves every other byte alone."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from generators.cli import main
from generators.lint import FixError, apply_fixes, lint_plan
from generators.lint.rules import check_text

ROOT = Path(__file__).resolve().parent.parent


def located(findings) -> list[tuple[str, int, int, str, str, str | None]]:
    return [(Path(f.where.file).name, f.where.line, f.where.col, f.kind, f.fragment, f.fix) for f in findings]


def plant(path: Path, old: str, new: str, marker: str) -> tuple[int, int]:
    """Replace old by new; return line and column (1-based) where `marker` (inside new) now stands."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    index = text.index(new) + new.index(marker)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def test_the_seed_gives_exactly_its_two_slips():
    assert located(lint_plan(ROOT / "plan")) == [
        ("opinion.yaml", 65, 15, "空格", " ，", "，"),
        ("tasks.yaml", 32, 47, "文号", "沪崇府发〔2021〕82）号", "沪崇府发〔2021〕82号）"),
    ]


CASES = [
    # (file, text in the seed, planted text, the fragment reported, kind, fix)
    (
        "opinion.yaml",
        "（沪崇府发〔2021〕82号）",
        "（沪崇府发[2021]82号）",
        "沪崇府发[2021]82号",
        "文号",
        "沪崇府发〔2021〕82号",
    ),
    (
        "opinion.yaml",
        "（沪崇府发〔2021〕82号）",
        "（沪崇府发〔2021〕第082号）",
        "沪崇府发〔2021〕第082号",
        "文号",
        "沪崇府发〔2021〕82号",
    ),
    ("meta.yaml", '文号: ""', '文号: "崇安委〔2023〕1"', "崇安委〔2023〕1", "文号", "崇安委〔2023〕1号"),
    ("opinion.yaml", "落实《安全生产法》《上海市", "落实《安全生产法《上海市", "《", "括号", None),
    ("opinion.yaml", "打通责任落实“最后一公里”。", "打通责任落实“最后一公里。", "“", "括号", None),
    (
        "opinion.yaml",
        "（压减事故总量、防范遏制较大以上事故）作为",
        "压减事故总量、防范遏制较大以上事故）作为",
        "）",
        "括号",
        None,
    ),
    ("opinion.yaml", "扫除监管盲区。落实", "扫除监管盲区,落实", ",", "半角标点", "，"),
    ("tasks.yaml", "完善专委会（办）运作机制", "完善专委会(办运作机制", "(", "半角标点", "（"),
    ("tasks.yaml", "完善专委会（办）运作机制", "完善专委会办)运作机制", ")", "半角标点", "）"),
    ("units.yaml", "区委编办, 全称", "区委:编办, 全称", ":", "半角标点", "："),
    ("opinion.yaml", "压实监管责任。围绕", "压实监管责任。 围绕", "。 ", "空格", "。"),
    ("leaders.yaml", "李峻", "李峻 、", " 、", "空格", "、"),
    ("opinion.yaml", "加强治理协同。加强", "加强治理协同。。加强", "。。", "重复标点", "。"),
    ("opinion.yaml", "提供参考依据。\n", "提供参考依据\n", "据", "句末标点", "据。"),
    ("opinion.yaml", "序言: 2023年是", "序言: 2022年是", "2022", "年份", "2023"),
]


@pytest.mark.parametrize(("file", "old", "new", "fragment", "kind", "fix"), CASES)
def test_a_planted_slip_is_found_where_it_stands(plan_copy, file, old, new, fragment, kind, fix):
    line, col = plant(plan_copy / file, old, new, fragment)
    found = [f for f in located(lint_plan(plan_copy)) if (f[0], f[1]) != ("opinion.yaml", 65)]
    found = [f for f in found if f[3] != "文号" or "82）号" not in f[4]]  # the seed's own two slips
    assert found == [(file, line, col, kind, fragment, fix)]


def test_a_quoted_value_is_placed_exactly(plan_copy):
    line, col = plant(plan_copy / "meta.yaml", "联系人: 区安委办综合科", '联系人: "区安委办 ，综合科"', " ，")
    found = [f for f in located(lint_plan(plan_copy)) if f[0] == "meta.yaml"]
    assert found == [("meta.yaml", line, col, "空格", " ，", "，")]


def test_a_table_phrase_needs_no_end_mark_but_a_sentence_does():
    assert (
        check_text("事故“减量防大”（压减一般生产安全事故，坚决遏制较大以上生产安全事故）", 2023, True) == []
    )
    (slip,) = check_text("完善机制，压实责任", 2023, True)
    assert (slip.kind, slip.offset, slip.fix) == ("句末标点", 8, "任。")


def test_years_that_do_not_name_the_plan_year_are_left_alone():
    text = "对2000年以前建设的管道，落实（沪崇府发〔2021〕82号），2023年是开局之年，2023年度目标。"
    assert check_text(text, 2023, True) == []
    assert [s.fragment for s in check_text(text, 2024, True)] == ["2023", "2023"]


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_fix_rewrites_only_the_confirmed_kind_and_keeps_every_other_byte(plan_copy):
    before = {name: (plan_copy / name).read_bytes() for name in digests(plan_copy)}
    result = CliRunner().invoke(main, ["lint", "--plan", str(plan_copy), "--fix", "空格"])
    assert result.exit_code == 1, result.output  # the 文号 slip is still there: not confirmed
    after = {name: (plan_copy / name).read_bytes() for name in before}
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["opinion.yaml"]
    old = before["opinion.yaml"].decode()
    assert after["opinion.yaml"].decode() == old.replace("强化基层基础 ，提升", "强化基层基础，提升", 1)
    assert "# 意见正文" in after["opinion.yaml"].decode()  # comments kept
    listed = [line for line in result.output.splitlines() if not line.startswith("已修改")]
    assert any("tasks.yaml:32:47: 文号" in line for line in listed)
    assert not any("opinion.yaml:65" in line for line in listed)


def test_the_seed_is_not_changed_without_fix(plan_copy):
    before = digests(plan_copy)
    result = CliRunner().invoke(main, ["lint", "--plan", str(plan_copy)])
    assert result.exit_code == 1 and "校对提示 2 条" in result.output
    check = CliRunner().invoke(main, ["check", "--plan", str(plan_copy)])
    assert check.exit_code == 0 and "tasks.yaml:32:47: 文号" in check.output
    assert digests(plan_copy) == before


def test_an_unknown_kind_is_bad_input(plan_copy):
    before = digests(plan_copy)
    result = CliRunner().invoke(main, ["lint", "--plan", str(plan_copy), "--fix", "空白"])
    assert result.exit_code == 2 and "未知的提示类型“空白”" in result.output
    assert digests(plan_copy) == before


def test_a_fix_that_would_break_the_plan_writes_nothing(plan_copy):
    (space, number) = lint_plan(plan_copy)
    broken = dataclasses.replace(space, fix=": [")  # a fix that no longer parses
    before = digests(plan_copy)
    with pytest.raises(FixError) as caught:
        apply_fixes(plan_copy, [broken, number], {"空格", "文号"})
    assert "opinion.yaml:65" in str(caught.value) and "YAML 语法错误" in str(caught.value)
    assert digests(plan_copy) == before


HAN = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=2, max_size=30)


@given(HAN, st.data())
def test_clean_text_gives_nothing_and_a_planted_space_is_found_at_its_offset(text, data):
    assert check_text(text, 2023, False) == []
    at = data.draw(st.integers(min_value=1, max_value=len(text) - 1))
    (slip,) = check_text(text[:at] + " ，" + text[at:], 2023, False)
    assert (slip.kind, slip.offset, slip.fragment, slip.fix) == ("空格", at, " ，", "，")
