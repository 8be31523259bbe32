"""A fixture plan (tests/fixtures/plans/…) copied, edited as the office would, built, and played through one
reporting period: every unit sends its form back 已完成 but one task of one unit, which is late. The setup
the cycle, half-year, deadline and sub-task tests share; each reads the files this leaves."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from returns_kit import fill, form_bytes

from generators.cli import main
from generators.formspec import FormsLayout
from generators.plan import load_plan
from generators.views import Views

FIXTURE_PLANS = Path(__file__).parent / "fixtures" / "plans"


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.output


def entries(out: Path, kind: str) -> list[dict]:
    """The manifest's artifacts of one kind."""
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [e for e in data["artifacts"] if e["kind"] == kind]


def docx_text(path: Path) -> str:
    """A document's paragraphs, then its table cells."""
    doc = Document(str(path))
    return "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )


def copy_plan(fixture: str, plan_dir: Path, edits: dict[str, tuple[str, str]] | None = None) -> Path:
    """tests/fixtures/plans/<fixture> copied to plan_dir, each file's (old, new) text replaced once (the
    old text asserted there: an edit that no longer applies fails the test, it does not pass unedited)."""
    shutil.copytree(FIXTURE_PLANS / fixture, plan_dir)
    for name, (old, new) in (edits or {}).items():
        path = plan_dir / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return plan_dir


def send_back(
    plan_dir: Path, layout, period: int, returns: Path, date: dt.date, late: tuple[str, str, str]
) -> None:
    """Every unit's form for the period filled and saved in returns/: all 已完成 but the late unit's task,
    reported with the late status (unit, task key, status)."""
    plan = load_plan(plan_dir)
    views = Views(plan)
    spec = FormsLayout.of(layout)
    late_unit, late_key, late_status = late
    for unit in views.assignments:
        status: Callable[[str], str] = lambda key, unit=unit: (  # noqa: E731
            late_status if unit == late_unit and key == late_key else "已完成"
        )
        fill(
            form_bytes(plan, views, layout, period, unit),
            returns / f"{unit}.xlsx",
            spec,
            date=date,
            status=status,
        )


@dataclass(frozen=True)
class Played:
    plan_dir: Path
    out: Path
    checked: str  # what check said ("" when not run)
    collected: str
    supervised: str


def play(
    root: Path,
    fixture: str,
    layout,
    *,
    period: int,
    date: dt.date,
    late: tuple[str, str, str],
    edits: dict[str, tuple[str, str]] | None = None,
    check: bool = True,
    ledger: bool = False,
) -> Played:
    """The fixture under root/plan: checked, built into root/output, the period's forms sent back into
    root/returns (send_back), collected and supervised, and the ledger workbook made when asked."""
    plan_dir, out, returns = root / "plan", root / "output", root / "returns"
    copy_plan(fixture, plan_dir, edits)
    checked = run("check", "--plan", str(plan_dir)) if check else ""
    run("build", "--plan", str(plan_dir), "--out", str(out))
    send_back(plan_dir, layout, period, returns, date, late)
    where = ("--plan", str(plan_dir), "--out", str(out))
    collected = run("collect", "--period", str(period), str(returns), *where)
    supervised = run("supervise", "--period", str(period), *where)
    if ledger:
        run("ledger", *where)
    return Played(plan_dir, out, checked, collected, supervised)
