"""The quarterly form's contract, shared by the form renderer and the collector: layout (templates/layout.yaml,
forms key), the row key printed in 编号, and the hidden identification a returned form is matched by."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace

from generators.periods import Cycle

from .filenames import safe_name
from .layout import Layout
from .model import Measure, Plan
from .views import Assignment, Views

# The hidden sheet: the status list (a defined name points at it) and the form's identification.
ID_SHEET = "表单信息"
STATUS_NAME = "StatusOptions"  # defined name of the dropdown list; ASCII for every spreadsheet program
ID_FIELDS = ("表单编号", "单位", "年度", "季度", "计划版本")
# Custom document properties carry the same identification (a second copy, kept by Excel/WPS/LibreOffice).
PROPERTY_PREFIX = "plandocs."
PROPERTY_NAMES = dict(zip(ID_FIELDS, ("form_id", "unit", "year", "quarter", "plan_hash"), strict=True))
QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class FormColumn:
    name: str  # header text; the collector finds the column by it
    width_mm: float
    field: str  # index, key, task, role, content, progress, status, problems, next_steps
    input: bool = False  # a cell the unit fills in: left unlocked
    required: bool = False


@dataclass(frozen=True)
class SummaryLayout:
    path: str
    report_path: str
    title: str
    report_title: str
    return_notice_path: str  # {unit}: a 退回 unit's 退回通知
    return_notice_title: str
    not_filled: str
    sheets: dict[str, str]  # rows, units, tasks, missing
    labels: dict[str, str]  # column headers of the summary that are not form columns
    chart_title: str
    list_lines: (
        int  # 按任务: the most lines a unit list fills in one row; longer lists go on in continuation rows
    )


@dataclass(frozen=True)
class FormsLayout:
    statuses: tuple[str, ...]
    lagging: tuple[str, ...]
    path: str
    sheet_title: str
    title: str
    unit_line: str
    due_line: str
    key: dict[str, str]  # measure / task → format with {number}
    reporter: tuple[str, ...]  # 填报人, 联系电话, 填报日期: the last one is the date
    reporter_columns: tuple[int, ...]  # 1-based column of each label; its input cell is the next one
    input_fill: str
    date_format: str
    footer: str
    min_input_lines: int
    columns: tuple[FormColumn, ...]
    summary: SummaryLayout
    deadline_column: FormColumn | None = None  # 时限, shown after 工作内容 when a plan's tasks set deadlines

    @classmethod
    def of(cls, layout: Layout) -> FormsLayout:
        d = dict(layout.forms or {})
        if not d:
            raise KeyError("版式配置 templates/layout.yaml 中缺少 forms 一节")
        return cls(
            statuses=tuple(d["statuses"]),
            lagging=tuple(d["lagging"]),
            path=d["path"],
            sheet_title=d["sheet_title"],
            title=d["title"],
            unit_line=d["unit_line"],
            due_line=d["due_line"],
            key=dict(d["key"]),
            reporter=tuple(d["reporter"]),
            reporter_columns=tuple(int(c) for c in d["reporter_columns"]),
            input_fill=str(d["input_fill"]),
            date_format=d["date_format"],
            footer=d["footer"],
            min_input_lines=int(d["min_input_lines"]),
            columns=tuple(FormColumn(**c) for c in d["columns"]),
            summary=SummaryLayout(**d["summary"]),
            deadline_column=FormColumn(**d["deadline_column"]) if "deadline_column" in d else None,
        )

    @classmethod
    def for_views(cls, layout: Layout, views: Views) -> FormsLayout:
        """The form a plan's units get: with a 时限 column after 工作内容 (which gives up its width) when the
        plan's tasks set deadlines; the other columns, and so every form of a plan without any, unchanged."""
        spec = cls.of(layout)
        extra = spec.deadline_column
        if extra is None or not views.has_deadlines:
            return spec
        columns: list[FormColumn] = []
        for column in spec.columns:
            if column.field == "content":
                columns += [replace(column, width_mm=column.width_mm - extra.width_mm), extra]
            else:
                columns.append(column)
        return replace(spec, columns=tuple(columns))

    @property
    def date_label(self) -> str:
        return self.reporter[-1]

    def column(self, field: str) -> FormColumn:
        return next(c for c in self.columns if c.field == field)

    def names(self, plan: Plan, quarter: int) -> dict[str, object]:
        """Placeholders for titles and paths of reporting period `quarter` (a quarter, a month or a half
        year, after the plan's 报送周期): {year}, {q} (1–4), {quarter} (一–四), {period} (第一季度, 3月, 上半年),
        {tag} (Q1, M03, H1)."""
        return Cycle(plan.meta.cycle).names(plan.meta.year, quarter)

    def form_path(self, plan: Plan, quarter: int, unit: str) -> str:
        return self.path.format(unit=safe_name(unit), **self.names(plan, quarter))

    def key_text(self, assignment: Assignment) -> str:
        """What 编号 shows: 措施12 / 任务5, or a measure's numbering as the draft prints it (（十三）)."""
        if assignment.measure is not None and assignment.sub:
            return self.subtask_key(assignment.measure, assignment.sub)
        if assignment.measure is not None:
            return self.measure_key(assignment.measure)
        return self.key[assignment.kind].format(number=assignment.number)

    def subtask_key(self, measure: Measure, sub: int) -> str:
        """A sub-task's 编号: 3-1 for a measure the draft numbers itself (（三）), 措施3-1 otherwise."""
        number = measure.subtask_key(sub)
        return number if measure.label else self.key["measure"].format(number=number)

    def measure_key(self, measure: Measure) -> str:
        """措施12, or the measure's numbering as the draft prints it (（十三）)."""
        return measure.reference if measure.label else self.key["measure"].format(number=measure.number)

    def key_of(self, text: str) -> str | None:
        """编号 as typed back → the assignment key (M12 / K5); also accepts the keys themselves."""
        text = re.sub(r"\s+", "", text)
        if re.fullmatch(r"[MK]\d+", text):
            return text
        for kind, prefix in (("measure", "M"), ("task", "K")):
            pattern = re.escape(self.key[kind]).replace(re.escape("{number}"), r"(\d+)")
            match = re.fullmatch(pattern, text)
            if match:
                return f"{prefix}{int(match.group(1))}"
        return None


def form_id(year: int, quarter: int, unit: str) -> str:
    """Stable across plan revisions, so a form of an older plan version still finds its unit."""
    return hashlib.sha256(f"{year}|{quarter}|{unit}".encode()).hexdigest()[:16]


def form_version(views: Views, quarter: int, unit: str, tails: dict[str, bytes] | None = None) -> str:
    """The version of one unit's form: a hash of what the unit receives (Views.receives: its tasks with
    roles and texts) in that year and quarter, nothing else. A revision that leaves this unit's tasks alone
    (a new 联系电话, a new due date, another unit's tasks) leaves it unchanged, so collect warns
    "该单位的任务已有变化" exactly when the tasks a returned form lists are no longer the ones the office
    would send now ("" for a unit that holds no task)."""
    received = views.receives(unit)
    if not received:
        return ""
    # The hash of json.dumps([year, quarter, unit, *signatures]). `tails`: where a caller making the
    # forms of several quarters keeps each unit's part after the quarter (~40 KB of UTF-8 for a seed
    # unit), encoded once for all of them.
    tail = None if tails is None else tails.get(unit)
    if tail is None:
        listed = json.dumps([unit, *(item.signature for item in received)], ensure_ascii=False)
        tail = listed[1:].encode("utf-8")  # '"unit", "signature", …]'
        if tails is not None:
            tails[unit] = tail
    head = json.dumps([views.plan.meta.year, quarter], ensure_ascii=False)[:-1] + ", "  # '[2023, 1, '
    digest = hashlib.sha256(head.encode("utf-8"))
    digest.update(tail)
    return digest.hexdigest()


def identification(
    views: Views, quarter: int, unit: str, tails: dict[str, bytes] | None = None
) -> dict[str, str]:
    """The form's hidden identification (ID_FIELDS), in the order the form prints it (`tails`: see
    form_version)."""
    year = views.plan.meta.year
    version = form_version(views, quarter, unit, tails)
    values = (form_id(year, quarter, unit), unit, str(year), str(quarter), version)
    return dict(zip(ID_FIELDS, values, strict=True))
