"""Edits a revision round makes to a copy of plan/, done on the YAML text as the office would."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from generators.model import Plan

MEASURE_NUMBER = re.compile(
    r"^(          - 编号: )(\d+)$", re.MULTILINE
)  # measures only: parts and sections use 一 二 …


def renumber_measures(text: str) -> str:
    """Number the measures 1, 2, 3 … in file order, as the office does after inserting or moving one."""
    counter = iter(range(1, 1000))
    return MEASURE_NUMBER.sub(lambda m: f"{m.group(1)}{next(counter)}", text)


def measure_block(text: str, number: int) -> str:
    """The YAML lines of one measure (from its '- 编号:' line up to the next item or section)."""
    start = text.index(f"          - 编号: {number}\n")
    following = re.compile(r"^(          - 编号: |      - 编号: |  - 编号: )", re.MULTILINE)
    end = following.search(text, start + 1)
    return text[start : end.start() if end else len(text)]


def insert_measure_before(plan_dir: Path, number: int, content: str, units: str) -> None:
    path = plan_dir / "opinion.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = f"          - 编号: {number}\n"
    block = f"          - 编号: 0\n            内容: {content}\n            责任单位: {units}\n"
    path.write_text(renumber_measures(text.replace(anchor, block + anchor, 1)), encoding="utf-8")


def move_measure_after(plan_dir: Path, number: int, after: int) -> None:
    path = plan_dir / "opinion.yaml"
    text = path.read_text(encoding="utf-8")
    block = measure_block(text, number)
    text = text.replace(block, "", 1)
    target = measure_block(text, after)
    text = text.replace(target, target + block, 1)
    path.write_text(renumber_measures(text), encoding="utf-8")


def replace_in(plan_dir: Path, file: str, old: str, new: str, count: int = 1) -> None:
    path = plan_dir / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def rename_everywhere(plan_dir: Path, old: str, new: str) -> None:
    """A unit renamed in the registry and in every line that names it."""
    for path in plan_dir.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"(?<![\w]){re.escape(old)}(?![\w])", new, text), encoding="utf-8")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.com", *args],
        check=True,
        capture_output=True,
    )


def commit_all(repo: Path, message: str) -> None:
    """Commit the plan directory of a test repository (created on the first call)."""
    if not (repo / ".git").exists():
        git(repo, "init", "-q")
    git(repo, "add", "plan")
    git(repo, "commit", "-q", "-m", message)


def with_measure_text(plan: Plan, number: int, old: str, new: str) -> Plan:
    """The plan (in memory) with `old` replaced by `new` in measure `number`'s text."""
    import dataclasses

    measure = next(m for m in plan.measures if m.number == number)
    reworded = dataclasses.replace(measure, text=measure.text.replace(old, new))
    parts = tuple(
        dataclasses.replace(
            p,
            sections=tuple(
                dataclasses.replace(s, measures=tuple(reworded if m is measure else m for m in s.measures))
                for s in p.sections
            ),
        )
        for p in plan.parts
    )
    return dataclasses.replace(plan, parts=parts)
