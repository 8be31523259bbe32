"""The ledger on disk: the office's record of the year, beside plan/ (never under output/).

    ledger/2023.csv                every accepted return, one row per unit × quarter × task
    ledger/2023/任务.csv           task register: stable task id ↔ its number and text now
    ledger/2023/单位.csv           unit register: stable unit id ↔ its name now, former names
    ledger/2023/记录.csv           history: every return recorded or replaced, with its sha256
    ledger/2023/应报.csv           per quarter, every unit asked for a form: 已报/退回/未报送, the return
                                   that counts (file, 填报人, 填报日期, form version), the tasks it held
    ledger/2023/季度任务.csv       per quarter, the tasks held, in plan order, as numbered then
    ledger/2023/Q1/<sha256 前 12 位>/区应急局.xlsx
                                   the accepted return, a byte copy (the original stays where it was),
                                   in a folder named by its content: an archived return is never written over
    ledger/2023/被替换/Q1/区应急局-<sha12>.xlsx   a return a later one replaced, kept
    ledger/2023/撤回/Q1/区应急局-<sha12>.xlsx     a return the office withdrew (collect --withdraw), kept

UTF-8 CSV with a byte-order mark (what a spreadsheet needs to read the Chinese headers), in a stable
order, so a commit of ledger/ shows what changed. A field a spreadsheet would run as a formula (it starts
with = + - @, a tab or a carriage return) is written with an apostrophe in front, and so is a field that
starts with an apostrophe itself: reading drops exactly one leading apostrophe, so every text comes back as
it was (ESCAPED, escape/unescape). A collect's changes — rows, registers, history, archives, moves to 被替换/
— are one transaction (journal.py): all of them or none, whatever kills the command. Nothing here is ever
deleted. With 应报.csv and 季度任务.csv beside the rows, every quarter's summary can be rebuilt from the
ledger alone (rebuild.py).

Older ledgers are read as they are: a CSV without the byte-order mark holds its fields unescaped and is
rewritten with both at the next collect; a 2023.csv without the 责任类型 column (before the rebuild existed)
loads with that column empty and is written with it at the next save; a quarter missing from 应报.csv
cannot be rebuilt until it is collected again (rebuild.py says how); archives named 区应急局.xlsx (before
content-addressed names) stay where they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from operator import attrgetter
from pathlib import Path

LEDGER_DIR = "ledger"
QUARTER_COUNT = 4  # periods of the default cycle (季度)
PERIOD_MAX = 12  # 月度: the most periods a reporting cycle has in a year
QUARTER_OF = {str(q): q for q in range(1, PERIOD_MAX + 1)}  # a city's year is 250,000 rows to parse


class LedgerError(Exception):
    """The ledger cannot be read or written; the message says why, in Chinese."""


BOM = "\ufeff"
# A field starting with one of these is run by a spreadsheet (= + - @ start a formula; a tab or a carriage
# return in front is skipped by some, which then see the formula behind it). The apostrophe is escaped too,
# so that one leading apostrophe always means "escaped" and the text reads back exactly.
ESCAPED = ("=", "+", "-", "@", "\t", "\r", "'")


def escape(value: str) -> str:
    return "'" + value if value.startswith(ESCAPED) else value


def unescape(value: str) -> str:
    return value[1:] if value.startswith("'") else value  # (inlined where a city's rows are read)


def why(err: OSError) -> str:
    """An OS error in Chinese (its own text is English)."""
    if isinstance(err, PermissionError):
        return "没有权限"
    if isinstance(err, IsADirectoryError):
        return "这里是一个文件夹"
    if isinstance(err, FileExistsError):
        return "这里已有一个同名的文件"
    if isinstance(err, NotADirectoryError):
        return "路径中有一个文件占了文件夹的位置"
    if err.errno == errno.ENOSPC:
        return "磁盘已满"
    if err.errno == errno.EROFS:
        return "磁盘只读"
    return f"读写错误，错误号 {err.errno}"


def unreadable(path: Path, err: OSError | UnicodeDecodeError) -> str:
    if isinstance(err, UnicodeDecodeError):
        return f"{path}：不是 UTF-8 编码的文本，无法读取台账（在电子表格中编辑后请另存为“CSV UTF-8”）"
    return f"{path}：无法读取台账（{why(err)}）"


def _has_bom(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(3) == BOM.encode("utf-8")
    except OSError:
        return False


def safe_name(name: str, what: str) -> str:
    """A name from a return or the plan used as a file name: it must stay one name inside ledger/."""
    bad = not name or name in (".", "..") or any(ch in name for ch in "/\\\0") or name.startswith(".")
    if bad:
        raise LedgerError(f"{what}“{name}”不能用作台账中的文件名（含路径分隔符或以“.”开头）")
    return name


def safe_part(name: str) -> bool:
    return bool(name) and name not in (".", "..") and not any(ch in name for ch in "\\\0")


def _addressed(unit_id: str, sha: str) -> str:
    return f"{safe_name(unit_id, '单位')}-{sha[:12]}.xlsx"


@dataclass(frozen=True)
class LedgerPaths:
    root: Path  # <project>/ledger
    year: int
    periods: int = QUARTER_COUNT  # the plan's reporting periods a year (月度: 12): the rows' 季度 column
    _folders: dict[Path, Path] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def beside(cls, plan_dir: Path, year: int, periods: int = QUARTER_COUNT) -> LedgerPaths:
        return cls(Path(plan_dir).resolve().parent / LEDGER_DIR, year, periods)

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

    def archive(self, quarter: int, unit_id: str, sha: str) -> Path:
        """Where a return that counts is kept: in a folder named by its content, so no other return ever
        lands there, under the unit's name (collecting Q1/ again reads the same names as before)."""
        return self._inside(self.folder / f"Q{quarter}" / sha[:12] / f"{safe_name(unit_id, '单位')}.xlsx")

    def replaced(self, quarter: int, unit_id: str, sha: str) -> Path:
        return self._inside(self.folder / "被替换" / f"Q{quarter}" / _addressed(unit_id, sha))

    def withdrawn(self, quarter: int, unit_id: str, sha: str) -> Path:
        return self._inside(self.folder / "撤回" / f"Q{quarter}" / _addressed(unit_id, sha))

    def recorded(self, relative: str) -> Path | None:
        """A file an event or a row names (存档, relative to ledger/), if it stays inside ledger/."""
        parts = relative.split("/")
        if not relative or any(not safe_part(p) for p in parts):
            return None
        try:
            return self._inside(self.root.joinpath(*parts))
        except LedgerError:
            return None

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
                yield QUARTER_OF[row[0]], unescape(row[1]), unescape(row[3])


def _read(
    path: Path, header: tuple[str, ...], older: tuple[str, ...] = (), ledger: Ledger | None = None
) -> Iterator[list[str]]:
    """The rows under `header` (or under the `older` header, then as long as that one), streamed: a city's
    2023.csv is 40 MB, and holding its text, a copy and every row at once cost more than the entries.
    Fields are unescaped in a file with the byte-order mark; one without it is an older ledger's, read as
    it is and marked for rewriting (ledger.migrated)."""
    _not_a_link(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        return
    except OSError as err:
        raise LedgerError(unreadable(path, err)) from err
    escaped = _has_bom(path)
    with handle:
        try:
            reader = csv.reader(handle, strict=True)
            first = next(reader, None)
            if first is None:
                return
            if ledger is not None and not escaped:
                ledger.migrated = True
            if older and tuple(first) == older:
                header = older
            elif tuple(first) != header:
                raise LedgerError(f"{path}:1:1: 表头应为“{','.join(header)}”，实际为“{','.join(first)}”")
            number = reader.line_num
            for row in reader:
                if len(row) != len(header):
                    raise LedgerError(f"{path}:{number + 1}:1: 应有 {len(header)} 列，实际 {len(row)} 列")
                yield [v[1:] if v[:1] == "'" else v for v in row] if escaped else row
                number = reader.line_num
        except csv.Error as err:
            raise LedgerError(
                f"{path}:{reader.line_num}:1: 不是完好的 CSV 行（引号不成对或有多余字符）"
            ) from err
        except (OSError, UnicodeDecodeError) as err:
            raise LedgerError(unreadable(path, err)) from err


def _not_a_link(path: Path) -> None:
    """A ledger file is read as the file it is: a link in ledger/ would read (and print the first line of)
    a file elsewhere, and the next collect would put the ledger in the link's place."""
    if path.is_symlink():
        raise LedgerError(f"{path}：是指向别处的链接，台账只读 ledger/ 中的文件本身，请把它换回台账文件")


def _int(path: Path, number: int, value: str) -> int:
    try:
        return int(value) if value else 0
    except ValueError as err:
        raise LedgerError(f"{path}:{number}: “{value}”不是数字") from err


def _date(path: Path, number: int, column: int, value: str) -> str:
    """A 填报日期 as the ledger keeps it: empty or an ISO date (2023-03-31)."""
    if value:
        try:
            dt.date.fromisoformat(value)
        except ValueError as err:
            raise LedgerError(
                f"{path}:{number}:{column}: 填报日期应写成“2023-03-31”这样的日期，实际为“{value}”"
            ) from err
    return value


def _lines(text: str) -> list[str]:
    """The text's physical lines with their "\\n" (csv counts them in line_num; splitlines would also
    break at characters a CSV field may hold)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _split(
    path: Path, wanted: int, ledger: Ledger, periods: int = QUARTER_COUNT
) -> list[tuple[int, list[str]]] | None:
    """Read 2023.csv for one quarter: its rows (with their line numbers, unescaped), and the text of the
    rows before and after it (set as ledger.kept), every row's width and quarter checked. None when the
    file is an older ledger's (no byte-order mark, or the older header): then it is read whole and
    rewritten (load's other branch)."""
    _not_a_link(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as err:
        raise LedgerError(unreadable(path, err)) from err
    if not raw:
        return []
    if not raw.startswith(BOM.encode("utf-8")):
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise LedgerError(unreadable(path, err)) from err
    lines = _lines(text)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as err:
        raise LedgerError(f"{path}:1:1: 不是完好的 CSV 行（引号不成对或有多余字符）") from err
    if header is None:
        return []
    if tuple(header) != ENTRY_HEADER:
        if tuple(header) == ENTRY_HEADER_V1:
            return None
        raise LedgerError(f"{path}:1:1: 表头应为“{','.join(ENTRY_HEADER)}”，实际为“{','.join(header)}”")
    width = len(ENTRY_HEADER)
    before: list[str] = []
    after: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    start = reader.line_num
    while True:
        try:
            row = next(reader, None)
        except csv.Error as err:
            raise LedgerError(f"{path}:{start + 1}:1: 不是完好的 CSV 行（引号不成对或有多余字符）") from err
        if row is None:
            break
        end = reader.line_num
        quarter = QUARTER_OF.get(row[0]) if row else None
        if len(row) != width or quarter is None or quarter > periods:
            number = start + 1
            if len(row) != width:
                raise LedgerError(f"{path}:{number}:1: 应有 {width} 列，实际 {len(row)} 列")
            raise LedgerError(f"{path}:{number}:1: {_period_word(periods)}应为 1–{periods}，实际为“{row[0]}”")
        if quarter == wanted:
            rows.append((start + 1, [v[1:] if v[:1] == "'" else v for v in row]))
        else:
            (before if quarter < wanted else after).extend(lines[start:end])
        start = end
    if lines and not lines[-1].endswith("\n"):  # a file edited without its last newline
        (after or before).append("\n")
    ledger.kept = ("".join(before), "".join(after))
    return rows


DATE_COLUMN = ENTRY_HEADER.index("填报日期")


def load(paths: LedgerPaths, only: int | None = None) -> Ledger:
    """The whole ledger; with `only`, 2023.csv's rows of the other quarters are kept as text (Ledger.kept).
    Every row is checked as it is read: its width, quarter, 填报日期 and that its unit and task are in the
    registers; a damaged file is one LedgerError naming file and line."""
    ledger = Ledger()
    shared: dict[str, str] = {}  # one string object per distinct value: unit, task, status repeat a lot
    keep = shared.setdefault
    register = paths.tasks
    for n, row in enumerate(_read(register, TASK_HEADER, ledger=ledger), start=2):
        number, start, end = (_int(register, n, row[i]) for i in (2, 8, 9))
        key_text, task, text, leaders, part = row[3:8]
        ledger.tasks.append(
            TaskRecord(row[0], row[1], number, key_text, task, text, leaders, part, start, end)
        )
    register = paths.units
    for n, row in enumerate(_read(register, UNIT_HEADER, ledger=ledger), start=2):
        former = [name for name in row[4].split("、") if name]
        start, end = (_int(register, n, row[i]) for i in (5, 6))
        ledger.units.append(UnitRecord(row[0], row[1], row[2], row[3], former, start, end))
    known_units = {u.unit_id for u in ledger.units}
    known_tasks = {t.task_id for t in ledger.tasks}
    table = paths.csv
    entries = ledger.entries
    rows = None if only is None else _split(table, only, ledger, paths.periods)
    if rows is None:
        if table.is_file() and not _has_bom(table):
            ledger.migrated = True
        rows = []
        for n, row in enumerate(_read(table, ENTRY_HEADER, ENTRY_HEADER_V1, ledger), start=2):
            if len(row) == len(ENTRY_HEADER_V1):
                row.insert(ROLE_COLUMN, "")
                ledger.migrated = True
            row[0] = str(_quarter(table, n, row[0], paths.periods))
            rows.append((n, row))
    for n, row in rows:
        _date(table, n, DATE_COLUMN + 1, row[DATE_COLUMN])
        if known_units and row[1] not in known_units:
            raise LedgerError(f"{table}:{n}:2: 单位标识“{row[1]}”不在单位名册 {paths.units.name} 中")
        if known_tasks and row[3] not in known_tasks:
            raise LedgerError(f"{table}:{n}:4: 任务标识“{row[3]}”不在任务名册 {paths.tasks.name} 中")
        entries.append(Entry(QUARTER_OF[row[0]], *map(keep, row[1:], row[1:])))
    history = paths.history
    for n, row in enumerate(_read(history, EVENT_HEADER, ledger=ledger), start=2):
        _date(history, n, 7, row[6])
        ledger.events.append(Event(_quarter(history, n, row[0], paths.periods), *row[1:]))
    asked = paths.expected
    for n, row in enumerate(_read(asked, EXPECTED_HEADER, ledger=ledger), start=2):
        quarter = _quarter(asked, n, row[0], paths.periods)
        if row[4] not in (REPORTED, RETURNED, NOT_REPORTED):
            raise LedgerError(f"{asked}:{n}:5: 报送情况应为已报、退回或未报送，实际为“{row[4]}”")
        _date(asked, n, 8, row[7])
        held = row[10].split("、") if row[10] else []
        tasks = tuple(map(keep, held, held))
        unit_id, unit, category, outcome, file, reporter, date, version, reason = row[1:10]
        ledger.expected.append(
            Expected(quarter, unit_id, unit, category, outcome, file, reporter, date, version, reason, tasks)
        )
    listed = paths.quarter_tasks
    for n, row in enumerate(_read(listed, QUARTER_TASK_HEADER, ledger=ledger), start=2):
        ledger.quarter_tasks.append(QuarterTask(_quarter(listed, n, row[0], paths.periods), *row[1:]))
    return ledger


def _quarter(path: Path, number: int, value: str, periods: int) -> int:
    quarter = QUARTER_OF.get(value) or _int(path, number, value)
    if not 1 <= quarter <= periods:
        raise LedgerError(f"{path}:{number}:1: {_period_word(periods)}应为 1–{periods}，实际为“{value}”")
    return quarter


def _period_word(periods: int) -> str:
    """The 季度 column as the office reads it: 季度 for a quarterly plan, else 期次 (月度 1–12, 半年 1–2)."""
    return "季度" if periods == QUARTER_COUNT else "期次"


def _csv_bytes(header: tuple[str, ...], rows: Iterable[Iterable[object]]) -> bytes:
    """The CSV as the ledger writes it: byte-order mark, header, rows with every text field escaped."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    # csv quotes a field for the characters of its line terminator only: a field holding a carriage
    # return is quoted by a writer ending lines in "\r\n", and its line then ends in "\n" like the others
    spare = io.StringIO()
    quoting = csv.writer(spare, lineterminator="\r\n")
    for row in rows:
        values = [escape(v) if isinstance(v, str) else v for v in row]
        if any(isinstance(v, str) and "\r" in v for v in values):
            spare.seek(0)
            spare.truncate()
            quoting.writerow(values)
            buffer.write(spare.getvalue()[:-2] + "\n")
        else:
            writer.writerow(values)
    return buffer.getvalue().encode("utf-8")


def task_order(task_id: str) -> tuple:
    """M2 before M10 before K1…; a suffix (M12-Q3) after the plain id."""
    head, _, tail = task_id.partition("-")
    digits = "".join(ch for ch in head if ch.isdigit())
    return (head.rstrip("0123456789"), int(digits or 0), tail)


def files(paths: LedgerPaths, ledger: Ledger) -> dict[Path, bytes]:
    """The six CSV files as the ledger is now, rows in their stable order (journal.py writes them, with
    the archives, as one transaction)."""
    order = {task_id: task_order(task_id) for task_id in {e.task_id for e in ledger.entries}}
    entries = sorted(ledger.entries, key=lambda e: (e.quarter, e.unit_id, order[e.task_id]))
    row = attrgetter(*(f.name for f in fields(Entry)))  # asdict deep-copies: seconds for a city's year
    values = [row(e) for e in entries]
    before, after = ledger.kept  # the other quarters' rows as read, around the loaded quarter's
    data = _csv_bytes(ENTRY_HEADER, values)
    if before or after:
        head, _, body = data.decode("utf-8").partition("\n")
        data = f"{head}\n{before}{body}{after}".encode()
    out = {paths.csv: data}
    tasks = sorted(ledger.tasks, key=lambda t: task_order(t.task_id))
    out[paths.tasks] = _csv_bytes(
        TASK_HEADER,
        [[*(getattr(t, f.name) for f in fields(t))][:8] + [t.start, t.end or ""] for t in tasks],
    )
    units = sorted(ledger.units, key=lambda u: u.unit_id)
    out[paths.units] = _csv_bytes(
        UNIT_HEADER,
        [
            [u.unit_id, u.name, u.full_name, u.category, "、".join(u.former), u.start, u.end or ""]
            for u in units
        ],
    )
    event = attrgetter(*(f.name for f in fields(Event)))
    out[paths.history] = _csv_bytes(EVENT_HEADER, [event(e) for e in ledger.events])
    expected = sorted(ledger.expected, key=attrgetter("quarter"))  # stable: registry order kept within
    columns = attrgetter(*[f.name for f in fields(Expected)][:10])
    out[paths.expected] = _csv_bytes(EXPECTED_HEADER, [[*columns(x), "、".join(x.tasks)] for x in expected])
    catalogue = sorted(ledger.quarter_tasks, key=attrgetter("quarter"))
    out[paths.quarter_tasks] = _csv_bytes(QUARTER_TASK_HEADER, [list(asdict(t).values()) for t in catalogue])
    return out
