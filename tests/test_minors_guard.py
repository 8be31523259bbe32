"""The minors of issue 23 that guard the edges: CRLF and a BOM kept byte for byte by lint --fix and
import, a GBK plan file said first and alone, a converter that keeps printing still timed out, a garbage
PDF never recorded, and a newline in a file name that cannot forge a console line."""

from __future__ import annotations

import os
import stat
import sys
import threading
from pathlib import Path

import pytest
from conftest import SEED
from promises import plandocs, tree

from generators.pdf import soffice

BOM = b"\xef\xbb\xbf"


def windows_style(plan_dir: Path) -> None:
    """Every plan file saved as a Windows editor saves it: a BOM and CRLF line endings."""
    for path in plan_dir.glob("*.yaml"):
        path.write_bytes(BOM + path.read_bytes().replace(b"\n", b"\r\n"))


def test_lint_fix_changes_the_words_not_the_line_endings_or_the_bom(plan_copy):
    windows_style(plan_copy)
    before = {p.name: p.read_bytes() for p in plan_copy.glob("*.yaml")}
    result = plandocs("lint", "--plan", str(plan_copy), "--fix", "空格")
    assert "已修改" in result.output, result.output
    after = {p.name: p.read_bytes() for p in plan_copy.glob("*.yaml")}
    changed = [name for name in before if after[name] != before[name]]
    assert changed == ["opinion.yaml"]
    new, old = after["opinion.yaml"], before["opinion.yaml"]
    assert new.startswith(BOM) and new.count(b"\r\n") == old.count(b"\r\n") and b"\r\n" in new
    assert new.replace(b"\r\n", b"\n").count(b"\n") == new.count(b"\n")  # no bare LF crept in
    differing = [a != b for a, b in zip(new.split(b"\r\n"), old.split(b"\r\n"), strict=True)]
    assert sum(differing) == 1  # one line changed: the one with the space


def test_import_of_the_same_draft_leaves_a_windows_plan_byte_for_byte(plan_copy):
    windows_style(plan_copy)
    before = tree(plan_copy)
    result = plandocs("import", str(SEED), "--into", str(plan_copy))
    assert result.exit_code == 0, result.output
    assert tree(plan_copy) == before


def test_import_that_changes_a_windows_plan_keeps_its_style(plan_copy, tmp_path):
    windows_style(plan_copy)
    draft = tmp_path / "draft.txt"
    draft.write_text(SEED.read_text(encoding="utf-8").replace("扫除监管盲区", "消除监管盲区", 1), "utf-8")
    result = plandocs("import", str(draft), "--into", str(plan_copy))
    assert result.exit_code == 0, result.output
    opinion = (plan_copy / "opinion.yaml").read_bytes()
    assert "消除监管盲区".encode() in opinion
    assert opinion.startswith(BOM)
    assert opinion.count(b"\n") == opinion.count(b"\r\n")


@pytest.mark.parametrize("command", ["check", "build", "lint", "import"])
def test_a_gbk_plan_file_is_said_first_and_alone(plan_copy, tmp_path, command):
    meta = plan_copy / "meta.yaml"
    meta.write_bytes(meta.read_text(encoding="utf-8").encode("gbk"))
    before = tree(plan_copy)
    args = {
        "check": ["check", "--plan", str(plan_copy)],
        "build": ["build", "--plan", str(plan_copy), "--out", str(tmp_path / "out")],
        "lint": ["lint", "--plan", str(plan_copy)],
        "import": ["import", str(SEED), "--into", str(plan_copy)],
    }[command]
    result = plandocs(*args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    problems = [line for line in lines if "meta.yaml" in line]
    assert len(problems) == 1 and "不是 UTF-8 编码" in problems[0] and "GBK" in problems[0], result.output
    assert "缺少必填" not in result.output and "内部错误" not in result.output
    assert problems[0].split(": ", 1)[0].endswith("meta.yaml:1:3")  # the first byte that is not UTF-8
    assert tree(plan_copy) == before
    assert not (tmp_path / "out").exists()


CHATTY = r"""#!{python}
import sys, time
args = sys.argv[1:]
while True:
    print("warn: still thinking about " + args[-1], flush=True)
    time.sleep(0.05)
"""

GARBAGE = r"""#!{python}
import sys
from pathlib import Path
args = sys.argv[1:]
out = Path(args[args.index("--outdir") + 1])
for source in [Path(a) for a in args[args.index("--outdir") + 2 :]]:
    target = out / (source.stem + ".pdf")
    target.write_bytes({payload!r})
    print(f"convert {{source}} -> {{target}} using filter : fake", flush=True)
"""


def fake_soffice(tmp_path: Path, monkeypatch, script: str) -> None:
    folder = tmp_path / "fake-bin"
    folder.mkdir(exist_ok=True)
    path = folder / "soffice"
    path.write_text(script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("PLANDOCS_CONVERTER", "soffice")  # the stand-in speaks --convert-to, not UNO


def test_a_converter_that_keeps_printing_still_times_out(tmp_path, monkeypatch):
    fake_soffice(tmp_path, monkeypatch, CHATTY.format(python=sys.executable))
    source = tmp_path / "a.docx"
    source.write_bytes(b"PK")
    (tmp_path / "out").mkdir()
    done: list = []
    worker = threading.Thread(
        target=lambda: done.append(soffice.run_soffice([source], tmp_path / "out", idle_timeout_s=1.0)),
        daemon=True,
    )
    worker.start()
    worker.join(30)  # bounded: one idle period per file and one more (2 s here), whatever it prints
    assert done, "the converter was never stopped"
    (outcome,) = done
    assert outcome.problem is not None and "超时" in outcome.problem
    assert outcome.pdfs == {}


@pytest.mark.parametrize(
    ("payload", "why"),
    [(b"not a pdf at all", "不是 PDF"), (b"%PDF-1.7\n%%EOF\n", "损坏"), (b"%PDF-1.4 garbage", "损坏")],
)
def test_a_pdf_that_does_not_open_is_not_recorded(plan_copy, tmp_path, monkeypatch, payload, why):
    from generators.pipeline import build

    out = tmp_path / "output"
    build(plan_copy, out)
    fake_soffice(tmp_path, monkeypatch, GARBAGE.format(python=sys.executable, payload=payload))
    result = plandocs("pdf", "--plan", str(plan_copy), "--out", str(out), "--kind", "opinion")
    assert result.exit_code == 1, result.output
    assert why in result.output and "未记录" in result.output, result.output
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"kind": "pdf"' not in manifest
    assert not list(out.glob("pdf/*.pdf"))


def test_a_newline_in_a_name_forges_no_console_line(tmp_path):
    forged = tmp_path / "x\n完成：共 0 个文件，一切正常"
    result = plandocs("diff", "plan", "--docx", str(forged / "a.txt"))
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1 and "\\u000a完成" in lines[0], result.output
    assert not any(line.startswith("完成") for line in lines)
