"""Every failure a message: a damaged output/, a read-only one, a full disk, a broken template or
layout.yaml each end in one Chinese line naming the file and what to do, exit 1, no traceback, and every
file in output/ and plan/ as it was."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TEMPLATES_DIR
from promises import manifest, one_line, plandocs, tree

from generators import output as output_module

ROOT = Path(__file__).resolve().parent.parent


def _change_date(plan_dir: Path) -> None:
    """A new date changes every document: the build has to write all of them."""
    meta = plan_dir / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("2023-03-01", "2023-03-02"), encoding="utf-8")


def _fails(out: Path, *words: str, args=(), code: int = 1) -> str:
    plan_dir = out.parent / "plan"
    before = tree(out, plan_dir)
    result = plandocs("build", "--plan", str(plan_dir), "--out", str(out), *args)
    assert result.exit_code == code, result.output
    line = one_line(result)
    for word in words:
        assert word in line, line
    assert tree(out, plan_dir) == before
    return line


# --- damaged output/ ---


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"artifacts": 5}',
        '{"artifacts": [{"kind": 1, "path": "x", "sha256": "0"}]}',
        '{"artifacts": [{"kind": "letter", "sha256": "0"}]}',
        "\udcff",
    ],
)
def test_a_bad_manifest(output_copy, content):
    out = output_copy
    (out / "manifest.json").write_bytes(content.encode("utf-8", "surrogateescape"))
    _fails(out, "manifest.json 已损坏", "plandocs build --clean")


def test_a_file_where_a_folder_belongs(output_copy):
    out = output_copy
    shutil.rmtree(out / "letters")
    (out / "letters").write_text("in the way")
    _fails(out, str(out / "letters"), "是一个文件，这里应是文件夹", "--clean")


def test_a_folder_where_a_file_belongs(output_copy):
    out = output_copy
    letter = out / "letters" / "区应急局.docx"
    letter.unlink()
    letter.mkdir()
    _fails(out, str(letter), "是一个文件夹，这里应是文件", "--clean")


def test_output_is_a_file(tmp_path, plan_copy):
    out = tmp_path / "output"
    out.write_text("not a folder")
    _fails(out, str(out), "是一个文件")


def test_a_manifest_with_a_bad_journal(output_copy):
    out = output_copy
    (out / ".plandocs-switch.json").write_text("garbage", encoding="utf-8")
    _fails(out, ".plandocs-switch.json", "plandocs build --clean")


# --- full disk ---


def test_a_full_disk_while_staging(output_copy, monkeypatch):
    out = output_copy
    _change_date(out.parent / "plan")
    real_open = os.open
    count = {"n": 0}

    def filling_open(path, flags, *args, **kwargs):
        if ".staging-" in str(path) and flags & os.O_CREAT:
            count["n"] += 1
            if count["n"] > 20:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(output_module.os, "open", filling_open)
    _fails(out, "磁盘空间不足", ".staging-")
    assert not list(out.glob(".staging-*"))


def _namespaces_available() -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _namespaces_available(), reason="needs root and mount namespaces")

TREE = (
    "import hashlib,json,pathlib,sys;"
    "r=pathlib.Path(sys.argv[1]);"
    "print(json.dumps({str(p.relative_to(r)):hashlib.sha256(p.read_bytes()).hexdigest() "
    "for p in sorted(r.rglob('*')) if p.is_file() and p.name!='.plandocs.lock'}))"
)


@needs_mounts
def test_a_really_full_disk(output_copy, tmp_path):
    """A real 8 MB tmpfs holding output/ (6.5 MB): rewriting every document does not fit."""
    out, plan_dir = output_copy, output_copy.parent / "plan"
    _change_date(plan_dir)
    mount = tmp_path / "small"
    mount.mkdir()
    used = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    size_kb = used // 1024 + 1536
    small_out = mount / "output"
    py = sys.executable
    script = (
        f"mount -t tmpfs -o size={size_kb}k tmpfs {mount} && cp -a {out} {small_out} && "
        f'{py} -c "{TREE}" {small_out} && '
        f"{py} -m generators build --plan {plan_dir} --out {small_out} 2>&1; echo rc=$?; "
        f'{py} -c "{TREE}" {small_out}'
    )
    run = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, capture_output=True, text=True)
    lines = run.stdout.splitlines()
    before, after = json.loads(lines[0]), json.loads(lines[-1])
    messages = lines[1:-2]
    assert lines[-2] == "rc=1", run.stdout + run.stderr
    assert len(messages) == 1 and "磁盘空间不足" in messages[0], messages
    assert after == before
    assert (
        len(before) == len(manifest(out)["artifacts"]) + 2
    )  # + manifest.json and the claim (.plandocs-output)


@needs_mounts
@pytest.mark.parametrize("change", [False, True])
def test_a_read_only_output(output_copy, change):
    """Mounted read-only: with nothing to change the build says so and succeeds; with changes it stops with
    one line naming output/."""
    out, plan_dir = output_copy, output_copy.parent / "plan"
    settled = subprocess.run(  # the same command once, writable: its build key in the manifest
        [sys.executable, "-m", "generators", "build", "--plan", str(plan_dir), "--out", str(out)], cwd=ROOT
    )
    assert settled.returncode == 0
    if change:
        _change_date(plan_dir)
    before = tree(out, plan_dir)
    script = (
        f"mount --bind {out} {out} && mount -o remount,ro,bind {out} && "
        f"{sys.executable} -m generators build --plan {plan_dir} --out {out} 2>&1; echo rc=$?"
    )
    run = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, capture_output=True, text=True)
    lines = run.stdout.splitlines()
    assert "Traceback" not in run.stdout
    if change:
        assert lines[-1] == "rc=1" and len(lines) == 2, run.stdout
        assert f"没有权限写入 {out}" in lines[0]
    else:
        assert lines[-1] == "rc=0", run.stdout
        assert "写入 0 个" in lines[-2] and f"未变 {len(manifest(out)['artifacts'])} 个" in lines[-2]
    assert tree(out, plan_dir) == before


# --- broken templates and layout ---


@pytest.fixture
def templates(tmp_path) -> Path:
    """A copy of templates/ for --templates."""
    target = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, target)
    return target


def test_a_broken_template(output_copy, templates):
    (templates / "letter.docx").write_bytes(b"this is not a docx")
    _fails(output_copy, "模板", "letter.docx", "已损坏", "git checkout", args=("--templates", str(templates)))


def test_a_template_with_a_bad_field(output_copy, templates):
    import zipfile

    source = templates / "letter.docx"
    with zipfile.ZipFile(source) as z:
        members = {name: z.read(name) for name in z.namelist()}
    document = members["word/document.xml"].decode("utf-8")
    end = document.rindex("<w:sectPr")
    field = "<w:p><w:r><w:t>{{ no_such_field }}</w:t></w:r></w:p>"
    members["word/document.xml"] = (document[:end] + field + document[end:]).encode("utf-8")
    with zipfile.ZipFile(source, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    _fails(output_copy, "模板", "letter.docx", "git checkout", args=("--templates", str(templates)))


def test_a_layout_yaml_syntax_error(output_copy, templates):
    layout = templates / "layout.yaml"
    text = layout.read_text(encoding="utf-8")
    layout.write_text(text.replace("page:", "page: [", 1), encoding="utf-8")
    line = _fails(
        output_copy, "layout.yaml:", "YAML 语法错误", "git checkout", args=("--templates", str(templates))
    )
    assert line.split(":")[1].isdigit()


def test_a_layout_yaml_missing_key(output_copy, templates):
    layout = templates / "layout.yaml"
    text = layout.read_text(encoding="utf-8")
    assert "\nlandscape:" in text
    layout.write_text(text.replace("\nlandscape:", "\nlandscape_typo:", 1), encoding="utf-8")
    _fails(output_copy, "layout.yaml", "缺少键", "landscape", args=("--templates", str(templates)))


def test_files_are_created_with_the_umask_mode(tmp_path, plan_copy):
    old = os.umask(0o027)
    try:
        result = plandocs("build", "--plan", str(plan_copy), "--out", str(tmp_path / "output"))
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    modes = {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "output").rglob("*") if p.is_file()}
    assert modes == {oct(0o640)}
    dirs = {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "output").rglob("*") if p.is_dir()}
    assert dirs == {oct(0o750)}


def test_pdf_and_conform_on_a_bad_manifest(output_copy):
    """The other commands that read the manifest say the same one line."""
    from generators.pdf import find_soffice

    out, plan_dir = output_copy, output_copy.parent / "plan"
    (out / "manifest.json").write_text('{"artifacts": {"kind": "letter"}}', encoding="utf-8")
    before = tree(out, plan_dir)
    commands = [("conform", "--out", str(out))]
    if find_soffice() is not None:
        commands.append(("pdf", "--plan", str(plan_dir), "--out", str(out)))
    for args in commands:
        result = plandocs(*args)
        assert result.exit_code == 1, result.output
        assert "manifest.json 已损坏" in one_line(result)
    assert tree(out, plan_dir) == before


def test_build_from_a_folder_without_plan_says_so_in_one_line(tmp_path, monkeypatch):
    """`plandocs build` run inside output/ (no plan/ there): one line naming the folder, not every missing key."""
    monkeypatch.chdir(tmp_path)
    for command in ("build", "check"):
        result = plandocs(command)
        assert result.exit_code == 2
        assert result.output.splitlines() == [f"找不到计划数据目录 plan/（当前目录 {tmp_path}）"]
    assert list(tmp_path.iterdir()) == []


def test_import_into_a_missing_plan_folder_says_so_and_names_new(tmp_path, monkeypatch):
    """A revision imported where there is no plan/: the missing folder is said (with the command that makes
    a plan), not a missing meta.yaml; nothing is made."""
    from conftest import SEED

    monkeypatch.chdir(tmp_path)
    draft = tmp_path / "草稿.txt"
    draft.write_bytes(SEED.read_bytes())
    for into in ("plan", "别处/plan"):
        result = plandocs("import", str(draft), "--into", into)
        assert result.exit_code == 2, result.output
        assert result.output.splitlines() == [
            f"找不到计划数据目录 {into}/（当前目录 {tmp_path}）：导入修改稿需要已有的计划数据；新建计划请用 plandocs new"
        ]
    assert [p.name for p in tmp_path.iterdir()] == ["草稿.txt"]


def test_the_roster_of_a_plan_without_units_yaml_says_the_file_is_missing(plan_copy):
    from generators.app.roster import read_roster
    from generators.errors import PlanMissing, UserError

    (plan_copy / "units.yaml").unlink()
    with pytest.raises(UserError) as refused:
        read_roster(plan_copy)
    assert str(refused.value) == f"{plan_copy / 'units.yaml'}：文件不存在，请先运行 plandocs check 查看问题"
    with pytest.raises(PlanMissing) as missing:
        read_roster(plan_copy / "nothere")
    assert "找不到计划数据目录" in str(missing.value) and "无法读取" not in str(missing.value)


def test_a_build_failing_on_a_new_out_folder_leaves_no_folder(tmp_path, plan_copy):
    """The folder plandocs created for this build holds only its marker and lock when the build fails: gone."""
    empty = tmp_path / "no-templates"
    empty.mkdir()
    out = tmp_path / "new-output"
    result = plandocs("build", "--plan", str(plan_copy), "--out", str(out), "--templates", str(empty))
    assert result.exit_code == 1 and "layout.yaml" in one_line(result)
    assert not out.exists()
