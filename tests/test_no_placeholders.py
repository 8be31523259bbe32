"""No document of any fixture plan prints a value that was missing: "None", "null", an unrendered "{{" or
an empty list "[]" (a template handed a role or a field it did not get)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from generators.cli import main

ROOT = Path(__file__).parent.parent
PLANS = [ROOT / "plan", *sorted(p for p in (ROOT / "tests" / "fixtures" / "plans").iterdir() if p.is_dir())]
MISSING = ("None", "null", "{{", "[]")


def docx_texts(path: Path) -> list[str]:
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.even_page_header):
            texts += [p.text for p in part.paragraphs]
            texts += [c.text for t in part.tables for row in t.rows for c in row.cells]
    return texts


def xlsx_texts(path: Path) -> list[str]:
    wb = load_workbook(path)
    return [
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    ]


@pytest.mark.parametrize("plan_dir", PLANS, ids=[p.name for p in PLANS])
def test_no_document_prints_a_missing_value(plan_dir, tmp_path):
    plan, out = tmp_path / "plan", tmp_path / "output"
    shutil.copytree(plan_dir, plan)
    result = CliRunner().invoke(main, ["build", "--plan", str(plan), "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    scanned = 0
    for entry in manifest["artifacts"]:
        path = out / entry["path"]
        if path.suffix == ".docx":
            texts = docx_texts(path)
        elif path.suffix == ".xlsx":
            texts = xlsx_texts(path)
        else:
            continue
        scanned += 1
        for text in texts:
            found = [word for word in MISSING if word in text]
            assert not found, f"{entry['path']}: {found} in “{text}”"
    assert scanned >= 3
