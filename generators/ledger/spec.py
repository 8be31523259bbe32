"""The ledger's layout (templates/layout.yaml, ledger key): paths, titles, sheet names, status colours."""

from __future__ import annotations

from dataclasses import dataclass

from generators.layout import Layout


@dataclass(frozen=True)
class LedgerLayout:
    not_reported: str  # a quarter the unit held the task but returned no accepted form
    chase: tuple[str, ...]  # statuses a 督办单 chases (besides not reported / not filled)
    not_started: str
    workbook: dict
    supervision: dict
    year_summary: dict

    @classmethod
    def of(cls, layout: Layout) -> LedgerLayout:
        d = dict(layout.ledger or {})
        if not d:
            raise KeyError("版式配置 templates/layout.yaml 中缺少 ledger 一节")
        return cls(
            not_reported=d["not_reported"],
            chase=tuple(d["chase"]),
            not_started=d["not_started"],
            workbook=dict(d["workbook"]),
            supervision=dict(d["supervision"]),
            year_summary=dict(d["year_summary"]),
        )
