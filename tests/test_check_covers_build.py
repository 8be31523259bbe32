"""check ⊇ build: whatever in plan/ would make the build fail is reported by `check` at file:line:col, the
build refuses it the same way (exit 2, output/ untouched), and `import` never writes such a plan."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import PLAN_DIR, SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from promises import plandocs, tree

from generators.pipeline import build
from generators.plan import PlanError, load_plan
from generators.plan.yamlnodes import MAX_ALIAS_VALUES

WHERE = re.compile(r"^(\S+?):(\d+):(\d+): (.*)$")
MEASURE_17 = "完善安全生产行政审批各类办事指南"


def _edit(plan_dir: Path, file: str, old: str, new: str) -> int:
    path = plan_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _refused(tmp_path: Path, file: str, line: int, *words: str) -> None:
    """check and build both refuse at plan/<file>:<line>, naming the words; output/ and plan/ unchanged."""
    plan_dir, out = tmp_path / "plan", tmp_path / "output"
    before = tree(tmp_path)
    checked = plandocs("check", "--plan", str(plan_dir))
    assert checked.exit_code == 2, checked.output
    hits = [WHERE.match(x) for x in checked.output.splitlines()]
    hits = [m for m in hits if m and m.group(1).endswith(f"plan/{file}") and int(m.group(2)) == line]
    assert hits, checked.output
    assert all(word in hits[0].group(4) for word in words), hits[0].group(0)
    built = plandocs("build", "--plan", str(plan_dir), "--out", str(out))
    assert built.exit_code == 2 and "Traceback" not in built.output
    assert tree(tmp_path) == before


@pytest.fixture
def plan_here(tmp_path) -> Path:
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    return tmp_path / "plan"


@pytest.mark.parametrize("date", ["2023-02-30", "2023-13-45", "2023-00-10", "0000-01-01", "2023-2-3"])
def test_an_impossible_date_of_issue(plan_here, tmp_path, date):
    line = _edit(plan_here, "meta.yaml", '成文日期: "2023-03-01"', f'成文日期: "{date}"')
    _refused(tmp_path, "meta.yaml", line, date)


def test_an_impossible_due_date(plan_here, tmp_path):
    line = _edit(plan_here, "meta.yaml", '"2023-07-05"', '"2023-13-45"')
    _refused(tmp_path, "meta.yaml", line, "2023-13-45", "不是实际存在的日期")


def test_missing_due_dates(plan_here, tmp_path):
    """Every letter and quarterly form prints the due dates: without them the plan is incomplete."""
    path = plan_here / "meta.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(x for x in lines if not x.startswith("季度报送截止日期")), encoding="utf-8")
    first_key = next(i for i, x in enumerate(lines, 1) if x and not x.startswith("#"))
    _refused(tmp_path, "meta.yaml", first_key, "季度报送截止日期")


@pytest.mark.parametrize("escaped", ["\\x07", "\\0", "\\x1b", "\\x0c", "\\uFFFE", "\\x08"])
def test_an_escaped_control_character_in_measure_text(plan_here, tmp_path, escaped):
    line = _edit(plan_here, "opinion.yaml", f"{MEASURE_17}", f"{MEASURE_17}")  # locate the measure
    path = plan_here / "opinion.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    key, _, value = lines[line - 1].partition("内容: ")
    lines[line - 1] = f'{key}内容: "{value.replace(MEASURE_17, MEASURE_17 + escaped)}"'
    path.write_text("\n".join(lines), encoding="utf-8")
    _refused(tmp_path, "opinion.yaml", line, "控制字符")


def test_a_ninety_character_unit_name(plan_here, tmp_path):
    long_name = "区" + "应急管理" * 22 + "局"
    line = _edit(plan_here, "units.yaml", "{简称: 区气象局,", f"{{简称: {long_name},")
    _refused(tmp_path, "units.yaml", line, "过长", "90 个字符")


def test_a_yaml_alias_bomb_is_refused_at_the_alias(plan_here, tmp_path):
    bomb = ["lol: &a0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    (plan_here / "leaders.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    # *a0 is 11 values (the list and its items), *a1 111: line 2 adds 110, line 3 passes 1000 at its 9th alias
    assert MAX_ALIAS_VALUES == 1000
    _refused(tmp_path, "leaders.yaml", 3, "*a1", "别名炸弹", str(MAX_ALIAS_VALUES))


def test_a_few_aliases_are_still_fine(plan_here):
    path = plan_here / "leaders.yaml"
    text = path.read_text(encoding="utf-8").replace("职务: 区政府领导", "职务: &title 区政府领导", 1)
    path.write_text(text.replace("职务: 区政府领导", "职务: *title"), encoding="utf-8")
    assert {leader.title for leader in load_plan(plan_here).leaders} == {"区政府领导"}


# --- hypothesis: any measure text either is refused by check with a location, or builds ---------------

PIECES = [
    "=",
    "+",
    "-",
    "@",
    "{{",
    "}}",
    "{%",
    "%}",
    "<w:p>",
    "&amp;",
    "\x00",
    "\x07",
    "\x1b",
    "\n",
    "\t",
    "\ufffe",
]
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(PIECES), st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=5)
    ),
    max_size=10,
).map("".join)
BUILT_KINDS = {"opinion", "letter", "form"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extra=HOSTILE)
def test_any_measure_text_is_refused_by_check_or_builds(tmp_path_factory, extra):
    folder = tmp_path_factory.mktemp("fuzz")
    plan_dir = shutil.copytree(PLAN_DIR, folder / "plan")
    line = _edit(plan_dir, "opinion.yaml", MEASURE_17, MEASURE_17)
    path = plan_dir / "opinion.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    key, _, value = lines[line - 1].partition("内容: ")
    text = value.replace(MEASURE_17, MEASURE_17 + extra)
    # YAML reads a raw NEL, LS or PS inside quotes as a line break (folded to a space): escaped, the
    # plan holds exactly the text generated
    quoted = json.dumps(text, ensure_ascii=False)
    for char in "\x85\u2028\u2029":
        quoted = quoted.replace(char, f"\\u{ord(char):04x}")
    lines[line - 1] = f"{key}内容: {quoted}"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        plan = load_plan(plan_dir)
    except PlanError as err:
        for problem in err.problems:
            assert problem.where.line >= 1 and problem.where.col >= 1
            assert problem.where.file.endswith(".yaml")
        return
    assert any(extra.strip() in m.text for m in plan.measures)
    result = build(
        plan_dir,
        folder / "output",
        workers=1,
        select=lambda job: job.kind in BUILT_KINDS and job.unit in (None, "区应急局"),
    )
    assert {e["kind"] for e in result.entries} == BUILT_KINDS


# --- import never writes a plan check rejects ----------------------------------------------------------


def test_import_refuses_a_draft_whose_plan_check_would_reject(tmp_path):
    plan_dir = shutil.copytree(PLAN_DIR, tmp_path / "plan")
    draft = tmp_path / "draft.txt"
    text = SEED.read_text(encoding="utf-8")
    assert MEASURE_17 in text
    draft.write_text(text.replace(MEASURE_17, MEASURE_17 + "\x07"), encoding="utf-8")
    before = tree(plan_dir)
    result = plandocs("import", str(draft), "--into", str(plan_dir))
    assert result.exit_code == 2, result.output
    assert "控制字符" in result.output and "Traceback" not in result.output
    assert tree(plan_dir) == before


# --- the title and 文件名 name files: check passes ⇒ build succeeds -----------------------------------

TITLE_LINE = "标题: 上海市崇明区2023年安全生产工作意见"
STEM_LINE = "文件名: 崇明区2023年安全生产工作意见"
NAMED_KINDS = {
    "opinion",
    "notice",
    "issue",
    "letter",
}  # the files named after the stem, and a letter printing it


def _titled(plan_dir: Path, title: str, stem: str | None) -> None:
    """meta.yaml with this 标题, and this 文件名 (None: the line commented out, the title names the files)."""
    _edit(plan_dir, "meta.yaml", TITLE_LINE, f"标题: {json.dumps(title, ensure_ascii=False)}")
    new_stem = f"# {STEM_LINE}" if stem is None else f"文件名: {json.dumps(stem, ensure_ascii=False)}"
    _edit(plan_dir, "meta.yaml", STEM_LINE, new_stem)


def _check_then_build(folder: Path, title: str, stem: str | None) -> set[str] | None:
    """The kinds built, or None when check refused the plan (each problem at file:line:col)."""
    plan_dir = shutil.copytree(PLAN_DIR, folder / "plan")
    _titled(plan_dir, title, stem)
    try:
        load_plan(plan_dir)
    except PlanError as err:
        assert all(p.where.line >= 1 and p.where.file.endswith("meta.yaml") for p in err.problems)
        return None
    result = build(
        plan_dir,
        folder / "output",
        workers=1,
        select=lambda job: job.kind in NAMED_KINDS and job.unit in (None, "区应急局"),
    )
    return {e["kind"] for e in result.entries}


@pytest.mark.parametrize(
    "title,stem,file",
    [
        ("上海市", None, "上海市.docx"),  # was refused by build alone: the file name lost its "上海市" prefix
        ("上海市.", "上海市", "上海市.docx"),
        ("上海市 安全", None, "上海市 安全.docx"),
        ("上海市崇明区2023年安全生产工作意见", None, "上海市崇明区2023年安全生产工作意见.docx"),
        ("区/局 & <工作> {{意见}}", "意见", "意见.docx"),  # the title is no file name when 文件名 is set
        (
            "上海市崇明区2023年安全生产工作意见",
            "崇明区2023年安全生产工作意见",
            "崇明区2023年安全生产工作意见.docx",
        ),
    ],
)
def test_odd_titles_that_check_passes_build(tmp_path, title, stem, file):
    assert _check_then_build(tmp_path, title, stem) == NAMED_KINDS
    manifest = json.loads((tmp_path / "output" / "manifest.json").read_text(encoding="utf-8"))
    paths = {e["kind"]: e["path"] for e in manifest["artifacts"]}
    assert paths["opinion"] == file
    assert paths["notice"] == file.removesuffix(".docx") + "_印发通知.docx"


@pytest.mark.parametrize(
    "title,stem,word",
    [
        ("上海市/崇明区", None, "标题"),
        (".", None, "标题"),
        ("意见", "../意见", "文件名"),
        ("意见", "上海市:", "文件名"),
    ],
)
def test_a_bad_file_name_is_refused_where_it_is_written(plan_here, tmp_path, title, stem, word):
    _titled(plan_here, title, stem)
    line = next(
        i for i, x in enumerate((plan_here / "meta.yaml").read_text().split("\n"), 1) if x.startswith(word)
    )
    _refused(tmp_path, "meta.yaml", line, word, "文件名")


TITLE_PIECES = [
    "上海市",
    "崇明区",
    "2023年",
    ".",
    " ",
    "\u3000",
    "/",
    ":",
    "..",
    "CON",
    "{{",
    "&",
    "\n",
    "\x07",
]
TITLES = st.lists(st.one_of(st.sampled_from(TITLE_PIECES), st.text(max_size=4)), max_size=8).map("".join)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TITLES, stem=st.one_of(st.none(), TITLES))
def test_any_title_is_refused_by_check_or_builds(tmp_path_factory, title, stem):
    built = _check_then_build(tmp_path_factory.mktemp("title"), title, stem)
    assert built is None or built == NAMED_KINDS
