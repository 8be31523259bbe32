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
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
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
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject, StreamObject

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
    sha256: str  # of the PDF: names its thumbnails


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
    """A PDF as the proof shows it; ValueError (pypdf's errors are) when it cannot be read. The page count
    is the page tree's own (/Count), read without loading every page."""
    from .join import tree_count

    return Document_(title, data, tree_count(PdfReader(io.BytesIO(data))), sha256(data))


def shown_pages(docs: Sequence[Document_]) -> list[list[int]]:
    """The pages each document shows (0-based): its first and last, or its only one."""
    return [[0] if doc.pages == 1 else [0, doc.pages - 1] for doc in docs]


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


def compose(
    labels_pdf: bytes,
    docs: Sequence[Document_],
    kept: dict[str, Thumbnail] | None = None,
    thumbs: dict[str, Thumbnail] | None = None,
) -> bytes:
    """The proof: each label sheet with its document's first and last page drawn into the boxes. `kept`
    holds thumbnails of an earlier proof by name (see thumbnail_name): those are not rendered again;
    `thumbs`, when given, are all the pictures there are (pages without one are drawn as they are)."""
    sheets = PdfReader(io.BytesIO(labels_pdf)).pages
    if len(sheets) != len(docs):
        raise ProofBroken(f"{len(sheets)} label pages for {len(docs)} documents")
    shown = shown_pages(docs)
    if thumbs is None:
        thumbs = thumbnails(docs, shown, kept or {}) if shutil.which("pdftoppm") else {}
    writer = PdfWriter()
    for sheet, doc, numbers in zip(sheets, docs, shown, strict=True):
        page = writer.add_page(sheet)
        _own_resources(page)
        reader: PdfReader | None = None
        drawn = b""
        for slot, number in enumerate(numbers):
            name = thumbnail_name(doc, number)
            thumb = thumbs.get(name)
            if thumb is not None:  # the picture, its pixels at 72 dpi: its size in points
                width, height = float(thumb.width), float(thumb.height)
                left = bottom = 0.0
            else:  # pdftoppm failed or is missing: the page is drawn as it is
                reader = reader or PdfReader(io.BytesIO(doc.pdf))
                vector = reader.pages[number]
                if vector.rotation:  # drawn upright as it prints
                    vector = PdfWriter().add_page(vector)
                    vector.transfer_rotation_to_content()
                box = vector.mediabox
                width, height = float(box.width), float(box.height)
                left, bottom = float(box.left), float(box.bottom)
            scale = min(_pt(BOX_W) / width, _pt(BOX_H) / height)
            x = _pt(MARGIN + slot * (BOX_W + GAP)) + (_pt(BOX_W) - width * scale) / 2
            y = _pt(MARGIN) + (_pt(BOX_H) - height * scale)  # the thumbnail's top at the box's top
            if thumb is not None:
                _place(writer, page, name, thumb)
                drawn += f"q {width * scale:.4f} 0 0 {height * scale:.4f} {x:.4f} {y:.4f} cm {name} Do Q\n".encode()
            else:
                placed = Transformation().translate(-left, -bottom).scale(scale, scale)
                page.merge_transformed_page(vector, placed.translate(x, y))
            drawn += _frame(x, y, width * scale, height * scale)
        stream = DecodedStreamObject()
        stream.set_data(drawn)
        overlay = PageObject.create_blank_page(None, _pt(SHEET_W), _pt(SHEET_H))
        overlay[NameObject("/Contents")] = stream
        page.merge_page(overlay)
    writer.add_metadata({"/Title": "校样"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _place(writer: PdfWriter, page: PageObject, name: str, thumb: Thumbnail) -> None:
    """The thumbnail as an image XObject in the sheet's own resources, the JPEG as pdftoppm wrote it."""
    image = DecodedStreamObject()
    image.set_data(thumb.jpeg)
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(thumb.width),
            NameObject("/Height"): NumberObject(thumb.height),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    resources = page[NameObject("/Resources")].get_object()
    assert isinstance(resources, DictionaryObject)  # _own_resources made it the sheet's own
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject(xobjects.get_object()) if xobjects is not None else DictionaryObject()
    xobjects[NameObject(name)] = writer._add_object(image)
    resources[NameObject("/XObject")] = xobjects


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


@dataclass(frozen=True)
class Thumbnail:
    """One page as a picture: the JPEG pdftoppm wrote and its size in pixels (= points at 72 dpi)."""

    jpeg: bytes
    width: int
    height: int


def thumbnail_name(doc: Document_, index: int) -> str:
    """The picture's resource name in the proof: what was drawn (dpi, quality), from which PDF (its
    sha256) and which page, so a later proof takes the pictures of the PDFs that did not change."""
    return f"/T{PICTURE_DPI}q{PICTURE_QUALITY}-{doc.sha256}-{index}"


def render(pdf: bytes, index: int) -> Thumbnail | None:
    """Page `index` of the PDF as a JPEG picture (poppler's pdftoppm, the PDF on its standard input and
    the picture on its output); None when pdftoppm fails (the page is then drawn as it is)."""
    command = ["pdftoppm", "-f", str(index + 1), "-l", str(index + 1), "-r", str(PICTURE_DPI)]
    command += ["-jpeg", "-jpegopt", f"quality={PICTURE_QUALITY}", "-singlefile", "-"]
    try:
        done = subprocess.run(command, input=pdf, check=True, capture_output=True, timeout=120)
        with Image.open(io.BytesIO(done.stdout)) as image:
            if image.format != "JPEG" or image.mode != "RGB":
                return None
            width, height = image.size
    except (OSError, subprocess.SubprocessError):
        return None
    return Thumbnail(done.stdout, width, height)


# pdftoppm runs outside Python: two at a time keep both cores of an office computer busy.
RENDER_WORKERS = 2


def thumbnails(docs: Sequence[Document_], shown: Sequence[Sequence[int]], kept: dict[str, Thumbnail]) -> dict:
    """The pictures of the pages shown, by name: those of `kept` as they are, the others rendered."""
    wanted = {
        thumbnail_name(doc, n): (doc, n) for doc, numbers in zip(docs, shown, strict=True) for n in numbers
    }
    out = {name: kept[name] for name in wanted if name in kept}
    missing = sorted(name for name in wanted if name not in out)
    with ThreadPoolExecutor(max_workers=RENDER_WORKERS) as pool:
        made = pool.map(lambda name: render(wanted[name][0].pdf, wanted[name][1]), missing)
        out.update({name: thumb for name, thumb in zip(missing, made, strict=True) if thumb is not None})
    return out


def kept_thumbnails(proof: bytes) -> dict[str, Thumbnail]:
    """The pictures an earlier proof holds, by name (nothing when it cannot be read)."""
    out: dict[str, Thumbnail] = {}
    prefix = f"/T{PICTURE_DPI}q{PICTURE_QUALITY}-"
    try:
        for page in PdfReader(io.BytesIO(proof)).pages:
            xobjects = page.get("/Resources", DictionaryObject()).get_object().get("/XObject")
            for name, ref in (xobjects.get_object() if xobjects is not None else {}).items():
                image = ref.get_object()
                jpeg = isinstance(image, StreamObject) and image.get("/Filter") == "/DCTDecode"
                if jpeg and str(name).startswith(prefix):
                    size = int(image["/Width"]), int(image["/Height"])
                    out[str(name)] = Thumbnail(image._data, *size)
    except (PdfReadError, ValueError, KeyError, TypeError):
        return {}
    return out


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
        found: list[tuple[str, str, bytes]] = []  # path, title, PDF
        shas: list[str] = []
        for entry, title in printed(tx.entries):
            try:
                data = tx.read(entry["path"])
                if sha256(data) != entry.get("sha256"):
                    raise ValueError("changed since plandocs pdf")
            except (OSError, ValueError, UserError):
                report.skipped.append(entry["path"])
                continue
            found.append((entry["path"], title, data))
            shas.append(f"{title}\n{entry['sha256']}")
        if not found:
            raise NothingToProof
        drawn = f"pdftoppm-jpeg {PICTURE_DPI} {PICTURE_QUALITY}" if shutil.which("pdftoppm") else "pages"
        key = hashlib.sha256(
            "\n".join([drawn, *shas]).encode("utf-8")
        ).hexdigest()  # remade when either changes
        old = next((e for e in tx.entries if tx.owns(e) and e["path"] == PROOF_PATH), None)
        intact = old is not None and tx.intact(old)
        if old is not None and old.get("sources_sha256") == key and intact:
            # the PDFs are those it was made from: none is parsed (an unreadable one was named then)
            report.documents, report.pages = int(old.get("documents", 0)), int(old.get("pages", 0))
            report.unchanged = True
            return report
        docs: list[Document_] = []
        for path, title, data in found:
            try:
                docs.append(document(title, data))
            except (ValueError, PdfReadError):
                report.skipped.append(path)
        if not docs:
            raise NothingToProof
        report.documents = len(docs)
        kept = kept_thumbnails(tx.read(PROOF_PATH)) if intact else {}
        # LibreOffice converts the labels (one process, one core) while pdftoppm draws the pictures
        with ThreadPoolExecutor(max_workers=1) as labeller:
            labels = labeller.submit(_labels_pdf, docs)
            thumbs = thumbnails(docs, shown_pages(docs), kept) if shutil.which("pdftoppm") else {}
            labels_pdf = labels.result()
        data = compose(labels_pdf, docs, thumbs=thumbs)  # pypdf writes no clock and no random file ID
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
