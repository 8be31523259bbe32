"""The year in place (issue 22): `plandocs new-year` archives plan/, ledger/ and output/ with every file
kept, then builds the new year from plan/; named draft rounds (`plandocs 存稿`) as 比较基准."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TEMPLATES_DIR
from returns_kit import tree_hashes

from generators.cli import main
from generators.formspec import FormsLayout
from generators.ledger.synthetic import write_returns
from generators.plan import load_plan
from generators.views import Views

DRAFTS = Path(__file__).resolve().parent / "fixtures" / "drafts"
QINGTIAN = DRAFTS / "qingtian_2026_yaodian.txt"
ROOT = Path(__file__).resolve().parent.parent


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def records(root: Path) -> dict[str, str]:
    """sha256 of every file of the office's records (plan/, ledger/, output/), by path under root."""
    return {
        f"{name}/{path}": digest
        for name in ("plan", "ledger", "output")
        if (root / name).is_dir()
        for path, digest in tree_hashes(root / name).items()
    }


@pytest.fixture
def year_2023(output_copy, layout, tmp_path, monkeypatch) -> Path:
    """A full 2023 checkout: plan/, output/ built, two quarters of returns collected into ledger/."""
    plan = load_plan(tmp_path / "plan")
    monkeypatch.chdir(tmp_path)
    for quarter in (1, 2):
        folder = tmp_path / f"returns{quarter}"
        assert write_returns(plan, Views(plan), FormsLayout.of(layout), quarter, folder) > 0
        result = run("collect", "--quarter", quarter, folder, "--templates", TEMPLATES_DIR)
        assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "ledger").iterdir()} >= {"2023.csv"}
    return tmp_path


def test_new_year_archives_every_file_and_builds_the_new_year(year_2023):
    before = records(year_2023)
    result = run("new-year", QINGTIAN)
    assert result.exit_code == 0, result.output
    archive = year_2023 / "归档" / "2023"
    assert records(archive) == before  # every old file, byte for byte, nothing left out
    assert not (year_2023 / "output").exists() and not (year_2023 / "ledger").exists()
    assert load_plan(year_2023 / "plan").meta.year == 2026
    result = run("build", "--templates", TEMPLATES_DIR)  # what `make docs` runs
    assert result.exit_code == 0, result.output
    manifest = json.loads((year_2023 / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["plan"]["title"] == "青田县2026年安全生产工作要点"
    assert not any("2023" in entry["path"] for entry in manifest["artifacts"])
    assert records(archive) == before


def test_new_year_with_a_bad_draft_changes_nothing(year_2023):
    before = records(year_2023)
    draft = year_2023 / "bad.txt"
    draft.write_text("没有年度的标题\n一、部分\n1. 措施。（责任单位：区应急局）\n", encoding="utf-8")
    result = run("new-year", draft)
    assert result.exit_code == 2
    assert "年度" in result.output and "未归档" in result.output
    assert records(year_2023) == before
    assert not (year_2023 / "归档").exists() or not any((year_2023 / "归档").iterdir())
    same_year = run("new-year", DRAFTS.parent / "seed.txt")
    assert same_year.exit_code == 2 and "与要归档的计划相同" in same_year.output
    assert records(year_2023) == before


def test_new_year_refuses_a_year_already_archived(year_2023):
    (year_2023 / "归档" / "2023").mkdir(parents=True)
    before = records(year_2023)
    result = run("new-year", QINGTIAN)
    assert result.exit_code == 2 and "已经归档过" in result.output
    assert records(year_2023) == before


def test_a_killed_new_year_is_put_back_by_the_next_run(year_2023):
    """SIGKILL while the folders are moved; the next run puts them back, then archives the year."""
    before = records(year_2023)
    script = (
        "import os, signal, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from generators import yearturn\n"
        "real = os.rename\n"
        "def rename(src, dst):\n"
        "    real(src, dst)\n"
        "    if str(src).endswith('ledger'):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "yearturn.os.rename = rename\n"
        "from generators.cli import main\n"
        f"main(['new-year', {str(QINGTIAN)!r}])\n"
    )
    killed = subprocess.run([sys.executable, "-c", script], cwd=year_2023, check=False, capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    assert not (year_2023 / "plan").exists()  # plan/ and ledger/ sit in the hidden folder
    result = run("new-year", QINGTIAN)
    assert result.exit_code == 0, result.output
    assert "放回" in result.output
    assert records(year_2023 / "归档" / "2023") == before
    assert not [p for p in (year_2023 / "归档").iterdir() if p.name.startswith(".")]
    assert not [p for p in year_2023.iterdir() if p.name.startswith(".")]


# --- named draft rounds -------------------------------------------------------------------------------


def test_a_named_round_is_the_base_of_the_changes_table(plan_copy, tmp_path):
    result = run("存稿", "第1稿", "--plan", plan_copy)
    assert result.exit_code == 0, result.output
    stored = tmp_path / "稿次" / "第1稿"
    assert tree_hashes(stored) == tree_hashes(plan_copy)
    opinion = plan_copy / "opinion.yaml"
    opinion.write_text(
        opinion.read_text(encoding="utf-8").replace("扫除监管盲区。", "消除监管盲区。"), "utf-8"
    )
    meta = plan_copy / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('比较基准: ""', "比较基准: 第1稿"), "utf-8")
    out = tmp_path / "output"
    result = run("build", "--plan", plan_copy, "--out", out, "--templates", TEMPLATES_DIR)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [e["kind"] for e in manifest["artifacts"]].count("changes") == 1
    diff = run("diff", "第1稿", "--plan", plan_copy)
    assert diff.exit_code == 0 and "修改  第8条" in diff.output
    again = run("存稿", "第1稿", "--plan", plan_copy)  # a round is never overwritten
    assert again.exit_code == 2 and "已存下" in again.output
    assert tree_hashes(stored) != tree_hashes(plan_copy)


def test_a_base_that_is_the_plan_itself_says_so(plan_copy, tmp_path):
    assert run("存稿", "第1稿", "--plan", plan_copy).exit_code == 0
    meta = plan_copy / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('比较基准: ""', "比较基准: 第1稿"), "utf-8")
    result = run("check", "--plan", plan_copy)
    assert result.exit_code == 0
    assert "比较基准“第1稿”就是当前的计划" in result.output
    out = tmp_path / "output"
    assert run("build", "--plan", plan_copy, "--out", out, "--templates", TEMPLATES_DIR).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "changes" not in {e["kind"] for e in manifest["artifacts"]}  # no empty 对照表


@pytest.mark.parametrize("name", ["../x", "a b", "-x", ".hidden", ""])
def test_a_round_name_that_is_no_folder_name_is_refused(plan_copy, name, tmp_path):
    result = run("存稿", name, "--plan", plan_copy)
    assert result.exit_code == 2
    assert not (tmp_path / "稿次").exists()


def test_a_git_base_that_is_the_committed_plan_says_so(plan_copy, tmp_path):
    from plan_edits import commit_all

    meta = plan_copy / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('比较基准: ""', "比较基准: HEAD"), "utf-8")
    commit_all(tmp_path, "送审稿，台账一并提交")  # the office commits: HEAD is now the plan itself
    result = run("check", "--plan", plan_copy)
    assert result.exit_code == 0 and "比较基准“HEAD”就是当前的计划" in result.output
    opinion = plan_copy / "opinion.yaml"
    opinion.write_text(
        opinion.read_text(encoding="utf-8").replace("扫除监管盲区。", "消除监管盲区。"), "utf-8"
    )
    result = run("check", "--plan", plan_copy)  # git refs keep working once the plan moves on
    assert result.exit_code == 0 and "就是当前的计划" not in result.output


def test_an_interrupted_round_leaves_no_round_behind(plan_copy, tmp_path, monkeypatch):
    from generators import rounds

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(rounds.os, "rename", interrupted)
    result = run("存稿", "第1稿", "--plan", plan_copy)
    assert result.exit_code != 0 and "已中断" in result.output
    monkeypatch.undo()
    assert not any((tmp_path / "稿次").iterdir())  # neither the round nor its staging copy
    assert run("存稿", "第1稿", "--plan", plan_copy).exit_code == 0
    assert tree_hashes(tmp_path / "稿次" / "第1稿") == tree_hashes(plan_copy)


def test_new_year_waits_for_a_build_that_holds_output(year_2023):
    from generators.output import build_lock

    before = records(year_2023)
    with build_lock(year_2023 / "output"):
        result = run("new-year", QINGTIAN)
    assert result.exit_code != 0 and "另一个生成任务正在写入" in result.output
    assert records(year_2023) == before and not (year_2023 / "归档" / "2023").exists()
    assert not [p for p in year_2023.iterdir() if p.name.startswith(".")]
