"""The ledger on disk: the office's record of the year, beside plan/ (never under output/).

    ledger/2023.csv                every accepted return, one row per unit × quarter × task
    ledger/2023/任务.csv           task register: stable task id ↔ its number and text now
    ledger/2023/单位.csv           unit register: stable unit id ↔ its name now, former names
    ledger/2023/记录.csv           history: every return recorded or replaced, with its sha256
    ledger/2023/应报.csv           per quarter, every unit asked for a form: 已报/退回/未报送, the return
                                   that counts (file, 填报人, 填报日期, form version), the tasks it held
    ledger/2023/季度任务.csv       per quarter, the tasks held, in plan order, as numbered then
    ledger/2023/Q1/区应急局.xlsx   the accepted return, a byte copy (the original stays where it was)
    ledger/2023/被替换/Q1/…        a return a later one replaced, kept

Plain UTF-8 CSV in a stable order, so a commit of ledger/ shows what changed. Nothing here is ever
deleted; every file is written whole to a temporary name and renamed into place. With 应报.csv and
季度任务.csv beside the rows, every quarter's summary can be rebuilt from the ledger alone (rebuild.py).

Older ledgers are read as they are: a 2023.csv without the 责任类型 column (before the rebuild existed)
loads with that column empty and is written with it at the next save; a quarter missing from 应报.csv
cannot be rebuilt until it is collected again (rebuild.py says how).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from operator import attrgetter
from pathlib import Path

from generators.output import atomic_write

LEDGER_DIR = "ledger"
QUARTER_COUNT = 4
QUARTER_OF = {str(q): q for q in range(1, QUARTER_COUNT + 1)}  # a city's year is 250,000 rows to parse


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
    _folders: dict[Path, Path] = field(default_factory=dict, compare=False, repr=False)

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

    @property
    def expected(self) -> Path:
        return self.folder / "应报.csv"

    @property
    def quarter_tasks(self) -> Path:
        return self.folder / "季度任务.csv"

    def archive(self, quarter: int, unit_id: str) -> Path:
        return self._inside(self.folder / f"Q{quarter}" / f"{safe_name(unit_id, '单位')}.xlsx")

    def replaced(self, quarter: int, unit_id: str, sha: str) -> Path:
        name = f"{safe_name(unit_id, '单位')}-{sha[:12]}.xlsx"
        return self._inside(self.folder / "被替换" / f"Q{quarter}" / name)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _inside(self, path: Path) -> Path:
        """A file named by safe_name in a folder that resolves inside ledger/ (a link in the file's place is
        replaced, never written through: atomic_write renames over it). Each folder is resolved once per
        LedgerPaths, i.e. once per command: a city's quarter archives 2,000 returns into one folder."""
        if not self._resolved(path.parent).is_relative_to(self._resolved(self.root)):
            raise LedgerError(f"{path}：不在台账目录 {self.root} 之内")
        return path

    def _resolved(self, folder: Path) -> Path:
        if folder not in self._folders:
            self._folders[folder] = folder.resolve()
        return self._folders[folder]


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
    role: str  # 责任类型 printed on the form: 牵头 / 配合 …
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
    "责任类型",
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

ROLE_COLUMN = 6  # where 责任类型 stands in ENTRY_HEADER
# The rows as the first ledgers wrote them: no 责任类型 (read, and rewritten with it at the next save).
ENTRY_HEADER_V1 = ENTRY_HEADER[:ROLE_COLUMN] + ENTRY_HEADER[ROLE_COLUMN + 1 :]


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

REPORTED, RETURNED, NOT_REPORTED = "已报", "退回", "未报送"


@dataclass(frozen=True, slots=True)
class Expected:
    """One unit the plan asked for a quarter's form, and how it stands in the ledger."""

    quarter: int
    unit_id: str
    unit: str  # as the plan named it that quarter
    category: str
    outcome: str  # 已报 / 退回 / 未报送
    file: str = ""  # the return that counts (已报) or the refused one (退回)
    reporter: str = ""
    date: str = ""  # 填报日期, ISO
    version: str = ""  # the plan version stamped in the return (计划版本)
    reason: str = ""  # why a 退回 file was refused
    tasks: tuple[str, ...] = ()  # task ids the unit held that quarter, in its form's order


EXPECTED_HEADER = (
    "季度",
    "单位标识",
    "单位",
    "类别",
    "报送情况",
    "来源文件",
    "填报人",
    "填报日期",
    "报表版本",
    "退回原因",
    "承担任务",
)


@dataclass(frozen=True, slots=True)
class QuarterTask:
    """A task held that quarter, as the plan numbered and named it then (plan order within a quarter)."""

    quarter: int
    task_id: str
    key_text: str
    task: str


QUARTER_TASK_HEADER = ("季度", "任务标识", "编号", "任务")


@dataclass
class Ledger:
    entries: list[Entry] = field(default_factory=list)
    tasks: list[TaskRecord] = field(default_factory=list)
    units: list[UnitRecord] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)  # by quarter, then registry order
    quarter_tasks: list[QuarterTask] = field(default_factory=list)  # by quarter, then plan order
    migrated: bool = False  # read from an older format; the next save writes the current one
    # 2023.csv's rows of the quarters before and after the one load(only=…) read, as the CSV text they
    # were: collect records one quarter, and a city's other quarters are 180,000 rows it need not turn
    # into entries and write out again. save() puts them back around the loaded quarter's rows.
    kept: tuple[str, str] = ("", "")

    @property
    def quarters(self) -> tuple[int, ...]:
        return tuple(sorted({q for q, _, _ in self.facts()}))

    def facts(self) -> Iterator[tuple[int, str, str]]:
        """(quarter, unit id, task id) of every row, loaded as an entry or kept as text."""
        for e in self.entries:
            yield e.quarter, e.unit_id, e.task_id
        for text in self.kept:
            for row in csv.reader(io.StringIO(text)):
                yield QUARTER_OF[row[0]], row[1], row[3]


def _read(path: Path, header: tuple[str, ...], older: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """The rows under `header` (or under the `older` header, then as long as that one), streamed: a city's
    2023.csv is 40 MB, and holding its text, a copy and every row at once cost more than the entries."""
    try:
        handle = path.open(encoding="utf-8-sig")
    except FileNotFoundError:
        return
    except OSError as err:
        raise LedgerError(f"{path}：无法读取台账（{type(err).__name__}）") from err
    with handle:
        try:
            reader = csv.reader(handle)
            first = next(reader, None)
            if first is None:
                return
            if older and tuple(first) == older:
                header = older
            elif tuple(first) != header:
                raise LedgerError(f"{path}:1:1: 表头应为“{','.join(header)}”，实际为“{','.join(first)}”")
            for number, row in enumerate(reader, start=2):
                if len(row) != len(header):
                    raise LedgerError(f"{path}:{number}:1: 应有 {len(header)} 列，实际 {len(row)} 列")
                yield row
        except (OSError, UnicodeDecodeError) as err:
            raise LedgerError(f"{path}：无法读取台账（{type(err).__name__}）") from err


def _int(path: Path, number: int, value: str) -> int:
    try:
        return int(value) if value else 0
    except ValueError as err:
        raise LedgerError(f"{path}:{number}: “{value}”不是数字") from err


def _lines(text: str) -> list[str]:
    """The text's physical lines with their "\\n" (csv counts them in line_num; splitlines would also
    break at characters a CSV field may hold)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _split(path: Path, wanted: int, ledger: Ledger) -> list[list[str]] | None:
    """Read 2023.csv for one quarter: its rows, and the text of the rows before and after it (set as
    ledger.kept), every row's width and quarter checked. None when the file has the older header: then it
    is read whole and rewritten (load's other branch)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as err:
        raise LedgerError(f"{path}：无法读取台账（{type(err).__name__}）") from err
    lines = _lines(text)
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        return []
    if tuple(header) != ENTRY_HEADER:
        if tuple(header) == ENTRY_HEADER_V1:
            return None
        raise LedgerError(f"{path}:1:1: 表头应为“{','.join(ENTRY_HEADER)}”，实际为“{','.join(header)}”")
    width = len(ENTRY_HEADER)
    before: list[str] = []
    after: list[str] = []
    rows: list[list[str]] = []
    start = reader.line_num
    for row in reader:
        end = reader.line_num
        quarter = QUARTER_OF.get(row[0]) if row else None
        if len(row) != width or quarter is None:
            number = start + 1
            if len(row) != width:
                raise LedgerError(f"{path}:{number}:1: 应有 {width} 列，实际 {len(row)} 列")
            raise LedgerError(f"{path}:{number}:1: 季度应为 1–{QUARTER_COUNT}，实际为“{row[0]}”")
        if quarter == wanted:
            rows.append(row)
        else:
            (before if quarter < wanted else after).extend(lines[start:end])
        start = end
    if lines and not lines[-1].endswith("\n"):  # a file edited without its last newline
        (after or before).append("\n")
    ledger.kept = ("".join(before), "".join(after))
    return rows


def load(paths: LedgerPaths, only: int | None = None) -> Ledger:
    """The whole ledger; with `only`, 2023.csv's rows of the other quarters are kept as text (Ledger.kept)."""
    ledger = Ledger()
    shared: dict[str, str] = {}  # one string object per distinct value: unit, task, status repeat a lot
    table, keep = paths.csv, shared.setdefault
    entries = ledger.entries
    rows = None if only is None else _split(paths.csv, only, ledger)
    if rows is not None and only is not None:
        for row in rows:
            entries.append(Entry(only, *map(keep, row[1:], row[1:])))
    else:
        for n, row in enumerate(_read(table, ENTRY_HEADER, ENTRY_HEADER_V1), start=2):
            if len(row) == len(ENTRY_HEADER_V1):
                row.insert(ROLE_COLUMN, "")
                ledger.migrated = True
            quarter = QUARTER_OF.get(row[0]) or _quarter(table, n, row[0])
            entries.append(Entry(quarter, *map(keep, row[1:], row[1:])))
    register = paths.tasks
    for n, row in enumerate(_read(register, TASK_HEADER), start=2):
        number, start, end = (_int(register, n, row[i]) for i in (2, 8, 9))
        key_text, task, text, leaders, part = row[3:8]
        ledger.tasks.append(
            TaskRecord(row[0], row[1], number, key_text, task, text, leaders, part, start, end)
        )
    register = paths.units
    for n, row in enumerate(_read(register, UNIT_HEADER), start=2):
        former = [name for name in row[4].split("、") if name]
        start, end = (_int(register, n, row[i]) for i in (5, 6))
        ledger.units.append(UnitRecord(row[0], row[1], row[2], row[3], former, start, end))
    history = paths.history
    for n, row in enumerate(_read(history, EVENT_HEADER), start=2):
        ledger.events.append(Event(QUARTER_OF.get(row[0]) or _int(history, n, row[0]), *row[1:]))
    asked = paths.expected
    for n, row in enumerate(_read(asked, EXPECTED_HEADER), start=2):
        quarter = QUARTER_OF.get(row[0]) or _quarter(asked, n, row[0])
        if row[4] not in (REPORTED, RETURNED, NOT_REPORTED):
            raise LedgerError(f"{asked}:{n}:5: 报送情况应为已报、退回或未报送，实际为“{row[4]}”")
        held = row[10].split("、") if row[10] else []
        tasks = tuple(map(keep, held, held))
        unit_id, unit, category, outcome, file, reporter, date, version, reason = row[1:10]
        ledger.expected.append(
            Expected(quarter, unit_id, unit, category, outcome, file, reporter, date, version, reason, tasks)
        )
    listed = paths.quarter_tasks
    for n, row in enumerate(_read(listed, QUARTER_TASK_HEADER), start=2):
        ledger.quarter_tasks.append(QuarterTask(_quarter(listed, n, row[0]), *row[1:]))
    return ledger


def _quarter(path: Path, number: int, value: str) -> int:
    quarter = _int(path, number, value)
    if not 1 <= quarter <= QUARTER_COUNT:
        raise LedgerError(f"{path}:{number}:1: 季度应为 1–{QUARTER_COUNT}，实际为“{value}”")
    return quarter


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
    order = {task_id: task_order(task_id) for task_id in {e.task_id for e in ledger.entries}}
    entries = sorted(ledger.entries, key=lambda e: (e.quarter, e.unit_id, order[e.task_id]))
    row = attrgetter(*(f.name for f in fields(Entry)))  # asdict deep-copies: seconds for a city's year
    values = [row(e) for e in entries]
    before, after = ledger.kept  # the other quarters' rows as read, around the loaded quarter's
    data = _csv_bytes(ENTRY_HEADER, values)
    if before or after:
        head, _, body = data.decode("utf-8").partition("\n")
        data = f"{head}\n{before}{body}{after}".encode()
    _write(paths.csv, data)
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
    event = attrgetter(*(f.name for f in fields(Event)))
    _write(paths.history, _csv_bytes(EVENT_HEADER, [event(e) for e in ledger.events]))
    expected = sorted(ledger.expected, key=attrgetter("quarter"))  # stable: registry order kept within
    columns = attrgetter(*[f.name for f in fields(Expected)][:10])
    _write(
        paths.expected,
        _csv_bytes(
            EXPECTED_HEADER,
            [[*columns(x), "、".join(x.tasks)] for x in expected],
        ),
    )
    catalogue = sorted(ledger.quarter_tasks, key=attrgetter("quarter"))
    _write(
        paths.quarter_tasks, _csv_bytes(QUARTER_TASK_HEADER, [list(asdict(t).values()) for t in catalogue])
    )
