"""Nothing is written, read or deleted outside output/, whatever the manifest or the names in plan/ say:
a path that would leave output/ is refused with a message, and `check` reports a name that cannot be a
file name at its file:line:col."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from conftest import PLAN_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from promises import manifest, one_line, plandocs, tree, write_manifest

from generators.collect import COLLECTED_KINDS
from generators.errors import UnsafePath
from generators.filenames import MAX_CHARS, name_problem, safe_name
from generators.output import inside, transaction
from generators.plan import load_plan
from generators.staging import Staging

WHERE = re.compile(r"^(\S+?):(\d+):(\d+): ")


def _build(out, *extra):
    return plandocs("build", "--plan", str(out.parent / "plan"), "--out", str(out), *extra)


@pytest.mark.parametrize("escape", ["../plan/units.yaml", "ABSOLUTE", "letters/../../plan/units.yaml"])
def test_a_manifest_path_outside_output_is_refused_and_nothing_is_deleted(output_copy, escape):
    out = output_copy
    victim = out.parent / "plan" / "units.yaml"
    path = str(victim) if escape == "ABSOLUTE" else escape
    data = manifest(out)
    data["artifacts"].append({"kind": "letter", "unit": "旧单位", "path": path, "sha256": "0" * 64})
    write_manifest(out, data)
    before = tree(out.parent)

    result = _build(out)

    assert result.exit_code == 1
    line = one_line(result)
    assert "manifest.json" in line and path in line and "plandocs build --clean" in line
    assert tree(out.parent) == before  # plan/ and output/ byte for byte


def test_clean_drops_unsafe_manifest_entries_without_touching_their_targets(output_copy):
    out = output_copy
    data = manifest(out)
    data["artifacts"].append({"kind": "pdf", "path": "../plan/units.yaml", "sha256": "0" * 64})
    write_manifest(out, data)
    plan_before = tree(out.parent / "plan")
    result = _build(out, "--clean")
    assert result.exit_code == 0, result.output
    assert tree(out.parent / "plan") == plan_before
    assert all(not e["path"].startswith("..") for e in manifest(out)["artifacts"])


def test_a_link_in_output_leading_outside_is_not_followed(output_copy, tmp_path):
    """letters/ replaced by a link to a folder elsewhere: the build refuses to write through it."""
    out = output_copy
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "区应急局.docx").write_bytes(b"the user's own file")
    for path in (out / "letters").iterdir():
        path.unlink()
    (out / "letters").rmdir()
    (out / "letters").symlink_to(elsewhere, target_is_directory=True)
    before = tree(out, elsewhere, out.parent / "plan")

    result = _build(out)

    assert result.exit_code == 1
    line = one_line(result)
    assert "指向外部" in line and "letters/" in line
    assert tree(out, elsewhere, out.parent / "plan") == before


def test_collect_writer_never_follows_a_link_outside(output_copy, tmp_path, plan):
    out = output_copy
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.xlsx").write_bytes(b"outside")
    (out / "summary").mkdir()
    (out / "summary" / "2023Q1").symlink_to(elsewhere, target_is_directory=True)
    data = manifest(out)
    data["artifacts"].append(
        {"kind": "summary", "quarter": 1, "path": "summary/2023Q1/secret.xlsx", "sha256": "0"}
    )
    write_manifest(out, data)
    before = tree(out, elsewhere)
    before.pop(str(out / "manifest.json"))
    with transaction(out, COLLECTED_KINDS) as tx:  # as collect --quarter 2 writes
        tx.write([], plan, replaced=lambda entry: entry.get("quarter") == 2)
    # neither read, carried nor deleted: dropped from the manifest, the file behind the link left alone
    assert all(e["path"] != "summary/2023Q1/secret.xlsx" for e in manifest(out)["artifacts"])
    after = tree(out, elsewhere)
    after.pop(str(out / "manifest.json"))
    assert after == before


@pytest.mark.parametrize("relative", ["../x.docx", "/etc/passwd", "a/../../x", "a\\..\\x", "", "a//b", "./a"])
def test_inside_refuses_every_way_out(tmp_path, relative):
    with pytest.raises(UnsafePath):
        inside(tmp_path, relative, "测试")


def test_inside_checking_many_paths_remembers_only_folders_that_are_no_link(tmp_path):
    """A switch checks its paths with one set of folders already looked at: a real folder is looked at
    once, a folder that is a link leading out is refused every time, whatever was checked before."""
    base, elsewhere = tmp_path / "output", tmp_path / "elsewhere"
    (base / "forms" / "2023Q1").mkdir(parents=True)
    elsewhere.mkdir()
    (base / "letters").symlink_to(elsewhere, target_is_directory=True)
    folders: set[str] = set()
    assert inside(base, "forms/2023Q1/a.xlsx", "测试", folders=folders) == base / "forms/2023Q1/a.xlsx"
    assert folders == {f"{base}/forms", f"{base}/forms/2023Q1"}
    for _ in range(2):
        with pytest.raises(UnsafePath, match="指向外部"):
            inside(base, "letters/a.docx", "测试", folders=folders)
    assert f"{base}/letters" not in folders
    (base / "forms" / "2023Q1" / "link.xlsx").symlink_to(elsewhere / "x.xlsx")
    with pytest.raises(UnsafePath):  # the last part is looked at each time: a file is no folder
        inside(base, "forms/2023Q1/link.xlsx", "测试", folders=folders)


def test_staging_refuses_a_generated_path_outside_output(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    staging = Staging(out)
    try:
        with pytest.raises(UnsafePath, match="plandocs check"):
            staging.put("../outside.docx", b"x")
        with pytest.raises(UnsafePath):
            staging.put("letters/../../outside.docx", b"x")
    finally:
        staging.discard()
    assert not (tmp_path / "outside.docx").exists()


# --- check: names that become file names ---

NAMED = [  # (file, the text to replace, what the name becomes, replacement template)
    ("units.yaml", "{简称: 区应急局,", "{{简称: {},"),
    ("leaders.yaml", "姓名: 李峻", "姓名: {}"),
    (
        "meta.yaml",
        "标题: 上海市崇明区2023年安全生产工作意见\n文件名:",
        "标题: {}\n# 文件名:",
    ),  # the title names the files
    ("meta.yaml", "文件名: 崇明区2023年安全生产工作意见", "文件名: {}"),
    ("tasks.yaml", "标题: 区政府领导2023年安全生产重点工作任务清单", "标题: {}"),
]
BAD_NAMES = [
    '"../区应急局"',
    '"区/应急局"',
    '"区\\\\应急局"',
    '"区:局"',
    '"区*局"',
    '"区?局"',
    '"区\\"局"',
    '"区<局"',
    '"区>局"',
    '"区|局"',
    '"区\\t局"',
    '"区\\n局"',
    '"区\\x07局"',
    '"区..局"',
    "区" * (MAX_CHARS + 1),
    '"CON"',
]


@pytest.mark.parametrize("file,old,new", NAMED)
@pytest.mark.parametrize("bad", BAD_NAMES)
def test_check_reports_a_name_that_cannot_be_a_file_name(tmp_path, file, old, new, bad):
    plan_dir = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, plan_dir)
    path = plan_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new.format(bad), 1), encoding="utf-8")
    before = tree(tmp_path)

    result = plandocs("check", "--plan", str(plan_dir))

    assert result.exit_code == 2
    lines = [x for x in result.output.splitlines() if "用作文件名" in x]
    assert lines, result.output
    match = WHERE.match(lines[0])
    assert match and match.group(1).endswith(f"plan/{file}") and int(match.group(2)) == line, lines[0]
    built = plandocs("build", "--plan", str(plan_dir), "--out", str(tmp_path / "output"))
    assert built.exit_code == 2 and not (tmp_path / "output").exists()
    assert tree(tmp_path) == before


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=80))
def test_a_name_check_accepts_is_a_plain_file_name(name):
    """Whatever the rule lets through stays one path segment, inside its folder, and not too long."""
    if name_problem(name) is None:
        assert safe_name(name) == name
        assert "/" not in name and "\\" not in name and ".." not in name and len(name) <= MAX_CHARS
        assert os.path.basename(f"letters/{name}.docx") == f"{name}.docx"
        assert len(f".tmp-123456789012{name}.docx".encode()) < 255
    else:
        with pytest.raises(UnsafePath):
            safe_name(name)


def test_the_real_plan_names_pass(plan):
    assert load_plan(plan.directory).units
