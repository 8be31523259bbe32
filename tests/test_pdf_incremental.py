"""`plandocs pdf` decides what to convert: complete, incremental, selective, robust to a bad file.

These tests count conversions, so LibreOffice is replaced by a stand-in `soffice` on PATH that takes the
same arguments, prints the same "convert … -> …" lines, writes a one-page PDF per input and logs the
sha256 of every input it converted. A marker in an input makes it crash, hang or refuse the file. What
the real LibreOffice makes of each kind is tested in test_pdf.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from generators.cli import main
from generators.layout import TEMPLATES_DIR
from generators.pdf import soffice
from generators.pdf.targets import CONVERTED_KINDS, JOINED_KIND
from generators.pipeline import build

FAKE_SOFFICE = r"""#!{python}
import hashlib, os, sys, time
from pathlib import Path
args = sys.argv[1:]
out = Path(args[args.index("--outdir") + 1])
files = [Path(a) for a in args[args.index("--outdir") + 2 :]]
for source in files:
    data = source.read_bytes()
    if b"CRASH-ME" in data:
        sys.exit(139)
    if b"HANG-ME" in data:
        time.sleep(3600)
    if b"BAD-ME" in data:
        print(f"Error: source file could not be loaded", flush=True)
        continue
    target = out / (source.stem + ".pdf")
    sha = hashlib.sha256(data).hexdigest()
    target.write_bytes(Path(os.environ["FAKE_PDF"]).read_bytes() + f"%{{sha}}\n".encode())
    with open(os.environ["FAKE_LOG"], "a") as log:
        log.write(sha + "\n")
    print(f"convert {{source}} -> {{target}} using filter : fake", flush=True)
"""
OPINION = "崇明区2023年安全生产工作意见.docx"


class Fake:
    """The stand-in converter's log: the sha256 of each input, one line per conversion."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def converted(self) -> list[str]:
        return self.log.read_text().split() if self.log.exists() else []

    def reset(self) -> None:
        self.log.unlink(missing_ok=True)


@pytest.fixture
def fake(tmp_path, monkeypatch) -> Fake:
    return install_fake(tmp_path, monkeypatch)


def install_fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Fake:
    """The stand-in `soffice` first on PATH for this test (also used by test_command_switch)."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    (folder / "page.pdf").write_bytes(buffer.getvalue())
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_PDF", str(folder / "page.pdf"))
    monkeypatch.setenv("PLANDOCS_CONVERTER", "soffice")  # the stand-in speaks --convert-to, not UNO
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "converted.log"))
    return Fake(tmp_path / "converted.log")


@pytest.fixture
def out(plan_copy, tmp_path) -> Path:
    target = tmp_path / "output"
    build(plan_copy, target)
    return target


def run_pdf(plan_dir: Path, out: Path, *args: str):
    return CliRunner().invoke(main, ["pdf", "--plan", str(plan_dir), "--out", str(out), *args])


def manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".plandocs.lock"
    }


def source_of(out: Path) -> dict[str, str]:
    """sha256 of each printed document → its manifest path."""
    return {e["sha256"]: e["path"] for e in manifest(out) if e["kind"] in CONVERTED_KINDS}


def converted_paths(fake: Fake, out: Path) -> list[str]:
    names = source_of(out)
    return sorted(names[sha] for sha in fake.converted())


def assert_manifest_consistent(out: Path) -> None:
    """Every pdf entry's file exists with its sha256 and names a source the manifest lists."""
    entries = manifest(out)
    paths = {e["path"] for e in entries}
    for entry in (e for e in entries if e["kind"] == "pdf"):
        data = (out / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
        assert entry["source"] in paths, entry
    on_disk = {str(p.relative_to(out)) for p in (out / "pdf").rglob("*") if p.is_file()}
    assert on_disk == {e["path"] for e in entries if e["kind"] == "pdf"}


def test_first_run_converts_each_document_once_and_a_noop_run_converts_nothing(fake, plan_copy, out):
    printed = [e for e in manifest(out) if e["kind"] in CONVERTED_KINDS]
    first = run_pdf(plan_copy, out)
    assert first.exit_code == 0, first.output
    # the stand-in is --convert-to: the office is told once that the sheets' cells break lines anywhere
    sheets = sum(1 for e in printed if e["path"].endswith(".xlsx"))
    assert first.output.count("不避头尾") == 1 and f"提示：{sheets} 个表格" in first.output
    assert converted_paths(fake, out) == sorted(e["path"] for e in printed)
    assert_manifest_consistent(out)
    pdfs = {e["source"]: e for e in manifest(out) if e["kind"] == "pdf"}
    assert set(pdfs) == {e["path"] for e in manifest(out) if e["kind"] in (*CONVERTED_KINDS, JOINED_KIND)}
    for entry in printed:  # each PDF records the exact bytes it was made from
        assert pdfs[entry["path"]]["source_sha256"] == entry["sha256"]
    before = digests(out)
    fake.reset()
    again = run_pdf(plan_copy, out)
    assert again.exit_code == 0, again.output
    assert fake.converted() == []
    assert "转换 0 个，合订 0 个" in again.output
    assert digests(out) == before


def test_one_unit_revision_reconverts_its_files_the_opinion_and_the_joined_letters(fake, plan_copy, out):
    """Measure 17 names 区应急局 alone (see test_build): rewording it changes that unit's letter and
    forms, the opinion and the letters print file; only their PDFs are remade."""
    assert run_pdf(plan_copy, out).exit_code == 0
    before = digests(out)
    opinion = plan_copy / "opinion.yaml"
    text = opinion.read_text(encoding="utf-8")
    opinion.write_text(text.replace("完善安全生产行政审批各类办事指南", "完善安全生产行政审批办事指南"))
    written = set(build(plan_copy, out).report.written)
    fake.reset()
    result = run_pdf(plan_copy, out)
    assert result.exit_code == 0, result.output
    unit = {OPINION, "letters/区应急局.docx", *(f"forms/2023Q{q}/区应急局.xlsx" for q in range(1, 5))}
    unit |= {
        e["path"] for e in manifest(out) if e["kind"] == "issue"
    }  # the issued document holds the opinion
    matrix = {e["path"] for e in manifest(out) if e["kind"] == "matrix"}
    assert unit <= written <= unit | matrix | {e["path"] for e in manifest(out) if e["kind"] == JOINED_KIND}
    assert converted_paths(fake, out) == sorted(
        written - {e["path"] for e in manifest(out) if e["kind"] == JOINED_KIND}
    )
    joined = next(
        e["path"] for e in manifest(out) if e["kind"] == "pdf" and e["source"] == "分工函合订打印本.docx"
    )
    remade = {e["path"] for e in manifest(out) if e["kind"] == "pdf" and e["source"] in written}
    after = digests(out)
    changed = {p for p in after if after[p] != before.get(p)}
    assert "合订 1 个" in result.output
    # the joined file was remade ("合订 1 个"), but from the stand-in's identical pages; so was the issued
    # document's PDF, padded to an even 版记 page by rewriting the stand-in's page (its marker goes)
    issues = {e["path"] for e in manifest(out) if e["kind"] == "issue"}
    rewritten = {joined} | {e["path"] for e in manifest(out) if e["kind"] == "pdf" and e["source"] in issues}
    assert rewritten - {joined} <= remade
    assert changed - rewritten == written | remade - rewritten | {"manifest.json"}
    assert joined in {e["path"] for e in manifest(out) if e["kind"] == "pdf"}
    assert changed - written - {"manifest.json"} <= remade
    assert_manifest_consistent(out)


def test_a_pdf_whose_source_is_gone_is_removed_and_nothing_outside_output(fake, plan_copy, out, tmp_path):
    assert run_pdf(plan_copy, out).exit_code == 0
    (tmp_path / "outside.pdf").write_bytes(b"not ours")
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    data["artifacts"].append({"kind": "pdf", "path": "../outside.pdf", "sha256": "0", "source": "x.docx"})
    (out / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    units = plan_copy / "units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8").replace("崇明海事局, 区气象局, 区人武部", "崇明海事局, 区人武部")
    )
    opinion = plan_copy / "opinion.yaml"
    opinion.write_text(
        opinion.read_text(encoding="utf-8").replace("区公安分局、区气象局，各乡镇", "区公安分局，各乡镇")
    )
    build(plan_copy, out)
    assert (out / "pdf/letters/区气象局.pdf").exists()  # the build keeps PDFs: `pdf` owns them
    fake.reset()
    result = run_pdf(plan_copy, out)
    assert result.exit_code == 0, result.output
    assert not (out / "pdf/letters/区气象局.pdf").exists()
    assert not list((out / "pdf/forms").glob("*/区气象局.pdf"))
    assert (tmp_path / "outside.pdf").read_bytes() == b"not ours"
    assert "删除 6 个" in result.output  # the letter, four forms, the stray entry (its file left alone)
    assert all(e.get("unit") != "区气象局" for e in manifest(out))
    assert_manifest_consistent(out)


def test_selection_by_path_folder_and_kind_touches_nothing_else(fake, plan_copy, out):
    before = digests(out)
    result = run_pdf(plan_copy, out, str(out / "letters/庙镇.docx"), "forms/2023Q2", "--kind", "matrix")
    assert result.exit_code == 0, result.output
    q2 = {e["path"] for e in manifest(out) if e["kind"] == "form" and e["quarter"] == 2}
    matrix = {e["path"] for e in manifest(out) if e["kind"] == "matrix"}
    assert converted_paths(fake, out) == sorted({"letters/庙镇.docx"} | q2 | matrix)
    after = digests(out)
    new = {p for p in after if p not in before}
    assert {p for p in before if after.get(p) != before[p]} == {"manifest.json"}
    assert new == {e["path"] for e in manifest(out) if e["kind"] == "pdf"}
    assert len(new) == 1 + len(q2) + 1
    fake.reset()
    assert run_pdf(plan_copy, out, "--kind", "matrix", "--kind", "letter").exit_code == 0
    assert len(fake.converted()) == len([e for e in manifest(out) if e["kind"] == "letter"]) - 1


def test_selecting_the_joined_file_brings_its_letters(fake, plan_copy, out):
    result = run_pdf(plan_copy, out, "--kind", JOINED_KIND)
    assert result.exit_code == 0, result.output
    letters = sorted(e["path"] for e in manifest(out) if e["kind"] == "letter")
    assert converted_paths(fake, out) == letters
    assert any(e["kind"] == "pdf" and e["source"] == "分工函合订打印本.docx" for e in manifest(out))


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["letters/不存在.docx"], "letters/不存在.docx"),
        (["--kind", "letters"], "未知的文件种类：letters"),
        (["../plan/meta.yaml"], "../plan/meta.yaml"),
    ],
)
def test_unknown_path_or_kind_is_bad_input_and_changes_nothing(fake, plan_copy, out, args, named):
    before = digests(out)
    result = run_pdf(plan_copy, out, *args)
    assert result.exit_code == 2
    assert named in result.output
    assert "Traceback" not in result.output
    assert fake.converted() == []
    assert digests(out) == before


def test_progress_lines_when_not_a_terminal(fake, plan_copy, out):
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "generators",
            "pdf",
            "--plan",
            str(plan_copy),
            "--out",
            str(out),
            "--kind",
            "form",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    forms = len([e for e in manifest(out) if e["kind"] == "form"])
    counts = [tuple(map(int, m)) for m in re.findall(r"^已转换 (\d+)/(\d+)  forms/", process.stdout, re.M)]
    assert counts == [(n, forms) for n in range(1, forms + 1)]


def test_a_file_that_crashes_or_hangs_libreoffice_is_named_and_the_rest_complete(
    fake, plan_copy, out, monkeypatch
):
    monkeypatch.setattr(soffice, "IDLE_TIMEOUT_S", 3.0)
    for name, marker in (
        ("letters/庙镇.docx", b"CRASH-ME"),
        ("letters/堡镇.docx", b"HANG-ME"),
        (OPINION, b"BAD-ME"),
    ):
        path = out / name
        path.write_bytes(path.read_bytes() + marker)
    result = run_pdf(plan_copy, out, "--kind", "letter", "--kind", "opinion", "--kind", JOINED_KIND)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    failed = dict(re.findall(r"^转换失败：(\S+)：(.+)$", result.output, re.M))
    assert set(failed) == {"letters/庙镇.docx", "letters/堡镇.docx", OPINION, "分工函合订打印本.docx"}
    assert "退出码 139" in failed["letters/庙镇.docx"]
    steps = [(int(n), int(m)) for n, m in re.findall(r"^已转换 (\d+)/(\d+)", result.output, re.M)]
    assert steps and all(n <= m for n, m in steps)  # retried files are not counted twice
    assert "超时" in failed["letters/堡镇.docx"]
    letters = {e["path"] for e in manifest(out) if e["kind"] == "letter"}
    pdf_sources = {e["source"] for e in manifest(out) if e["kind"] == "pdf"}
    assert pdf_sources == letters - {"letters/庙镇.docx", "letters/堡镇.docx"}
    assert_manifest_consistent(out)


def test_every_printed_kind_gets_a_pdf(fake, plan_copy, tmp_path, layout):
    """A build with a 比较基准 (修改对照表), a collected quarter (summary, 通报), its 督办单 and the year
    summary: every kind is printed."""
    from plan_edits import commit_all, replace_in
    from returns_kit import fill

    from generators.formspec import FormsLayout

    commit_all(plan_copy.parent, "征求意见稿")
    replace_in(plan_copy, "opinion.yaml", "扫除监管盲区。", "消除监管盲区。")
    replace_in(plan_copy, "meta.yaml", '比较基准: ""', "比较基准: HEAD")
    out = tmp_path / "output"
    build(plan_copy, out)
    returns = tmp_path / "returns"
    returns.mkdir()
    form = next(e["path"] for e in manifest(out) if e["kind"] == "form" and e["quarter"] == 1)
    fill((out / form).read_bytes(), returns / Path(form).name, FormsLayout.of(layout), date="2023年4月3日")
    collected = CliRunner().invoke(
        main, ["collect", "--plan", str(plan_copy), "--quarter", "1", str(returns), "--out", str(out)]
    )
    assert collected.exit_code == 0, collected.output
    for command in (["supervise", "--quarter", "1"], ["year-summary"], ["ledger"]):
        made = CliRunner().invoke(main, [*command, "--plan", str(plan_copy), "--out", str(out)])
        assert made.exit_code == 0, made.output
    result = run_pdf(plan_copy, out)
    assert result.exit_code == 0, result.output
    kinds = {e["path"]: e["kind"] for e in manifest(out)}
    printed = {kinds[e["source"]] for e in manifest(out) if e["kind"] == "pdf"}
    assert printed == {k for k in kinds.values() if k in (*CONVERTED_KINDS, JOINED_KIND)}
    office = {"opinion", "annex", "annex-xlsx", "changes", "letter", "leader-sheet", "matrix", "form"}
    year = {"supervision", "year-summary", "ledger"}
    assert printed >= office | {JOINED_KIND, "summary", "summary-report"} | year
    assert_manifest_consistent(out)


def test_odd_manifest_entries_are_skipped_without_a_traceback(fake, plan_copy, out, tmp_path):
    """Hand-edited entries: a document outside output/, a path that is not text, a pdf entry pointing out."""
    secret = tmp_path / "secret.docx"
    secret.write_bytes(b"not ours")
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    data["artifacts"] += [
        {"kind": "letter", "path": "../secret.docx", "sha256": "0", "unit": "外"},
        {"kind": "form", "path": 5, "sha256": "0"},
        {"kind": "pdf", "path": ["x"], "sha256": "0", "source": "x"},
    ]
    (out / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_pdf(plan_copy, out, "--kind", "letter")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "转换失败：../secret.docx：路径不在输出目录内" in result.output
    assert secret.read_bytes() == b"not ours"
    assert not (tmp_path / "pdf").exists() and not (out.parent / "secret.pdf").exists()
    assert hashlib.sha256(secret.read_bytes()).hexdigest() not in fake.converted()


def test_a_template_edit_alone_is_rebuilt_and_reconverted(fake, plan_copy, tmp_path):
    """pdf asks the build whether output/ is current (its key covers the templates), not the plan hash."""
    import shutil

    from generators.layout import TEMPLATES_DIR

    templates, out = tmp_path / "templates", tmp_path / "out"
    shutil.copytree(TEMPLATES_DIR, templates)
    build(plan_copy, out, templates)
    assert run_pdf(plan_copy, out, "--templates", str(templates)).exit_code == 0
    before = digests(out)
    fake.reset()
    again = run_pdf(plan_copy, out, "--templates", str(templates))
    assert again.exit_code == 0 and fake.converted() == [] and digests(out) == before, again.output
    layout = templates / "layout.yaml"
    text = layout.read_text(encoding="utf-8")
    layout.write_text(
        text.replace('status_line: {value: "（{status}）"', 'status_line: {value: "【{status}】"')
    )
    result = run_pdf(plan_copy, out, "--templates", str(templates))
    assert result.exit_code == 0, result.output
    assert "先更新" in result.output
    assert OPINION in converted_paths(fake, out)  # the status line under the title changed
    fake.reset()
    again = run_pdf(plan_copy, out, "--templates", str(templates))
    assert again.exit_code == 0 and fake.converted() == [] and "先更新" not in again.output, again.output


def test_the_print_volumes_follow_the_layout_of_templates(fake, plan_copy, tmp_path):
    """With --templates, pdf joins the letters into the volumes the build made from that layout."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    layout = templates / "layout.yaml"
    text = layout.read_text(encoding="utf-8")
    assert "print_volume: {value: 200," in text
    layout.write_text(text.replace("print_volume: {value: 200,", "print_volume: {value: 20,"), "utf-8")
    target = tmp_path / "output"
    build(plan_copy, target, templates)
    prints = sorted(e["path"] for e in manifest(target) if e["kind"] == "letters-print")
    assert len(prints) == 3  # 52 letters, 20 a volume

    result = CliRunner().invoke(
        main, ["pdf", "--plan", str(plan_copy), "--out", str(target), "--templates", str(templates)]
    )
    assert result.exit_code == 0, result.output
    joined = sorted(e["source"] for e in manifest(target) if e["kind"] == "pdf" and e["source"] in prints)
    assert joined == prints
