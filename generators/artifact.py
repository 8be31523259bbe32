"""What a renderer hands to the output stage: bytes plus the manifest facts about them."""

from __future__ import annotations

from collections.abc import Callable
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


@dataclass(frozen=True)
class Job:
    """An artifact not yet rendered: what it will be, what it is made from, and how to make it.

    `inputs` is the artifact's slice of the model (usually its template context): JSON-able data whose
    hash, with the template, the layout profile and the code version, decides whether to re-render.
    """

    kind: str
    path: str
    inputs: object
    templates: tuple  # paths of the template files it is rendered from
    make: Callable[[], bytes]
    unit: str | None = None
    leader: str | None = None
    quarter: int | None = None

    def artifact(self, data: bytes) -> Artifact:
        return Artifact(
            kind=self.kind,
            path=self.path,
            data=data,
            unit=self.unit,
            leader=self.leader,
            quarter=self.quarter,
        )
