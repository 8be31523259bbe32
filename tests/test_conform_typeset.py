"""conform's table typesetting rules on the PDF (issue 21): a unit name split across two lines of a table
cell, and a line that starts with a closing mark (避头尾), each failing on a planted defect."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.shared import Mm

from generators.app.conform import roster_names
from generators.cli import main
from generators.conform.typeset import Break, split_name, typeset_checks
from generators.pdf.pool import Source, convert_many

PLAN_DIR = Path(__file__).resolve().parent.parent / "plan"
pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="无 LibreOffice")


def _table_pdf(cells: list[str], tmp_path, name: str):
    """A PDF of a one-row table, each cell's text with its own line breaks (\\n) as LibreOffice prints it."""
    word = Document()
    table = word.add_table(rows=1, cols=len(cells))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, cells, strict=True):
        cell.width = Mm(60)
        run = cell.paragraphs[0].add_run()
        for i, line in enumerate(text.split("\n")):
            if i:
                run.add_break()
            run.add_text(line)
    data = io.BytesIO()
    word.save(data)
    (made,) = list(convert_many([Source(f"{name}.docx", data.getvalue())], workers=1))
    assert made.pdf is not None
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(made.pdf)
    return path


def _rule(checks, word):
    (check,) = [c for c in checks if word in c.rule]
    return check


def test_a_unit_name_broken_in_a_cell_fails_and_is_named(tmp_path, layout):
    names = roster_names(PLAN_DIR)
    assert names is not None and "区教育局" in names
    bad = _table_pdf(["区应急局、区教育\n局、区民政局", "第3项任务"], tmp_path, "bad")
    check = _rule(typeset_checks(bad, layout, names), "单位名称")
    assert not check.passed
    assert "第 1 页" in check.measured and "拆开了“区教育局”" in check.measured
    good = _table_pdf(["区应急局、区教育局\n区民政局", "第3项任务"], tmp_path, "good")
    assert _rule(typeset_checks(good, layout, names), "单位名称").passed


def test_a_line_starting_with_a_closing_mark_fails_and_is_named(tmp_path, layout):
    bad = _table_pdf(["城桥镇、堡镇\n、庙镇", "把落实\n。把检查"], tmp_path, "marks")
    check = _rule(typeset_checks(bad, layout, None), "避头尾")
    assert not check.passed
    assert "2 处" in check.measured and "、庙镇" in check.measured
    opening = _table_pdf(["各乡镇（\n街道）"], tmp_path, "opening")
    assert not _rule(typeset_checks(opening, layout, None), "避头尾").passed
    good = _table_pdf(["城桥镇、堡镇、\n庙镇"], tmp_path, "fine")
    assert _rule(typeset_checks(good, layout, None), "避头尾").passed


def test_split_name_finds_the_name_cut_at_any_point():
    names = ("区人力资源社会保障局", "区应急局")
    assert split_name(Break(1, "……、区人力资", "源社会保障局、", True), names) == "区人力资源社会保障局"
    assert split_name(Break(1, "区应急局、", "区人力资源社会保障局", True), names) is None
    assert split_name(Break(1, "区", "应急局牵头", True), names) == "区应急局"


def test_conform_reads_the_roster_of_the_plan(tmp_path):
    bad = _table_pdf(["区应急局、区教育\n局", "任务"], tmp_path, "cli")
    made = CliRunner().invoke(main, ["conform", str(bad), "--plan", str(PLAN_DIR)])
    assert made.exit_code == 1
    assert "单位名称不断行" in made.output and "拆开了“区教育局”" in made.output
    alone = CliRunner().invoke(main, ["conform", str(bad), "--plan", str(tmp_path / "无此目录")])
    assert "不适用：未读到单位名册" in alone.output
