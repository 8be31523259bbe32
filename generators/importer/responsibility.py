"""A measure's closing bracket → its responsibility line as plan data, through the one grammar.

Spaces inside the bracket are dropped (unit names have none); everything else is kept as printed. A bare
bracket （A、B） counts as a responsibility line only when it names a unit the registry knows (or, for a
new plan without a registry, only unit-like names); otherwise it is the measure's own text, e.g.
《…指南》（试行）. Names a draft runs together are split by the registry (names.resolve).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..grammar.responsibility import (
    FORMS_HELP,
    Clause,
    Responsibility,
    ResponsibilityError,
    as_keys,
    closing_bracket,
    parse,
)
from .context import ImportContext
from .names import looks_like_unit, resolve

_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class Split:
    text: str  # the measure's text before the bracket
    keys: dict  # 责任单位 (+ 标签, 配合单位) or 责任单位行, then 结尾: as plan/opinion.yaml stores them


def has_line(paragraph: str, ctx: ImportContext) -> bool:
    """Whether a paragraph ends with a bracket that reads as a responsibility line."""
    found = closing_bracket(paragraph)
    if found is None:
        return False
    try:
        line = parse(_SPACE.sub("", found[1] + found[2]))
    except ResponsibilityError:
        return _labelled_look(found[1])
    return _is_line(line, ctx)


def split_measure(
    paragraph: str, where: str, ctx: ImportContext, shown: str = "", as_line: bool = False
) -> Split | None:
    """The measure's text and line; None when it ends with no responsibility line (reported here when it
    ends with a bracket that looks like one but cannot be read). as_line: always as 责任单位行 (lines
    printed on their own under the item, which the plan marks 行外)."""
    found = closing_bracket(paragraph)
    if found is None:
        return None
    text, bracket, trailer = found
    try:
        line = parse(_SPACE.sub("", bracket + trailer))
    except ResponsibilityError as err:
        if _labelled_look(bracket):
            ctx.report(where, f"无法读出责任单位（{err}）", shown or paragraph)
            return Split(text.rstrip(), {})
        return None
    if not _is_line(line, ctx):
        return None
    if not line.names:
        ctx.report(where, f"措施没有责任单位，只有配合单位（{FORMS_HELP}）", shown or paragraph)
    line = _resolved(line, where, ctx)
    keys = None if as_line else as_keys(line)
    if keys is None:
        keys = {"责任单位行": line.printed.removesuffix(line.trailer)}
    if line.trailer:
        keys["结尾"] = line.trailer
    return Split(text.rstrip(), keys)


_OPEN = "（(〔【["
_CLOSE = "）)〕】]"
_SENTENCE_END = "。；;"


def split_subtasks(
    paragraph: str, where: str, ctx: ImportContext, shown: str = ""
) -> tuple[str, list[Split]] | None:
    """A measure whose sentences each close with their own responsibility bracket → its lead text (the
    sentences before the first one that carries a bracket) and one Split per bracketed sentence; None
    when fewer than two sentences carry their own bracket or text without one follows the last."""
    pieces: list[str] = []
    start, depth, opened = 0, 0, 0
    for i, c in enumerate(paragraph):
        if c in _OPEN:
            depth += 1
            opened = i if depth == 1 else opened
        elif c in _CLOSE and depth:
            depth -= 1
            if depth:
                continue
            end = i + 1
            while end < len(paragraph) and paragraph[end] in _SENTENCE_END:
                end += 1
            closes = end > i + 1 or end == len(paragraph.rstrip())
            if closes and _reads_as_line(paragraph[opened : i + 1], ctx):
                pieces.append(paragraph[start:end])
                start = end
    if len(pieces) < 2 or paragraph[start:].strip():
        return None
    first = pieces[0]
    bracket_at = _bracket_start(first)
    stop = first.rfind("。", 0, bracket_at)
    lead = first[: stop + 1].strip() if stop >= 0 else ""
    pieces[0] = first[stop + 1 :] if stop >= 0 else first
    splits = [split_measure(piece.strip(), where, ctx, shown or paragraph) for piece in pieces]
    if any(split is None for split in splits):
        return None
    return lead, [split for split in splits if split is not None]


def _bracket_start(piece: str) -> int:
    found = closing_bracket(piece)
    return len(found[0]) if found else len(piece)


def _reads_as_line(bracket: str, ctx: ImportContext) -> bool:
    try:
        line = parse(_SPACE.sub("", bracket))
    except ResponsibilityError:
        return False
    return _is_line(line, ctx)


def _labelled_look(bracket: str) -> bool:
    return any(word in bracket for word in ("单位", "负责", "牵头"))


def _is_line(line: Responsibility, ctx: ImportContext) -> bool:
    """Labels and verbs make a line; a bare bracket must name units."""
    if any(c.label or c.verb for c in line.clauses) or len(line.clauses) > 1:
        return True
    known = ctx.registry.unit_names
    if known:
        return any(name in known for name in resolve(list(line.all_names), known))
    return all(looks_like_unit(name) for name in line.all_names)


def _resolved(line: Responsibility, where: str, ctx: ImportContext) -> Responsibility:
    """Each name resolved against the registry; a name spelled as two known ones becomes two names."""
    clauses = []
    for clause in line.clauses:
        blocks = tuple(
            tuple(n for name in block for n in ctx.unit_names([name], where, clause.supports))
            for block in clause.blocks
        )
        clauses.append(Clause(blocks, clause.label, clause.verb))
    resolved = replace(line, clauses=tuple(clauses))
    if resolved.all_names != line.all_names:
        resolved = replace(resolved, marks="")  # punctuation no longer lines up: print it full-width
    return resolved


__all__ = ["FORMS_HELP", "Split", "has_line", "split_measure", "split_subtasks"]
