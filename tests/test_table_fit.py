"""A key-task table's name columns hold their longest unit name on one line (render/table_fit.py): the
room comes from 工作内容, down to its floor; the total width never changes."""

from __future__ import annotations

import dataclasses

import pytest

from generators.layout import MM_PER_PT, TableFit
from generators.render.table_fit import fitted_columns, needs_room, too_long_warnings, widened


def widths(columns) -> dict[str, float]:
    return {c.name: c.width_mm for c in columns}


def char_mm(layout) -> float:
    return layout.style("表格居中").size_pt * MM_PER_PT


def test_names_that_fit_leave_the_layout_as_it_is(layout):
    fitted = fitted_columns(
        layout.columns, {"leads": ["区应急局", "区消防救援支队"], "supports": ["各乡镇"]}, layout
    )
    assert fitted == layout.columns
    assert widened(layout.columns, fitted) == ()  # nothing written into the rendered table


@pytest.mark.parametrize("name", ["区住房保障房屋管理局", "区人力资源和社会保障局", "上海市崇明区应急管理局"])
def test_a_long_name_widens_its_column_from_the_text_column(layout, name):
    fitted = fitted_columns(layout.columns, {"leads": [name]}, layout)
    before, after = widths(layout.columns), widths(fitted)
    assert (after["责任单位"] - 2 * layout.cell_margin_mm) / char_mm(layout) >= len(name)
    assert after["工作内容"] == pytest.approx(before["工作内容"] - (after["责任单位"] - before["责任单位"]))
    assert sum(after.values()) == pytest.approx(sum(before.values()))
    assert {k for k in after if after[k] != before[k]} == {"责任单位", "工作内容"}
    assert needs_room(fitted, {"leads": [name]}, layout) == []
    (table,) = widened(layout.columns, fitted)
    assert table.header == tuple(c.name for c in layout.columns) and sum(table.widths_mm) == pytest.approx(
        sum(before.values())
    )


def test_a_name_too_long_for_any_width_takes_no_room_and_is_reported(layout):
    """A 34-character name breaks at any width the text column can give: its column is not widened for
    it (the text keeps its room); the name that can fit still gets its line; `needs_room` names the other."""
    name = "区" + "安全生产" * 8 + "局"
    fitted = fitted_columns(layout.columns, {"leads": [name], "supports": ["区住房保障房屋管理局"]}, layout)
    before, after = widths(layout.columns), widths(fitted)
    assert after["责任单位"] == before["责任单位"]
    assert (after["配合单位"] - 2 * layout.cell_margin_mm) / char_mm(layout) >= len("区住房保障房屋管理局")
    assert after["工作内容"] >= before["工作内容"] * layout.table_fit.text_floor_share
    assert needs_room(fitted, {"leads": [name]}, layout) == [name]
    assert sum(after.values()) == pytest.approx(sum(before.values()))


def test_the_text_column_never_goes_below_its_floor(layout):
    """Two columns each wanting a long line: the second gets only what the floor leaves."""
    names = {"leads": ["区住房保障房屋管理局区"], "supports": ["区住房保障房屋管理局区"]}
    after = widths(fitted_columns(layout.columns, names, layout))
    floor = widths(layout.columns)["工作内容"] * layout.table_fit.text_floor_share
    assert after["工作内容"] >= floor - 0.01
    assert sum(after.values()) == pytest.approx(sum(widths(layout.columns).values()))


def test_check_warns_of_a_name_no_width_can_hold(plan, layout):
    """With no room to give (工作内容 at its full width), 区住房保障房屋管理局 cannot have its line in the
    annex's 33 mm: check says so, naming the task, the column and the setting; the seed's layout is quiet."""
    assert too_long_warnings(plan, layout) == []
    tight = dataclasses.replace(layout, table_fit=TableFit(text_floor_share=1.0))
    said = too_long_warnings(plan, tight)
    numbers = "、".join(str(t.number) for t in plan.key_tasks if "区住房保障房屋管理局" in t.leads)
    assert f"tasks.yaml 第{numbers}项 责任单位：“区住房保障房屋管理局”（10 字）在附件任务清单" in said[0]
    assert any("区领导任务单" in line for line in said) and all("text_floor_share" in line for line in said)
