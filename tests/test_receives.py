"""One answer to "what does this unit receive" (Views.receives): its letter, its quarterly form (rows and
version) and `plandocs diff` read the same items with the same roles, for every unit."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest
from plan_edits import with_measure_text

from generators.diff.affected import _holdings
from generators.formspec import FormsLayout, form_version, identification
from generators.model import Plan
from generators.plan import load_plan
from generators.render import forms, letters
from generators.views import Views

ROOT = Path(__file__).resolve().parent.parent
# The versions the seed's forms went out with: a returned form is matched against these, so a change in
# what the version hashes would make every form already returned read as "任务已有变化".
ISSUED_VERSIONS = {
    (1, "区应急局"): "69176d1f7075d5fd85542c873e9d01d588d7b6c2ec801b2db033903a2fb11839",
    (3, "新村乡"): "7d364063af6f4c72d0703d972e8f2981f74edc681e502ff242bef0fa122dd8d3",
}


def _city_plan(folder: Path) -> Plan:
    """A small synthetic plan whose units are reached by name, through 全体 groups and through 有关 ones."""
    spec = importlib.util.spec_from_file_location("make_city_plan", ROOT / "tools" / "make_city_plan.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make(folder, units=60, measures=40)
    return load_plan(folder)


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Plan:
    return _city_plan(tmp_path_factory.mktemp("city") / "plan")


def _expected(views: Views, spec: FormsLayout, unit: str) -> list[tuple[str, str]]:
    return [(spec.key_text(item.assignment), item.role_text) for item in views.receives(unit)]


def _letter_items(views: Views, spec: FormsLayout, unit: str) -> list[tuple[str, str]]:
    """The compact letter's table: one row per item, keyed as on the form."""
    context = letters.letter_context(views.assignments[unit], views, spec)
    return [(row["key"], row["role"]) for row in context["rows"]]


def _full_letter_texts(views: Views, unit: str) -> tuple[list[str], list[str], list[int]]:
    """The full letter: the measures it prints (named, then 结合职责落实) and the key tasks it lists."""
    context = letters.letter_context(views.assignments[unit], views)
    named = [m for section in context["named"] for m in section["measures"]]
    shared = [m for section in context["shared"] for m in section["measures"]]
    tasks = sorted(t["number"] for group in context["tasks"] for t in group["tasks"])
    return named, shared, tasks


def _form_items(views: Views, spec: FormsLayout, unit: str) -> list[tuple[str, str]]:
    key, role = (spec.columns.index(spec.column(f)) for f in ("key", "role"))
    return [(str(row[key]), str(row[role])) for row in forms.shown_rows(views, spec)[unit]]


def _diff_items(views: Views, spec: FormsLayout, unit: str) -> list[tuple[str, str]]:
    prefix = {"措施": spec.key["measure"], "重点任务": spec.key["task"]}
    held = _holdings(views.receives(unit), None)
    return [(prefix[label].format(number=number), h.role) for (label, number, _sub), h in held.items()]


def _check_agreement(plan: Plan, spec: FormsLayout) -> int:
    views = Views(plan)
    assert list(views.received) == list(views.assignments)
    for unit in views.assignments:
        expected = _expected(views, spec, unit)
        assert expected, unit
        assert _letter_items(views, spec, unit) == expected, unit
        assert _form_items(views, spec, unit) == expected, unit
        assert _diff_items(views, spec, unit) == expected, unit
        named, shared, tasks = _full_letter_texts(views, unit)
        received = views.receives(unit)
        measures = [item for item in received if item.measure is not None]
        assert named == [i.item_measure.printed for i in measures if i.role.is_lead], unit
        assert shared == [i.item_measure.printed for i in measures if not i.role.is_lead], unit
        assert tasks == sorted(i.number for i in received if i.task is not None), unit
    return len(views.assignments)


def test_letter_form_and_diff_list_the_same_items_for_every_seed_unit(plan, layout):
    assert _check_agreement(plan, FormsLayout.of(layout)) == 52


def test_the_seed_reaches_units_through_every_kind_of_group(views):
    """So the agreement above covers named units, 全体, 有关 and 配合 groups, and a unit reached twice."""
    vias = {
        (item.role.name, item.assignment.via is None) for held in views.received.values() for item in held
    }
    assert {("LEAD_NAMED", True), ("LEAD_VIA_GROUP", False), ("CONCERNED", False)} <= vias
    assert ("SUPPORT", False) in vias or ("SUPPORT", True) in vias


def test_letter_form_and_diff_agree_on_a_plan_with_groups(city, layout):
    views = Views(city)
    roles = {item.role.name for held in views.received.values() for item in held}
    assert {"LEAD_NAMED", "LEAD_VIA_GROUP", "CONCERNED"} <= roles
    assert _check_agreement(city, FormsLayout.of(layout)) == len(views.assignments) > 20


def test_a_unit_that_holds_nothing_receives_nothing_and_its_form_has_no_version(city):
    views = Views(city)
    idle = [u.name for u in city.units if u.name not in views.assignments]
    for unit in [*idle, "不存在的单位"]:
        assert views.receives(unit) == ()
        assert form_version(views, 1, unit) == ""


@pytest.mark.parametrize(("quarter", "unit"), sorted(ISSUED_VERSIONS))
def test_form_versions_are_those_the_seed_forms_went_out_with(views, quarter, unit):
    assert form_version(views, quarter, unit) == ISSUED_VERSIONS[(quarter, unit)]
    assert identification(views, quarter, unit)["计划版本"] == ISSUED_VERSIONS[(quarter, unit)]


def test_a_form_version_is_the_hash_of_year_quarter_unit_and_signatures_for_every_unit(views):
    """A unit's signatures encoded once for all its quarters (the build's forms share `tails`): the hash
    stays that of the whole list."""
    tails: dict[str, bytes] = {}
    for quarter in (1, 2, 3, 4, 12):
        for unit in views.assignments:
            shown = [views.plan.meta.year, quarter, unit, *(item.signature for item in views.receives(unit))]
            whole = hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode("utf-8")).hexdigest()
            assert form_version(views, quarter, unit) == whole
            assert form_version(views, quarter, unit, tails) == whole
            assert identification(views, quarter, unit, tails)["计划版本"] == whole
    assert set(tails) == {unit for unit in views.assignments if views.receives(unit)}


def test_a_reworded_measure_changes_the_letter_form_and_diff_of_its_units_only(plan):
    """Measure 17 names 区应急局 alone: its letter, its form version and the diff change, nobody else's."""
    from generators.diff import diff_plans

    revised = with_measure_text(plan, 17, "各类办事指南", "办事指南")
    before, after = Views(plan), Views(revised)
    letters_changed = {
        unit
        for unit in before.assignments
        if letters.letter_context(before.assignments[unit], before)
        != letters.letter_context(after.assignments[unit], after)
    }
    versions_changed = {
        u for u in before.assignments if form_version(before, 2, u) != form_version(after, 2, u)
    }
    impacts = diff_plans(plan, revised).units
    assert letters_changed == versions_changed == {i.unit for i in impacts} == {"区应急局"}
