"""A build shows in output/ all at once or not at all. The switch into place is journalled: a kill -9 in the
middle of it is finished by the next command, a failure in the middle of it is rolled back, and the units
whose letters must be reprinted are still listed by the build after a kill."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from promises import assert_manifest_holds, kill_mid_switch, manifest, one_line, plandocs, tree

from generators import staging
from generators.output import build_lock
from generators.pipeline import build
from generators.staging import JOURNAL

ROOT = Path(__file__).resolve().parent.parent
MEASURE_17 = ("完善安全生产行政审批各类办事指南", "完善安全生产行政审批办事指南")  # names 区应急局 alone


def _reword(plan_dir: Path) -> None:
    path = plan_dir / "opinion.yaml"
    text = path.read_text(encoding="utf-8")
    assert MEASURE_17[0] in text
    path.write_text(text.replace(*MEASURE_17), encoding="utf-8")


def relative(digests: dict[str, str], folder: Path) -> dict[str, str]:
    return {str(Path(k).relative_to(folder)): v for k, v in digests.items()}


def state(out: Path) -> tuple[dict[str, str], dict]:
    """sha256 of every file but the manifest, and the manifest without its build key (which names the
    templates folder as the command line spelt it)."""
    files = {k: v for k, v in relative(tree(out), out).items() if k != "manifest.json"}
    listed = {k: v for k, v in manifest(out).items() if k != "build"}
    return files, listed


@pytest.fixture
def expected(tmp_path_factory, output_copy) -> tuple[dict[str, str], dict]:
    """A fresh build of the reworded plan: what output/ must end as."""
    plan_dir = output_copy.parent / "plan"
    _reword(plan_dir)
    fresh = tmp_path_factory.mktemp("fresh") / "output"
    build(plan_dir, fresh)
    return state(fresh)


def _kill_during_switch(out: Path, after_moves: int) -> None:
    args = ["build", "--plan", str(out.parent / "plan"), "--out", str(out)]
    kill_mid_switch(args, out.parent / "paused", after_moves)


@pytest.mark.parametrize("after_moves", [1, 3])
def test_kill_during_the_switch_then_rebuild_finishes_it_and_lists_the_reprint(
    output_copy, expected, after_moves
):
    out, plan_dir = output_copy, output_copy.parent / "plan"
    old = relative(tree(out), out)
    plan_before = tree(plan_dir)

    _kill_during_switch(out, after_moves)

    assert (out / JOURNAL).exists()  # killed mid-switch: the journal says what to finish
    middle = relative(tree(out), out)
    assert middle != old  # some files had moved: this really was the middle of the switch

    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out))

    assert result.exit_code == 0, result.output
    assert "分工函有变化、需重新印发的单位（1 个）：区应急局" in result.output
    assert "写入  letters/区应急局.docx" in result.output
    assert state(out) == expected
    assert_manifest_holds(out)
    assert tree(plan_dir) == plan_before


def test_another_command_finishing_the_switch_keeps_the_reprint_list_for_the_build(output_copy, expected):
    out, plan_dir = output_copy, output_copy.parent / "plan"
    _kill_during_switch(out, 2)
    with build_lock(out):  # as `plandocs pdf` or `collect` would take it first
        pass
    assert not (out / JOURNAL).exists()
    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "需重新印发的单位（1 个）：区应急局" in result.output
    assert state(out) == expected
    again = plandocs("build", "--plan", str(plan_dir), "--out", str(out))
    assert "需重新印发" not in again.output  # reported once, then forgotten


def test_a_failure_in_the_middle_of_the_switch_rolls_everything_back(output_copy, monkeypatch):
    out, plan_dir = output_copy, output_copy.parent / "plan"
    _reword(plan_dir)
    before = tree(out, plan_dir)
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src, dst, *args, **kwargs):
        if "/new/" in str(src) and ".staging-" not in str(dst):
            calls["n"] += 1
            if calls["n"] == 3:  # two files are already in place
                raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(staging.os, "replace", failing_replace)
    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out))

    assert result.exit_code == 1
    assert "没有权限写入" in one_line(result)
    assert calls["n"] == 3
    assert tree(out, plan_dir) == before
    assert not (out / JOURNAL).exists() and not list(out.glob(".staging-*"))


def test_a_file_where_a_folder_belongs_stops_the_build_before_anything_moves(output_copy):
    out, plan_dir = output_copy, output_copy.parent / "plan"
    _reword(plan_dir)
    for path in (out / "forms" / "2023Q2").iterdir():
        path.unlink()
    (out / "forms" / "2023Q2").rmdir()
    (out / "forms" / "2023Q2").write_text("in the way")
    before = tree(out, plan_dir)
    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out))
    assert result.exit_code == 1
    line = one_line(result)
    assert "forms/2023Q2 是一个文件，这里应是文件夹" in line and "--clean" in line
    assert tree(out, plan_dir) == before
