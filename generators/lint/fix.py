"""`plandocs lint --fix KIND`: rewrite the confirmed kinds of slip in place, nothing else.

Each fix replaces exactly the reported fragment at its position, so comments, quoting, key order and
every other byte stay as the office wrote them. The result must still load as a valid plan, or no file
is written."""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

from ..output import atomic_write
from ..plan import PLAN_FILES, PlanError, load_plan
from ..textstyle import TextStyle
from .scan import Finding


class FixError(Exception):
    """The fixes would leave the plan invalid; nothing was written."""


def _rewritten(text: str, warnings: list[Finding]) -> str:
    for w in sorted(warnings, key=lambda w: w.index, reverse=True):
        end = w.index + len(w.fragment)
        assert w.fix is not None and text[w.index : end] == w.fragment  # as fixable() chose them
        text = text[: w.index] + w.fix + text[end:]
    return text


def fixable(warnings: list[Finding], kinds: set[str]) -> list[Finding]:
    """The warnings of the confirmed kinds that can be rewritten exactly where they stand."""
    chosen = [w for w in warnings if w.kind in kinds and w.fix is not None and w.index >= 0]
    kept: list[Finding] = []
    for w in sorted(chosen, key=lambda w: (str(w.path), w.index)):
        if kept and kept[-1].path == w.path and w.index < kept[-1].index + len(kept[-1].fragment):
            continue  # overlapping slips (a doubled mark after a space): the next lint run takes it
        kept.append(w)
    return kept


def apply_fixes(plan_dir: Path, warnings: list[Finding], kinds: set[str]) -> list[Finding]:
    """Apply the fixes of the given kinds; returns the warnings fixed. Raises FixError if the plan
    would no longer load (then plan/ is untouched)."""
    plan_dir = Path(plan_dir)
    chosen = fixable(warnings, kinds)
    by_file: dict[Path, list[Finding]] = defaultdict(list)
    for w in chosen:
        by_file[w.path].append(w)
    new_texts = {path: _rewritten(path.read_text(encoding="utf-8"), ws) for path, ws in by_file.items()}
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / "plan"
        trial.mkdir()
        for name in PLAN_FILES:
            if (plan_dir / name).exists():
                shutil.copyfile(plan_dir / name, trial / name)
        for path, text in new_texts.items():
            (trial / path.name).write_text(text, encoding="utf-8")
        try:
            load_plan(trial)
        except PlanError as err:
            first = str(err.problems[0]) if err.problems else "计划数据无效"
            raise FixError(first.replace(str(trial), str(plan_dir))) from err
    for path, text in new_texts.items():
        mode = path.stat().st_mode
        atomic_write(path, TextStyle.of(path.read_bytes()).encode(text))  # its CRLF and BOM kept
        path.chmod(mode)
    return chosen
