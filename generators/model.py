"""The plan as frozen dataclasses: what the office wrote and how each item prints (numbering, heading, the
measure with its responsibility line); nothing worked out across items (views.py does that), no I/O."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a measure's line is a value of the one grammar that reads and prints it
    from .grammar.responsibility import Responsibility


class Category(StrEnum):
    """A unit's kind; the registry's order within these decides letter order."""

    DEPARTMENT = "区级部门"
    STATIONED = "驻区单位"
    ORGANISATION = "群团组织"
    TOWN = "乡镇"
    DIRECT = "直属单位"


class GroupRole(StrEnum):
    """What a printed group reference asks of the units it stands for (docs/reference.md, 计划数据: 分组如何展开)."""

    ALL = "全体"  # every member is responsible (区安委会各成员单位, 各乡镇, 牵头部门)
    CONCERNED = "有关"  # only members concerned: 结合职责落实 (区安委会有关成员单位, 区有关直属单位)
    SUPPORT = "配合"  # members of a specialised committee, cited as 配合单位


@dataclass(frozen=True)
class Unit:
    name: str  # short name as printed in the plan
    full_name: str  # used to address letters
    category: Category
    assumed: bool = False  # 待核实: not stated by the seed


@dataclass(frozen=True)
class Group:
    name: str  # as printed, e.g. 区安委会各成员单位
    role: GroupRole
    members: tuple[str, ...]  # unit names, registry order
    assumed: bool = False


@dataclass(frozen=True)
class Leader:
    name: str  # without padding: 李峻
    title: str
    portfolio: str
    assumed: bool = False


def month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True)
class Deadline:
    """One deadline as written, and what it means."""

    text: str  # as drafted: 4月底前
    year: int | None = None  # a year the phrase names (2026年1月底前); None: the plan's year
    month: int = 0  # 0 for a recurrence
    day: int = 0
    recurrence: str = ""  # 每季度 / 每月 / 每半年 / 每年 / 长期坚持

    def due(self, plan_year: int) -> dt.date | None:
        """The date by which, or None for a recurrence."""
        if not self.month:
            return None
        year = self.year or plan_year
        return dt.date(year, self.month, min(self.day, month_end(year, self.month)))  # 2月29日 in 2025


@dataclass(frozen=True)
class TaskDeadline:
    """What a task's text (or its 时限 key) sets: the deadlines as written, and the last date among them."""

    written: tuple[Deadline, ...]

    @property
    def text(self) -> str:
        """As a 时限 cell shows it: 4月底前、6月30日前 ("" when the task sets none)."""
        return "、".join(dict.fromkeys(d.text for d in self.written))

    def due(self, plan_year: int) -> dt.date | None:
        """The last date by which the task is to be done; None when it has no dated deadline."""
        dates = [d for d in (w.due(plan_year) for w in self.written) if d is not None]
        return max(dates) if dates else None

    @property
    def recurrence(self) -> str:
        return next((d.recurrence for d in self.written if d.recurrence), "")

    def __bool__(self) -> bool:
        return bool(self.written)


@dataclass(frozen=True)
class SubTask:
    """One sentence of a measure that closes with its own responsibility bracket: 4月底前，完成……（责任单位：A）；"""

    text: str  # the sentence as drafted, up to its bracket
    responsibility: Responsibility  # its bracket, with what is printed after it (；。) as the trailer
    deadline: str = ""  # 时限 as the office states it
    deadlines: TaskDeadline = field(default_factory=lambda: TaskDeadline(()))  # read from 时限 or the text

    @property
    def printed(self) -> str:
        return f"{self.text}{self.responsibility.printed}"


@dataclass(frozen=True)
class Measure:
    number: int  # position in the plan, 1 …: the measure's key (M12) in forms and the matrix
    text: str  # the measure's own words; with sub-tasks, what is printed before the first ("" for none)
    responsibility: Responsibility  # with sub-tasks: every sub-task's clauses, in order (who is named)
    label: str = ""  # its numbering as printed when not "<number>.": （一）, 1、, a restarted 1.
    deadline: str = ""  # 时限 as the office states it, when the text's own words should not be read
    subtasks: tuple[SubTask, ...] = ()  # sentences each with its own bracket; () for a measure with one line
    deadlines: TaskDeadline = field(default_factory=lambda: TaskDeadline(()))  # read from 时限 or the text
    own_lines: bool = False  # 行外: its clauses printed on lines of their own under it (牵头单位：A)
    deadline_label: str = ""  # 时限行: the deadline printed on a line of its own, after this label (完成时限)

    def __repr__(self) -> str:
        # hashed into form versions (formspec.form_version): unchanged for measures numbered "N."
        label = f", label={self.label!r}" if self.label else ""
        subtasks = f", subtasks={self.subtasks!r}" if self.subtasks else ""
        own_lines = ", own_lines=True" if self.own_lines else ""
        deadline_line = f", deadline_line={self.deadline_line!r}" if self.deadline_label else ""
        return (
            f"Measure(number={self.number!r}, text={self.text!r}, "
            f"responsibility={self.responsibility!r}{label}{subtasks}{own_lines}{deadline_line})"
        )

    @property
    def deadline_line(self) -> str:
        """The 完成时限：… line printed under it, as drafted; "" when its deadline is not printed so."""
        return f"{self.deadline_label}：{self.deadline}" if self.deadline_label else ""

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The opinion's paragraphs for it: the measure as printed, or, when its responsibility stood on
        lines of its own (行外), its text and then one line per clause: 牵头单位：A、B."""
        deadline = (self.deadline_line,) if self.deadline_label else ()
        if not self.own_lines or self.subtasks:
            return (self.printed, *deadline)
        clauses = tuple(
            f"{c.label or '责任单位'}：{'，'.join('、'.join(block) for block in c.blocks)}"
            for c in self.responsibility.clauses
        )
        return (f"{self.numbering}{self.text}", *clauses, *deadline)

    @property
    def numbering(self) -> str:
        return self.label or f"{self.number}."

    @property
    def printed(self) -> str:
        """As the opinion prints it: numbering, text, and its line — or each sub-task after the other."""
        if self.subtasks:
            return f"{self.numbering}{self.text}{''.join(s.printed for s in self.subtasks)}"
        return f"{self.numbering}{self.text}{self.responsibility.printed}"

    @property
    def body(self) -> str:
        """Its words without the brackets (what identifies it across revisions): text and sub-task texts."""
        return self.text + "".join(s.text for s in self.subtasks)

    def subtask_key(self, index: int) -> str:
        """A sub-task's number: 3-1, 3-2 (index from 1), after the measure's value as the draft prints it."""
        return f"{self.number}-{index}"

    @property
    def reference(self) -> str:
        """How forms, the ledger and 督办单 name the measure: as the draft numbers it (（十三）, 第13条 for
        a measure printed 13. or 13、)."""
        label = self.label.rstrip("、.．")
        return label if self.label.startswith(("（", "(")) else f"第{label or self.number}条"


@dataclass(frozen=True)
class Section:
    number: str  # Chinese numeral: 一 … 十七
    title: str
    intro: str | None
    measures: tuple[Measure, ...]
    inline: bool = False  # the intro follows the title in the heading's own paragraph: （一）标题。导语

    @property
    def heading(self) -> str:
        """'' for the untitled section that holds the measures of a part without （一） headings."""
        return f"（{self.number}）{self.title}" if self.number else ""


@dataclass(frozen=True)
class Part:
    number: str  # Chinese numeral: 一 … 四
    title: str
    sections: tuple[Section, ...]

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


@dataclass(frozen=True)
class KeyTask:
    number: int
    name: str
    leaders: tuple[str, ...]
    leads: tuple[str, ...]  # 责任单位 as printed, one per line
    supports: tuple[str, ...]  # 配合单位
    content: str  # 工作内容
    remark: str = ""  # 备注
    # 时限 as the office states it; left out of the repr, which form versions hash (formspec.form_version)
    deadline: str = field(default="", repr=False)
    deadlines: TaskDeadline = field(default_factory=lambda: TaskDeadline(()), repr=False)


@dataclass(frozen=True)
class TaskGroup:
    """A group row of the annex: 总体目标, or one per part (its name is the part's heading)."""

    name: str
    part: str | None  # the part's numeral when the group stands for a part
    tasks: tuple[KeyTask, ...]


@dataclass(frozen=True)
class Annex:
    title: str  # without the count: 区政府领导2023年安全生产重点工作任务清单
    breakdown_label: str  # 任务分解: the banner before the part groups
    groups: tuple[TaskGroup, ...]


@dataclass(frozen=True)
class Notice:
    """印发通知: the notice that issues the opinion (文件格式), and the 版记 of the issued document."""

    organ_mark: str  # 发文机关标志: 上海市崇明区安全生产委员会文件
    doc_number: str  # 发文字号: 崇安委〔2023〕1号
    title: str  # 关于印发《…》的通知
    title_lines: tuple[str, ...]  # the title as the office broke it, or () to break it by rule
    addressees: str  # 主送机关, without the final "："
    body: tuple[str, ...]  # 正文 paragraphs
    attachment: str  # 附件说明: the attachment's name
    signature: str  # 发文机关署名
    date: str  # 成文日期, ISO
    copies_to: str  # 抄送, as printed after "抄送：" (ends with "。")
    printer: str  # 印发机关
    printed_on: str  # 印发日期, ISO
    assumed_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meta:
    title: str
    year: int
    status: str  # 送审稿 / 正式稿 / 征求意见稿
    label: str  # printed above the title when the opinion is itself an attachment (附件), or ""
    issuer: str  # 发文机关署名
    date: str  # 成文日期, ISO yyyy-mm-dd
    doc_number: str  # 文号, may be ""
    office: str  # 区安委办: sends letters, collects forms
    office_full_name: str
    contact: str
    phone: str
    due_dates: tuple[str, ...]  # quarterly report due dates Q1..Q4, ISO
    reply_dates: tuple[str, ...] = ()  # 督办回复期限: the reply deadline of each quarter's 督办单, ISO
    base_revision: str = ""  # git revision the 修改对照表 compares with, or ""
    letter_style: str = "全文"  # 分工函样式: 全文 (every measure's text) or 摘要 (one table row per task)
    assumed_fields: tuple[str, ...] = ()
    notice: Notice | None = None  # 印发通知; None: the plan is not issued by a notice
    letter_copies_to: str = ""  # 分工函抄送, as printed after "抄送："; "": the letters carry no 版记
    file_stem: str = ""  # 文件名: the opinion's file name without .docx; "" = the title
    cycle: str = "季度"  # 报送周期: 季度 / 月度 / 半年; due_dates and reply_dates hold one date per period
    office_receives: bool = False  # 函件发出单位收函: the office gets its own letter, form and 督办单

    @property
    def stem(self) -> str:
        """The name the opinion and the files named after it (印发通知, 修改对照表) carry."""
        return self.file_stem or self.title


@dataclass(frozen=True)
class Plan:
    meta: Meta
    preamble: str
    parts: tuple[Part, ...]
    annex: Annex  # Annex("", "", ()) when the plan has none
    units: tuple[Unit, ...]
    groups: tuple[Group, ...]
    leaders: tuple[Leader, ...]
    digest: str = field(default="", compare=False)  # sha256 of the plan files
    directory: str = field(default="", compare=False)  # where it was loaded from (its git history: 比较基准)

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(m for p in self.parts for s in p.sections for m in s.measures)

    @property
    def has_annex(self) -> bool:
        """False for a plan without tasks.yaml: no annex table, letters and sheets say nothing of one."""
        return bool(self.annex.groups)

    @property
    def key_tasks(self) -> tuple[KeyTask, ...]:
        return tuple(t for g in self.annex.groups for t in g.tasks)
