"""One row of the conformance table."""

from __future__ import annotations

from dataclasses import dataclass

MM_PER_PT = 25.4 / 72
TWIPS_PER_MM = 1440 / 25.4


@dataclass(frozen=True)
class Check:
    clause: str  # clause of GB/T 9704-2012 (from templates/layout.yaml)
    rule: str  # what is checked, in Chinese
    expected: str
    measured: str
    passed: bool
    source: str = ""  # "docx" or "pdf"


def mm(value: float) -> str:
    return f"{value:.1f}mm"
