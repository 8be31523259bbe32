"""proof: the 校样, one PDF with the first and last page of every printed document (after pdf)."""

from __future__ import annotations

from pathlib import Path

from generators.errors import FAILED
from generators.pdf.proof import ProofReport

from .common import Refused


def proof(out_dir: Path) -> ProofReport:
    """The report says where the 校样 is, how many documents and pages, and which PDFs were skipped."""
    from generators.pdf import LibreOfficeMissing, find_soffice
    from generators.pdf.proof import make_proof

    if find_soffice() is None:
        raise Refused(str(LibreOfficeMissing()), FAILED)
    return make_proof(out_dir)
