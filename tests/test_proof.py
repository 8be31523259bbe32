"""`plandocs proof`: one PDF with the first and last page of every printed document, each labelled."""

from __future__ import annotations

import io
import json
import shutil

import pdfplumber
import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_BREAK

from generators.cli import main
from generators.output import sha256
from generators.pdf.pool import Source, convert_many
from generators.pdf.proof import PROOF_KIND, PROOF_PATH

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="无 LibreOffice")


def _docx(pages: list[str]) -> bytes:
    word = Document()
    for i, text in enumerate(pages):
        run = word.add_paragraph().add_run(text)
        if i + 1 < len(pages):
            run.add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """output/ as `plandocs pdf` leaves it: a one-page 督办单 and a three-page letter, their PDFs listed."""
    out = tmp_path_factory.mktemp("proof") / "output"
    docs = {
        "督办/2023Q1/区应急局.docx": ("supervision", ["甲单位督办正文"]),
        "letters/区司法局.docx": ("letter", ["乙函第一页", "乙函第二页", "乙函第三页"]),
    }
    sources = {path: _docx(pages) for path, (_, pages) in docs.items()}
    pdfs = {c.name: c.pdf for c in convert_many([Source(p, d) for p, d in sources.items()])}
    entries = []
    for path, (kind, _) in docs.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(sources[path])
        entries.append({"kind": kind, "path": path, "sha256": sha256(sources[path])})
    for path in docs:
        pdf = "pdf/" + path.rsplit(".", 1)[0] + ".pdf"
        (out / pdf).parent.mkdir(parents=True, exist_ok=True)
        data = pdfs[path]
        assert data is not None
        (out / pdf).write_bytes(data)
        entries.append({"kind": "pdf", "path": pdf, "sha256": sha256(data), "source": path})
    manifest = {"plan": {}, "artifacts": entries}  # as plandocs writes it: the output guard knows it
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
    return out


def _pages(path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return ["".join((page.extract_text() or "").split()) for page in pdf.pages]


def test_one_sheet_per_document_with_its_first_and_last_page_labelled(printed):
    made = CliRunner().invoke(main, ["proof", "--out", str(printed)])
    assert made.exit_code == 0, made.output
    assert "2 份文件" in made.output
    first, second = _pages(printed / PROOF_PATH)
    assert "督办督办/2023Q1/区应急局.docx" in first and "第1页（共1页）" in first
    assert "分工函letters/区司法局.docx" in second
    assert "第1页（共3页）" in second and "第3页（共3页）" in second
    # the pages themselves, drawn as pictures: one on the one-page document's sheet, two on the other's
    assert [len(_pictures(printed / PROOF_PATH, i)) for i in (0, 1)] == [1, 2]


def test_the_pictures_are_the_first_and_the_last_page(printed, tmp_path):
    """The thumbnails are the documents' own pages: each matches its page rendered alone (the letter's
    first and third pages, not its second)."""
    from pypdf import PdfReader

    proof = PdfReader(printed / PROOF_PATH)
    letter = PdfReader(printed / "pdf/letters/区司法局.pdf")
    first, last = _pictures(printed / PROOF_PATH, 1)
    assert first.size[0] < first.size[1]  # portrait pages, upright
    own = [_ink(picture_of(letter, i)) for i in range(3)]
    assert _ink(first) == pytest.approx(own[0], rel=0.02) and _ink(last) == pytest.approx(own[2], rel=0.02)
    assert len(proof.pages) == 2


def picture_of(reader, index):
    from PIL import Image

    from generators.pdf.proof import render

    data = io.BytesIO()
    writer = __import__("pypdf").PdfWriter()
    writer.add_page(reader.pages[index])
    writer.write(data)
    thumb = render(data.getvalue(), 0)
    assert thumb is not None
    return Image.open(io.BytesIO(thumb.jpeg))


def _pictures(path, index):
    """The sheet's pictures as the proof holds them: the JPEG streams decoded by Pillow (pypdf's own image
    extraction decodes them a little differently, which blurs the ink comparison)."""
    from PIL import Image
    from pypdf import PdfReader

    xobjects = PdfReader(path).pages[index]["/Resources"]["/XObject"]
    streams = [ref.get_object() for _, ref in sorted(xobjects.items())]
    return [Image.open(io.BytesIO(s.get_data())) for s in streams if s["/Subtype"] == "/Image"]


def _ink(image) -> float:
    """How much of the picture is printed (dark): the same page gives the same ink."""
    grey = image.convert("L")
    return sum(1 for v in grey.tobytes() if v < 128) / (grey.size[0] * grey.size[1])


def test_registered_in_the_manifest_and_made_once(printed):
    CliRunner().invoke(main, ["proof", "--out", str(printed)])
    manifest = json.loads((printed / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = [e for e in manifest["artifacts"] if e["kind"] == PROOF_KIND]
    data = (printed / PROOF_PATH).read_bytes()
    assert entry["path"] == PROOF_PATH and entry["sha256"] == sha256(data) and entry["documents"] == 2
    assert sum(e["kind"] == "pdf" for e in manifest["artifacts"]) == 2  # the pdf entries stay
    again = CliRunner().invoke(main, ["proof", "--out", str(printed)])
    assert again.exit_code == 0 and again.output.startswith("未变"), again.output
    assert (printed / PROOF_PATH).read_bytes() == data


def test_a_missing_pdf_is_named_and_left_out(printed, tmp_path):
    out = tmp_path / "output"
    shutil.copytree(printed, out)
    (out / "pdf/letters/区司法局.pdf").unlink()
    made = CliRunner().invoke(main, ["proof", "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert "未收入校样：pdf/letters/区司法局.pdf" in made.output
    assert len(_pages(out / PROOF_PATH)) == 1


def test_without_pdfs_it_says_to_run_pdf_first(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    made = CliRunner().invoke(main, ["proof", "--out", str(out)])
    assert made.exit_code == 1
    assert "请先运行 plandocs pdf" in made.output and "Traceback" not in made.output
    assert not (out / "pdf").exists()


def test_a_changed_pdf_redraws_only_its_own_pictures_and_the_proof_is_as_made_afresh(
    printed, tmp_path, monkeypatch
):
    """The pictures are kept in the proof under their PDF's sha256: after one PDF changed, only its pages
    are rendered again, and the proof is byte for byte the one a first run makes from the same PDFs."""
    from pypdf import PdfWriter

    import generators.pdf.proof as proof_module

    out, fresh = tmp_path / "output", tmp_path / "fresh"
    shutil.copytree(printed, out)
    assert CliRunner().invoke(main, ["proof", "--out", str(out)]).exit_code == 0
    # the 督办单's PDF replaced by a new one (the letter's three pages), listed as plandocs pdf would
    writer = PdfWriter(clone_from=out / "pdf/letters/区司法局.pdf")
    writer.add_metadata({"/Subject": "改过"})
    buffer = io.BytesIO()
    writer.write(buffer)
    new = buffer.getvalue()
    (out / "pdf/督办/2023Q1/区应急局.pdf").write_bytes(new)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["artifacts"]:
        if entry["path"] == "pdf/督办/2023Q1/区应急局.pdf":
            entry["sha256"] = sha256(new)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    shutil.copytree(out, fresh)
    (fresh / PROOF_PATH).unlink()
    fresh_manifest = [e for e in manifest["artifacts"] if e["kind"] != PROOF_KIND]
    (fresh / "manifest.json").write_text(
        json.dumps({**manifest, "artifacts": fresh_manifest}), encoding="utf-8"
    )
    rendered: list[int] = []
    real = proof_module.render

    def counted(pdf: bytes, index: int):
        rendered.append(index)
        return real(pdf, index)

    monkeypatch.setattr(proof_module, "render", counted)
    assert CliRunner().invoke(main, ["proof", "--out", str(out)]).exit_code == 0
    assert sorted(rendered) == [0, 2]  # the changed PDF's first and last page, nothing else
    rendered.clear()
    assert CliRunner().invoke(main, ["proof", "--out", str(fresh)]).exit_code == 0
    assert len(rendered) == 4  # a first run renders every picture
    assert (out / PROOF_PATH).read_bytes() == (fresh / PROOF_PATH).read_bytes()
