"""Letters that read like a 公文: the title broken between whole words, no section or count of nothing,
and the compact style (分工函样式: 摘要) that lists each task as a table row."""

from __future__ import annotations

import dataclasses
import io
import re

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st
from test_validation import edit, one_problem

from generators.formspec import FormsLayout
from generators.render import letter_parts, letters
from generators.views import Views

TITLE = re.compile(r"^关于落实《(.*)》任务分工的函$", re.S)


def rendered(plan, views, layout, style: str) -> dict[str, docx.Document]:
    styled = dataclasses.replace(plan, meta=dataclasses.replace(plan.meta, letter_style=style))
    views = views if style == plan.meta.letter_style else Views(styled)
    return {
        a.unit: docx.Document(io.BytesIO(a.data))
        for a in letters.render(styled, views, layout)
        if a.kind == "letter"
    }


@pytest.fixture(scope="module")
def full(plan, views, layout):
    return rendered(plan, views, layout, "全文")


@pytest.fixture(scope="module")
def compact(plan, views, layout):
    return rendered(plan, views, layout, "摘要")


def title_paragraph(document):
    return next(p for p in document.paragraphs if p.style.name == "公文标题")


@pytest.mark.parametrize("style", ["full", "compact"])
def test_title_breaks_after_a_whole_word_and_keeps_the_plan_text(style, full, compact, plan, layout):
    for document in (full if style == "full" else compact).values():
        paragraph = title_paragraph(document)
        breaks = paragraph._p.findall(".//" + qn("w:br"))
        assert len(breaks) == 1  # one manual line break, inside the paragraph
        lines = paragraph.text.split("\n")
        assert TITLE.match("".join(lines)).group(1) == plan.meta.title  # exactly the plan's title
        assert lines == ["关于落实《上海市崇明区2023年", "安全生产工作意见》任务分工的函"]
        capacity = letter_parts.title_capacity(layout)
        assert all(letter_parts.text_width(line) <= capacity for line in lines)


def rich_text(rich) -> str:
    """The text of a RichText, its line breaks as newlines."""
    return re.sub(r"<[^>]+>", "", rich.xml.replace("<w:br/>", "\n"))


def test_title_break_rule():
    assert rich_text(letter_parts.broken_title("短标题", 2023, 20)) == "短标题"  # fits: no break
    # too long: broken after the year, never inside a word
    assert rich_text(letter_parts.broken_title("上海市崇明区2023年安全生产工作意见", 2023, 20)) == (
        "上海市崇明区2023年\n安全生产工作意见"
    )
    # no word boundary gives lines short enough: no break is forced into a word
    assert "\n" not in rich_text(letter_parts.broken_title("上海市崇明区安全生产工作意见", 2023, 12))


@given(st.text(alphabet="区镇安全生产工作意见上海市", min_size=1, max_size=40), st.integers(2000, 2100))
def test_title_break_never_changes_the_text(title, year):
    whole = f"{title}{year}年{title}"
    text = rich_text(letter_parts.broken_title(whole, year, 20))
    assert text.replace("\n", "") == whole
    if "\n" in text:  # the only place a line may end inside the title: right after the year
        assert text.split("\n")[0].endswith(f"{year}年")


@pytest.mark.parametrize("style", ["full", "compact"])
def test_no_count_or_section_of_nothing(style, full, compact, views):
    letters_ = full if style == "full" else compact
    for unit, document in letters_.items():
        text = "\n".join(p.text for p in document.paragraphs)
        assert not re.search(r"(?<![0-9])0\s*[条项]", text), unit
        held = views.assignments[unit]
        assert ("结合职责落实" in text) == bool(held.shared_measures) or style == "compact"
        assert ("重点工作任务" in text) == bool(held.tasks)
    town = "\n".join(p.text for p in letters_["庙镇"].paragraphs)
    assert not views.assignments["庙镇"].shared_measures and "结合职责落实" not in town


def body_tables(document) -> list:
    """The letter's tables but the 版记 (a table floating at the bottom of the last page)."""
    return [t for t in document.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is None]


def test_compact_letter_lists_each_task_as_a_row(compact, full, views, layout, plan):
    spec = FormsLayout.of(layout)
    for unit, document in compact.items():
        (table,) = body_tables(document)
        rows = [[c.text for c in r.cells] for r in table.rows]
        assert rows[0] == ["编号", "任务", "责任类型", "报送要求"]
        held = views.assignments[unit]
        assert len(rows) - 1 == len(held.all)
        for i, (row, a) in enumerate(zip(rows[1:], held.all, strict=True), 1):
            assert row[0] == spec.key_text(a) and row[2] == a.role_text
            assert row[3] == f"季度报表第{i}项"
            if a.measure is not None:
                assert a.measure.text.startswith(row[1]) and row[1][-1] in "。；" or row[1] == a.measure.text
            else:
                assert row[1] == a.task.name
        text = "\n".join(p.text for p in document.paragraphs)
        assert f"所附《{plan.meta.title}》" in text and f"附件：{plan.meta.title}" in text
        assert table._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in table._tbl.tr_lst)
    # the full-text style has no table and reprints every measure
    assert all(not body_tables(d) for d in full.values())
    one = views.assignments["区应急局"].named_measures[0].measure
    assert any(one.text in p.text for p in full["区应急局"].paragraphs)
    assert not any(one.text in p.text and len(one.text) > 40 for p in compact["区应急局"].paragraphs)


def test_letter_style_is_validated_with_its_place(plan_copy):
    line = edit(plan_copy / "meta.yaml", "分工函样式: 全文", "分工函样式: 简要")
    message = one_problem(plan_copy, "meta.yaml", line)
    assert "分工函样式" in message and "全文、摘要" in message and "简要" in message


def test_letter_style_defaults_to_full_text(plan_copy):
    from generators.plan import load_plan

    edit(plan_copy / "meta.yaml", "分工函样式: 全文", "")
    assert load_plan(plan_copy).meta.letter_style == "全文"
    edit(plan_copy / "meta.yaml", "比较基准:", "分工函样式: 摘要\n比较基准:")
    assert load_plan(plan_copy).meta.letter_style == "摘要"


def test_compact_table_fills_the_type_area(layout):
    page = layout.page
    assert sum(c.width_mm for c in layout.letter_columns) == pytest.approx(
        page.width_mm - page.margin_left_mm - page.margin_right_mm
    )
