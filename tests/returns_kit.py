"""Returned forms made the way units make them, and the before/after fingerprints of folders."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from generators.cli import main
from generators.render import forms

LAGGING_KEY = "措施12"
OLD_FORMAT = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(
    2048
)  # a compound file (.xls/.et) LibreOffice cannot read


def made_forms(out: Path) -> Path:
    """output/ holding the first quarter's forms, as `plandocs forms --quarter 1` makes it."""
    made = CliRunner().invoke(main, ["forms", "--quarter", "1", "--out", str(out)])
    assert made.exit_code == 0, made.output
    return out


def form_bytes(plan, views, layout, quarter: int, unit: str) -> bytes:
    (job,) = [j for j in forms.quarter_jobs(plan, views, layout, quarter) if j.unit == unit]
    return job.make()


def fill(
    data: bytes,
    target: Path,
    spec,
    *,
    date,
    status=None,
    reporter="张三",
    delete_key=None,
    move_first=False,
    progress=None,
):
    """Fill a form the way a unit does: only unlocked cells are written (asserted)."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[spec.sheet_title]

    def put(cell, value):
        assert cell.protection.locked is False, f"{cell.coordinate} is locked"
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # typed text stays text, even "=1+1" (as Excel keeps '=1+1)

    values = dict(zip(spec.reporter, (reporter, "021-12345678", date), strict=True))
    for label, column in zip(spec.reporter, spec.reporter_columns, strict=True):
        put(ws.cell(3, column + 1), values[label])
    cycle = ("已完成", "按计划推进", "未启动")
    at = {c.field: i for i, c in enumerate(spec.columns)}  # the seed's columns; a 时限 column shifts them
    if any(cell.value == "时限" for cell in ws[4]):
        at = {field: i + (i > at["content"]) for field, i in at.items()}
    for i, row in enumerate(ws.iter_rows(min_row=5), start=0):
        key = row[1].value
        chosen = status(key) if status else ("滞后" if key == LAGGING_KEY else cycle[i % len(cycle)])
        put(row[at["progress"]], progress(key) if progress else f"{key} 已按计划推进 & <检查>")
        put(row[at["status"]], chosen)
        put(row[at["problems"]], "人员不足" if chosen == "滞后" else None)
        put(row[at["next_steps"]], "继续推进")
    if delete_key:
        (row,) = [r for r in ws.iter_rows(min_row=5) if r[1].value == delete_key]
        ws.delete_rows(row[0].row)
    if move_first:  # the first task row goes to the end: rows out of order, an empty row left behind
        ws.move_range("A5:I5", rows=ws.max_row - 4 + 1)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def file_hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder, by relative path (symlinks not followed)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def rezip(data: bytes, change, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The workbook with one member replaced by change(its bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, change(body) if info.filename == member else body)
    return out.getvalue()


def task_table(ws) -> dict[str, dict]:
    """The summary's 按任务 sheet by 编号, each task's continuation rows folded into its first row, and its
    各单位完成情况 column read back into one list per status as "<status>单位" ("已完成单位", "退回单位",
    "未报送单位": names joined by 、); "本期未报送的全部单位" stands for the 未报送 units of 退回和未报送.
    Also "<status>单位数": the count its label states."""
    header = [c.value for c in ws[2]]
    lists: dict[str, list[str]] = {}
    out: dict[str, dict] = {}
    for values in ws.iter_rows(min_row=3, values_only=True):
        row = dict(zip(header, values, strict=True))
        out.setdefault(values[0], row)
        lists.setdefault(values[0], []).append((values[-1] or "").replace("\n", ""))
    missing_sheet = ws.parent[ws.parent.sheetnames[ws.parent.sheetnames.index(ws.title) + 2]]
    everyone = [r[1] for r in missing_sheet.iter_rows(min_row=3, values_only=True) if r[3] == "未报送"]
    for key, parts in lists.items():
        first = out[key]
        for group in filter(None, "".join(parts).split("；")):
            status, count, names = re.fullmatch(r"(.+?)（(\d+)）：(.*)", group).groups()
            units = everyone if names.startswith("本期未报送的全部单位") else names.split("、")
            first[f"{status}单位"] = "、".join(units)
            first[f"{status}单位数"] = int(count)
    return out
