"""`plandocs pdf`: LibreOffice output with the substitute fonts, the joined letters, the manifest."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader, PdfWriter

from generators.cli import main
from generators.pdf.join import join_letters
from generators.pdf.soffice import DEBIAN_PACKAGES
from generators.pdf.stable import stable_pdf

A4 = (595.3, 841.9)


def manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]


def pdf_of(out: Path, kind: str) -> list[dict]:
    sources = {e["path"] for e in manifest(out) if e["kind"] == kind}
    return [e for e in manifest(out) if e["kind"] == "pdf" and e.get("source") in sources]


def page_size(page) -> tuple[float, float]:
    return float(page.mediabox.width), float(page.mediabox.height)


def font_names(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


# --- without LibreOffice ---


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=A4[0], height=A4[1])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_join_adds_a_bookmark_per_unit_and_pads_odd_letters():
    joined = PdfReader(
        BytesIO(join_letters([("甲单位", blank_pdf(1)), ("乙单位", blank_pdf(2)), ("丙", blank_pdf(3))]))
    )
    assert len(joined.pages) == 2 + 2 + 4
    starts = [(item.title, joined.get_destination_page_number(item)) for item in joined.outline]
    assert starts == [("甲单位", 0), ("乙单位", 2), ("丙", 4)]


def test_stable_pdf_replaces_clock_and_random_id_keeping_length():
    pdf = (
        b"%PDF-1.6\n/CreationDate(D:20261128161330Z')>>\ntrailer\n"
        b"/ID [ <58CBBABC9FFA0E6B16AB1015800DB807>\n<58CBBABC9FFA0E6B16AB1015800DB807> ]\n"
        b"/DocChecksum /4615E76E99D1D36FCBF08CA13639924B\n"
    )
    other_run = (
        pdf.replace(b"161330", b"170102").replace(b"58CBBABC", b"11112222").replace(b"4615E76E", b"0000AAAA")
    )
    fixed = stable_pdf(pdf, b"source", "2023-03-01")
    assert fixed == stable_pdf(other_run, b"source", "2023-03-01")
    assert len(fixed) == len(pdf)
    assert b"D:20230301000000" in fixed
    assert hashlib.md5(b"source").hexdigest().upper().encode() in fixed
    assert fixed != stable_pdf(pdf, b"other source", "2023-03-01")


def test_missing_libreoffice_names_the_packages_and_fails_only_pdf(tmp_path, plan_copy):
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    runner = CliRunner()
    result = runner.invoke(
        main, ["pdf", "--plan", str(plan_copy), "--out", str(tmp_path / "out")], env={"PATH": str(empty_bin)}
    )
    assert result.exit_code == 1
    assert "未找到 LibreOffice" in result.output
    assert all(package in result.output for package in DEBIAN_PACKAGES)
    assert not (tmp_path / "out").exists()
    checked = runner.invoke(main, ["check", "--plan", str(plan_copy)], env={"PATH": str(empty_bin)})
    assert checked.exit_code == 0


# --- rendered by LibreOffice (the `printed` fixture skips locally without it, fails in CI) ---


def test_opinion_pdf_is_a4_with_landscape_annex(printed):
    (entry,) = pdf_of(printed, "opinion")
    reader = PdfReader(printed / entry["path"])
    sizes = [page_size(p) for p in reader.pages]
    for width, height in sizes:
        assert sorted((round(width, 1), round(height, 1))) == list(A4)
    orientation = ["landscape" if w > h else "portrait" for w, h in sizes]
    first_landscape = orientation.index("landscape")
    assert first_landscape > 1
    assert set(orientation[:first_landscape]) == {"portrait"}
    assert set(orientation[first_landscape:]) == {"landscape"}
    annex_text = reader.pages[first_landscape].extract_text()
    assert "附件" in annex_text and "任务清单" in annex_text


def test_opinion_pdf_embeds_the_substitute_fonts_not_dejavu(printed):
    (entry,) = pdf_of(printed, "opinion")
    names = font_names(PdfReader(printed / entry["path"]))
    assert "FandolFang-Regular" in names
    assert any(n.startswith("NotoSerifCJK") and "Bold" in n for n in names)  # 小标宋
    assert any(n.startswith("NotoSansCJK") for n in names)  # 黑体
    assert "GBZenKai-Medium" in names  # 楷体
    assert not [n for n in names if "DejaVu" in n]


def test_opinion_pdf_conforms_to_gbt_9704(printed):
    result = CliRunner().invoke(main, ["conform", "--out", str(printed)])
    failing = [line for line in result.output.splitlines() if line.rstrip().endswith("不通过")]
    assert not failing, result.output
    assert result.exit_code == 0, result.output
    assert "每面行数" in result.output and "每行字数" in result.output


def test_each_letter_pdf_renders_its_unit(printed):
    letters = pdf_of(printed, "letter")
    assert len(letters) == 3
    for entry in letters:
        reader = PdfReader(printed / entry["path"])
        assert len(reader.pages) >= 1
        text = "".join(reader.pages[0].extract_text().split())
        assert entry["unit"] in text


def test_combined_letters_have_a_bookmark_per_unit_and_even_lengths(printed):
    letters = pdf_of(printed, "letter")
    (combined,) = pdf_of(printed, "letters-print")
    reader = PdfReader(printed / combined["path"])
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert [item.title for item in reader.outline] == [e["unit"] for e in letters]
    lengths = [b - a for a, b in zip(starts, starts[1:] + [len(reader.pages)], strict=True)]
    assert all(n % 2 == 0 for n in lengths)
    own = [len(PdfReader(printed / e["path"]).pages) for e in letters]
    assert lengths == [n + n % 2 for n in own]


def test_manifest_records_each_pdf_with_its_source(printed):
    entries = manifest(printed)
    paths = {e["path"]: e for e in entries}
    pdfs = [e for e in entries if e["kind"] == "pdf"]
    printable = [e for e in entries if e["kind"] not in ("pdf", "letters-print")]
    assert len(pdfs) == len(printable) + 1  # and the joined letters
    assert {paths[e["source"]]["kind"] for e in pdfs} == {
        "opinion",
        "letter",
        "letters-print",
        "annex-xlsx",
        "matrix",
        "form",
        "leader-sheet",
    }
    for entry in pdfs:
        data = (printed / entry["path"]).read_bytes()
        assert data.startswith(b"%PDF")
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        source = paths[entry["source"]]
        if source["kind"] != "letters-print":
            assert entry["source_sha256"] == source["sha256"]


def test_spreadsheets_and_leader_sheets_print_their_text(printed):
    """The .xlsx kinds and the leader sheet come out of LibreOffice as PDFs with their own content."""
    entries = manifest(printed)
    kinds = {e["path"]: e for e in entries}
    for entry in (e for e in entries if e["kind"] == "pdf"):
        source = kinds[entry["source"]]
        if source["kind"] not in ("annex-xlsx", "matrix", "form", "leader-sheet"):
            continue
        reader = PdfReader(printed / entry["path"])
        text = "".join("".join(page.extract_text().split()) for page in reader.pages)
        expected = source.get("unit") or source.get("leader") or "任务"
        assert expected in text, (entry["path"], text[:200])


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None and os.environ.get("CI") != "true", reason="无 poppler-utils"
)
def test_first_page_is_not_blank(printed, tmp_path):
    (entry,) = pdf_of(printed, "opinion")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(printed / entry["path"]),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    image = Image.open(png).convert("L")
    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 0.005 * image.width * image.height


def test_each_letter_pdf_is_in_letter_format(printed):
    """信函格式 (10.1) measured on every converted letter: organ mark 30mm from the top, the red double
    rules (4mm under the mark, 20mm above the bottom edge, 170mm), title two lines down, no number on
    page 1, the other pages numbered."""
    from generators.conform import check_file
    from generators.layout import load_layout

    layout = load_layout()
    for entry in pdf_of(printed, "letter"):
        checks = check_file(printed / entry["path"], layout, printed)
        assert [(c.rule, c.measured) for c in checks if not c.passed] == [], entry["path"]
        assert {"标志下红色双线（上粗下细）", "下页边红色双线（上细下粗）", "信函首页不编页码"} <= {
            c.rule for c in checks
        }
