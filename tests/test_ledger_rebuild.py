"""Every quarter's summary and 通报 rebuilt from the ledger alone: the same cells as the collect made, with
output/ deleted and the returned files gone; an older ledger is read and says how to complete it."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from returns_kit import fill, form_bytes

from generators.cli import main
from generators.formspec import FormsLayout
from generators.plan import load_plan
from generators.views import Views

SUMMARY_KINDS = ("summary", "summary-report")


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def summaries(out: Path) -> dict[str, Path]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {e["path"]: out / e["path"] for e in manifest["artifacts"] if e["kind"] in SUMMARY_KINDS}


def workbook_cells(path: Path) -> dict:
    """Every sheet's every cell value, merged range and row height: what a reader of the workbook sees."""
    wb = load_workbook(path)
    return {
        ws.title: (
            [[c.value for c in row] for row in ws.iter_rows()],
            sorted(str(r) for r in ws.merged_cells.ranges),
            ws.print_title_rows,
            len(ws._charts),
        )
        for ws in wb.worksheets
    }


def report_text(path: Path) -> list[str]:
    doc = Document(path)
    return [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]


def contents(out: Path) -> dict[str, object]:
    return {
        name: workbook_cells(path) if name.endswith(".xlsx") else report_text(path)
        for name, path in summaries(out).items()
    }


@pytest.fixture
def office(tmp_path, layout):
    """Q1: returns of every kind (a refused file, a missing row, two forms from one unit, a form of another
    plan version); Q2: three units. Each quarter collected once into output/ and the ledger."""
    plan_dir = tmp_path / "plan"
    shutil.copytree(Path(__file__).resolve().parent.parent / "plan", plan_dir)
    plan = load_plan(plan_dir)
    views, spec = Views(plan), FormsLayout.of(layout)
    q1, q2 = tmp_path / "returns1", tmp_path / "returns2"

    def form(quarter: int, unit: str) -> bytes:
        return form_bytes(plan, views, layout, quarter, unit)

    fill(form(1, "区应急局"), q1 / "区应急局.xlsx", spec, date=dt.datetime(2023, 4, 3))
    fill(form(1, "城桥镇"), q1 / "城桥镇.xlsx", spec, date="2023年4月3日", delete_key="措施33")
    old = fill(form(1, "庙镇"), q1 / "庙镇-旧.xlsx", spec, date="2023年4月1日", status=lambda k: "未启动")
    new = fill(form(1, "庙镇"), q1 / "庙镇.xlsx", spec, date="2023年4月4日", status=lambda k: "已完成")
    os.utime(old, (2_000_000_000, 2_000_000_000))
    os.utime(new, (1_900_000_000, 1_900_000_000))
    fill(form(1, "向化镇"), q1 / "向化镇.xlsx", spec, date="2023年4月3日", reporter=None)  # refused
    fill(form(1, "竖新镇"), q1 / "竖新镇.xlsx", spec, date="2023年4月3日", progress=lambda k: "=1+1 & <b>")
    (q1 / "junk.xlsx").write_text("这不是工作簿", encoding="utf-8")
    for unit in ("区应急局", "堡镇", "城桥镇"):
        fill(form(2, unit), q2 / f"{unit}.xlsx", spec, date="2023年6月28日", status=lambda k: "滞后")
    out = tmp_path / "output"
    flags = ["--plan", str(plan_dir), "--out", str(out)]
    for quarter, folder in ((1, q1), (2, q2)):
        run("collect", "--quarter", str(quarter), str(folder), *flags)
    return plan_dir, out, flags, (q1, q2)


def test_summaries_rebuilt_from_the_ledger_alone_have_the_same_cells(office):
    plan_dir, out, flags, folders = office
    collected = contents(out)
    digests = {name: path.read_bytes() for name, path in summaries(out).items()}
    assert len(collected) == 4  # two quarters, a workbook and a 通报 each
    for folder in folders:  # the returns are gone: only the ledger is left to rebuild from
        shutil.rmtree(folder)
    shutil.rmtree(out)
    ledger = plan_dir.parent / "ledger"
    before = tree(ledger)
    output = run("ledger", "--rebuild-summaries", *flags)
    assert tree(ledger) == before  # reading the ledger never writes it
    assert contents(out) == collected
    # the same code from the same facts: byte for byte, so the manifest does not change either
    assert {name: path.read_bytes() for name, path in summaries(out).items()} == digests
    assert "写入" in output and "Traceback" not in output


def test_the_quarter_register_says_who_reported_was_sent_back_or_sent_nothing(office, views):
    plan_dir, *_ = office
    with open(plan_dir.parent / "ledger" / "2023" / "应报.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    q1 = {r["单位"]: r for r in rows if r["季度"] == "1"}
    assert list(q1) == list(views.assignments)  # every unit asked, registry order
    assert q1["庙镇"]["报送情况"] == "已报" and q1["庙镇"]["来源文件"] == "庙镇.xlsx"  # the newer form
    assert q1["庙镇"]["填报日期"] == "2023-04-04" and q1["庙镇"]["填报人"] == "张三"
    assert len(q1["庙镇"]["报表版本"]) >= 12
    assert q1["向化镇"]["报送情况"] == "退回" and "填报人未填写" in q1["向化镇"]["退回原因"]
    assert q1["新河镇"]["报送情况"] == "未报送"
    held = [a.key for a in views.assignments["城桥镇"].all]
    assert q1["城桥镇"]["承担任务"].split("、") == held  # its form's order, the row it deleted included
    entries = csv.DictReader((plan_dir.parent / "ledger" / "2023.csv").open(encoding="utf-8-sig"))
    town = {r["任务标识"]: r for r in entries if r["单位"] == "城桥镇" and r["季度"] == "1"}
    assert town["M33"]["完成状态"] == "未填报" and town["M1"]["责任类型"]


def test_a_later_folder_does_not_unreport_a_quarter(office, layout):
    """Collecting a folder with one late return keeps the units the ledger already holds as 已报."""
    plan_dir, out, flags, (q1, _) = office
    plan = load_plan(plan_dir)
    late = q1.parent / "late"
    fill(
        form_bytes(plan, Views(plan), layout, 1, "新河镇"),
        late / "新河镇.xlsx",
        FormsLayout.of(layout),
        date="2023年4月8日",
    )
    run("collect", "--quarter", "1", str(late), *flags)
    shutil.rmtree(out)
    run("ledger", "--rebuild-summaries", *flags)
    wb = load_workbook(next(p for n, p in summaries(out).items() if n.endswith(".xlsx") and "Q1" in n))
    reported = [r[0] for r in wb.worksheets[0].iter_rows(min_row=3, values_only=True)]
    assert set(reported) == {"区应急局", "城桥镇", "庙镇", "竖新镇", "新河镇"}


def test_an_older_ledger_is_read_and_says_how_to_rebuild(office):
    """A ledger from before 应报.csv and 责任类型: still read (the year workbook is made), the rebuild
    says which folder to collect again, and collecting the archive completes it."""
    plan_dir, out, flags, _ = office
    ledger = plan_dir.parent / "ledger"
    table = ledger / "2023.csv"
    with open(table, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    role = rows[0].index("责任类型")
    with open(table, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([r[:role] + r[role + 1 :] for r in rows])
    (ledger / "2023" / "应报.csv").unlink()
    (ledger / "2023" / "季度任务.csv").unlink()
    collected = contents(out)
    shutil.rmtree(out)
    run("ledger", *flags)
    result = CliRunner().invoke(main, ["ledger", "--rebuild-summaries", *flags])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "没有第一季度的应报单位" in result.output
    assert f"plandocs collect --quarter 1 {ledger / '2023' / 'Q1'}" in result.output
    for quarter in (1, 2):
        done = run("collect", "--quarter", str(quarter), str(ledger / "2023" / f"Q{quarter}"), *flags)
        if quarter == 1:
            assert "已按新格式重写" in done
    assert next(csv.reader(table.open(encoding="utf-8")))[role] == "责任类型"
    shutil.rmtree(out)
    run("ledger", "--rebuild-summaries", *flags)
    rebuilt = contents(out)
    # the archive holds the returns that counted; the refused file of 向化镇 is not in it
    for name, cells in collected.items():
        if "Q1" in name:
            continue
        assert rebuilt[name] == cells
