"""The ledger is one transaction: a collect interrupted at any rename — Ctrl-C (KeyboardInterrupt), a real
SIGINT, a real SIGKILL — and then run again leaves ledger/ and output/ byte for byte as one uninterrupted
collect does: no row twice, no event missing, no archived return written over or lost. A collect that
meets a damaged ledger changes nothing anywhere. sha256 of every file is compared."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PLAN_DIR
from promises import one_line, plandocs, tree
from returns_kit import fill, form_bytes

from generators.formspec import FormsLayout
from generators.plan import load_plan
from generators.views import Views

ROOT = Path(__file__).resolve().parent.parent
JOURNAL = ".plandocs-switch.json"


def relative(folder: Path) -> dict[str, str]:
    return {str(Path(k).relative_to(folder)): v for k, v in tree(folder).items()} if folder.exists() else {}


def state(office: Path) -> tuple[dict[str, str], dict[str, str]]:
    """sha256 of every file of ledger/ and of output/, by path inside each."""
    return relative(office / "ledger"), relative(office / "output")


def rows(office: Path) -> int:
    with open(office / "ledger" / "2023.csv", encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def kept(office: Path, *folders: Path) -> None:
    """Every return ever sent is in ledger/, byte for byte (the archive or 被替换/)."""
    held = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (office / "ledger").rglob("*.xlsx")}
    for folder in folders:
        for path in folder.iterdir():
            assert hashlib.sha256(path.read_bytes()).hexdigest() in held, f"{path.name} lost from ledger/"


def make_office(root: Path, layout, units: int) -> tuple[Path, Path, Path]:
    """plan/ (a copy) and two folders of returns of the first `units` units: A of 3月28日, B of 4月2日 with
    other statuses (B replaces A)."""
    shutil.copytree(PLAN_DIR, root / "plan")
    plan = load_plan(root / "plan")
    views, spec = Views(plan), FormsLayout.of(layout)
    for name, day, status in (("A", 28, "按计划推进"), ("B", 30, "已完成")):
        for unit in list(views.assignments)[:units]:
            fill(
                form_bytes(plan, views, layout, 1, unit),
                root / name / f"{unit}.xlsx",
                spec,
                date=dt.date(2023, 3, day),
                status=lambda key, s=status: s,
            )
    return root, root / "A", root / "B"


def collect(office: Path, folder: Path, *more: str):
    return plandocs(
        "collect",
        "--quarter",
        "1",
        str(folder),
        "--plan",
        str(office / "plan"),
        "--out",
        str(office / "output"),
        *more,
    )


def copy(office: Path, to: Path) -> Path:
    shutil.copytree(office, to, symlinks=True)
    return to


@pytest.fixture(scope="module")
def offices(tmp_path_factory, layout):
    """An office of 10 units after collecting A, and what collecting A, then B, leaves uninterrupted."""
    base, a, b = make_office(tmp_path_factory.mktemp("office"), layout, 10)
    fresh = copy(base, tmp_path_factory.mktemp("fresh") / "office")
    assert collect(base, a).exit_code == 0
    twin = copy(base, tmp_path_factory.mktemp("twin") / "office")
    done = collect(twin, b)
    assert done.exit_code == 0 and "替换 10 个" in done.output, done.output
    first = copy(fresh, tmp_path_factory.mktemp("first") / "office")
    assert collect(first, a).exit_code == 0
    return {"fresh": fresh, "after_a": base, "first": first, "replaced": twin, "a": a, "b": b}


def _interrupt_at(monkeypatch, count: int) -> dict:
    """Ctrl-C right after the count-th rename into or out of ledger/ (the staging's own files aside): what
    the interpreter raises when SIGINT arrives there. Counts every rename of an older plandocs too."""
    real = os.replace
    seen = {"n": 0}

    def interrupted(src, dst, *args, **kwargs):
        real(src, dst, *args, **kwargs)
        ends = (os.fspath(src), os.fspath(dst))  # into ledger/, or out of it (a removal's backup)
        if any("/ledger/" in end and "/.staging-" not in end for end in ends):
            seen["n"] += 1
            if seen["n"] == count:
                raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    return seen


@pytest.mark.parametrize("case", ["first", "replaced"])
def test_a_collect_interrupted_after_any_rename_then_run_again_is_the_uninterrupted_ledger(
    offices, tmp_path, monkeypatch, case
):
    """The 61 duplicate rows (2023.csv written, 记录.csv not, then the rerun doubles the rows) and the
    10 of 10 returns lost (the rerun moves the new return over the archived copy in 被替换/) of an older
    plandocs: with the journal, any interruption and a rerun give the uninterrupted ledger."""
    start, folder = (
        (offices["fresh"], offices["a"]) if case == "first" else (offices["after_a"], offices["b"])
    )
    expected, twin = state(offices[case]), offices[case]
    count = 0
    while True:
        count += 1
        office = copy(start, tmp_path / f"run{count}")
        returns_before = relative(folder)
        with monkeypatch.context() as patch:
            seen = _interrupt_at(patch, count)
            interrupted = collect(office, folder)
        if seen["n"] < count:  # fewer renames than count: this collect ran to the end
            assert interrupted.exit_code == 0 and count > 5, interrupted.output
            break
        assert interrupted.exit_code != 0
        again = collect(office, folder)
        assert again.exit_code == 0, again.output
        assert "Traceback" not in again.output
        kept(office, offices["a"], *([offices["b"]] if case == "replaced" else []))
        assert rows(office) == rows(twin), f"after rename {count}"
        assert state(office) == expected, f"after rename {count}"
        assert relative(folder) == returns_before  # the returns are only read
        shutil.rmtree(office)


def _paused_child(office: Path, folder: Path, flag: Path, count: int) -> subprocess.Popen:
    from generators.staging import RENAME_PAUSE_ENV

    env = {**os.environ, RENAME_PAUSE_ENV: f"{count}:{flag}"}
    args = [
        "collect",
        "--quarter",
        "1",
        str(folder),
        "--plan",
        str(office / "plan"),
        "--out",
        str(office / "output"),
    ]
    return subprocess.Popen(
        [sys.executable, "-m", "generators", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture(scope="module")
def small(tmp_path_factory, layout):
    """Three units after collecting A, and the uninterrupted collect of B after it."""
    base, a, b = make_office(tmp_path_factory.mktemp("small") / "office", layout, 3)
    assert collect(base, a).exit_code == 0
    twin = copy(base, tmp_path_factory.mktemp("small-twin") / "office")
    assert collect(twin, b).exit_code == 0
    return base, twin, a, b


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_real_signal_at_every_rename_of_a_replacing_collect_loses_nothing(small, tmp_path, sig):
    """A real kill -9 or Ctrl-C at each rename of the ledger's switch (removals and moves): the journal
    stays, the next command finishes it, and the rerun ends as the uninterrupted collect."""
    base, twin, a, b = small
    expected = state(twin)
    count = 0
    while True:
        count += 1
        office = copy(base, tmp_path / f"run{count}")
        flag = tmp_path / f"paused{count}"
        child = _paused_child(office, b, flag, count)
        deadline = time.monotonic() + 120
        while not flag.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if not flag.exists():  # fewer renames than count: it ran through
            assert child.wait() == 0, child.stderr.read().decode() if child.stderr else ""
            assert count > 6 and state(office) == expected
            break
        child.send_signal(sig)
        child.wait()
        if child.stderr:
            assert "Traceback" not in child.stderr.read().decode()
        assert (office / "ledger" / JOURNAL).exists(), f"rename {count}: the journal says what to finish"
        assert state(office)[0] not in (state(base)[0], expected[0])  # really the middle of the switch
        again = collect(office, b)
        assert again.exit_code == 0, again.output
        assert rows(office) == rows(twin)
        assert state(office) == expected, f"{sig.name} at rename {count}"
        kept(office, a, b)
        shutil.rmtree(office)


def test_a_command_that_only_reads_finishes_the_killed_switch_first(small, tmp_path):
    base, twin, _, b = small
    office = copy(base, tmp_path / "office")
    flag = tmp_path / "paused"
    child = _paused_child(office, b, flag, 4)
    deadline = time.monotonic() + 120
    while not flag.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    child.kill()
    child.wait()
    assert (office / "ledger" / JOURNAL).exists()
    done = plandocs("ledger", "--plan", str(office / "plan"), "--out", str(office / "output"))
    assert done.exit_code == 0, done.output
    assert state(office)[0] == state(twin)[0]  # the ledger as the finished collect left it
    assert not list((office / "ledger").glob(".staging-*"))


def test_rows_an_older_plandocs_left_without_their_event_are_not_doubled(offices, tmp_path):
    """The state a kill between the 2023.csv and the 记录.csv writes of an older plandocs left: the rerun
    records the returns once (was: 61 duplicate rows, exit 0)."""
    office = copy(offices["first"], tmp_path / "office")
    history = office / "ledger" / "2023" / "记录.csv"
    header = history.read_text(encoding="utf-8-sig").splitlines()[0]
    history.write_text(header + "\n", encoding="utf-8")  # the events never written
    done = collect(office, offices["a"])
    assert done.exit_code == 0, done.output
    assert rows(office) == rows(offices["first"])
    assert state(office) == state(offices["first"])


def _wider(path: Path) -> None:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[5] = lines[5].replace(",", ",,", 1)  # one row a column too wide
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")


def _gbk(path: Path) -> None:  # saved by a spreadsheet in the local code page
    path.write_bytes(path.read_text(encoding="utf-8-sig").encode("gbk", errors="replace"))


def _open_quote(path: Path) -> None:
    path.write_bytes(path.read_bytes() + '1,"没有收尾的引号\n'.encode())


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 4)


@pytest.mark.parametrize(
    ("name", "damage", "said"),
    [
        ("2023.csv", _wider, "2023.csv:6:1: 应有 16 列，实际 17 列"),
        ("2023/记录.csv", _gbk, "记录.csv：不是 UTF-8 编码的文本"),
        ("2023/应报.csv", _open_quote, "应报.csv:"),
        ("2023/单位.csv", _binary, "单位.csv"),
    ],
)
def test_a_damaged_ledger_stops_collect_before_anything_is_written(offices, tmp_path, name, damage, said):
    """One line, exit 2, and output/, ledger/ and the returns byte for byte as before (was: the summary
    written, then the failure)."""
    office = copy(offices["after_a"], tmp_path / "office")
    damage(office / "ledger" / name)
    before = tree(office, offices["b"])
    result = collect(office, offices["b"])
    assert result.exit_code == 2
    (line,) = [x for x in result.output.splitlines() if "台账" in x or str(office) in x]
    assert said in line and "汇总和台账均未改动" in line, line
    assert "Traceback" not in result.output and "写入" not in result.output and "Error" not in result.output
    assert tree(office, offices["b"]) == before


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        ("填报日期", "2023/3/31", ":13: 填报日期应写成“2023-03-31”这样的日期，实际为“2023/3/31”"),
        ("任务标识", "M999", ":4: 任务标识“M999”不在任务名册 任务.csv 中"),
        ("单位标识", "不存在的单位", ":2: 单位标识“不存在的单位”不在单位名册 单位.csv 中"),
    ],
)
def test_a_bad_value_in_the_ledger_is_one_line_with_file_and_line(offices, tmp_path, column, value, said):
    """Was 内部错误（ValueError/KeyError…）."""
    office = copy(offices["first"], tmp_path / "office")
    table = office / "ledger" / "2023.csv"
    with open(table, encoding="utf-8-sig", newline="") as handle:
        table_rows = list(csv.reader(handle))
    table_rows[3][table_rows[0].index(column)] = value
    with open(table, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table_rows)
    before = tree(office)
    for command in (["ledger"], ["supervise", "--quarter", "1"], ["year-summary"]):
        result = plandocs(*command, "--plan", str(office / "plan"), "--out", str(office / "output"))
        assert result.exit_code == 2
        assert one_line(result) == f"{table}:4{said}"
    assert tree(office) == before


def test_the_latest_collect_counts_in_the_ledger_and_in_the_summary(offices, tmp_path):
    """B (3月30日) recorded, then A (3月28日) collected again: A counts in both, and the console says it
    replaced a later-dated return (was: the summary A, the ledger B)."""
    from openpyxl import load_workbook

    office = copy(offices["replaced"], tmp_path / "office")
    done = collect(office, offices["a"])
    assert done.exit_code == 0, done.output
    assert "替换了填报日期更晚的" in done.output
    with open(office / "ledger" / "2023.csv", encoding="utf-8-sig", newline="") as handle:
        statuses = {r["完成状态"] for r in csv.DictReader(handle)}
    assert statuses == {"按计划推进"}
    (summary,) = (office / "output").rglob("*汇总表.xlsx")
    sheet = load_workbook(summary).worksheets[0]  # 按单位: one row per unit, a count per status
    header = [c.value for c in sheet[2]]
    counted = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=3, values_only=True)}
    for path in offices["a"].iterdir():
        assert counted[path.stem]["已完成"] == 0 and counted[path.stem]["按计划推进"] > 0, counted[path.stem]
    kept(office, offices["a"], offices["b"])


def test_the_office_withdraws_a_wrong_record_and_nothing_is_lost(offices, tmp_path):
    """collect --withdraw 单位 --quarter 1: an event in 记录.csv, the archived return kept (in 撤回/), the
    unit 未报送 again in the ledger and in the quarter's summary made again from it."""
    from openpyxl import load_workbook

    office = copy(offices["first"], tmp_path / "office")
    flags = ["--plan", str(office / "plan"), "--out", str(office / "output")]
    sent = sorted(offices["a"].iterdir())[0]
    unit, digest = sent.stem, hashlib.sha256(sent.read_bytes()).hexdigest()
    with open(office / "ledger" / "2023.csv", encoding="utf-8-sig", newline="") as handle:
        before = [r for r in csv.DictReader(handle)]
    done = plandocs("collect", "--quarter", "1", "--withdraw", unit, *flags)
    assert done.exit_code == 0, done.output
    assert f"撤回  {unit} 第一季度的报表 {sent.name}" in done.output
    with open(office / "ledger" / "2023.csv", encoding="utf-8-sig", newline="") as handle:
        after = [r for r in csv.DictReader(handle)]
    assert after == [r for r in before if r["单位"] != unit] and len(after) < len(before)
    with open(office / "ledger" / "2023" / "记录.csv", encoding="utf-8-sig", newline="") as handle:
        last = list(csv.DictReader(handle))[-1]
    assert (last["操作"], last["单位"], last["来源文件"], last["sha256"]) == ("撤回", unit, sent.name, digest)
    kept_copy = office / "ledger" / "2023" / "撤回" / "Q1" / f"{unit}-{digest[:12]}.xlsx"
    assert kept_copy.read_bytes() == sent.read_bytes() and last["存档"] == "2023/撤回/Q1/" + kept_copy.name
    assert not list((office / "ledger" / "2023" / "Q1").glob(f"*/{unit}.xlsx"))
    with open(office / "ledger" / "2023" / "应报.csv", encoding="utf-8-sig", newline="") as handle:
        (asked,) = [r for r in csv.DictReader(handle) if r["单位"] == unit]
    assert asked["报送情况"] == "未报送" and asked["来源文件"] == ""
    (summary,) = (office / "output").rglob("*汇总表.xlsx")
    reported = [r[0] for r in load_workbook(summary).worksheets[0].iter_rows(min_row=3, values_only=True)]
    assert unit not in reported and set(reported) == {p.stem for p in offices["a"].iterdir()} - {unit}

    unchanged = tree(office)
    for args in (["--withdraw", unit], ["--withdraw", "没有这个单位"]):
        refused = plandocs("collect", "--quarter", "1", *args, *flags)
        assert refused.exit_code == 2
        assert "无从撤回" in one_line(refused)
    assert tree(office) == unchanged

    again = collect(office, offices["a"])  # the same return collected again: recorded again, and said
    assert again.exit_code == 0 and f"注意  {unit}：{sent.name} 曾被撤回，现重新记入台账" in again.output
    assert rows(office) == rows(offices["first"])
    kept(office, offices["a"])


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_signal_in_the_summary_switch_leaves_the_ledger_as_it_was(small, tmp_path, sig):
    """Killed while its summary moves into output/ (the ledger prepared, not yet switched): ledger/ is byte
    for byte as before, output/'s journal is finished by the rerun, which records the returns once. A
    Ctrl-C there used to drop the staging the journal still needed."""
    from generators.staging import PAUSE_ENV

    base, twin, a, b = small
    office = copy(base, tmp_path / "office")
    flag = tmp_path / "paused"
    env = {**os.environ, PAUSE_ENV: f"1:{flag}"}
    args = [
        "collect",
        "--quarter",
        "1",
        str(b),
        "--plan",
        str(office / "plan"),
        "--out",
        str(office / "output"),
    ]
    child = subprocess.Popen(
        [sys.executable, "-m", "generators", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while not flag.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert flag.exists()
    child.send_signal(sig)
    child.wait()
    assert (office / "output" / JOURNAL).exists() and list((office / "output").glob(".staging-*"))
    assert state(office)[0] == state(base)[0]  # the ledger untouched
    again = collect(office, b)
    assert again.exit_code == 0, again.output
    assert state(office) == state(twin)
    kept(office, a, b)


def test_a_withdrawal_killed_in_its_ledger_switch_is_finished_by_the_next_command(small, tmp_path):
    from generators.staging import RENAME_PAUSE_ENV

    base, _, a, _ = small
    unit = sorted(a.iterdir())[0].stem
    twin = copy(base, tmp_path / "twin")
    flags = ["--plan", str(twin / "plan"), "--out", str(twin / "output")]
    assert plandocs("collect", "--quarter", "1", "--withdraw", unit, *flags).exit_code == 0
    office = copy(base, tmp_path / "office")
    flag = tmp_path / "paused"
    env = {**os.environ, RENAME_PAUSE_ENV: f"2:{flag}"}
    flags = ["--plan", str(office / "plan"), "--out", str(office / "output")]
    child = subprocess.Popen(
        [sys.executable, "-m", "generators", "collect", "--quarter", "1", "--withdraw", unit, *flags],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not flag.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert flag.exists()
    child.kill()
    child.wait()
    assert (office / "ledger" / JOURNAL).exists()
    again = plandocs("collect", "--quarter", "1", "--withdraw", unit, *flags)
    assert again.exit_code == 2 and "无从撤回" in one_line(again)  # finished first: nothing left to withdraw
    assert state(office) == state(twin)
    kept(office, a)


def _journal_damaged(office: Path) -> None:
    (office / "ledger" / JOURNAL).write_text("{不是 JSON", encoding="utf-8")


def _archive_folder_leads_out(office: Path) -> None:
    outside = office / "elsewhere"
    outside.mkdir()
    q1 = office / "ledger" / "2023" / "Q1"
    shutil.rmtree(q1)
    q1.symlink_to(outside, target_is_directory=True)


def _ledger_is_a_file(office: Path) -> None:
    shutil.rmtree(office / "ledger")
    (office / "ledger").write_text("不是台账", encoding="utf-8")


@pytest.mark.parametrize(
    ("attack", "said"),
    [
        (_journal_damaged, "上次中断的台账写入留下的日志已损坏"),
        (_archive_folder_leads_out, "不在台账目录"),
        (_ledger_is_a_file, "这里已有一个同名的文件"),
    ],
)
def test_a_ledger_that_cannot_take_the_collect_changes_nothing(offices, tmp_path, attack, said):
    office = copy(offices["after_a"], tmp_path / "office")
    attack(office)
    before = tree(office, offices["b"])
    result = collect(office, offices["b"])
    assert result.exit_code == 2, result.output
    (line,) = [x for x in result.output.splitlines() if said in x]
    assert "Traceback" not in result.output and "写入  " not in result.output
    assert tree(office, offices["b"]) == before


def test_a_collect_while_another_command_holds_the_ledger_changes_nothing(offices, tmp_path):
    """Two collects into different output folders share one ledger: the second says the ledger is busy
    (exit 1, the environment) and writes neither its summary nor the ledger."""
    import fcntl

    office = copy(offices["after_a"], tmp_path / "office")
    before = tree(office, offices["b"])
    fd = os.open(office / "ledger" / ".plandocs.lock", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = collect(office, offices["b"])
    finally:
        os.close(fd)
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if "台账" in x]
    assert "另一个 plandocs 命令正在写入台账" in line and "写入  " not in result.output
    assert tree(office, offices["b"]) == before


def test_withdraw_before_any_ledger_says_the_quarter_has_no_records(tmp_path):
    """--withdraw with no ledger yet: one line that the quarter has no records, not a path to 单位.csv that
    does not exist; nothing is created."""
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    before = tree(tmp_path)
    flags = ["--plan", str(tmp_path / "plan"), "--out", str(tmp_path / "output")]
    refused = plandocs("collect", "--quarter", "1", "--withdraw", "区应急局", *flags)
    assert refused.exit_code == 2, refused.output
    assert one_line(refused) == "台账中还没有第一季度的记录，无从撤回区应急局的报表"
    assert tree(tmp_path) == before
