"""`plandocs build --clean` on a full output/: every file rebuilt and present with its sha256, the files of
other commands (pdf, collect) kept, strays gone, and the same result every time."""

from __future__ import annotations

import hashlib

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
    assert f"写入 {n} 个" in result.output and f"重新生成 {n} 个" in result.output
    assert "删除  stray.txt" in result.output
    assert_manifest_holds(out)
    after = {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]}
    assert {p: s for p, s in after.items() if p not in extra} == before_build  # same bytes, all rebuilt
    for path, content in extra.items():
        assert (out / path).read_bytes() == content
    assert not (out / "stray.txt").exists()
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
    assert f"写入 {n} 个" in first.output and f"写入 {n} 个" in second.output


def test_clean_mends_a_damaged_output(output_copy):
    """A garbage manifest, a file where a folder belongs and a folder where a file belongs: --clean
    starts over and ends with the full, listed output/."""
    out, plan_dir = output_copy, output_copy.parent / "plan"
    expected = {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]}
    (out / "manifest.json").write_text("{not json", encoding="utf-8")
    for path in (out / "leaders").iterdir():
        path.unlink()
    (out / "leaders").rmdir()
    (out / "leaders").write_text("a file where a folder belongs")
    letter = out / "letters" / "区应急局.docx"
    letter.unlink()
    letter.mkdir()
    (letter / "note.txt").write_text("a folder where a file belongs")

    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out), "--clean")

    assert result.exit_code == 0, result.output
    assert_manifest_holds(out)
    assert {e["path"]: e["sha256"] for e in manifest(out)["artifacts"]} == expected
