"""Walk every text value of plan/*.yaml, run the rules, and place each slip at its file:line:col."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..plan import PLAN_FILES
from ..plan.problems import Location
from .rules import check_text

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# the texts that are sentences and must end with a mark: a measure's and a key task's content
SENTENCE_KEYS = {"opinion.yaml": {"内容"}, "tasks.yaml": {"工作内容"}}


@dataclass(frozen=True, order=True)
class Finding:
    where: Location
    kind: str
    fragment: str
    fix: str | None
    message: str
    path: Path  # the plan file, for --fix
    index: int  # where the fragment starts in the file's text, in characters (-1: not exactly known)

    def __str__(self) -> str:
        advice = f"，建议改为“{self.fix}”" if self.fix is not None else "，请核对"
        w = self.where
        return f"{w.file}:{w.line}:{w.col}: {self.kind}：{self.message}：“{self.fragment}”{advice}"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _plan_year(plan_dir: Path) -> int | None:
    try:
        meta = yaml.load((plan_dir / "meta.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    year = meta.get("年度") if isinstance(meta, dict) else None
    return year if isinstance(year, int) and not isinstance(year, bool) else None


# a sub-task's 内容 runs up to its bracket: a sentence, but its end mark follows the bracket (结尾)
WITHIN = "子任务"


def _scalars(
    node: yaml.Node, key: str | None = None, within: str = ""
) -> Iterator[tuple[str | None, ScalarNode]]:
    """(key it stands under, scalar node) for every text value, in file order; keys inside a sub-task
    read 子任务/内容."""
    if isinstance(node, MappingNode):
        for key_node, value in node.value:
            name = str(key_node.value)
            yield from _scalars(value, f"{within}/{name}" if within else name, within)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _scalars(item, key, WITHIN if key == WITHIN else within)
    elif isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:str":
        yield key, node


class _Source:
    """A file's text with line starts, to turn (line, column) marks into character indexes and back."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(i + 1)

    def index(self, mark: yaml.Mark) -> int:
        return self.starts[mark.line] + mark.column

    def line_col(self, index: int) -> tuple[int, int]:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= index:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, index - self.starts[lo] + 1


def _place(source: _Source, node: ScalarNode, value: str, offset: int, fragment: str) -> int:
    """Index of the fragment in the file: the same occurrence inside the scalar's written form.

    Plain one-line text is written as it reads; quoted or folded text may not be, so the fragment is
    looked up in what is written. -1 when it is not written literally (escapes, a folded line break)."""
    start, end = source.index(node.start_mark), source.index(node.end_mark)
    written = source.text[start:end]
    nth = value.count(fragment, 0, offset) if fragment else 0
    at = -1
    for _ in range(nth + 1):
        at = written.find(fragment, at + 1)
        if at < 0:
            return -1
    return start + at


def lint_file(path: Path, year: int | None) -> list[Finding]:
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # `plandocs check` reports unreadable files; nothing to proofread here
    if root is None:
        return []
    source = _Source(text)
    shown = _shown(path)
    sentences = SENTENCE_KEYS.get(path.name, set())
    warnings = []
    for key, node in _scalars(root):
        value = node.value
        for slip in check_text(value, year, key in sentences):
            index = _place(source, node, value, slip.offset, slip.fragment)
            line, col = source.line_col(index if index >= 0 else source.index(node.start_mark))
            where = Location(shown, line, col)
            warnings.append(Finding(where, slip.kind, slip.fragment, slip.fix, slip.message, path, index))
    return warnings


def lint_plan(plan_dir: Path | str = "plan") -> list[Finding]:
    """Every proofreading warning in plan/, in file order."""
    plan_dir = Path(plan_dir)
    year = _plan_year(plan_dir)
    return [w for name in PLAN_FILES for w in lint_file(plan_dir / name, year)]
