"""The ledger on disk: the office's record of the year, beside plan/ (never under output/).

    ledger/2023.csv                every accepted return, one row per unit × quarter × task
    ledger/2023/任务.csv           task register: stable task id ↔ its number and text now
    ledger/2023/单位.csv           unit register: stable unit id ↔ its name now, former names
    ledger/2023/记录.csv           history: every return recorded or replaced, with its sha256
    ledger/2023/Q1/区应急局.xlsx   the accepted return, a byte copy (the original stays where it was)
    ledger/2023/被替换/Q1/…        a return a later one replaced, kept

Plain UTF-8 CSV in a stable order, so a commit of ledger/ shows what changed. Nothing here is ever
deleted; every file is written whole to a temporary name and renamed into place.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from operator import attrgetter
from pathlib import Path

from generators.output import atomic_write

LEDGER_DIR = "ledger"
QUARTER_COUNT = 4


class LedgerError(Exception):
    """The ledger cannot be read or written; the message says why, in Chinese."""


def safe_name(name: str, what: str) -> str:
    """A name from a return or the plan used as a file name: it must stay one name inside ledger/."""
    bad = not name or name in (".", "..") or any(ch in name for ch in "/\\\0") or name.startswith(".")
    if bad:
        raise LedgerError(f"{what}“{name}”不能用作台账中的文件名（含路径分隔符或以“.”开头）")
    return name


@dataclass(frozen=True)
class LedgerPaths:
    root: Path  # <project>/ledger
    year: int

    @classmethod
    def beside(cls, plan_dir: Path, year: int) -> LedgerPaths:
        return cls(Path(plan_dir).resolve().parent / LEDGER_DIR, year)

    @property
    def csv(self) -> Path:
        return self.root / f"{self.year}.csv"

    @property
    def folder(self) -> Path:
        return self.root / str(self.year)

    @property
    def tasks(self) -> Path:
        return self.folder / "任务.csv"

    @property
    def units(self) -> Path:
        return self.folder / "单位.csv"

    @property
    def history(self) -> Path:
        return self.folder / "记录.csv"

    def archive(self, quarter: int, unit_id: str) -> Path:
        return self._inside(self.folder / f"Q{quarter}" / f"{safe_name(unit_id, '单位')}.xlsx")

    def replaced(self, quarter: int, unit_id: str, sha: str) -> Path:
        name = f"{safe_name(unit_id, '单位')}-{sha[:12]}.xlsx"
        return self._inside(self.folder / "被替换" / f"Q{quarter}" / name)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _inside(self, path: Path) -> Path:
        if not path.resolve().is_relative_to(self.root.resolve()):
            raise LedgerError(f"{path}：不在台账目录 {self.root} 之内")
        return path


# One row of ledger/<year>.csv; the CSV header is these Chinese names, in this order. Slots: a city's
# year is a quarter of a million rows.
@dataclass(frozen=True, slots=True)
class Entry:
    quarter: int
    unit_id: str
    unit: str  # as the plan named the unit when it reported
    task_id: str
    key_text: str  # 编号 printed on the form: 措施12 / 任务5
    task: str
    status: str
    progress: str = ""
    problems: str = ""
    next_steps: str = ""
    reporter: str = ""
    date: str = ""  # 填报日期, ISO
    file: str = ""  # the returned file's name
    archive: str = ""  # its copy, relative to ledger/
    replaces: str = ""  # what this return replaced, or ""


ENTRY_HEADER = (
    "季度",
    "单位标识",
    "单位",
    "任务标识",
    "编号",
    "任务",
    "完成状态",
    "进展情况",
    "存在问题",
    "下步计划",
    "填报人",
    "填报日期",
    "来源文件",
    "存档",
    "替换",
)


@dataclass
class TaskRecord:
    task_id: str
    kind: str  # measure / task
    number: int  # its number in the plan now (or when it left)
    key_text: str
    task: str  # the label a form shows: the section title of a measure, a key task's name
    text: str  # what identity is matched on: a measure's text, a key task's name and content
    leaders: str = ""  # 区领导 of a key task, "、"-joined
    part: str = ""  # the part heading it stands in
    start: int = 1  # the first quarter it is in the plan
    end: int = 0  # the first quarter it is no longer in the plan; 0 while it is


TASK_HEADER = (
    "任务标识",
    "类别",
    "编号",
    "编号文本",
    "任务",
    "内容",
    "区领导",
    "部分",
    "起始季度",
    "删除季度",
)


@dataclass
class UnitRecord:
    unit_id: str
    name: str  # its name now (or when it left)
    full_name: str
    category: str
    former: list[str] = field(default_factory=list)  # earlier names, oldest first
    start: int = 1
    end: int = 0


UNIT_HEADER = ("单位标识", "单位", "全称", "类别", "曾用名", "起始季度", "离开季度")


@dataclass(frozen=True)
class Event:
    quarter: int
    unit_id: str
    unit: str
    action: str  # 接收 / 替换 / 保留
    file: str
    sha256: str
    date: str
    archive: str
    note: str = ""


EVENT_HEADER = ("季度", "单位标识", "单位", "操作", "来源文件", "sha256", "填报日期", "存档", "说明")


@dataclass
class Ledger:
    entries: list[Entry] = field(default_factory=list)
    tasks: list[TaskRecord] = field(default_factory=list)
    units: list[UnitRecord] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def quarters(self) -> tuple[int, ...]:
        return tuple(sorted({e.quarter for e in self.entries}))


def _read(path: Path, header: tuple[str, ...]) -> list[list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as err:
        raise LedgerError(f"{path}：无法读取台账（{type(err).__name__}）") from err
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    if tuple(rows[0]) != header:
        raise LedgerError(f"{path}:1:1: 表头应为“{','.join(header)}”，实际为“{','.join(rows[0])}”")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise LedgerError(f"{path}:{number}:1: 应有 {len(header)} 列，实际 {len(row)} 列")
    return rows[1:]


def _int(path: Path, number: int, value: str) -> int:
    try:
        return int(value) if value else 0
    except ValueError as err:
        raise LedgerError(f"{path}:{number}: “{value}”不是数字") from err


def load(paths: LedgerPaths) -> Ledger:
    ledger = Ledger()
    shared: dict[str, str] = {}  # one string object per distinct value: unit, task, status repeat a lot
    for n, row in enumerate(_read(paths.csv, ENTRY_HEADER), start=2):
        row = [shared.setdefault(value, value) for value in row]
        quarter = _int(paths.csv, n, row[0])
        if not 1 <= quarter <= QUARTER_COUNT:
            raise LedgerError(f"{paths.csv}:{n}:1: 季度应为 1–{QUARTER_COUNT}，实际为“{row[0]}”")
        ledger.entries.append(Entry(quarter, *row[1:]))
    for n, row in enumerate(_read(paths.tasks, TASK_HEADER), start=2):
        number, start, end = (_int(paths.tasks, n, row[i]) for i in (2, 8, 9))
        key_text, task, text, leaders, part = row[3:8]
        ledger.tasks.append(
            TaskRecord(row[0], row[1], number, key_text, task, text, leaders, part, start, end)
        )
    for n, row in enumerate(_read(paths.units, UNIT_HEADER), start=2):
        former = [name for name in row[4].split("、") if name]
        start, end = (_int(paths.units, n, row[i]) for i in (5, 6))
        ledger.units.append(UnitRecord(row[0], row[1], row[2], row[3], former, start, end))
    for n, row in enumerate(_read(paths.history, EVENT_HEADER), start=2):
        ledger.events.append(Event(_int(paths.history, n, row[0]), *row[1:]))
    return ledger


def _csv_bytes(header: tuple[str, ...], rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def task_order(task_id: str) -> tuple:
    """M2 before M10 before K1…; a suffix (M12-Q3) after the plain id."""
    head, _, tail = task_id.partition("-")
    digits = "".join(ch for ch in head if ch.isdigit())
    return (head.rstrip("0123456789"), int(digits or 0), tail)


def _write(path: Path, data: bytes) -> None:
    """Write only what changed, so a repeated collect leaves the ledger's files as they were."""
    try:
        if path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    atomic_write(path, data)


def save(paths: LedgerPaths, ledger: Ledger) -> None:
    """Rewrite the four CSV files (each whole, atomically), rows in their stable order."""
    entries = sorted(ledger.entries, key=lambda e: (e.quarter, e.unit_id, task_order(e.task_id)))
    row = attrgetter(*(f.name for f in fields(Entry)))  # asdict deep-copies: seconds for a city's year
    values = [row(e) for e in entries]
    _write(paths.csv, _csv_bytes(ENTRY_HEADER, values))
    tasks = sorted(ledger.tasks, key=lambda t: task_order(t.task_id))
    atomic_write(
        paths.tasks,
        _csv_bytes(
            TASK_HEADER,
            [[*(getattr(t, f.name) for f in fields(t))][:8] + [t.start, t.end or ""] for t in tasks],
        ),
    )
    units = sorted(ledger.units, key=lambda u: u.unit_id)
    atomic_write(
        paths.units,
        _csv_bytes(
            UNIT_HEADER,
            [
                [u.unit_id, u.name, u.full_name, u.category, "、".join(u.former), u.start, u.end or ""]
                for u in units
            ],
        ),
    )
    _write(paths.history, _csv_bytes(EVENT_HEADER, [list(asdict(e).values()) for e in ledger.events]))
