"""conform on the short letters in 信函格式 (退回通知, 督办单) as LibreOffice prints them: one page, its first
page unnumbered (GB/T 9704-2012 10.1) and not a full body page, so 每面行数 and 页码字号 say 不适用 there;
both rules still fail on a planted defect (a number printed on the first page, a body page ending early)."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import TEMPLATES_DIR
from returns_kit import fill, form_bytes

from generators.app.collect import collect
from generators.app.ledger import supervise
from generators.collect import convert
from generators.conform import check_file
from generators.conform.pdf_checks import _grid, _page_numbers, read_pages
from generators.formspec import FormsLayout

REFUSED = "新河镇"


@pytest.fixture(scope="module")
def short_letters(tmp_path_factory, plan, views, layout):
    """新河镇's 退回通知 and 督办单 and their LibreOffice PDFs (a collect and a supervise on a plan copy)."""
    import shutil

    from conftest import PLAN_DIR

    from generators.pdf.soffice import convert_batch

    root = tmp_path_factory.mktemp("short")
    plan_dir, out, returns = root / "plan", root / "output", root / "returns"
    shutil.copytree(PLAN_DIR, plan_dir)
    fill(
        form_bytes(plan, views, layout, 1, "区应急局"),
        returns / "区应急局.xlsx",
        FormsLayout.of(layout),
        date="2023年4月3日",
    )
    (returns / f"{REFUSED}.xlsx").write_text("这不是工作簿", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(convert, "find_soffice", lambda: None)
        done = collect(plan_dir, out, TEMPLATES_DIR, 1, returns)
    assert done.recorded is not None
    supervised = supervise(plan_dir, out, TEMPLATES_DIR, 1)
    notice = next(
        p for p in map(type(out), done.written) if p.parent.name == "退回通知" and p.stem == REFUSED
    )
    letter = next(p for p in map(type(out), supervised.written) if p.suffix == ".docx" and p.stem == REFUSED)
    pdfs = convert_batch([notice, letter], root / "pdf", timeout_s=300)
    return dict(zip(("return-notice", "supervision"), pdfs, strict=True))


@pytest.mark.parametrize("kind", ["return-notice", "supervision"])
def test_a_one_page_letter_passes_conform(short_letters, layout, kind):
    pdf = short_letters[kind]
    checks = {c.rule: c for c in check_file(pdf, layout)}
    assert len(read_pages(pdf, layout)) == 1
    assert checks["每面行数"].passed and "不适用" in checks["每面行数"].measured
    assert checks["页码字号"].passed and "不适用" in checks["页码字号"].measured
    assert [c.rule for c in checks.values() if not c.passed] == []


def test_a_number_on_the_first_page_still_fails(short_letters, layout):
    (page,) = read_pages(short_letters["supervision"], layout)
    body = page.lines[-1]
    footer = dataclasses.replace(body, text="— 1 —", top=page.bottom + 20, bottom=page.bottom + 34)
    checks = {c.rule: c for c in _page_numbers([dataclasses.replace(page, footer=footer)], layout, True)}
    assert not checks["页码文字"].passed and not checks["页码字号"].passed


def test_a_body_page_ending_early_still_fails(short_letters, layout):
    """The letter's body lines (title set aside) as page 1 of 2: a page of body text followed by another
    holds 22 lines; this one holds fewer."""
    (page,) = read_pages(short_letters["return-notice"], layout)
    body = tuple(line for line in page.lines if line.size <= layout.style("正文").size_pt + 1)
    first = dataclasses.replace(page, lines=body)
    second = dataclasses.replace(page, number=2)
    checks = {c.rule: c for c in _grid([first, second], layout)}
    assert len(body) < layout.lines_per_page
    assert not checks["每面行数（整页正文）"].passed
    # three pages, none of them all body text: no longer a short letter, the missing full page fails
    (grid,) = _grid([page, second, dataclasses.replace(page, number=3)], layout)
    assert grid.rule == "每面行数" and not grid.passed and grid.measured == "无整页正文"
