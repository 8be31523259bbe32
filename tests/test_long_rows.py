"""A table row taller than a page (issue 10): cut into rows that each fit a page, at sentence or clause
ends and never inside a word, every continuation repeating the 序号, the parts together exactly the text.
Held in the annex (alone and inside the opinion), a leader sheet and the 修改对照表, in LibreOffice PDFs."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from conftest import PLAN_DIR, schema_errors
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.conform import check_pdf
from generators.diff import diff_plans
from generators.layout import MM_PER_PT
from generators.pipeline import build
from generators.plan import load_plan
from generators.render import annex, changes, leader_sheets
from generators.render.row_split import _TOKEN, NO_START, RowSplitter, Wrap, split_text
from generators.textdiff import char_diff
from generators.views import Views

LONG_TASK = 3  # 落实党政领导干部安全生产责任制: eight 区领导
LONG_CHARS = 3000
LEADER = "李峻"  # leads task 3


def long_content(plan) -> str:
    """3,000 characters of real task sentences, each numbered so that no stretch of it repeats, with a
    standard's number and quotes in it, cut mid-sentence."""
    text = "".join(t.content for t in plan.key_tasks) + "按“GB/T 9704-2012”第8条执行2023年度计划。"
    sentences = re.findall(r"[^。]+。", text)
    out = ""
    for index in range(LONG_CHARS):
        if len(out) >= LONG_CHARS:
            break
        out += f"（{index + 1}）{sentences[index % len(sentences)]}"
    return out[:LONG_CHARS]


def with_long_task(plan_dir: Path, content: str) -> None:
    path = plan_dir / "tasks.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"      - 序号: {LONG_TASK}")
    at = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith("工作内容:"))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at] = f"{indent}工作内容: {json.dumps(content, ensure_ascii=False)}"  # a YAML double-quoted scalar
    path.write_text("\n".join(lines), encoding="utf-8")


# --- the cutting itself -------------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.sampled_from(list("安全生产责任制落实检查隐患，。、；：！？“”（）《》\n ab9-./GB T0")),
    max_size=600,
)


def _boundaries_ok(parts: list[str]) -> None:
    for before, after in zip(parts, parts[1:], strict=False):
        assert not (
            before[-1:].isascii() and before[-1:].isalnum() and after[:1].isascii() and after[:1].isalnum()
        )
        assert after[:1] not in NO_START, (before[-5:], after[:5])


@settings(max_examples=150, deadline=None)
@given(TEXT, st.integers(min_value=4, max_value=20), st.integers(min_value=1, max_value=6))
def test_parts_put_together_are_the_text_and_each_fits(text, room, budget):
    wrap = Wrap(room_em=room, other_em=0.6)
    parts = split_text(text, lambda s: wrap.lines(s) <= budget)
    assert "".join(parts) == text
    assert all(parts) or parts == [""]
    _boundaries_ok(parts)
    for part in parts:
        # only a single word longer than the budget allows can overflow: it is never cut
        assert wrap.lines(part) <= budget or len(_TOKEN.findall(part.strip(" \n"))) <= 2 or _one_piece(part)


def _one_piece(part: str) -> bool:
    from generators.render.row_split import _pieces

    return len(_pieces(part, 2)) == 1


def test_cut_at_sentence_ends_before_clause_marks():
    wrap = Wrap(room_em=10, other_em=0.6)
    text = "一二三四五六七八九十一二，三四五。" * 6
    parts = split_text(text, lambda s: wrap.lines(s) <= 4)
    assert "".join(parts) == text
    assert all(p.endswith("。") for p in parts)
    assert len(parts) == 3  # two sentences (two lines each) to a part
    one = "一二三四五六七八九十，" * 8 + "。"  # one sentence of eight lines: cut after a clause
    parts = split_text(one, lambda s: wrap.lines(s) <= 3)
    assert "".join(parts) == one and all(p.endswith(("，", "。")) for p in parts)


def test_wrap_counts_lines_as_a_typesetter_breaks_them():
    wrap = Wrap(room_em=4, other_em=0.5)
    assert wrap.lines("一二三四") == 1
    assert wrap.lines("一二三四五") == 2
    assert wrap.lines("一二三四。") == 2  # the 。 may not start a line: 四 goes down with it
    assert wrap.lines("一二三（四") == 2
    assert wrap.lines("一\n二") == 2
    assert wrap.lines("") == 1
    assert wrap.lines("ab 12345678") == 2  # a number is not broken: it moves to the next line whole
    assert wrap.lines("abcdefghijklmnop") == 2  # a word wider than the column is broken anyway


ROWS = st.fixed_dictionaries(
    {
        "number": st.integers(min_value=1, max_value=99).map(str),
        "name": TEXT,
        "leaders": st.lists(st.sampled_from(["李  峻", "黄晓霞　胡柳强"]), min_size=1, max_size=30),
        "leads": st.lists(st.sampled_from(["区应急局", "区安委会各成员单位"]), min_size=1, max_size=40),
        "supports": st.just([""]),
        "content": st.text(alphabet=st.sampled_from(list("安全生产责任制，。；“”GB9704-")), max_size=3000),
        "remark": st.just(""),
    }
)


@settings(max_examples=60, deadline=None)
@given(ROWS, st.integers(min_value=0, max_value=2))
def test_a_row_cut_into_rows_keeps_every_cell_and_repeats_the_number(layout, row, lead_rows):
    splitter = RowSplitter(layout, layout.columns)
    parts = splitter.split(row, lead_rows)
    for field in ("name", "content", "remark"):
        assert "".join(str(p[field]) for p in parts) == row[field]
    for field in ("leaders", "leads"):
        assert [x for p in parts for x in p[field] if x] == [x for x in row[field] if x]
    continued = layout.row_split.continued_number.format(number=row["number"])
    assert [p["number"] for p in parts] == [row["number"]] + [continued] * (len(parts) - 1)
    if len(parts) > 1:
        for part in parts:
            for column in layout.columns:
                value = part[column.field]
                paragraphs = [value] if isinstance(value, str) else value
                lines = sum(splitter.wrap(column).lines(p) for p in paragraphs)
                assert lines <= splitter.budget(column, lead_rows) or _one_piece(str(value))


def test_a_short_row_is_left_alone(plan, layout):
    """Rows that fit a page are whole; the one exception is the row that starts at the foot of the first
    page (test_the_first_annex_page_is_filled)."""
    (artifact,) = annex.render(plan, layout)
    table = Document(io.BytesIO(artifact.data)).tables[0]
    numbers = [r.cells[0].text for r in table.rows[1:] if len({id(c._tc) for c in r.cells}) > 1]
    assert list(dict.fromkeys(numbers)) == [str(t.number) for t in plan.key_tasks]
    assert [n for n in set(numbers) if numbers.count(n) > 1] == [FIRST_PAGE_CUT]


# --- the first annex page: filled, not left half empty by a tall row kept whole ---

FIRST_PAGE_CUT = "2"  # the seed's task 2 (13 lines) does not fit under task 1 and the group rows


def _first_rows(context: dict) -> list[dict]:
    return [row for group in context["groups"] for row in group["tasks"]]


def test_the_first_annex_page_is_filled(plan, layout):
    """The first row that does not fit the first page under the title is cut, its first part filling the
    room left there (estimated as row_split estimates), the parts together exactly the task's text."""
    context = annex.context(plan, layout)
    rows = _first_rows(context)
    assert [r["number"] for r in rows[:3]] == ["1", FIRST_PAGE_CUT, FIRST_PAGE_CUT]
    task = next(t for t in plan.key_tasks if str(t.number) == FIRST_PAGE_CUT)
    assert rows[1]["content"] + rows[2]["content"] == task.content
    splitter = RowSplitter(layout, layout.columns)
    first_page = annex.FirstPage(plan, layout, splitter)
    group_rows = 3  # 总体目标, the 任务分解 banner, the first part's group
    used = (
        splitter.height_pt(rows[0]) + splitter.height_pt(rows[1]) + group_rows * splitter.row_pt("表格分组")
    )
    assert used <= first_page.room_pt
    # filled: less than the next row's minimum and the reserve is left
    assert first_page.room_pt - used < (layout.row_split.first_page_min_lines + 2) * 12 * 1.45


def test_the_cut_moves_with_the_data(plan, layout):
    """A short second task fits the first page whole; the next task, which does not, is the one cut."""
    import dataclasses

    tasks = list(plan.annex.groups[1].tasks)
    tasks[0] = dataclasses.replace(tasks[0], content="加强安全生产。")
    groups = list(plan.annex.groups)
    groups[1] = dataclasses.replace(groups[1], tasks=tuple(tasks))
    short = dataclasses.replace(plan, annex=dataclasses.replace(plan.annex, groups=tuple(groups)))
    numbers = [r["number"] for r in _first_rows(annex.context(short, layout))]
    assert numbers[:4] == ["1", "2", "3", "3"]
    assert numbers[4:] == [str(t.number) for t in short.key_tasks[3:]]


def test_the_printed_first_annex_page_is_filled(printed, layout):
    """In the opinion's PDF the first landscape page ends with the first part of task 2, its lowest line in
    the last quarter of the type area; the rest of task 2 opens the next page under its 序号."""
    from test_pdf import pdf_of

    (entry,) = pdf_of(printed, "opinion")
    with pdfplumber.open(printed / entry["path"]) as pdf:
        pages = [p for p in pdf.pages if p.width > p.height]
        first, second = pages[0], pages[1]
        page = layout.landscape
        bottom = (page.height_mm - page.margin_bottom_mm) / MM_PER_PT
        top = page.margin_top_mm / MM_PER_PT
        words = [w for w in first.extract_words() if w["upright"] and w["bottom"] < bottom + 1]
        lowest = max(w["bottom"] for w in words)
        assert lowest > bottom - (bottom - top) / 4, (lowest, bottom)
        number_column = (page.margin_left_mm + layout.columns[0].width_mm) / MM_PER_PT
        numbers = [
            w["text"]
            for w in second.extract_words()
            if w["upright"] and top < w["top"] < bottom and w["x1"] < number_column and w["text"].isdigit()
        ]
        assert numbers[0] == FIRST_PAGE_CUT


# --- in the documents, and printed ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_plan(tmp_path_factory, plan):
    plan_dir = tmp_path_factory.mktemp("long") / "plan"
    shutil.copytree(PLAN_DIR, plan_dir)
    with_long_task(plan_dir, long_content(plan))
    return load_plan(plan_dir)


def _content_parts(table, number_col: int, content_col: int, number: str) -> list[str]:
    rows = [r for r in table.rows[1:] if len({id(c._tc) for c in r.cells}) > 1]
    return [r.cells[content_col].text for r in rows if r.cells[number_col].text == number]


def test_the_long_task_is_several_rows_in_every_table(long_plan, layout, plan, tmp_path):
    content = long_content(plan)
    (doc,) = annex.render(long_plan, layout)
    audited = tmp_path / "附件.docx"
    audited.write_bytes(doc.data)
    assert schema_errors(audited) == []
    parts = _content_parts(Document(io.BytesIO(doc.data)).tables[0], 0, 5, str(LONG_TASK))
    assert len(parts) >= 5 and "".join(parts) == content
    sheets = {a.leader: a for a in leader_sheets.render(long_plan, Views(long_plan), layout)}
    parts = _content_parts(Document(io.BytesIO(sheets[LEADER].data)).tables[0], 0, 4, str(LONG_TASK))
    assert len(parts) >= 4 and "".join(parts) == content
    data = changes.document(diff_plans(plan, long_plan), plan, long_plan, layout)
    table = Document(io.BytesIO(data)).tables[0]
    rows = [r for r in table.rows[1:]]
    numbers = [r.cells[0].text for r in rows]
    assert len(rows) > len(set(numbers))  # the long change is several rows with one 序号
    long_number = max(set(numbers), key=numbers.count)
    new = "".join(r.cells[2].text for r in rows if r.cells[0].text == long_number)
    assert content in new


@pytest.fixture(scope="module")
def long_proofs(tmp_path_factory, long_plan, plan, layout) -> dict[str, tuple[Path, Path]]:
    from generators.pdf.soffice import convert_batch, find_soffice

    if find_soffice() is None:
        pytest.skip("未安装 LibreOffice（soffice），跳过 PDF 测试")
    out = tmp_path_factory.mktemp("long-out")
    build(Path(long_plan.directory), out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    path = {e["kind"]: out / e["path"] for e in manifest if e["kind"] in ("annex", "opinion")}
    sources = {
        "annex": path["annex"],
        "opinion": path["opinion"],
        "leader": next(out / e["path"] for e in manifest if e.get("leader") == LEADER),
        "changes": out / "修改对照表.docx",
    }
    sources["changes"].write_bytes(changes.document(diff_plans(plan, long_plan), plan, long_plan, layout))
    pdf_dir = out / "pdf"
    pdf_dir.mkdir()
    convert_batch(list(sources.values()), pdf_dir, timeout_s=900)
    return {name: (docx, pdf_dir / f"{docx.stem}.pdf") for name, docx in sources.items()}


def _column_x(columns, index: int) -> tuple[float, float]:
    """A column's left and right edge in points on the landscape page (the table fills the type area)."""
    return (sum(c.width_mm for c in columns[:index]), sum(c.width_mm for c in columns[: index + 1]))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


TABLES = {  # document → (columns, 序号 column, the long text's column)
    "annex": ("columns", 0, 5),
    "opinion": ("columns", 0, 5),
    "leader": ("leader_columns", 0, 4),
    "changes": ("changes_columns", 0, 2),
}


@pytest.mark.parametrize("name", list(TABLES))
def test_printed_every_part_whole_on_one_page_under_its_number(long_proofs, long_plan, layout, name):
    docx, pdf = long_proofs[name]
    table_name, number_col, text_col = TABLES[name]
    columns = {  # as printed: a name column widened for the plan's longest name (render/table_fit.py)
        "columns": annex.columns(long_plan, layout),
        "leader_columns": leader_sheets.columns(long_plan, layout),
    }.get(table_name, getattr(layout, table_name))
    document = Document(str(docx))
    table = next(t for t in document.tables if len(t.columns) == len(columns))
    rows = [r for r in table.rows[1:] if len({id(c._tc) for c in r.cells}) > 1]
    numbers = [r.cells[number_col].text for r in rows]
    long_number = max(set(numbers), key=numbers.count)
    parts = [_squash(r.cells[text_col].text) for r in rows if r.cells[number_col].text == long_number]
    assert len(parts) >= 4
    left = layout.landscape.margin_left_mm
    with pdfplumber.open(pdf) as doc:
        pages = []
        for page in doc.pages:
            if page.width < page.height:
                pages.append(("", ""))
                continue

            def column_text(index: int, page=page) -> str:
                x0, x1 = _column_x(columns, index)
                box = ((left + x0) / MM_PER_PT + 1, 0, (left + x1) / MM_PER_PT - 1, page.height)
                return _squash(page.crop(box).extract_text() or "")

            pages.append((column_text(number_col), column_text(text_col)))
    for index, part in enumerate(parts):
        # each part lies whole on one page: no row was cut by a page break
        holders = [n for n, (_, text) in enumerate(pages, 1) if part in text]
        assert len(holders) == 1, f"{name}：第 {index + 1} 段不在同一页上（{holders}）"
        number_text = pages[holders[0] - 1][0]
        assert long_number in number_text, f"{name}：第 {holders[0]} 页没有序号 {long_number}"
    rows_by_rule = {c.rule: c for c in check_pdf(pdf, layout, docx)}
    for rule in ("文字与 .docx 一致（无丢字）", "页码文字", "文字在版心内"):
        assert rows_by_rule[rule].passed, (name, rule, rows_by_rule[rule].measured)


@settings(max_examples=100, deadline=None)
@given(
    st.text(max_size=80), st.text(max_size=80), st.lists(st.integers(min_value=0, max_value=80), max_size=4)
)
def test_a_cut_change_keeps_every_mark(old, new, cuts):
    """The 修改对照表 cuts the plain text; each part's runs keep their struck or inserted marks."""
    before, _ = char_diff(old, new)
    points = sorted({min(c, len(old)) for c in cuts} | {0, len(old)})
    parts = [old[a:b] for a, b in zip(points, points[1:], strict=False)] or [""]
    clipped = [changes._clip(before, a, a + len(p)) for a, p in zip(points, parts, strict=False)]
    assert "".join(s.text for part in clipped for s in part) == old
    # every character keeps the mark it had
    assert [s.mark for part in clipped for s in part for _ in s.text] == [
        s.mark for s in before for _ in s.text
    ]
