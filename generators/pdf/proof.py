"""校样 (plandocs proof): one PDF for the clerk, the first and last page of every printed document.

Each document gets one landscape A4 sheet: its name and source file on top, its first page on the left and
its last page on the right (a one-page document shows that page once), each thumbnail framed and labelled
with its page number. The PDFs are the ones `plandocs pdf` made (the manifest's pdf entries, in manifest
order). The labels are real text: a small .docx of label sheets is converted by LibreOffice like every
other document (its fonts come from fonts/fonts.conf), and the thumbnails are drawn onto those sheets with
pypdf, so the proof carries no font of its own.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from ..errors import UserError
from ..layout import MM_PER_PT
from ..output import sha256, transaction
from .pool import Source, convert_many

PROOF_KIND = "proof"
PDF_KIND = "pdf"  # the entries `plandocs pdf` writes
PROOF_PATH = "pdf/校样.pdf"
# What each printed document is, for the label (manifest kind → name).
KIND_NAMES = {
    "opinion": "意见",
    "annex": "附件任务清单",
    "annex-xlsx": "附件任务清单（表格）",
    "changes": "修改对照表",
    "letter": "分工函",
    "letters-print": "分工函合订打印本",
    "leader-sheet": "区领导任务单",
    "matrix": "任务分工矩阵",
    "form": "季度报表",
    "summary": "季度汇总表",
    "summary-report": "季度进展情况通报",
    "supervision": "督办",
    "ledger": "年度推进台账",
    "year-summary": "年度完成情况",
    "notice": "印发通知",
    "issue": "印发件",
}

# The sheet (mm): landscape A4; the label lines on top, two thumbnail boxes side by side below them.
SHEET_W, SHEET_H = 297.0, 210.0
MARGIN = 10.0
BOX_TOP = 30.0  # from the sheet's top edge: the labels sit above
GAP = 8.0
BOX_W = (SHEET_W - 2 * MARGIN - GAP) / 2
BOX_H = SHEET_H - BOX_TOP - MARGIN
LABEL_FONT = "黑体"
FRAME_GREY = 0.55


@dataclass(frozen=True)
class Document_:
    """One printed document as the proof shows it."""

    title: str  # what it is and its file: 分工函　letters/区应急局.docx
    pdf: bytes
    pages: int


class ProofBroken(Exception):
    """The label sheets LibreOffice made do not match the documents (a label ran onto a second page)."""


def printed(entries: Sequence[dict]) -> list[tuple[dict, str]]:
    """The manifest's PDFs (the pdf entries, in manifest order), each with its document's title."""
    kinds = {e.get("path"): str(e.get("kind")) for e in entries if e.get("kind") != PDF_KIND}
    out = []
    for entry in entries:
        if entry.get("kind") == PDF_KIND and isinstance(entry.get("path"), str):
            source = str(entry.get("source") or entry["path"])
            kind = KIND_NAMES.get(kinds.get(source, ""), "")
            out.append((entry, f"{kind}\u3000{source}" if kind else source))
    return out


def document(title: str, data: bytes) -> Document_:
    """A PDF as the proof shows it; ValueError (pypdf's errors are) when it cannot be read."""
    return Document_(title, data, len(PdfReader(io.BytesIO(data)).pages))


def page_labels(doc: Document_) -> list[str]:
    """The labels over the thumbnails: 第1页（共N页） and 第N页（共N页）, one label for a one-page document."""
    if doc.pages == 1:
        return ["第1页（共1页）"]
    return [f"第1页（共{doc.pages}页）", f"第{doc.pages}页（共{doc.pages}页）"]


def label_sheets(docs: Sequence[Document_]) -> bytes:
    """A .docx with one landscape page per document: the document's title, and the page labels in a
    two-column table whose cells stand over the two thumbnail boxes."""
    word = Document()
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(SHEET_W), Mm(SHEET_H)
    section.left_margin = section.right_margin = Mm(MARGIN)
    section.top_margin, section.bottom_margin = Mm(MARGIN), Mm(MARGIN)
    section.header_distance = section.footer_distance = Mm(MARGIN / 2)
    style = word.styles["Normal"]
    style.font.size = Pt(11)
    style.font.name = LABEL_FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), LABEL_FONT)
    style.paragraph_format.space_after = Pt(0)
    for index, doc in enumerate(docs):
        title = word.add_paragraph()
        title.add_run(f"{index + 1}．{doc.title}").font.size = Pt(13)
        table = word.add_table(rows=1, cols=2)
        table.autofit = False
        for cell, text in zip(table.rows[0].cells, [*page_labels(doc), ""], strict=False):
            cell.width = Mm(BOX_W + (GAP if cell is table.rows[0].cells[0] else 0))
            cell.paragraphs[0].add_run(text)
        if index + 1 < len(docs):
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _pt(mm: float) -> float:
    return mm / MM_PER_PT


def _frame(x: float, y: float, w: float, h: float) -> bytes:
    return f"q {FRAME_GREY} G 0.6 w {x:.2f} {y:.2f} {w:.2f} {h:.2f} re S Q\n".encode("ascii")


def compose(labels_pdf: bytes, docs: Sequence[Document_]) -> bytes:
    """The proof: each label sheet with its document's first and last page drawn into the boxes."""
    sheets = PdfReader(io.BytesIO(labels_pdf)).pages
    if len(sheets) != len(docs):
        raise ProofBroken(f"{len(sheets)} label pages for {len(docs)} documents")
    writer = PdfWriter()
    raster = shutil.which("pdftoppm") is not None
    for sheet, doc in zip(sheets, docs, strict=True):
        page = writer.add_page(sheet)
        _own_resources(page)
        reader = PdfReader(io.BytesIO(doc.pdf))
        shown = [0] if doc.pages == 1 else [0, doc.pages - 1]
        frames = b""
        for slot, number in enumerate(shown):
            thumb = (picture(doc.pdf, number) if raster else None) or reader.pages[number]
            if thumb.rotation:  # drawn upright as it prints
                thumb = PdfWriter().add_page(thumb)
                thumb.transfer_rotation_to_content()
            box = thumb.mediabox
            width, height = float(box.width), float(box.height)
            scale = min(_pt(BOX_W) / width, _pt(BOX_H) / height)
            x = _pt(MARGIN + slot * (BOX_W + GAP)) + (_pt(BOX_W) - width * scale) / 2
            y = _pt(MARGIN) + (_pt(BOX_H) - height * scale)  # the thumbnail's top at the box's top
            placed = Transformation().translate(-float(box.left), -float(box.bottom)).scale(scale, scale)
            page.merge_transformed_page(thumb, placed.translate(x, y))
            frames += _frame(x, y, width * scale, height * scale)
        stream = DecodedStreamObject()
        stream.set_data(frames)
        overlay = PageObject.create_blank_page(None, _pt(SHEET_W), _pt(SHEET_H))
        overlay[NameObject("/Contents")] = stream
        page.merge_page(overlay)
    writer.add_metadata({"/Title": "校样"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _own_resources(page: PageObject) -> None:
    """The label sheets share one resource dictionary (LibreOffice writes it once): each sheet gets its
    own, so the pictures drawn onto one are not listed on all the others."""
    shared = page["/Resources"].get_object()
    if not isinstance(shared, DictionaryObject):
        return
    own = DictionaryObject()
    for key, value in shared.items():
        value = value.get_object()
        own[NameObject(key)] = DictionaryObject(value) if isinstance(value, DictionaryObject) else value
    page[NameObject("/Resources")] = own


# Thumbnails as pictures: drawn as vector pages, each carried its document's embedded fonts (a letter's
# 600 kB), and the seed's 331 documents made a 166 MB proof that viewers open slowly. As JPEG at 72 dpi
# (each thumbnail is printed at about half size: 130–150 dpi on the sheet), in colour for the red 版头.
PICTURE_DPI = 72
PICTURE_QUALITY = 65


def picture(pdf: bytes, index: int) -> PageObject | None:
    """Page `index` of the PDF as a one-page PDF holding its picture (poppler's pdftoppm, JPEG), at
    the page's size in points; None when pdftoppm fails (the page is then drawn as it is)."""
    with tempfile.TemporaryDirectory(prefix="plandocs-proof-") as work:
        source, target = Path(work) / "page.pdf", Path(work) / "page"
        source.write_bytes(pdf)
        command = ["pdftoppm", "-f", str(index + 1), "-l", str(index + 1), "-r", str(PICTURE_DPI)]
        command += ["-jpeg", "-jpegopt", f"quality={PICTURE_QUALITY}", "-singlefile"]
        try:
            subprocess.run([*command, str(source), str(target)], check=True, capture_output=True, timeout=120)
            with Image.open(target.with_suffix(".jpg")) as image:
                out = io.BytesIO()
                image.save(out, "PDF", resolution=PICTURE_DPI)
        except (OSError, subprocess.SubprocessError):
            return None
    return PdfReader(out).pages[0]


class NothingToProof(UserError):
    def __str__(self) -> str:
        return "输出目录中还没有 PDF：请先运行 plandocs pdf（或 make pdf），再生成校样。"


@dataclass
class ProofReport:
    path: str
    documents: int = 0
    pages: int = 0
    unchanged: bool = False
    skipped: list[str] = field(default_factory=list)  # PDFs missing or unreadable: plandocs pdf remakes them


def _labels_pdf(docs: Sequence[Document_]) -> bytes:
    source = Source("校样标签.docx", label_sheets(docs))
    (result,) = list(convert_many([source], workers=1))
    if result.pdf is None:
        raise ProofFailed(result.reason)
    return result.pdf


class ProofFailed(UserError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return f"校样未能生成：LibreOffice 转换标签页失败（{self.reason}）；输出目录未改动。"


def make_proof(out_dir: Path) -> ProofReport:
    """Write output/pdf/校样.pdf from the PDFs the manifest lists, in one output transaction (kind proof).
    Nothing is converted again when the PDFs and their titles are those the proof was made from."""
    with transaction(out_dir, frozenset({PROOF_KIND})) as tx:
        report = ProofReport(PROOF_PATH)
        docs: list[Document_] = []
        shas: list[str] = []
        for entry, title in printed(tx.entries):
            try:
                data = tx.read(entry["path"])
                if sha256(data) != entry.get("sha256"):
                    raise ValueError("changed since plandocs pdf")
                docs.append(document(title, data))
            except (OSError, ValueError, UserError, PdfReadError):
                report.skipped.append(entry["path"])
                continue
            shas.append(f"{title}\n{entry['sha256']}")
        if not docs:
            raise NothingToProof
        drawn = f"jpeg {PICTURE_DPI} {PICTURE_QUALITY}" if shutil.which("pdftoppm") else "pages"
        key = hashlib.sha256(
            "\n".join([drawn, *shas]).encode("utf-8")
        ).hexdigest()  # remade when either changes
        old = next((e for e in tx.entries if tx.owns(e) and e["path"] == PROOF_PATH), None)
        report.documents = len(docs)
        if old is not None and old.get("sources_sha256") == key and tx.intact(old):
            report.unchanged, report.pages = True, int(old.get("pages", 0))
            return report
        data = compose(_labels_pdf(docs), docs)  # pypdf writes no clock and no random file ID
        report.pages = len(docs)
        entry = {
            "kind": PROOF_KIND,
            "path": PROOF_PATH,
            "sha256": tx.put(PROOF_PATH, data),
            "bytes": len(data),
            "documents": len(docs),
            "pages": report.pages,
            "sources_sha256": key,
        }
        tx.commit([entry], owned_last=True)
    return report
