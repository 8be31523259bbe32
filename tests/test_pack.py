"""plandocs pack: one .zip per unit with what the office sends it, and the 分发清单 listing them."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from generators.cli import main

TOWN = "庙镇"


def _pack(plan: Path, out: Path, *args: str):
    return CliRunner().invoke(main, ["pack", "--plan", str(plan), "--out", str(out), *args])


def _zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_a_units_package_holds_its_letter_forms_and_a_note(output_copy, views, plan):
    plan_dir = output_copy.parent / "plan"
    result = _pack(plan_dir, output_copy)
    assert result.exit_code == 0, result.output
    folder = output_copy / "分发包" / str(plan.meta.year)
    members = _zip(folder / f"{TOWN}.zip")
    assert members[f"{TOWN}/letters/{TOWN}.docx"] == (output_copy / "letters" / f"{TOWN}.docx").read_bytes()
    forms = sorted(name for name in members if "/forms/" in name)
    assert forms == [f"{TOWN}/forms/{plan.meta.year}Q{q}/{TOWN}.xlsx" for q in (1, 2, 3, 4)]
    note = members[f"{TOWN}/说明.txt"].decode("utf-8")
    full = next(u.full_name for u in plan.units if u.name == TOWN)
    assert note.startswith(f"\ufeff{full}：") and "1. 任务分工函：letters/庙镇.docx" in note
    assert plan.meta.contact in note and plan.meta.phone in note
    # one package per unit with tasks, no other
    assert sorted(p.stem for p in folder.glob("*.zip")) == sorted(views.assignments)
    manifest = json.loads((output_copy / "manifest.json").read_text(encoding="utf-8"))
    packaged = {e["unit"]: e["path"] for e in manifest["artifacts"] if e["kind"] == "package"}
    assert packaged[TOWN] == f"分发包/{plan.meta.year}/{TOWN}.zip"


def test_the_distribution_list_names_each_unit_its_full_name_and_files(output_copy, views, plan):
    plan_dir = output_copy.parent / "plan"
    assert _pack(plan_dir, output_copy).exit_code == 0
    wb = load_workbook(output_copy / "分发包" / str(plan.meta.year) / f"{plan.meta.year}年分发清单.xlsx")
    rows = list(wb.active.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == list(views.assignments)
    town = next(r for r in rows if r[1] == TOWN)
    assert town[2] == next(u.full_name for u in plan.units if u.name == TOWN)
    assert f"letters/{TOWN}.docx" in town[4] and town[3] is None and town[5] is None


def test_packages_are_reproducible_and_one_unit_leaves_the_others(output_copy, plan):
    plan_dir = output_copy.parent / "plan"
    assert _pack(plan_dir, output_copy).exit_code == 0
    folder = output_copy / "分发包" / str(plan.meta.year)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    other = next(p for p in folder.glob("*.zip") if p.stem != TOWN)
    other.write_bytes(b"left alone")  # --unit 庙镇 must not touch another unit's package
    (folder / f"{TOWN}.zip").unlink()
    result = _pack(plan_dir, output_copy, "--unit", TOWN)
    assert result.exit_code == 0, result.output
    assert (folder / f"{TOWN}.zip").read_bytes() == before[f"{TOWN}.zip"]
    assert other.read_bytes() == b"left alone"


def test_an_unknown_unit_is_refused_with_a_suggestion(output_copy):
    plan_dir = output_copy.parent / "plan"
    result = _pack(plan_dir, output_copy, "--unit", "庙")
    assert result.exit_code == 2
    assert "没有承担任务的单位“庙”" in result.output and not (output_copy / "分发包").exists()
