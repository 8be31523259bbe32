"""Column widths from the content (generators/formats/widths.py): short values on one line, headers in two,
the running text sharing the rest so the table is as short as the room allows."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.formats.widths import ColumnText, broken_list, fit_widths, list_atoms, pack_lines, text_em
from generators.layout import MM_PER_PT, FitSpec

SPEC = FitSpec(header_lines=2, text_min_em=4, keep_max_em=12, slack_mm=1, other_em=0.5)
SIZE = 11
EM = SIZE * MM_PER_PT
PAD = 2 + SPEC.slack_mm


def ems(width_mm: float) -> float:
    return (width_mm - PAD) / EM


def test_short_values_keep_one_line_and_headers_two():
    units = ["区人力资源社会保障局", "区应急局", "崇明海事局"]
    columns = [
        ColumnText("单位", units, keep=True),
        ColumnText("编号", ["措施12", "措施1", "任务3"], keep=True),
        ColumnText("应报单位数", [52, 11, 3], keep=True),
        ColumnText("填报日期", ["2023年4月3日"] * 3, keep=True),
        ColumnText("进展情况", ["组织开展专项检查" * 6] * 3),
    ]
    widths = fit_widths(columns, 250, SIZE, SPEC, 2)
    assert sum(widths) == pytest.approx(250)
    assert ems(widths[0]) >= text_em("区人力资源社会保障局") - 1e-9  # the longest unit name on one line
    assert ems(widths[1]) >= text_em("措施12") - 1e-9
    assert ems(widths[3]) >= text_em("2023年4月3日") - 1e-9
    assert ems(widths[2]) >= math.ceil(text_em("应报单位数") / 2)  # the header in two lines, not three
    assert ems(widths[2]) < text_em("应报单位数")  # and no wider than that needs: the count is short
    assert widths[4] == max(widths)  # the running text takes the rest


def test_the_text_column_that_holds_more_gets_more_room():
    columns = [
        ColumnText("任务", ["加强安全风险防控"] * 20),
        ColumnText("进展情况", ["本季度组织开展专项检查二次，发现隐患十二处，已整改十处。" * 2] * 20),
        ColumnText("备注", [""] * 20),
    ]
    task, progress, note = fit_widths(columns, 200, SIZE, SPEC, 2)
    assert progress > task > note
    assert ems(note) == pytest.approx(SPEC.text_min_em)  # an empty column stays at its least
    assert ems(task) <= text_em("加强安全风险防控") + 1e-9  # never wider than its longest text needs…
    assert task + progress + note == pytest.approx(200)  # …while the spare room goes where it shortens rows


def test_a_page_too_narrow_shrinks_everything_alike():
    columns = [ColumnText("单位", ["区人力资源社会保障局"], keep=True), ColumnText("任务", ["很长" * 40])]
    widths = fit_widths(columns, 30, SIZE, SPEC, 2)
    assert sum(widths) == pytest.approx(30)


@given(
    st.lists(
        st.tuples(st.booleans(), st.lists(st.text(max_size=60), min_size=3, max_size=3)),
        min_size=1,
        max_size=8,
    ),
    st.floats(min_value=120, max_value=400),
)
@settings(max_examples=60, deadline=None)
def test_widths_fill_the_room_and_never_go_under_a_columns_least(table, room):
    columns = [ColumnText(f"列{i}", values, keep) for i, (keep, values) in enumerate(table)]
    widths = fit_widths(columns, room, SIZE, SPEC, 2)

    def need(c: ColumnText) -> float:  # a kept column's longest value (to 12 em), a text column's least
        own = min(max(map(text_em, c.values)), SPEC.keep_max_em) if c.keep else SPEC.text_min_em
        return max(math.ceil(text_em(c.header) / 2), own) * EM + PAD

    least = [need(c) for c in columns]
    if sum(least) <= room:
        assert all(w >= low - 1e-6 for w, low in zip(widths, least, strict=True))
        if not all(c.keep for c in columns):
            assert sum(widths) == pytest.approx(room)
    else:
        assert sum(widths) == pytest.approx(room)


def test_pack_lines_breaks_only_between_atoms_and_fills_each_line():
    atoms = ["已完成（3）：区教育局、", "区人力资源社会保障局、", "庙镇；", "滞后（1）：崇明海事局"]
    lines = pack_lines(atoms, 12.0)
    assert "".join(lines) == "".join(atoms)  # nothing added, nothing lost
    assert lines == ["已完成（3）：区教育局、", "区人力资源社会保障局、", "庙镇；", "滞后（1）：崇明海事局"]
    assert pack_lines(atoms, 30.0) == [
        "已完成（3）：区教育局、区人力资源社会保障局、庙镇；",
        "滞后（1）：崇明海事局",
    ]
    # an atom wider than the line stands alone; no line is empty and none starts with a mark
    narrow = pack_lines(atoms, 3.0)
    assert narrow == atoms and all(line[:1] not in "、；" for line in narrow)
    assert pack_lines([], 10.0) == []


@given(st.lists(st.text(alphabet="区镇局委、；ab1", min_size=1, max_size=12), max_size=30), st.floats(2, 40))
def test_pack_lines_keeps_every_atom_whole_and_lines_within_room(atoms, room):
    lines = pack_lines(atoms, room)
    assert "".join(lines) == "".join(atoms)
    for line in lines:
        # a line wider than the room holds one atom only
        assert text_em(line) <= room + 1e-9 or line in atoms


def test_list_atoms_break_after_marks_only():
    assert list_atoms("措施35（滞后）、措施39（未启动），任务3；") == [
        "措施35（滞后）、",
        "措施39（未启动），",
        "任务3；",
    ]
    assert list_atoms("、、区A、") == ["、、", "区A、"]  # a leading mark stays with what follows nothing
    assert list_atoms("") == []


@given(st.text(alphabet="区镇局、，；（）ab1", max_size=40), st.floats(10, 80))
def test_broken_list_only_adds_line_breaks_after_marks(text, width_mm):
    broken = broken_list(text, width_mm, 11, 2.0, 0.55)
    assert broken.replace("\n", "") == text  # no character added or lost
    for line in broken.split("\n")[:-1]:
        assert line[-1] in "、，；"  # a break only after a list mark


def test_a_table_of_short_columns_sets_its_headers_on_one_line():
    """No running text to give the room to: 任务数, 已完成, 完成率 are not broken into 任务 / 数."""
    columns = [
        ColumnText("单位", ["区人力资源社会保障局", "区应急局"], keep=True),
        ColumnText("季度", ["第一季度", "第二季度"], keep=True),
        ColumnText("任务数", [44, 61], keep=True),
        ColumnText("已完成", [0, 15], keep=True),
        ColumnText("完成率", ["0%", "25%"], keep=True),
    ]
    widths = fit_widths(columns, 250, SIZE, SPEC, 2)
    for column, width in zip(columns, widths, strict=True):
        assert ems(width) >= text_em(column.header) - 1e-9, column.header
    assert sum(widths) < 250  # no wider than that: the table is centred on the page
