"""The build as a whole: manifest, reproducible bytes, incremental and atomic writes, the lock."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generators.cli import main
from generators.layout import TEMPLATES_DIR
from generators.output import BuildLocked, build_lock
from generators.pipeline import build
from generators.plan import PlanError


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".plandocs.lock"
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One full build of the real plan, shared by the read-only tests here."""
    out = tmp_path_factory.mktemp("out")
    result = build(Path("plan"), out)
    return out, result


def test_manifest_lists_every_file_with_its_hash(built):
    out, result = built
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["plan"]["title"] == "上海市崇明区2023年安全生产工作意见"
    assert manifest["plan"]["status"] == "送审稿"
    assert manifest["plan"]["hash"] == result.plan.digest and len(result.plan.digest) == 64
    kinds = {e["kind"] for e in manifest["artifacts"]}
    assert {"opinion", "annex", "annex-xlsx"} <= kinds
    for entry in manifest["artifacts"]:
        data = (out / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(entry["inputs"]) == 64
    files = set(digests(out)) - {"manifest.json", ".plandocs-output"}  # + the claim on output/
    assert files == {e["path"] for e in manifest["artifacts"]}


def test_same_plan_gives_byte_identical_files(built, tmp_path):
    out, _ = built
    again = tmp_path / "again"
    build(Path("plan"), again, clean=True)
    assert digests(again) == digests(out)


def test_noop_rebuild_renders_and_writes_nothing(plan_copy, tmp_path):
    out = tmp_path / "out"
    build(plan_copy, out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = build(plan_copy, out)
    assert result.rendered == 0
    assert result.report.written == [] and result.report.removed == []
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps


def test_changing_the_annex_rerenders_only_what_shows_it(plan_copy, tmp_path):
    out = tmp_path / "out"
    build(plan_copy, out)
    tasks = plan_copy / "tasks.yaml"
    tasks.write_text(
        tasks.read_text(encoding="utf-8").replace(
            "开展特种设备安全风险排查整治", "开展特种设备安全隐患排查整治"
        ),
        encoding="utf-8",
    )
    result = build(plan_copy, out)
    written = set(result.report.written)
    assert "崇明区2023年安全生产工作意见.docx" in written  # the opinion carries the annex
    assert "附件_区政府领导2023年安全生产重点工作任务清单.xlsx" in written
    assert "manifest.json" not in written  # manifest is not an artifact
    unchanged = set(result.report.unchanged)
    assert not written & unchanged


def test_a_file_edited_by_hand_in_output_is_rebuilt(plan_copy, tmp_path):
    out = tmp_path / "out"
    build(plan_copy, out)
    target = out / "崇明区2023年安全生产工作意见.docx"
    original = target.read_bytes()
    target.write_bytes(b"damaged")
    result = build(plan_copy, out)
    assert result.rendered >= 1
    assert target.read_bytes() == original


def test_broken_template_leaves_output_untouched(plan_copy, tmp_path):
    out = tmp_path / "out"
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    build(plan_copy, out, templates)
    before = digests(out)
    # a plan change forces a re-render; the bad plan must stop the build before any write
    opinion = plan_copy / "opinion.yaml"
    opinion.write_text(
        opinion.read_text(encoding="utf-8").replace("区民宗办、", "区民中办、"), encoding="utf-8"
    )
    with pytest.raises(PlanError):
        build(plan_copy, out, templates)
    assert digests(out) == before


def test_clean_build_keeps_and_names_strays_and_removes_its_own_leftovers(plan_copy, tmp_path):
    """--clean deletes only what plandocs wrote: a file someone put there is named and kept; a temporary
    file a killed write of plandocs left (.tmp-<hex>) goes."""
    out = tmp_path / "out"
    build(plan_copy, out)
    (out / "stray.txt").write_text("x")
    (out / "letters" / ".tmp-0123456789ab").write_bytes(b"half a letter")
    result = CliRunner().invoke(main, ["build", "--plan", str(plan_copy), "--out", str(out), "--clean"])
    assert result.exit_code == 0, result.output
    assert (out / "stray.txt").read_text() == "x" and "保留  stray.txt" in result.output
    assert not (out / "letters" / ".tmp-0123456789ab").exists()
    assert "manifest.json" in os.listdir(out)


def test_second_build_at_once_is_refused_with_a_clear_message(plan_copy, tmp_path):
    out = tmp_path / "out"
    with build_lock(out):
        with pytest.raises(BuildLocked, match="另一个生成任务正在写入"):
            build(plan_copy, out)
        result = CliRunner().invoke(main, ["build", "--plan", str(plan_copy), "--out", str(out)])
        assert result.exit_code == 1 and "另一个生成任务正在写入" in result.output


def test_exception_while_rendering_leaves_output_untouched(plan_copy, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(plan_copy, out)
    before = digests(out)
    meta = plan_copy / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("2023-03-01", "2023-03-02"), encoding="utf-8")

    from generators.render import annex_xlsx

    def broken(*args, **kwargs):
        raise RuntimeError("模板损坏")

    monkeypatch.setattr(annex_xlsx, "workbook_bytes", broken)
    with pytest.raises(RuntimeError):
        build(plan_copy, out, workers=1)
    assert digests(out) == before
    assert not (out / ".staging").exists()


def test_rewording_a_one_unit_measure_rewrites_only_what_shows_it(plan_copy, tmp_path):
    """Measure 17 names 区应急局 alone: its letter and forms change, no other unit's files do."""
    out = tmp_path / "out"
    build(plan_copy, out)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()}
    opinion = plan_copy / "opinion.yaml"
    text = opinion.read_text(encoding="utf-8")
    assert "完善安全生产行政审批各类办事指南" in text
    opinion.write_text(
        text.replace("完善安全生产行政审批各类办事指南", "完善安全生产行政审批办事指南"), encoding="utf-8"
    )
    result = build(plan_copy, out)
    written = set(result.report.written)
    must = {
        "崇明区2023年安全生产工作意见.docx",
        "letters/区应急局.docx",
        *(f"forms/2023Q{q}/区应急局.xlsx" for q in range(1, 5)),
    }
    printed = {e["path"] for e in result.entries if e["kind"] == "letters-print"}
    matrix = {e["path"] for e in result.entries if e["kind"] == "matrix"}
    printed |= {e["path"] for e in result.entries if e["kind"] == "issue"}  # the issued document holds it
    assert must | printed <= written <= must | printed | matrix
    for path, (mtime, data) in before.items():
        relative = str(path.relative_to(out))
        if relative not in written and relative != "manifest.json":
            assert path.stat().st_mtime_ns == mtime and path.read_bytes() == data, relative
    assert result.reprint_units == ["区应急局"]


def test_killed_build_leaves_the_old_output_valid(plan_copy, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    build(plan_copy, out)
    before = digests(out)
    meta = plan_copy / "meta.yaml"  # a new date changes every document: a long build to interrupt
    meta.write_text(meta.read_text(encoding="utf-8").replace("2023-03-01", "2023-03-09"), encoding="utf-8")
    command = [sys.executable, "-m", "generators", "build", "--plan", str(plan_copy), "--out", str(out)]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if any(p.is_file() for p in out.glob(".staging-*/**/*")):
            break
        time.sleep(0.005)
    interrupted = child.poll() is None
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert interrupted, "the build finished before it could be interrupted"
    after = digests(out)
    assert {k: v for k, v in after.items() if not k.startswith(".staging")} == before
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["artifacts"]:
        assert hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
    # the next build clears the leftovers and completes (orphaned workers may hold on a moment)
    for _ in range(100):
        try:
            result = build(plan_copy, out)
            break
        except BuildLocked:
            time.sleep(0.1)
    assert not list(out.glob(".staging-*")) and result.report.written


def test_a_unit_that_loses_its_only_task_has_its_letter_and_forms_removed(plan_copy, tmp_path):
    """区气象局 is named only in measure 40 and is otherwise reached as a 区安委会 member: take it out of
    both, and its letter and forms go, reported as withdrawn."""
    out = tmp_path / "out"
    build(plan_copy, out)
    assert (out / "letters/区气象局.docx").exists()
    units = plan_copy / "units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8").replace("崇明海事局, 区气象局, 区人武部", "崇明海事局, 区人武部"),
        encoding="utf-8",
    )
    opinion = plan_copy / "opinion.yaml"
    opinion.write_text(
        opinion.read_text(encoding="utf-8").replace("区公安分局、区气象局，各乡镇", "区公安分局，各乡镇"),
        encoding="utf-8",
    )
    result = build(plan_copy, out)
    assert result.withdrawn_units == ["区气象局"]
    assert "letters/区气象局.docx" in result.report.removed
    assert not (out / "letters/区气象局.docx").exists()
    assert not list(out.glob("forms/*/区气象局.xlsx"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert all(e.get("unit") != "区气象局" for e in manifest["artifacts"])
