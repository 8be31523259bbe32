"""`plandocs build --clean` on a full output/: every file rebuilt and present with its sha256, the files of
other commands (pdf, collect) kept, a file plandocs did not write named and kept (never deleted), and the
same result every time."""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest
from promises import assert_manifest_holds, manifest, plandocs, tree, write_manifest


def _add_other_commands_files(out):
    """A PDF and a collected summary as `plandocs pdf` / `collect` would list them."""
    extra = {
        "pdf/崇明区2023年安全生产工作意见.pdf": b"%PDF-1.7 fake",
        "summary/2023Q1/汇总表.xlsx": b"PK fake",
    }
    data = manifest(out)
    for path, content in extra.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(content)
        kind = "pdf" if path.endswith(".pdf") else "summary"
        data["artifacts"].append({"kind": kind, "path": path, "sha256": hashlib.sha256(content).hexdigest()})
    write_manifest(out, data)
    return extra


def test_clean_on_a_full_output_rebuilds_every_file_and_keeps_other_commands_files(output_copy):
    out, plan_dir = output_copy, output_copy.parent / "plan"
    before_build = {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]}
    extra = _add_other_commands_files(out)
    (out / "stray.txt").write_text("x")
    plan_before = tree(plan_dir)

    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out), "--clean")

    assert result.exit_code == 0, result.output
    n = len(before_build)
    # every file rendered again; none written: output/ already held every one of them, byte for byte
    assert f"重新生成 {n} 个，写入 0 个，未变 {n} 个" in result.output
    assert "保留  stray.txt（不是 plandocs 写的文件，--clean 不删除它）" in result.output
    assert (out / "stray.txt").read_text() == "x"
    (out / "stray.txt").unlink()
    assert_manifest_holds(out)
    after = {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]}
    assert {p: s for p, s in after.items() if p not in extra} == before_build  # same bytes, all rebuilt
    for path, content in extra.items():
        assert (out / path).read_bytes() == content
    assert tree(plan_dir) == plan_before


def test_clean_twice_gives_the_same_output(output_copy):
    out, plan_dir = output_copy, output_copy.parent / "plan"
    first = plandocs("build", "--plan", str(plan_dir), "--out", str(out), "--clean")
    once = tree(out)
    second = plandocs("build", "--plan", str(plan_dir), "--out", str(out), "--clean")
    assert first.exit_code == second.exit_code == 0, second.output
    assert tree(out) == once
    assert_manifest_holds(out)
    n = len(manifest(out)["artifacts"])
    assert f"重新生成 {n} 个，写入 0 个" in first.output and f"重新生成 {n} 个，写入 0 个" in second.output


def test_clean_replaces_every_file_whose_bytes_differ_and_leaves_the_others_in_place(output_copy):
    """--clean trusts no record: each file is compared with what it renders. A file edited, emptied,
    replaced by a link or deleted is written again; a file already right is not touched (same inode)."""
    out, plan_dir = output_copy, output_copy.parent / "plan"
    expected = {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]}
    letters = sorted(p for p in expected if p.startswith("letters/"))
    edited, emptied, linked, deleted = letters[:4]
    (out / edited).write_bytes((out / edited).read_bytes()[:-1] + b"x")
    (out / emptied).write_bytes(b"")
    (out / linked).unlink()
    os.symlink(os.path.basename(letters[5]), out / linked)  # a link inside output/, to another letter
    (out / deleted).unlink()
    untouched = {p: (out / p).stat().st_ino for p in expected if p not in {edited, emptied, linked, deleted}}

    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out), "--clean")

    assert result.exit_code == 0, result.output
    assert f"写入 4 个，未变 {len(expected) - 4} 个" in result.output
    for path in (edited, emptied, linked, deleted):
        assert f"写入  {path}" in result.output
        assert not os.path.islink(out / path)
    assert {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]} == expected
    assert_manifest_holds(out)
    assert {p: (out / p).stat().st_ino for p in untouched} == untouched


def test_clean_mends_a_damaged_output(output_copy):
    """A garbage manifest: --clean starts over and ends with the full, listed output/."""
    out, plan_dir = output_copy, output_copy.parent / "plan"
    expected = {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]}
    (out / "manifest.json").write_text("{not json", encoding="utf-8")
    (out / "letters" / "区应急局.docx").unlink()

    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out), "--clean")

    assert result.exit_code == 0, result.output
    assert (out / "manifest.json.已损坏").read_text(encoding="utf-8") == "{not json"  # set aside, kept
    (out / "manifest.json.已损坏").unlink()
    assert_manifest_holds(out)
    assert {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]} == expected


def test_clean_does_not_delete_what_someone_put_where_a_generated_file_goes(output_copy):
    """A file where a folder belongs, a folder (holding the user's note) where a file belongs: neither was
    written by plandocs, so --clean names it and stops, changing nothing; moved away, --clean mends."""
    out, plan_dir = output_copy, output_copy.parent / "plan"
    expected = {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]}
    (out / "manifest.json").write_text("{not json", encoding="utf-8")
    letter = out / "letters" / "区应急局.docx"
    letter.unlink()
    letter.mkdir()
    (letter / "note.txt").write_text("a folder where a file belongs")
    before = tree(out, plan_dir)

    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out), "--clean")

    assert result.exit_code == 1
    assert "区应急局.docx 是一个文件夹" in one_line_of(result)
    assert tree(out, plan_dir) == before
    for path in (out / "leaders").iterdir():
        path.unlink()
    (out / "leaders").rmdir()
    (out / "leaders").write_text("a file where a folder belongs")
    shutil.move(letter, out.parent / "moved")

    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out), "--clean")
    assert result.exit_code == 1
    assert "leaders 是一个文件" in one_line_of(result)
    (out / "leaders").unlink()
    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out), "--clean")
    assert result.exit_code == 0, result.output
    (out / "manifest.json.已损坏").unlink()  # the garbage manifest, set aside and kept
    assert_manifest_holds(out)
    assert {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]} == expected
    assert (out.parent / "moved" / "note.txt").exists()


def one_line_of(result):
    """The failure's line, after the proofreading notes on plan/ the build printed before it."""
    return [line for line in result.output.splitlines() if "plan/" not in line][-1]


@pytest.mark.parametrize("damage", ["link", "dangling link", "folder", "fifo", "garbage"])
def test_clean_sets_a_damaged_manifest_aside_and_recovers(output_copy, tmp_path, damage):
    """A manifest that is a link, a folder, a fifo or garbage: build refuses with the advice to run
    --clean, and --clean then recovers: the manifest is renamed inside output/ (never followed, never deleted),
    one line says so, the build writes a new one; what a link pointed to is untouched."""
    out, plan_dir = output_copy, output_copy.parent / "plan"
    expected = {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]}
    elsewhere = tmp_path / "elsewhere.json"
    shutil.copyfile(out / "manifest.json", elsewhere)
    (out / "manifest.json").unlink()
    target = out / "manifest.json"
    if damage == "link":
        target.symlink_to(elsewhere)
    elif damage == "dangling link":
        target.symlink_to(tmp_path / "nothing-here.json")
    elif damage == "folder":
        target.mkdir()
    elif damage == "fifo":
        os.mkfifo(target)
    else:
        target.write_bytes(b"\xff\xfe garbage")
    outside = hashlib.sha256(elsewhere.read_bytes()).hexdigest()

    refused = plandocs("build", "--plan", str(plan_dir), "--out", str(out))
    assert refused.exit_code != 0 and "plandocs build --clean" in refused.output, refused.output

    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out), "--clean")

    assert result.exit_code == 0, result.output
    assert (
        "旧的 manifest.json 已损坏，已改名为 manifest.json.已损坏 留在输出目录中；"
        "它所列的文件无法证明是 plandocs 写的，一律保留"
    ) in result.output.splitlines()
    aside = out / "manifest.json.已损坏"
    assert os.path.lexists(aside) and not os.path.lexists(tmp_path / "nothing-here.json")
    assert hashlib.sha256(elsewhere.read_bytes()).hexdigest() == outside  # the link's target untouched
    if damage == "folder":
        aside.rmdir()
    else:
        aside.unlink()
    assert_manifest_holds(out)
    assert {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]} == expected
    again = plandocs("build", "--plan", str(plan_dir), "--out", str(out))
    assert again.exit_code == 0 and "写入 0 个" in again.output, again.output
