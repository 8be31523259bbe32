"""`plandocs new` names only units that exist: collective phrases become groups, a name a table cell breaks
over two lines is one name, two phrases run together are two. The hand-built plan/ is the truth for the
seed draft; the fixture drafts of other districts must come out as they did."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import PLAN_DIR, SEED, TEMPLATES_DIR
from hypothesis import given
from hypothesis import strategies as st

from generators.cli import main
from generators.importer.names import is_collective, looks_like_unit, split_run, unit_pieces
from generators.model import Category
from generators.pipeline import render_all
from generators.plan import load_plan

DRAFTS = Path(__file__).resolve().parent / "fixtures" / "drafts"
JINSHAN = DRAFTS / "jinshan_2025_yaodian.txt"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def new(draft: Path, target: Path) -> Path:
    result = run("new", draft, "--dir", target)
    assert result.exit_code == 0, result.output
    result = run("check", "--plan", target)
    assert result.exit_code == 0, result.output  # new never writes a plan check refuses
    return target


@pytest.fixture(scope="module")
def seed_plan(tmp_path_factory) -> Path:
    return new(SEED, tmp_path_factory.mktemp("seed") / "plan")


def test_every_unit_new_makes_from_the_seed_is_a_unit_of_the_hand_built_plan(seed_plan):
    made, truth = load_plan(seed_plan), load_plan(PLAN_DIR)
    units = {u.name for u in made.units}
    assert units <= {u.name for u in truth.units}
    # every unit the draft names: the hand-built plan's own units less the towns, which the draft never names
    assert units == {u.name for u in truth.units if u.category != Category.TOWN}
    assert not any(is_collective(name) for name in units)


def test_every_collective_phrase_of_the_seed_is_a_group_to_fill_in(seed_plan):
    made, truth = load_plan(seed_plan), load_plan(PLAN_DIR)
    assert {g.name: g.role for g in made.groups} == {g.name: g.role for g in truth.groups}
    assert all(g.assumed and not g.members for g in made.groups)  # the seed names no town: 待核实, empty
    output = run("check", "--plan", seed_plan).output
    assert "各乡镇（0 个成员）" in output and "区建筑施工安全专业委员会成员单位（0 个成员）" in output


def test_the_seeds_annex_rows_name_what_the_hand_built_plan_names(seed_plan):
    def rows(plan_dir: Path) -> dict:
        tasks = yaml.safe_load((plan_dir / "tasks.yaml").read_text(encoding="utf-8"))
        return {
            t["序号"]: (t["责任单位"], t.get("配合单位"), t["区领导"])
            for g in tasks["分组"]
            for t in g["任务"]
        }

    made, truth = rows(seed_plan), rows(PLAN_DIR)
    assert made == truth
    # 区建筑施工安全专业 / 委员会成员单位 on two lines of a cell; two phrases run together with no separator
    assert "区建筑施工安全专业委员会成员单位" in made[14][1]
    assert made[4][1] == ["各乡镇", "区安委会有关成员单位", "区有关直属单位"]


def test_letters_of_the_new_seed_plan_go_to_units_only(seed_plan):
    plan = load_plan(seed_plan)
    letters = {a.unit for a in render_all(plan, TEMPLATES_DIR, only={"letter"}) if a.kind == "letter"}
    assert letters == {u.name for u in plan.units}
    assert not any(is_collective(name) or not looks_like_unit(name) for name in letters)


@pytest.mark.parametrize("draft", sorted(DRAFTS.iterdir()), ids=lambda p: p.stem)
def test_fixture_drafts_make_units_and_groups_only_as_printed(draft, tmp_path):
    plan = load_plan(new(draft, tmp_path / "plan"))
    units, groups = {u.name for u in plan.units}, {g.name for g in plan.groups}
    assert units and all(looks_like_unit(n) and not is_collective(n) for n in units)
    assert all(is_collective(n) for n in groups)
    if draft.suffix == ".txt":
        printed = re.sub(r"\s", "", draft.read_text(encoding="utf-8"))
        assert all(name in printed for name in units | groups)


def test_towns_a_draft_names_are_the_members_of_its_every_town_group(tmp_path):
    text = JINSHAN.read_text(encoding="utf-8")
    bracket = "（责任单位：区应急局、区委编办，各镇(街道)）"
    assert bracket in text
    draft = tmp_path / "draft.txt"
    draft.write_text(
        text.replace(bracket, "（责任单位：区应急局、朱泾镇、石化街道，各镇(街道)）"), encoding="utf-8"
    )
    target = new(draft, tmp_path / "plan")
    plan = load_plan(target)
    (group,) = [g for g in plan.groups if g.name == "各镇(街道)"]
    assert group.members == ("朱泾镇", "石化街道") and group.assumed  # still for the office to confirm
    assert {u.name: u.category for u in plan.units}["石化街道"] == Category.TOWN
    holders = {a.unit for a in render_all(plan, TEMPLATES_DIR, only={"letter"}) if a.kind == "letter"}
    assert {"朱泾镇", "石化街道"} <= holders and "各镇(街道)" not in holders


def test_a_name_broken_over_a_cells_lines_is_joined_and_whole_names_are_not():
    assert unit_pieces(["区建筑施工安全专业", "委员会成员单位", "区有关直属单位"]) == [
        "区建筑施工安全专业委员会成员单位",
        "区有关直属单位",
    ]
    assert unit_pieces(["区应急局", "区公安分局、区交通委"]) == ["区应急局", "区公安分局", "区交通委"]
    assert unit_pieces(["区应急局（牵头）", "区公安分局"]) == ["区应急局（牵头）", "区公安分局"]
    assert unit_pieces(["区建设管理委、区住房保障", "房屋管理局"]) == ["区建设管理委", "区住房保障房屋管理局"]


def test_two_collective_phrases_run_together_are_two_and_a_unit_name_is_not_cut():
    assert split_run("区安委会有关成员单位区有关直属单位") == ["区安委会有关成员单位", "区有关直属单位"]
    assert split_run("各乡镇区安委会各成员单位") == ["各乡镇", "区安委会各成员单位"]
    for name in (
        "区建设单位管理中心",
        "区安委会有关成员单位",
        "市安委会有关成员单位及有关产业园区",
        "区应急局",
    ):
        assert split_run(name) == [name]


@given(
    st.lists(
        st.sampled_from(["区应急局", "各乡镇", "区有关直属单位", "区安委会各成员单位", "区交通委"]),
        max_size=5,
    )
)
def test_unit_pieces_of_whole_names_are_the_names(names):
    assert unit_pieces(names) == names
    assert unit_pieces(["、".join(names)]) == names
