"""conform on the joined letters print file (issue 10): every letter restarts its page numbers and has
none on its first page (10.1). Where each letter starts comes from the build (the joined PDF's manifest
entry lists each letter's first page and page count), never from the text; each letter is checked as the
letter it is, and a missing number on a later letter's page 2 fails."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from conftest import PLAN_DIR, TEMPLATES_DIR
from pypdf import PdfReader

from generators.conform import check_file
from generators.conform.joined import Placed, _pagination
from generators.layout import load_layout
from generators.pdf.convert import convert_outputs
from generators.pdf.join import first_pages, join_letters
from generators.pipeline import build
from generators.plan import load_plan

PER_VOLUME = 3  # letters per print volume: the first volume is three letters, converted for real


def test_first_pages_put_every_letter_on_a_front_side():
    assert first_pages([1, 2, 3, 1]) == [1, 3, 5, 9]
    joined = PdfReader(BytesIO(join_letters([(str(n), _blank(n)) for n in (1, 2, 3, 1)])))
    assert [joined.get_destination_page_number(item) + 1 for item in joined.outline] == [1, 3, 5, 9]


def _blank(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pagination_names_a_misplaced_letter_and_text_on_a_blank_page():
    letters = [Placed("甲", "letters/甲.docx", 1, 3), Placed("乙", "letters/乙.docx", 5, 2)]
    assert _pagination(letters, [False, False, False, True, False, False]).passed
    stray = _pagination(letters, [False, False, False, False, False, False])
    assert not stray.passed and "第 4 页" in stray.measured
    shifted = [Placed("甲", "letters/甲.docx", 1, 3), Placed("乙", "letters/乙.docx", 4, 2)]
    assert not _pagination(shifted, [False] * 6).passed
    assert not _pagination(letters, [False, False, False, True, False]).passed  # a page short


@pytest.fixture(scope="module")
def joined(tmp_path_factory):
    """output/ of the plan built with three letters a print volume, its first volume printed for real."""
    from generators.pdf.soffice import find_soffice

    if find_soffice() is None:
        pytest.skip("未安装 LibreOffice（soffice），跳过 PDF 测试")
    base = tmp_path_factory.mktemp("joined")
    templates = base / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    profile = templates / "layout.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(
        re.sub(r"print_volume: \{value: \d+", f"print_volume: {{value: {PER_VOLUME}", text), "utf-8"
    )
    out = base / "out"
    build(PLAN_DIR, out, templates)
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    volume = next(e["path"] for e in entries if e["kind"] == "letters-print")
    report = convert_outputs(out, load_plan(PLAN_DIR), paths=[volume], letters_per_volume=PER_VOLUME)
    assert not report.failed, report.failed
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    entry = next(e for e in entries if e["kind"] == "pdf" and e["source"] == volume)
    return out, entry


def test_the_manifest_lists_where_each_letter_starts(joined):
    out, entry = joined
    letters = entry["letters"]
    assert len(letters) == PER_VOLUME
    counts = [len(PdfReader(out / _pdf_of(out, x["source"])).pages) for x in letters]
    assert [x["pages"] for x in letters] == counts
    assert [x["first_page"] for x in letters] == first_pages(counts)
    assert len(PdfReader(out / entry["path"]).pages) == sum(c + c % 2 for c in counts)
    assert max(counts) >= 2  # a letter with a page 2 to number


def _pdf_of(out: Path, source: str) -> str:
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    return next(e["path"] for e in entries if e["kind"] == "pdf" and e["source"] == source)


def test_conform_checks_each_letter_with_its_own_numbers(joined):
    out, entry = joined
    layout = load_layout()
    rows = {c.rule: c for c in check_file(out / entry["path"], layout, out)}
    for rule in ("合订本分页（按清单中各函的起页）", "页码文字", "页码字号", "文字与 .docx 一致（无丢字）"):
        assert rows[rule].passed, (rule, rows[rule].measured)
    assert rows["页码文字"].measured.startswith(f"{PER_VOLUME}/{PER_VOLUME} 份函")
    # the same file held to one running number (as before) fails: numbering restarts per letter
    from generators.conform.issue_checks import check_letter_pdf

    plain = {c.rule: c for c in check_letter_pdf(out / entry["path"], layout)}
    assert not plain["页码文字"].passed


def _without_even_page_numbers(docx: Path, target: Path) -> Path:
    """A copy of a letter whose even-page footer is emptied: its page 2 prints no number."""
    with zipfile.ZipFile(docx) as z:
        document = z.read("word/document.xml").decode("utf-8")
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        rid = re.search(r'<w:footerReference w:type="even" r:id="(\w+)"', document).group(1)
        footer = "word/" + re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)
        if f'Id="{rid}"' not in rels:
            raise AssertionError(rid)
        with zipfile.ZipFile(target, "w") as copy:
            for item in z.infolist():
                data = z.read(item)
                if item.filename == footer:
                    data = re.sub(
                        rb"<w:r>.*?</w:r>|<w:r .*?</w:r>|<w:fldSimple.*?</w:fldSimple>", b"", data, flags=re.S
                    )
                copy.writestr(item, data)
    return target


def test_a_missing_number_on_a_later_letters_page_2_fails(joined, tmp_path):
    from generators.pdf.soffice import convert_batch

    out, entry = joined
    layout = load_layout()
    letters = entry["letters"]
    later = next(x for x in letters[1:] if x["pages"] >= 2)
    broken_docx = _without_even_page_numbers(out / later["source"], tmp_path / Path(later["source"]).name)
    (broken,) = convert_batch([broken_docx], tmp_path / "pdf", timeout_s=300)
    pdfs = [
        (x["unit"], broken.read_bytes() if x is later else (out / _pdf_of(out, x["source"])).read_bytes())
        for x in letters
    ]
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    (copy / entry["path"]).write_bytes(join_letters(pdfs))
    rows = {c.rule: c for c in check_file(copy / entry["path"], layout, copy)}
    assert not rows["页码文字"].passed
    assert f"{later['unit']}（合订本第 {later['first_page']}–" in rows["页码文字"].measured
    assert re.search(r"错：第 2[、 ]", rows["页码文字"].measured)  # the letter's own page 2
    assert rows["合订本分页（按清单中各函的起页）"].passed


def test_a_joined_file_without_its_letters_listed_is_one_failed_row(joined, tmp_path):
    out, entry = joined
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    for e in manifest["artifacts"]:
        e.pop("letters", None)
    (copy / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    (row,) = check_file(copy / entry["path"], load_layout(), copy)
    assert not row.passed and "plandocs pdf" in row.measured
