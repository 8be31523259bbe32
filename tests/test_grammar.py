"""The responsibility-line grammar: every form read, printed back as written, and what it means."""

from __future__ import annotations

import re

import pytest
from conftest import SEED
from hypothesis import given
from hypothesis import strategies as st

from generators.grammar.numbering import label_value
from generators.grammar.responsibility import (
    FORMS_HELP,
    Clause,
    Responsibility,
    ResponsibilityError,
    as_keys,
    labelled,
    parse,
)

HALF = {"（": "(", "）": ")", "：": ":", "，": ",", "；": ";", "〔": "[", "〕": "]"}

# names as drafts print them: plain, with inner brackets, with a half-width bracket inside
NAMES = st.sampled_from(
    [
        "区应急局",
        "区公安分局",
        "各乡镇",
        "街道办",
        "区安委会各专委会（办）牵头部门",
        "各镇(街道)",
        "区住建委",
        "区安委会有关成员单位",
        "市安委会有关成员单位及有关产业园区",
    ]
)
BLOCKS = st.lists(st.lists(NAMES, min_size=1, max_size=3).map(tuple), min_size=1, max_size=3).map(tuple)
ONE_BLOCK = st.lists(NAMES, min_size=1, max_size=3).map(lambda names: (tuple(names),))


@st.composite
def lines(draw) -> Responsibility:
    """Every form the grammar reads, with its punctuation full-width, half-width or mixed."""
    form = draw(
        st.sampled_from(["labelled", "lead+support", "lead+responsible", "bare", "verb", "leads", "with"])
    )
    if form == "labelled":
        clauses = (Clause(draw(BLOCKS), label=draw(st.sampled_from(["责任单位", "牵头单位"]))),)
    elif form in ("lead+support", "lead+responsible"):
        second = "配合单位" if form == "lead+support" else "责任单位"
        clauses = (Clause(draw(BLOCKS), label="牵头单位"), Clause(draw(BLOCKS), label=second))
    elif form == "bare":
        clauses = (Clause(draw(BLOCKS)),)
    elif form == "verb":
        clauses = (
            Clause(draw(ONE_BLOCK), verb=draw(st.sampled_from(["负责", "按职责分工负责", "分工负责"]))),
        )
    elif form == "leads":
        tail = draw(st.sampled_from(["分工负责", "负责", "配合"]))
        clauses = (Clause(draw(ONE_BLOCK), verb="牵头"), Clause(draw(ONE_BLOCK), verb=tail))
    else:
        clauses = (
            Clause(draw(ONE_BLOCK)),
            Clause(draw(ONE_BLOCK), verb=draw(st.sampled_from(["分工负责", "负责"]))),
        )
    joiner = {"leads": "，", "with": "会同"}.get(form, "；")
    opening = "〔" if form == "leads" and draw(st.booleans()) else "（"
    line = Responsibility(
        clauses, joiner=joiner, opening=opening, trailer=draw(st.sampled_from(["", "。", "；"]))
    )
    width = draw(st.sampled_from(["full", "half", "mixed"]))
    if width == "full":
        return line
    marks = [text for punct, text in line._tokens() if punct]
    flips = [width == "half" or draw(st.booleans()) for _ in marks]
    printed = "".join(HALF.get(m, m) if flip else m for m, flip in zip(marks, flips, strict=True))
    return line if printed == "".join(marks) else Responsibility(**{**line.__dict__, "marks": printed})


@given(lines())
def test_parse_of_print_is_the_line(line):
    parsed = parse(line.printed)
    assert parsed == line
    assert parsed.printed == line.printed


@given(lines())
def test_spans_point_at_each_name(line):
    parsed = parse(line.printed)
    assert [
        line.printed[s : s + len(n)] for s, n in zip(parsed.spans, parsed.all_names, strict=True)
    ] == list(parsed.all_names)


def seed_lines() -> list[str]:
    """Every responsibility bracket that closes a measure in the seed."""
    out = []
    for text in SEED.read_text(encoding="utf-8").split("\n"):
        if re.match(r"^\d+\.", text):
            out.append(text[text.rindex("（责任单位") :].rstrip())  # a stray space ends one seed line
    return out


def test_seed_lines_print_as_written():
    found = seed_lines()
    assert len(found) == 46
    for printed in found:
        line = parse(printed)
        assert line.printed == printed
        assert as_keys(line) is not None  # the seed's lines stay in the plain YAML keys
        assert line == labelled(
            line.text, label=line.label, trailer=line.trailer
        )  # the YAML keys load the very same value


@pytest.mark.parametrize(
    ("printed", "leads", "supports"),
    [
        ("（责任单位：区应急局、区公安分局，各乡镇）", ("区应急局", "区公安分局", "各乡镇"), ()),
        ("（牵头单位：区应急局；配合单位：区公安分局、各乡镇）", ("区应急局",), ("区公安分局", "各乡镇")),
        ("（牵头单位：区应急局；责任单位：区公安分局、各乡镇）", ("区应急局", "区公安分局", "各乡镇"), ()),
        ("〔区应急局牵头，区公安分局、区住建委分工负责〕", ("区应急局", "区公安分局", "区住建委"), ()),
        ("（各乡镇、街道办负责）", ("各乡镇", "街道办"), ()),
        ("（区应急局会同区公安分局分工负责）", ("区应急局", "区公安分局"), ()),
        ("（区应急局、区住建委按职责分工负责）", ("区应急局", "区住建委"), ()),
        ("(区应急局牵头,区公安分局配合)", ("区应急局",), ("区公安分局",)),
        ("(区应急局,各镇(街道))", ("区应急局", "各镇(街道)"), ()),
        # 等 closes the list: the listed units, never a unit “区教育局等按职责”
        ("（区委宣传部、区教育局等按职责负责）", ("区委宣传部", "区教育局"), ()),
        ("〔区住建局牵头，区公安局、区交通局等配合〕", ("区住建局",), ("区公安局", "区交通局")),
    ],
)
def test_each_form_means_what_it_says(printed, leads, supports):
    line = parse(printed)
    assert (line.names, line.support_names) == (leads, supports)
    assert line.printed == printed


@pytest.mark.parametrize(
    "printed",
    [
        "（责任单位：）",
        "（区应急局；区公安分局）",
        "（区应急局、、区公安分局）",
        "（责任单位：A；其他：B）",
        "区应急局",
    ],
)
def test_what_it_cannot_read_says_which_forms_it_reads(printed):
    with pytest.raises(ResponsibilityError) as err:
        parse(printed)
    assert FORMS_HELP in str(err.value)


def test_measure_numbering_values():
    assert [label_value(x) for x in ("12.", "3、", "（三）", "(十一)", "三", "1")] == [
        12,
        3,
        3,
        11,
        None,
        None,
    ]


@given(st.text(alphabet="（）()〔〕[]【】：:，,；;、。甲乙丙局牵头负责分工按职会同配合责任单位", max_size=30))
def test_any_text_is_read_exactly_or_refused(printed):
    """No input is misread: parse returns a line that prints as the input, or says it cannot read it."""
    try:
        line = parse(printed)
    except ResponsibilityError as err:
        assert FORMS_HELP in str(err)
        return
    assert line.printed == printed
    assert parse(line.printed) == line
