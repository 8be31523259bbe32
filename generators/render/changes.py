"""修改对照表: every change since the base revision (plan/meta 比较基准), the changed characters marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docxtpl import RichText

from generators.artifact import Artifact, Job
from generators.context import BuildContext
from generators.layout import Layout
from generators.model import Plan
from generators.render import docx, opinion
from generators.render.row_split import RowSplitter
from generators.textdiff import Mark, Segment, char_diff

if TYPE_CHECKING:
    from generators.diff import PlanDiff

KIND = "changes"


def marked(segments: tuple[Segment, ...]) -> RichText:
    """Deleted characters struck through, inserted ones bold and underlined; RichText escapes & < >."""
    text = RichText()
    for segment in segments:
        text.add(
            segment.text,
            strike=segment.mark is Mark.DELETED,
            bold=segment.mark is Mark.INSERTED,
            underline=segment.mark is Mark.INSERTED,
        )
    return text


def _clip(segments: tuple[Segment, ...], start: int, end: int) -> tuple[Segment, ...]:
    """The segments' characters from start to end of their joined text, each keeping its mark."""
    out, offset = [], 0
    for segment in segments:
        low, high = max(start, offset), min(end, offset + len(segment.text))
        if low < high:
            out.append(Segment(segment.text[low - offset : high - offset], segment.mark))
        offset += len(segment.text)
    return tuple(out)


def _marked_parts(segments: tuple[Segment, ...], parts: list[str]) -> list[RichText]:
    """The marked text cut where the plain text was cut into `parts`."""
    out, offset = [], 0
    for part in parts:
        out.append(marked(_clip(segments, offset, offset + len(part))))
        offset += len(part)
    return out


def context(diff: PlanDiff, old: Plan, new: Plan, layout: Layout) -> dict:
    splitter = RowSplitter(layout, layout.changes_columns)  # a change taller than a page: several rows
    rows = []
    for number, change in enumerate(diff.changes, 1):
        before, after = char_diff(change.old_text, change.new_text)
        plain = {"number": str(number), "old": change.old_text, "new": change.new_text, "note": change.note}
        parts = splitter.split(plain)
        olds = _marked_parts(before, [str(p["old"]) for p in parts])
        news = _marked_parts(after, [str(p["new"]) for p in parts])
        for part, old_text, new_text in zip(parts, olds, news, strict=True):
            rows.append({**part, "old": old_text, "new": new_text})
    return {
        "title": new.meta.title,
        "old_status": old.meta.status,
        "new_status": new.meta.status,
        "rows": rows,
    }


def file_name(plan: Plan) -> str:
    return opinion.file_name(plan).removesuffix(".docx") + "修改对照表.docx"


def document(diff: PlanDiff, old: Plan, new: Plan, layout: Layout) -> bytes:
    title = f"《{new.meta.title}》修改对照表"
    return docx.render(layout.template(KIND), context(diff, old, new, layout), new.meta, title=title)


def jobs(ctx: BuildContext) -> list[Job]:
    """None without a 比较基准 (the pipeline loads the base and its diff into ctx). The diff itself is the
    input: the base revision can move (HEAD~1)."""
    if ctx.base is None:
        return []
    plan, layout, base, diff = ctx.plan, ctx.layout, ctx.base.plan, ctx.base.diff
    template = layout.template(KIND)
    return [
        Job(
            kind=KIND,
            path=file_name(plan),
            inputs={"diff": diff.as_json(), "old_status": base.meta.status, "meta": plan.meta},
            templates=(template,),
            make=lambda: document(diff, base, plan, layout),
        )
    ]


def render(ctx: BuildContext) -> list[Artifact]:
    return [job.artifact(job.make()) for job in jobs(ctx)]
