"""What `plandocs pdf` prints: one PDF per printed document in the manifest, and the joined letters.

Every PDF lives under output/pdf/ at its source's path with the suffix .pdf; a source whose name would
clash with an earlier one's (the annex .docx and .xlsx share a stem) keeps its suffix (…任务清单.xlsx.pdf).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import UnsafePath
from ..output import inside as output_inside
from ..output import manifest_source
from ..render.letters import volumes

# Manifest kinds converted by LibreOffice, one PDF per file.
CONVERTED_KINDS = (
    "opinion",
    "annex",
    "annex-xlsx",
    "changes",
    "letter",
    "leader-sheet",
    "matrix",
    "form",
    "summary",
    "summary-report",
    "return-notice",  # 退回通知 (plandocs collect)
    "supervision",  # 督办单 (plandocs supervise)
    "ledger",  # 年度推进台账 (plandocs ledger)
    "year-summary",  # 年度完成情况 (.docx and .xlsx)
    "notice",  # 印发通知 and the issued document, when the build makes them
    "issue",
)
# The letters print file is not converted from its .docx: it is joined from the letter PDFs, which gives a
# bookmark per unit and a blank page after odd-length letters (duplex).
JOINED_KIND = "letters-print"
PDF_KINDS = (*CONVERTED_KINDS, JOINED_KIND)  # what --kind accepts
PDF_DIR = "pdf"


OutsideOutput = UnsafePath  # a manifest path that would leave output/


def inside(out_dir: Path, relative: object) -> Path:
    """out_dir/relative, refused (OutsideOutput) unless it stays inside output/: output.inside's rule (no
    absolute path, no '..', no symbolic link leading out)."""
    return output_inside(out_dir, relative, manifest_source(out_dir))


@dataclass(frozen=True)
class Target:
    """One PDF to have: made from `source` (a manifest path), or joined from `parts` (letter sources)."""

    kind: str  # the source's kind
    source: str
    pdf: str
    unit: str | None = None
    leader: str | None = None
    quarter: int | None = None
    parts: tuple[str, ...] = ()  # joined files only: the letters in print order

    @property
    def joined(self) -> bool:
        return self.kind == JOINED_KIND


def _pdf_name(source: str, taken: set[str]) -> str:
    pure = PurePosixPath(source)
    plain = f"{PDF_DIR}/{pure.with_suffix('.pdf')}"
    return plain if plain not in taken else f"{PDF_DIR}/{pure}.pdf"


def targets(manifest: dict, letters_per_volume: int = 0) -> list[Target]:
    """Every PDF the manifest's documents call for, in manifest order, the joined letters last.

    letters_per_volume splits the letters among the print file's volumes as the build did
    (render.letters.volumes); a mismatch with the manifest's volumes falls back to one joined file."""
    entries = [
        e for e in manifest.get("artifacts", []) if isinstance(e, dict) and isinstance(e.get("path"), str)
    ]
    result: list[Target] = []
    taken: set[str] = set()
    for entry in entries:
        if entry.get("kind") not in CONVERTED_KINDS:
            continue
        pdf = _pdf_name(entry["path"], taken)
        taken.add(pdf)
        result.append(
            Target(
                entry["kind"],
                entry["path"],
                pdf,
                unit=entry.get("unit"),
                leader=entry.get("leader"),
                quarter=entry.get("quarter"),
            )
        )
    letters = [t.source for t in result if t.kind == "letter"]
    prints = [e["path"] for e in entries if e.get("kind") == JOINED_KIND]
    if letters and prints:
        parts = volumes(letters, letters_per_volume)
        if len(parts) != len(prints):
            parts, prints = [letters], prints[:1]
        for path, volume in zip(prints, parts, strict=True):
            result.append(Target(JOINED_KIND, path, _pdf_name(path, taken), parts=tuple(volume)))
    return result
