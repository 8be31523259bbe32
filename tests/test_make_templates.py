"""The scripts under tools/ that write templates/*.docx reproduce the committed templates byte for byte:
a template changed by hand and not in its script would be lost the next time the script runs (the 印发件
lacked the opinion's {%p if preamble %}; the letters' task table was patched in its grid only)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from conftest import PLAN_DIR, ROOT, TEMPLATES_DIR
from docx import Document
from promises import plandocs

from generators.plan import load_plan

SCRIPTS = sorted(
    p.name for p in (ROOT / "tools").glob("make_*.py") if "templates/" in p.read_text(encoding="utf-8")[:400]
)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """Every template script run on a copy of the project (its generators/, tools/ and templates/): the
    templates it writes land in the copy, never in the repository's templates/."""
    copy = tmp_path_factory.mktemp("make_templates")
    for folder in ("generators", "tools", "templates"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for docx in (copy / "templates").glob("*.docx"):
        docx.unlink()
    said = []
    for script in SCRIPTS:
        done = subprocess.run(
            [sys.executable, f"tools/{script}"],
            cwd=copy,
            env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, (script, done.stderr)
        said.append(done.stdout)
    return copy / "templates", "".join(said)


def test_the_template_scripts_are_found():
    assert {"make_templates.py", "make_letter_templates.py", "make_notice_templates.py"} <= set(SCRIPTS)


def test_every_committed_template_is_written_by_a_script(regenerated):
    folder, said = regenerated
    assert str(folder) in said  # (written into the copy)
    assert sorted(p.name for p in folder.glob("*.docx")) == sorted(
        p.name for p in TEMPLATES_DIR.glob("*.docx")
    )


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES_DIR.glob("*.docx")))
def test_a_regenerated_template_is_the_committed_one_byte_for_byte(regenerated, name):
    folder, _ = regenerated
    made, committed = (folder / name).read_bytes(), (TEMPLATES_DIR / name).read_bytes()
    if made != committed:  # say where: the first differing XML part, not only that the zips differ
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(made)) as a, zipfile.ZipFile(io.BytesIO(committed)) as b:
            parts = [n for n in b.namelist() if n not in a.namelist() or a.read(n) != b.read(n)]
        pytest.fail(f"{name}: the script writes other bytes; parts that differ: {parts}")


def test_the_issued_opinion_of_a_plan_without_a_preamble_prints_none(tmp_path, monkeypatch):
    """印发件 (the opinion as issued with its notice) and the opinion itself: no 序言, no empty paragraph
    for it — the title, one blank line (7.3.1), the first heading."""
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    opinion = tmp_path / "plan" / "opinion.yaml"
    opinion.write_text(re.sub(r"^序言: .*\n", "", opinion.read_text(encoding="utf-8"), flags=re.M), "utf-8")
    monkeypatch.chdir(tmp_path)
    result = plandocs("build", "--plan", "plan", "--out", "output", "--templates", str(TEMPLATES_DIR))
    assert result.exit_code == 0, result.output
    issued = next((tmp_path / "output").glob("*_印发件.docx"))
    own = issued.with_name(issued.name.replace("_印发件", ""))
    for document in (issued, own):
        body = [p.text for p in Document(str(document)).paragraphs]
        title = max(i for i, t in enumerate(body) if t == load_plan(tmp_path / "plan").meta.title)
        after = [t for t in body[title + 1 : title + 4] if not re.fullmatch(r"（\w+稿）", t)]  # (稿件状态)
        assert after[:2] == ["", "一、强化责任意识，提升全主体协同治理能力"], (document.name, after)
