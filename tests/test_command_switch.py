"""collect and pdf write output/ through the build's one transaction (output.transaction): a kill -9 in the
middle of their switch is finished by the next command, a failure in the middle of it is rolled back, and
nothing else in output/ changes; the sha256 of every file is compared."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from promises import assert_manifest_holds, kill_mid_switch, plandocs, tree
from test_pdf_incremental import install_fake

from generators import staging
from generators.formspec import FormsLayout
from generators.ledger.synthetic import write_returns
from generators.plan import load_plan
from generators.staging import JOURNAL
from generators.views import Views

ROOT = Path(__file__).resolve().parent.parent
LETTER = "letters/区应急局.docx"


def relative(folder: Path) -> dict[str, str]:
    return {str(Path(k).relative_to(folder)): v for k, v in tree(folder).items()}


@pytest.fixture
def returns(output_copy, layout) -> Path:
    """Every unit's first-quarter form, filled in, beside the copies of output/ and plan/."""
    plan = load_plan(output_copy.parent / "plan")
    folder = output_copy.parent / "returns"
    assert write_returns(plan, Views(plan), FormsLayout.of(layout), 1, folder) > 0
    return folder


def _collect_args(out: Path, folder: Path) -> list[str]:
    return ["collect", "--quarter", "1", str(folder), "--no-ledger", "--plan", str(out.parent / "plan")] + [
        "--out",
        str(out),
    ]


def _twin(out: Path, tmp_path: Path) -> Path:
    """A second copy of output/ beside the same plan/, for the uninterrupted run to compare with."""
    twin = tmp_path / "twin" / "output"
    shutil.copytree(out, twin, symlinks=True)
    shutil.copytree(out.parent / "plan", twin.parent / "plan")
    return twin


def _same_output(out: Path, twin: Path) -> None:
    """Both copies hold the same files with the same bytes (the manifest included)."""
    assert relative(out) == relative(twin)
    assert_manifest_holds(out)


def test_collect_killed_during_its_switch_is_finished_by_the_next_command(output_copy, returns, tmp_path):
    out = output_copy
    twin = _twin(out, tmp_path)
    before = relative(out)
    done = plandocs(*_collect_args(twin, returns))
    assert done.exit_code == 0, done.output

    kill_mid_switch(_collect_args(out, returns), tmp_path / "paused", 1)

    assert (out / JOURNAL).exists()  # killed mid-switch: the journal says what to finish
    middle = relative(out)
    assert middle != before and middle != relative(twin)  # one file had moved, not all
    returned_before = relative(returns)

    result = plandocs("build", "--plan", str(out.parent / "plan"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "summary" not in result.output  # collect's files are not reported as the build's
    again = plandocs("build", "--plan", str(twin.parent / "plan"), "--out", str(twin))
    assert again.exit_code == 0, again.output
    _same_output(out, twin)
    assert not (out / JOURNAL).exists() and not list(out.glob(".staging-*"))
    assert relative(returns) == returned_before  # the returned forms are only read


def test_collect_failing_in_the_middle_of_its_switch_rolls_everything_back(output_copy, returns, monkeypatch):
    out = output_copy
    before = tree(out, out.parent / "plan", returns)
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src, dst, *args, **kwargs):
        if "/new/" in str(src) and ".staging-" not in str(dst):
            calls["n"] += 1
            if calls["n"] == 2:  # the first file is already in place
                raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(staging.os, "replace", failing_replace)
    result = plandocs(*_collect_args(out, returns))

    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]  # after the verdicts: one line saying what to do
    assert "没有权限写入" in last and "Traceback" not in result.output
    assert calls["n"] == 2
    assert tree(out, out.parent / "plan", returns) == before
    assert not (out / JOURNAL).exists() and not list(out.glob(".staging-*"))


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch) -> None:
    """test_pdf_incremental's stand-in LibreOffice on PATH: one blank page per file, at once."""
    install_fake(tmp_path, monkeypatch)


def _pdf_args(out: Path) -> list[str]:
    return ["pdf", LETTER, "--plan", str(out.parent / "plan"), "--out", str(out)]


def test_pdf_killed_during_its_switch_is_finished_by_the_next_command(output_copy, fake_soffice, tmp_path):
    out = output_copy
    twin = _twin(out, tmp_path)
    before = relative(out)
    done = plandocs(*_pdf_args(twin))
    assert done.exit_code == 0, done.output
    assert "pdf/letters/区应急局.pdf" in relative(twin)

    kill_mid_switch(_pdf_args(out), tmp_path / "paused", 1)

    assert (out / JOURNAL).exists()
    middle = relative(out)
    assert middle != before and middle != relative(twin)

    result = plandocs("build", "--plan", str(out.parent / "plan"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "pdf/" not in result.output
    again = plandocs("build", "--plan", str(twin.parent / "plan"), "--out", str(twin))
    assert again.exit_code == 0, again.output
    _same_output(out, twin)
    assert not (out / JOURNAL).exists() and not list(out.glob(".staging-*"))


def test_pdf_failing_in_the_middle_of_its_switch_rolls_everything_back(
    output_copy, fake_soffice, monkeypatch
):
    out = output_copy
    before = tree(out, out.parent / "plan")
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src, dst, *args, **kwargs):
        if "/new/" in str(src) and ".staging-" not in str(dst):
            calls["n"] += 1
            if calls["n"] == 2:  # the PDF is in place, the manifest not yet
                raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(staging.os, "replace", failing_replace)
    result = plandocs(*_pdf_args(out))

    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]  # after the progress: one line saying what to do
    assert "没有权限写入" in last and "Traceback" not in result.output
    assert calls["n"] == 2
    assert tree(out, out.parent / "plan") == before
    assert not (out / JOURNAL).exists() and not list(out.glob(".staging-*"))
