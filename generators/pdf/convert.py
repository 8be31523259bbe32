"""`plandocs pdf`: convert what output/manifest.json lists to PDF, two LibreOffice processes at a time."""

from __future__ import annotations

import math
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path, PurePosixPath

from ..artifact import Artifact
from ..model import Plan
from ..output import WriteReport, build_lock, read_manifest, write_output
from .join import join_letters
from .soffice import LibreOfficeMissing, convert_batch, find_soffice
from .stable import stable_pdf

# Manifest kinds that are printed. The combined letters file is not converted from its .docx: it is joined
# from the per-unit letter PDFs, which gives bookmarks and duplex blank pages.
PDF_KINDS = ("opinion", "annex", "letter", "form", "summary", "summary-report")
PARALLEL = 2  # converters at once (the machines have 2 cores)
MAX_BATCH = 40  # files per soffice call: fewer start-ups, yet a crash loses little
TIMEOUT_BASE_S = 60.0
TIMEOUT_PER_FILE_S = 15.0
PDF_DIR = "pdf"
COMBINED_LETTERS = "分工函合订本.pdf"  # used when the build made no letters-print file to name it after


@dataclass(frozen=True)
class PdfReport:
    artifacts: list[Artifact]
    report: WriteReport
    seconds: float


def pdf_path_for(source: str) -> str:
    return f"{PDF_DIR}/{PurePosixPath(source).with_suffix('.pdf')}"


def batches(sources: list[str]) -> list[list[str]]:
    """Split into soffice calls: one output folder per call, so names within a call must differ (same
    folder and extension), and about PARALLEL calls' worth of files each so both converters stay busy."""
    size = max(1, min(MAX_BATCH, math.ceil(len(sources) / PARALLEL)))

    def key(path: str) -> tuple[str, str]:
        pure = PurePosixPath(path)
        return str(pure.parent), pure.suffix

    result: list[list[str]] = []
    for _, group in groupby(sorted(sources, key=key), key=key):
        files = list(group)
        result.extend(files[i : i + size] for i in range(0, len(files), size))
    return result


def convert_files(
    out_dir: Path, sources: list[str], work_dir: Path, on_converted: Callable[[], None]
) -> dict[str, bytes]:
    """PDF bytes for each source path (relative to out_dir)."""

    def run(index: int, batch: list[str]) -> dict[str, bytes]:
        target = work_dir / str(index)
        target.mkdir()
        timeout = TIMEOUT_BASE_S + TIMEOUT_PER_FILE_S * len(batch)
        pdfs = convert_batch(
            [out_dir / s for s in batch], target, timeout_s=timeout, on_converted=on_converted
        )
        return {source: pdf.read_bytes() for source, pdf in zip(batch, pdfs, strict=True)}

    converted: dict[str, bytes] = {}
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        for result in pool.map(run, *zip(*enumerate(batches(sources)), strict=True)):
            converted.update(result)
    return converted


def printable(manifest: dict) -> list[dict]:
    """The manifest entries `plandocs pdf` converts, in manifest order."""
    return [e for e in manifest.get("artifacts", []) if e["kind"] in PDF_KINDS]


def convert_outputs(
    out_dir: Path, plan: Plan, on_progress: Callable[[int], None] = lambda n: None
) -> PdfReport:
    """Convert the printable artifacts of out_dir's manifest, join the letters, record the PDFs in it.

    on_progress(1) is called once per converted file (from worker threads, one at a time)."""
    started = time.perf_counter()
    if find_soffice() is None:
        raise LibreOfficeMissing
    manifest = read_manifest(out_dir)
    entries = printable(manifest)
    lock = threading.Lock()

    def converted_one() -> None:
        with lock:
            on_progress(1)

    with tempfile.TemporaryDirectory(prefix="plandocs-pdf-") as work:
        pdfs = convert_files(out_dir, [e["path"] for e in entries], Path(work), converted_one)

    artifacts = [
        Artifact(
            "pdf",
            pdf_path_for(e["path"]),
            stable_pdf(pdfs[e["path"]], (out_dir / e["path"]).read_bytes(), plan.meta.date),
            unit=e.get("unit"),
            quarter=e.get("quarter"),
            source=e["path"],
        )
        for e in entries
    ]
    letters = [
        (a.unit or "", a.data) for a, e in zip(artifacts, entries, strict=True) if e["kind"] == "letter"
    ]
    if letters:
        artifacts.append(combined_letters(manifest, join_letters(letters)))

    other_kinds = frozenset(e["kind"] for e in manifest.get("artifacts", []) if e["kind"] != "pdf")
    with build_lock(out_dir):
        report = write_output(out_dir, plan, artifacts, keep_kinds=other_kinds)
    return PdfReport(artifacts, report, time.perf_counter() - started)


def combined_letters(manifest: dict, data: bytes) -> Artifact:
    """Named after the build's letters-print file when there is one, so the two are found together."""
    printed = [e["path"] for e in manifest.get("artifacts", []) if e["kind"] == "letters-print"]
    if printed:
        return Artifact("pdf", pdf_path_for(printed[0]), data, source=printed[0])
    return Artifact("pdf", f"{PDF_DIR}/{COMBINED_LETTERS}", data)
