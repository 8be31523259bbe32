"""Shared fixtures: the real plan, its views, and a copy of plan/ that a test may break."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generators.plan import load_plan
from generators.views import Views

ROOT = Path(__file__).resolve().parent.parent
PLAN_DIR = ROOT / "plan"
TEMPLATES_DIR = ROOT / "templates"
SEED = Path(__file__).resolve().parent / "fixtures" / "seed.txt"


REPO_LEDGER: list[Path] = []  # the folder holding the tests' ledger of the repository's plan


@pytest.fixture(scope="module", autouse=True)
def _a_ledger_per_test_module(tmp_path_factory, _ledger_of_the_repo_plan_in_tmp):
    """Each test module records into a ledger of its own: a collect's summary counts what the ledger holds
    for the quarter (earlier batches), so one module's returns must not show in another's summary."""
    REPO_LEDGER[:] = [tmp_path_factory.mktemp("repo-ledger")]


@pytest.fixture(autouse=True)
def _a_ledger_per_test(tmp_path_factory, _a_ledger_per_test_module):
    """And each test too (after its module's fixtures have recorded theirs into the module's ledger)."""
    REPO_LEDGER[:] = [tmp_path_factory.mktemp("repo-ledger")]


@pytest.fixture(scope="session", autouse=True)
def _ledger_of_the_repo_plan_in_tmp(tmp_path_factory):
    """collect records returns in ledger/ beside the plan: for the repository's own plan/ that would be the
    repository, so the tests' ledger of it goes to a tmp folder (copies of plan/ keep theirs beside them).
    Session-wide, so that module fixtures that collect are covered too."""
    from generators.ledger import store

    real = store.LedgerPaths.beside.__func__
    REPO_LEDGER[:] = [tmp_path_factory.mktemp("repo-ledger")]

    def beside(cls, plan_dir, year, periods=store.QUARTER_COUNT):
        if Path(plan_dir).resolve() == PLAN_DIR.resolve():
            return cls(REPO_LEDGER[0] / "ledger", year, periods)
        return real(cls, plan_dir, year, periods)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store.LedgerPaths, "beside", classmethod(beside))
        yield


@pytest.fixture(scope="session")
def plan():
    return load_plan(PLAN_DIR)


@pytest.fixture(scope="session")
def views(plan):
    return Views(plan)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def plan_copy(tmp_path) -> Path:
    """A private copy of plan/ to edit."""
    target = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, target)
    return target


# --- The seed, parsed on its own (never from plan/): what the rendered documents must reproduce. ---

PART_RE = re.compile(r"^[一二三四五六七八九十]+、")
SECTION_RE = re.compile(r"^（[一二三四五六七八九十]+）")
MEASURE_RE = re.compile(r"^\d+\.")


def norm(text: str) -> str:
    """Collapse runs of whitespace and trim: the seed has stray trailing spaces."""
    return " ".join(text.split())


def squash(text: str) -> str:
    """Delete all whitespace: the seed lost line breaks inside a few table cells."""
    return "".join(text.split())


@dataclass(frozen=True)
class SeedAnnex:
    title: str
    status: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # a group row has one cell; a task row has seven


@dataclass(frozen=True)
class Seed:
    label: str
    title: str
    status: str
    preamble: str
    body: tuple[tuple[str, str], ...]  # (kind, text): part, section, intro, measure
    annex: SeedAnnex


def parse_seed(text: str) -> Seed:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if i > 0 and line.strip() == "附件")
    label, title, status, preamble, *rest = [norm(line) for line in lines[:start] if line.strip()]
    body = []
    for line in rest:
        kind = (
            "part"
            if PART_RE.match(line)
            else "section"
            if SECTION_RE.match(line)
            else "measure"
            if MEASURE_RE.match(line)
            else "intro"
        )
        body.append((kind, line))
    annex_title, annex_status = norm(lines[start + 1]), norm(lines[start + 2])
    # Every table cell starts a line with a tab; a cell's further paragraphs follow without one.
    cells = [c.strip("\n") for c in re.split(r"(?m)^\t", "\n".join(lines[start + 3 :]))[1:]]
    header: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = []
    i = 0
    while i < len(cells):
        first = squash(cells[i])
        if first == "序号":
            header = tuple(squash(c) for c in cells[i : i + 7])
            i += 7
        elif first.isdigit():
            row = cells[i : i + 7]
            rows.append(tuple(row) + ("",) * (7 - len(row)))  # the seed's last row lacks 备注
            i += 7
        else:
            rows.append((cells[i],))
            i += 1
    return Seed(
        label, title, status, preamble, tuple(body), SeedAnnex(annex_title, annex_status, header, tuple(rows))
    )


@pytest.fixture(scope="session")
def seed(seed_text) -> Seed:
    return parse_seed(seed_text)


@pytest.fixture(scope="session")
def layout():
    from generators.layout import load_layout

    return load_layout()


# --- Checks shared by the document tests. ---

THEME_FONT = re.compile(r"w:(asciiTheme|hAnsiTheme|eastAsiaTheme|cstheme)=")


def schema_errors(path: Path) -> list[dict]:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "openxml-audit"), "-o", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    reports = json.loads(result.stdout)
    return [e for report in reports for e in report["errors"] if e["type"] == "schema"]


# --- PDF: a small build converted once per session (LibreOffice takes ~2 s a file). ---

PDF_LETTERS = 3  # letters converted in tests: enough for the join, bookmarks and duplex blank pages


@pytest.fixture(scope="session")
def printed(tmp_path_factory, plan, views) -> Path:
    """output/ with the opinion and the first few letters built and converted by `plandocs pdf`'s code.

    Skips without LibreOffice, except in CI (CI=true), where a missing LibreOffice is a failure."""
    import os

    from generators.pdf import convert_outputs, find_soffice
    from generators.pipeline import build

    if find_soffice() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI 中未安装 LibreOffice：.ci/run 应安装 libreoffice-writer-nogui")
        pytest.skip("未安装 LibreOffice（soffice），跳过 PDF 测试")
    units = set(list(views.assignments)[:PDF_LETTERS])
    leader = next(iter(views.tasks_by_leader))
    out = tmp_path_factory.mktemp("printed")

    def chosen(job) -> bool:
        """The opinion, a few letters and their print file; one file of each spreadsheet kind, a leader sheet."""
        return (
            job.kind in ("opinion", "annex-xlsx", "matrix", "letters-print")
            or (job.kind == "letter" and job.unit in units)
            or (job.kind == "form" and job.unit == min(units) and job.quarter == 1)
            or (job.kind == "leader-sheet" and job.leader == leader)
        )

    build(PLAN_DIR, out, select=chosen)
    convert_outputs(out, plan)
    return out


# --- Promises about output/: a full build of the real plan, copied by each test that may change it. ---


@pytest.fixture(scope="session")
def full_output(tmp_path_factory) -> Path:
    """output/ after one full build of the real plan (never modify it: copy it with `output_copy`)."""
    from generators.pipeline import build

    # from a copy of plan/: the repository plan's ledger (a session folder other tests collect into) would
    # prefill its forms (一表通) depending on which tests ran first
    root = tmp_path_factory.mktemp("full")
    shutil.copytree(PLAN_DIR, root / "plan")
    out = root / "output"
    build(root / "plan", out)
    return out


@pytest.fixture
def output_copy(full_output, tmp_path) -> Path:
    """A private copy of a fully built output/ beside a private copy of plan/ (tmp_path/plan)."""
    target = tmp_path / "output"
    shutil.copytree(full_output, target, symlinks=True)
    if not (tmp_path / "plan").exists():
        shutil.copytree(PLAN_DIR, tmp_path / "plan")
    return target
