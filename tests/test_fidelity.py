"""Every printed page says what the Word file says (issue 10): each character of the .docx is in its
LibreOffice PDF, and every page carries its own "— N —" as text in 4号 (14 pt), on landscape pages too.
`plandocs conform` fails a PDF that lost a "，" or a landscape page number."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PLAN_DIR
from plan_edits import replace_in
from returns_kit import fill, form_bytes

from generators.cli import main
from generators.collect import collect, summary_artifacts
from generators.conform import check_pdf
from generators.conform.fidelity import page_number_pattern, printed_text
from generators.conform.pdf_checks import read_pages
from generators.conform.source import docx_text
from generators.diff import diff_plans
from generators.formspec import FormsLayout
from generators.pipeline import build
from generators.plan import load_plan
from generators.render import changes

LETTERS = (
    "庙镇",
    "区应急局",
    "崇明海事局",
)  # a town, a district department, a unit stationed in the district
LEADER = "宋学梅"


def _artifact(out: Path, manifest: list[dict], kind: str, unit: str | None = None) -> Path:
    (entry,) = [e for e in manifest if e["kind"] == kind and (unit is None or Path(e["path"]).stem == unit)]
    return out / entry["path"]


@pytest.fixture(scope="module")
def proofs(tmp_path_factory, plan, views, layout) -> dict[str, tuple[Path, Path]]:
    """name → (.docx, its PDF) for each kind of document the office prints: one LibreOffice call."""
    import json

    from generators.pdf.soffice import convert_batch, find_soffice

    if find_soffice() is None:
        pytest.skip("未安装 LibreOffice（soffice），跳过 PDF 测试")
    out = tmp_path_factory.mktemp("proofs")
    build(PLAN_DIR, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    sources = {
        "opinion": _artifact(out, manifest, "opinion"),
        "annex": _artifact(out, manifest, "annex"),
        **{unit: _artifact(out, manifest, "letter", unit) for unit in LETTERS},
        "leader": next(
            p for p in (out / e["path"] for e in manifest) if p.stem == LEADER and p.suffix == ".docx"
        ),
    }
    # 修改对照表: one measure reworded against the plan as it is.
    edited = tmp_path_factory.mktemp("edited") / "plan"
    shutil.copytree(PLAN_DIR, edited)
    replace_in(edited, "opinion.yaml", "扫除监管盲区。", "消除监管盲区和死角，")
    new = load_plan(edited)
    sources["changes"] = out / "修改对照表.docx"
    sources["changes"].write_bytes(changes.document(diff_plans(plan, new), plan, new, layout))
    # 通报: two towns' first-quarter forms returned, one task lagging.
    returns = tmp_path_factory.mktemp("returns")
    spec = FormsLayout.of(layout)
    for unit in ("庙镇", "区应急局"):
        fill(form_bytes(plan, views, layout, 1, unit), returns / f"{unit}.xlsx", spec, date="2023年4月3日")
    collection = collect(plan, views, layout, 1, returns)
    (report,) = [a for a in summary_artifacts(plan, views, layout, collection) if a.kind == "summary-report"]
    sources["report"] = out / "通报.docx"
    sources["report"].write_bytes(report.data)
    pdf_dir = out / "pdf"
    pdf_dir.mkdir()
    convert_batch(list(sources.values()), pdf_dir, timeout_s=600)
    return {name: (docx, pdf_dir / f"{docx.stem}.pdf") for name, docx in sources.items()}


DOCUMENTS = ("opinion", "annex", *LETTERS, "leader", "changes", "report")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_character_of_the_docx_is_printed(proofs, layout, name):
    docx, pdf = proofs[name]
    expected = Counter(c for c in docx_text(docx).text if not c.isspace())
    printed = Counter(p.char for p in printed_text(pdf, layout))
    assert sum(expected.values()) > 100
    assert expected - printed == Counter(), f"{name}: PDF 缺 {dict(expected - printed)}"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_page_has_its_own_number_as_text_at_14_pt(proofs, layout, name):
    """7.5 / 8: "— N —" on every page, portrait or landscape; a letter's first page has none (10.1)."""
    _, pdf = proofs[name]
    pages = read_pages(pdf, layout)
    pattern = page_number_pattern(layout)
    letter = name in LETTERS
    for page in pages:
        footer = page.footer
        if letter and page.number == 1:
            assert footer is None or not pattern.match(footer.text)
            continue
        assert footer is not None, f"{name} 第 {page.number} 页没有页码"
        match = pattern.match(footer.text)
        assert match and int(match.group(1)) == page.number, f"{name} 第 {page.number} 页：{footer.text!r}"
        assert abs(footer.size - 14) < 0.5, f"{name} 第 {page.number} 页页码 {footer.size} 磅"
        assert footer.turned == page.landscape  # a landscape page's number is turned with the sheet (8)
    if name in ("annex", "leader", "changes"):
        assert all(page.landscape for page in pages)
    if name == "opinion":
        assert any(page.landscape for page in pages) and not pages[0].landscape


def test_body_lines_hold_28_characters_and_stay_in_the_type_area(proofs, layout):
    rows = {c.rule: c for c in check_pdf(proofs["opinion"][1], layout, proofs["opinion"][0])}
    for rule in (
        "每行字数（满行）",
        "文字在版心内",
        "每面行数（整页正文）",
        "文字与 .docx 一致（无丢字）",
        "文字顺序（表格外）",
    ):
        assert rows[rule].passed, (rule, rows[rule].measured)
    assert rows["每行字数（满行）"].measured.startswith("28 字")


def _with_extra_comma(docx: Path, target: Path, after: str) -> Path:
    """A copy of docx whose text has one more "，" after `after`: its PDF then lacks that comma."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert after in text
                data = text.replace(after, after + "，", 1).encode("utf-8")
            copy.writestr(item, data)
    return target


def test_conform_names_a_dropped_comma_with_page_and_line(proofs, layout, tmp_path):
    docx, pdf = proofs["opinion"]
    after = "各成员单位"
    planted = _with_extra_comma(docx, tmp_path / "planted.docx", after)
    rows = {c.rule: c for c in check_pdf(pdf, layout, planted)}
    lost = rows["文字与 .docx 一致（无丢字）"]
    assert not lost.passed
    printed = printed_text(pdf, layout)
    end = "".join(p.char for p in printed).index(after) + len(after) - 1  # where the comma is missing
    page, line = printed[end].page, printed[end].line
    assert re.search(rf"丢 1 字：第 {page} 页第 {line} 行“[^”]*{after}”后缺“，”", lost.measured), (
        lost.measured
    )
    assert rows["文字与 .docx 一致（无丢字）"].source == "pdf"
    # The same through the command line: a PDF with its .docx beside it.
    shutil.copy(pdf, tmp_path / "意见.pdf")
    shutil.copy(planted, tmp_path / "意见.docx")
    result = CliRunner().invoke(
        main, ["conform", str(tmp_path / "意见.pdf"), "--out", str(tmp_path / "none")]
    )
    assert result.exit_code == 1 and "后缺“，”" in result.output, result.output


def test_conform_fails_a_landscape_page_without_its_number(proofs, layout, tmp_path):
    from generators.pdf.soffice import convert_batch

    docx, pdf = proofs["annex"]
    assert {c.rule: c for c in check_pdf(pdf, layout, docx)}["页码文字"].passed
    target = tmp_path / "无页码附件.docx"
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            text = data.decode("utf-8", errors="ignore")
            if item.filename.startswith("word/footer") and "wps:txbx" in text and 'w:val="right"' in text:
                data = re.sub(r"<w:drawing>.*?</w:drawing>", "", text, flags=re.S).encode(
                    "utf-8"
                )  # odd pages
            copy.writestr(item, data)
    (broken,) = convert_batch([target], tmp_path, timeout_s=300)
    rows = {c.rule: c for c in check_pdf(broken, layout, target)}
    assert not rows["页码文字"].passed
    odd = [str(n) for n in range(1, len(read_pages(broken, layout)) + 1, 2)]
    assert f"错：第 {'、'.join(odd)} 页" in rows["页码文字"].measured
    assert not rows["页码位置（横排页）"].passed
    assert rows["文字与 .docx 一致（无丢字）"].passed  # only the number is missing


def test_conform_reports_a_mark_hanging_past_the_margin(proofs, layout, tmp_path):
    """With hanging punctuation on (LibreOffice reads w:overflowPunct 0 that way), line-end marks print
    in the right margin: conform fails the type area, though no character is lost."""
    from generators.pdf.soffice import convert_batch

    docx, _ = proofs["opinion"]
    target = tmp_path / "悬挂.docx"
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/styles.xml":
                text = data.decode("utf-8")
                assert '<w:overflowPunct w:val="1"/>' in text
                data = text.replace('<w:overflowPunct w:val="1"/>', '<w:overflowPunct w:val="0"/>').encode(
                    "utf-8"
                )
            copy.writestr(item, data)
    (hanging,) = convert_batch([target], tmp_path, timeout_s=300)
    rows = {c.rule: c for c in check_pdf(hanging, layout, target)}
    assert not rows["文字在版心内"].passed, rows["文字在版心内"].measured
    assert rows["文字与 .docx 一致（无丢字）"].passed


@pytest.mark.parametrize("name", ("annex", "leader", "changes"))
def test_table_documents_pass_every_rule_that_applies(proofs, layout, name):
    """A landscape table document is held to paper, type area, title, page numbers and fidelity; the rules
    for 3号 running text (22 lines, 28 characters, body fonts) are not listed for it."""
    docx, pdf = proofs[name]
    rows = {c.rule: c for c in check_pdf(pdf, layout, docx)}
    assert not [(rule, c.measured) for rule, c in rows.items() if not c.passed]
    assert "每行字数（满行）" not in rows and "正文字体字号" not in rows
    assert {
        "文字在版心内",
        "页码文字",
        "页码字号",
        "页码位置（横排页）",
        "文字与 .docx 一致（无丢字）",
    } <= set(rows)
