"""What a renderer hands to the output stage: bytes plus the manifest facts about them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Artifact:
    kind: str  # opinion, annex, annex-xlsx, letter, letters-print, leader-sheet, matrix, form, ...
    path: str  # relative to output/, '/'-separated
    data: bytes
    unit: str | None = None
    leader: str | None = None
    quarter: int | None = None
    source: str | None = None  # for pdf: the artifact path it was converted from

    def manifest_entry(self, sha256: str) -> dict:
        entry: dict = {"kind": self.kind, "path": self.path, "sha256": sha256}
        for key in ("unit", "leader", "quarter", "source"):
            value = getattr(self, key)
            if value is not None:
                entry[key] = value
        return entry
