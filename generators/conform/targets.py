"""What `plandocs conform` checks: the files named, or by default the opinion (.docx and its PDF)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..layout import Layout
from ..output import read_manifest
from ..pdf.soffice import ConversionFailed, convert_batch, find_soffice
from .chart_checks import check_chart_colours
from .docx_checks import check_docx
from .issue_checks import check_letter_pdf, check_notice_pdf, letterhead
from .joined import NoPlacement, Placed, check_joined_pdf, placement, unplaced
from .pdf_checks import check_pdf
from .result import Check
from .typeset import typeset_checks

CONVERT_TIMEOUT_S = 120.0


class NothingToCheck(Exception):
    pass


def check_file(
    path: Path, layout: Layout, out_dir: Path | None = None, names: Sequence[str] | None = None
) -> list[Check]:
    """The rules for one file; a PDF's also the table typesetting rules (typeset.py), the unit names
    (`names`, the roster's short and full names) held against its table cells."""
    if path.suffix.lower() == ".docx":
        return check_docx(path, layout)
    if path.suffix.lower() == ".pdf":
        try:
            letters = placement(path, out_dir)
        except NoPlacement:  # a joined file without its letters: one failed row, nothing else measured
            return [unplaced(path)]
        return _check_pdf_file(path, layout, out_dir, letters) + typeset_checks(path, layout, names)
    if path.suffix.lower() == ".xlsx":
        return check_chart_colours(path, layout)
    raise NothingToCheck(f"{path}：只能检查 .docx、.pdf 或 .xlsx 文件")


def _check_pdf_file(
    path: Path, layout: Layout, out_dir: Path | None, letters: list[Placed] | None
) -> list[Check]:
    if letters is not None and out_dir is not None:
        return check_joined_pdf(path, layout, out_dir, letters)
    source = source_of(path, out_dir)
    head = letterhead(path, layout)
    if head == "document":
        return check_notice_pdf(path, layout, source)
    if head == "letter":
        return check_letter_pdf(path, layout, source)
    return check_pdf(path, layout, source)


def source_of(pdf: Path, out_dir: Path | None) -> Path | None:
    """The .docx a PDF was made from: its manifest entry's source when the PDF is in out_dir, else the .docx
    of the same name beside it. None when there is none (a form or workbook PDF has no .docx)."""
    if out_dir is not None and (out_dir / "manifest.json").exists():
        try:
            relative = pdf.resolve().relative_to(out_dir.resolve()).as_posix()
        except ValueError:
            relative = None
        for entry in read_manifest(out_dir).get("artifacts", []):
            if relative and entry["kind"] == "pdf" and entry["path"] == relative:
                source = out_dir / str(entry.get("source", ""))
                return source if source.suffix == ".docx" and source.is_file() else None
    beside = pdf.with_suffix(".docx")
    return beside if beside.is_file() else None


def default_targets(out_dir: Path) -> tuple[Path, Path | None]:
    """The opinion .docx from the manifest and its PDF if `plandocs pdf` has made one."""
    artifacts = read_manifest(out_dir).get("artifacts", [])
    opinion = next((e["path"] for e in artifacts if e["kind"] == "opinion"), None)
    if opinion is None:
        raise NothingToCheck(f"{out_dir / 'manifest.json'} 中没有意见正文，请先运行 plandocs build")
    pdf = next((e["path"] for e in artifacts if e["kind"] == "pdf" and e.get("source") == opinion), None)
    return out_dir / opinion, (out_dir / pdf if pdf else None)


def check_opinion(
    out_dir: Path, layout: Layout, names: Sequence[str] | None = None
) -> tuple[list[Check], str]:
    """Checks for the default target, and a note when the PDF had to be rendered or could not be. The
    PDF's tables are held to the typesetting rules too (避头尾, unit names unbroken: `names`)."""
    docx, pdf = default_targets(out_dir)
    checks = check_docx(docx, layout)
    if pdf is not None and pdf.exists():
        printed = check_pdf(pdf, layout, docx) + typeset_checks(pdf, layout, names)
        return checks + printed, f"检查 {docx} 与 {pdf}"
    if find_soffice() is None:
        return checks, f"未找到 LibreOffice，只检查了 {docx}（版面行数、字数、页码位置未检查）"
    with tempfile.TemporaryDirectory(prefix="plandocs-conform-") as work:
        try:
            (rendered,) = convert_batch([docx], Path(work), timeout_s=CONVERT_TIMEOUT_S)
        except (
            ConversionFailed
        ) as err:  # its first line is ours; the lines after it are LibreOffice's (English)
            raise NothingToCheck(
                f"{str(err).splitlines()[0]}：未做版式检查，请用 plandocs pdf 转换后再运行"
            ) from err
        printed = check_pdf(rendered, layout, docx) + typeset_checks(rendered, layout, names)
        return checks + printed, f"检查 {docx} 及其临时转换的 PDF"


ISSUED_KINDS = ("notice", "issue")  # checked by default, with the opinion, when their PDFs exist
CHARTED_KINDS = ("summary", "ledger", "year-summary")  # workbooks whose status charts are checked by default


def check_charts(out_dir: Path, layout: Layout) -> tuple[list[Check], list[Path]]:
    """Chart colours of the workbooks collect, ledger and year-summary have written."""
    artifacts = read_manifest(out_dir).get("artifacts", [])
    paths = [
        out_dir / e["path"]
        for e in artifacts
        if e["kind"] in CHARTED_KINDS and str(e["path"]).endswith(".xlsx") and (out_dir / e["path"]).is_file()
    ]
    return [c for path in paths for c in check_chart_colours(path, layout)], paths


def check_issued(
    out_dir: Path, layout: Layout, names: Sequence[str] | None = None
) -> tuple[list[Check], list[Path]]:
    """文件格式 checks of the notice's and the issued document's PDFs that `plandocs pdf` has made, and
    the typesetting rules of their tables."""
    artifacts = read_manifest(out_dir).get("artifacts", [])
    sources = {e["path"] for e in artifacts if e["kind"] in ISSUED_KINDS}
    pdfs = [out_dir / e["path"] for e in artifacts if e["kind"] == "pdf" and e.get("source") in sources]
    present = [path for path in pdfs if path.exists()]
    checks = [
        c
        for path in present
        for c in check_notice_pdf(path, layout, source_of(path, out_dir))
        + typeset_checks(path, layout, names)
    ]
    return checks, present
