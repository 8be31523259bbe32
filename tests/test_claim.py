"""An output folder is claimed, never assumed, and every write has one guard (generators/guard.py): --out,
--docx, --into, --dir and lint --fix pointed at plan/, templates/, ledger/, the returns, the project or a
folder of someone's files are refused with one line and exit 2, and every folder keeps its sha256."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import PLAN_DIR, SEED, TEMPLATES_DIR
from promises import MARKER, manifest, plandocs, tree
from returns_kit import fill, form_bytes

from generators.formspec import FormsLayout

REFUSED = 2


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project of its own, the command run from inside it: plan/, templates/, ledger/ and returns/."""
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    shutil.copytree(TEMPLATES_DIR, tmp_path / "templates")
    (tmp_path / "ledger" / "2023").mkdir(parents=True)
    (tmp_path / "ledger" / "2023.csv").write_text("单位,季度\n区应急局,1\n", encoding="utf-8")
    (tmp_path / "returns").mkdir()
    (tmp_path / "returns" / "区应急局.xlsx").write_bytes(b"a unit's return")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "会议纪要.txt").write_text("the office's own file", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def everything(project: Path) -> dict[str, str]:
    return tree(project)


def run(*args: str):
    return plandocs(*args, "--plan", "plan", "--templates", "templates")


def refused(result, *words: str) -> str:
    assert result.exit_code == REFUSED, result.output
    line = [line for line in result.output.splitlines() if not line.startswith("plan/")]
    assert len(line) == 1, result.output
    for word in words:
        assert word in line[0], line[0]
    return line[0]


@pytest.mark.parametrize(
    ("out", "what"),
    [
        ("plan", "就是计划数据目录"),
        ("templates", "就是模板目录"),
        ("ledger", "就是台账目录"),
        ("ledger/2023", "位于台账目录"),
        (".", "包含了"),
        ("..", "包含了"),
        ("plan/sub", "位于计划数据目录"),
        ("output/../plan", "就是计划数据目录"),
        ("notes", "不是 plandocs 的输出目录"),
        ("returns", "不是 plandocs 的输出目录"),
    ],
)
def test_build_clean_never_writes_or_deletes_a_folder_it_does_not_own(project, out, what):
    before = everything(project)
    result = run("build", "--clean", "--out", out)
    refused(result, what, "已拒绝")
    assert everything(project) == before
    assert not (project / "output").exists()


def test_an_output_folder_through_a_link_to_plan_is_plan(project):
    (project / "out").symlink_to(project / "plan", target_is_directory=True)
    before = everything(project)
    refused(run("build", "--clean", "--out", "out"), "就是计划数据目录")
    assert everything(project) == before


def test_a_new_folder_and_an_empty_folder_are_claimed_with_the_marker(project):
    (project / "empty").mkdir()
    for out in ("new/output", "empty"):
        result = run("build", "--out", out)
        assert result.exit_code == 0, result.output
        assert (project / out / MARKER).is_file()
        assert manifest(project / out)["artifacts"]
    # once claimed, a stray put there does not stop the next build, and --clean keeps it
    (project / "empty" / "mine.txt").write_text("x")
    result = run("build", "--clean", "--out", "empty")
    assert result.exit_code == 0, result.output
    assert (project / "empty" / "mine.txt").read_text() == "x"


def test_an_output_folder_of_an_older_plandocs_is_adopted(full_output, tmp_path, monkeypatch):
    """output/ written before the marker: its plandocs manifest.json makes it plandocs'; the marker is
    added and the build runs as before (nothing rewritten: the same bytes)."""
    out = tmp_path / "output"
    shutil.copytree(full_output, out)
    (out / MARKER).unlink()
    before = tree(out)
    result = plandocs("build", "--plan", str(PLAN_DIR), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / MARKER).is_file()
    after = tree(out)
    del after[str(out / MARKER)]
    assert after == before


def test_a_folder_with_a_manifest_that_is_not_plandocs_is_not_adopted(project):
    (project / "other").mkdir()
    (project / "other" / "manifest.json").write_text(json.dumps({"name": "a web app"}), encoding="utf-8")
    (project / "other" / "index.html").write_text("<p>")
    before = everything(project)
    refused(run("build", "--clean", "--out", "other"), "不是 plandocs 的输出目录")
    assert everything(project) == before


def test_collect_never_writes_into_its_returns_folder(project, plan, views, layout):
    spec = FormsLayout.of(layout)
    returns = project / "returns"
    (returns / "区应急局.xlsx").unlink()
    fill(form_bytes(plan, views, layout, 1, "区应急局"), returns / "区应急局.xlsx", spec, date="2023年4月3日")
    before = everything(project)
    result = run("collect", "--quarter", "1", "returns", "--out", "returns/汇总")
    refused(result, "位于回收报表文件夹", "已拒绝")
    assert everything(project) == before


def test_the_returns_folder_is_never_an_output_folder():
    """(the guard itself: collect names its returns; a build never had them)"""
    from generators.guard import Inputs, UnsafeTarget, claim_output

    with pytest.raises(UnsafeTarget, match="就是回收报表文件夹"):
        claim_output(Path("/tmp/r"), Inputs(returns=Path("/tmp/r")), lambda name: False)


@pytest.mark.parametrize(
    ("target", "what"),
    [
        ("plan/meta.yaml", "位于计划数据目录"),
        ("plan", "就是计划数据目录"),
        ("ledger/2023.csv", "位于台账目录"),
        ("templates/opinion.docx", "位于模板目录"),
        ("notes/会议纪要.txt", "应以 .docx 结尾"),
        ("notes", "应以 .docx 结尾"),
    ],
)
def test_diff_docx_never_lands_on_the_users_files(project, target, what):
    before = everything(project)
    result = plandocs("diff", "plan", "--plan", "plan", "--docx", target)
    refused(result, what, "已拒绝")
    assert everything(project) == before


def test_diff_docx_does_not_overwrite_a_file_that_is_not_a_word_document(project):
    (project / "notes" / "旧.docx").write_text("not a document")
    before = everything(project)
    refused(plandocs("diff", "plan", "--plan", "plan", "--docx", "notes/旧.docx"), "不是 .docx 文档")
    assert everything(project) == before
    result = plandocs("diff", "plan", "--plan", "plan", "--docx", "notes/修改对照表.docx")
    assert result.exit_code == 0, result.output
    assert (project / "notes" / "修改对照表.docx").read_bytes()[:4] == b"PK\x03\x04"


def test_diff_docx_stays_out_of_an_output_folder(project):
    assert run("build", "--out", "output").exit_code == 0
    before = everything(project)
    refused(plandocs("diff", "plan", "--plan", "plan", "--docx", "output/对照.docx"), "输出目录")
    assert everything(project) == before


def test_the_guard_follows_links(project):
    from generators.guard import Inputs, UnsafeTarget, check_generated_file

    (project / "look").symlink_to(project / "plan", target_is_directory=True)
    with pytest.raises(UnsafeTarget, match="位于计划数据目录"):
        check_generated_file(Path("look/x.docx"), ".docx", Inputs(plan=Path("plan")))


@pytest.mark.parametrize("folder", ["templates", "ledger", "output", "output/letters", "."])
def test_import_new_and_lint_fix_write_only_a_plan_folder(project, folder):
    assert run("build", "--out", "output").exit_code == 0
    before = everything(project)
    refused(plandocs("import", str(SEED), "--into", folder), "已拒绝")
    refused(plandocs("lint", "--plan", folder, "--fix", "空格"), "已拒绝")
    if folder != ".":
        refused(plandocs("new", str(SEED), "--dir", f"{folder}/新计划"), "已拒绝")
    assert everything(project) == before


def test_lint_without_fix_still_reads_any_folder(project):
    """The guard is on writes only: reading a plan elsewhere is fine."""
    result = plandocs("lint", "--plan", "plan")
    assert result.exit_code in (0, 1), result.output
    assert os.path.isdir(project / "plan")
