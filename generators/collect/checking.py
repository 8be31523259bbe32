"""Judge each returned form against the plan: whose it is, what is wrong with it, which one counts.

A bad file is reported and set aside, never fatal for the others: errors reject a file (the office sends it
back), warnings are reported and the file is still used.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from generators.dates import chinese_date
from generators.formspec import FormsLayout, form_id, form_version
from generators.model import Plan
from generators.periods import Cycle
from generators.views import Views

from . import cells
from .reading import FormRow, NotAForm, ReturnedForm, file_date, read_form

PROBLEM_SEPARATOR = "；"  # between a refused file's problems in one cell (汇总表, ledger 应报.csv)
EXCEL_CELL_CHARS = 32_767  # the most characters a spreadsheet cell holds (Excel refuses, LibreOffice cuts)
PLAUSIBLE_YEARS = 1  # a 填报日期 within the plan's year ± this many years (and not after today)


class Problem(str):
    """Why a return is refused, in words the unit can act on ("第3项任务（措施12）的进展情况未填写"): no file
    name, cell address or exception text, since it goes into the 退回通知 as it is. `where` locates it for
    the office (进展情况!F7, the exception's class), printed beside it on the console and in the 汇总表."""

    where: str

    def __new__(cls, text: str, where: str = "") -> Problem:
        # "；" separates a file's problems where they are kept together (the ledger's 退回原因, the 汇总表)
        made = super().__new__(cls, text.replace(PROBLEM_SEPARATOR, "，"))
        made.where = where
        return made

    def __reduce__(self) -> tuple:  # the workers of a large collect send verdicts back pickled
        return (Problem, (str(self), self.where))

    @property
    def located(self) -> str:
        """The problem with its place, for the office."""
        return f"{self}（{self.where}）" if self.where else str(self)


class Outcome(StrEnum):
    ACCEPTED = "接收"
    REJECTED = "拒收"
    SUPERSEDED = "不采用"  # the same unit returned a newer form
    SKIPPED = "跳过"  # an office lock file or hidden file, not a return


@dataclass
class Verdict:
    path: Path
    outcome: Outcome = Outcome.ACCEPTED
    unit: str | None = None
    quarter: int | None = None
    form: ReturnedForm | None = None
    date: dt.date | None = None
    rows: dict[str, FormRow] = field(default_factory=dict)  # assignment key → row
    errors: list[str] = field(default_factory=list)  # Problem, or plain text from the ledger
    warnings: list[str] = field(default_factory=list)
    # A refused file whose form could not be matched is still the unit's return when its hidden unit name
    # or its file name names the unit: the unit did report and is sent the file back (退回), not 未报送.
    claimed: str | None = None
    claimed_by: str = ""  # 文件名 or 表内单位: how the claimed unit was found
    superseded_by: str | None = None  # the file of the same unit that counts instead

    @property
    def name(self) -> str:
        """The file name as it can be printed and written into the summary."""
        return cells.shown(self.path.name)

    @property
    def identified(self) -> tuple[str, int]:
        """The unit and quarter of a form whose hidden identification matched the plan."""
        assert self.unit is not None and self.quarter is not None, "the form was not identified"
        return self.unit, self.quarter

    @property
    def returned(self) -> ReturnedForm:
        """The form of a file that was read as one (every reported file, and refused ones with a unit)."""
        assert self.form is not None, "the file was not read as a form"
        return self.form

    @property
    def owner(self) -> str | None:
        return self.unit or self.claimed

    def reject(self, reason: str, where: str = "") -> None:
        self.outcome = Outcome.REJECTED
        self.errors.append(Problem(reason, where))

    @property
    def problems(self) -> list[str]:
        """Every reason the file was refused, as the unit is told them."""
        return [str(e) for e in self.errors]


def check_file(
    path: Path,
    plan: Plan,
    views: Views,
    spec: FormsLayout,
    quarter: int,
    folder: Path | None = None,
    today: dt.date | None = None,
) -> Verdict:
    """One file's verdict; `folder` is the returns folder (its sub-folders name senders), `today` the day
    no 填报日期 may be after."""
    verdict = Verdict(path)
    if path.name.startswith(("~$", ".")):
        verdict.outcome = Outcome.SKIPPED
        verdict.warnings.append("临时文件或隐藏文件，不是报表")
        return verdict
    try:
        form = read_form(path, spec)
    except NotAForm as err:
        verdict.reject(str(err), err.where)
        verdict.claimed, verdict.claimed_by = unit_by_file_name(path, plan, views), "文件名"
        return verdict
    verdict.form = form
    verdict.warnings.extend(form.notes)
    if not _identify(verdict, form, plan, views, quarter):
        stated = form.ident.get("单位", "")
        if stated in views.assignments:
            verdict.claimed, verdict.claimed_by = stated, "表内单位"
        else:
            verdict.claimed, verdict.claimed_by = unit_by_file_name(path, plan, views), "文件名"
        return verdict
    if not _check_sender(verdict, form, plan, views, folder):
        return verdict
    _check_version(verdict, form, views)
    _check_columns(verdict, form, spec)
    _check_reporter(verdict, form, spec, plan.meta.year, today or dt.date.today())
    _check_rows(verdict, form, views, spec)
    if verdict.errors:
        verdict.outcome = Outcome.REJECTED
    return verdict


def _unit_names(plan: Plan, views: Views) -> dict[str, str]:
    """Short and full names → the short name, of every unit that reports."""
    names = {u.name: u.name for u in plan.units if u.name in views.assignments}
    return names | {u.full_name: u.name for u in plan.units if u.name in views.assignments}


def unit_by_name(text: str, plan: Plan, views: Views) -> str | None:
    """The unit a name names: its short or full name as the whole text, else the longest one in it
    (forms go out as 单位.xlsx; units rename them 2023Q1城桥镇.xls and the like)."""
    names = _unit_names(plan, views)
    stem = cells.shown(text).strip()
    if stem in names:
        return names[stem]
    inside = [n for n in names if len(n) >= 2 and n in stem]
    return names[max(inside, key=len)] if inside else None


def unit_by_file_name(path: Path, plan: Plan, views: Views) -> str | None:
    return unit_by_name(path.stem, plan, views)


def _check_sender(
    verdict: Verdict, form: ReturnedForm, plan: Plan, views: Views, folder: Path | None
) -> bool:
    """A form speaks for its own unit only: when its file name, the sub-folder it came in (a sender's
    folder) or its visible 填报单位 names another unit, that unit sent another unit's form. It is refused and
    counted as that other unit's (its sender's) 退回, never as the form's own unit's return."""
    own = verdict.identified[0]
    names = _unit_names(plan, views)
    own_names = {n for n, short in names.items() if short == own}
    places: list[tuple[str, str]] = []  # (how it was found, text)
    if folder is not None and verdict.path.is_relative_to(folder):
        places += [("所在文件夹", part) for part in verdict.path.relative_to(folder).parts[:-1]]
    places.append(("文件名", verdict.path.stem))
    if form.stated_unit:
        places.append(("表内填报单位", form.stated_unit))
    for how, text in places:
        if any(n in cells.shown(text) for n in own_names):
            continue
        other = unit_by_name(text, plan, views)
        if other is not None and other != own:
            verdict.unit, verdict.quarter = None, None
            verdict.claimed, verdict.claimed_by = other, how
            verdict.reject(
                f"交来的是{own}的报表，不是本单位的报表，请在下发给本单位的报表中填写后重报",
                f"{how}为{other}，表单标识为{own}",
            )
            return False
    return True


_KNOWN: list[tuple[Views, dict[str, tuple[str, int]]]] = []  # the last plan's form ids: one per collect


def _known_ids(plan: Plan, views: Views) -> dict[str, tuple[str, int]]:
    """Every form id of this plan's year → (unit, quarter); made once per plan, not once per file (a
    2,000-unit plan has 8,000 of them)."""
    for seen, known in _KNOWN:
        if seen is views:
            return known
    known = {
        form_id(plan.meta.year, q, u): (u, q)
        for u in views.assignments
        for q in Cycle(plan.meta.cycle).periods
    }
    _KNOWN[:] = [(views, known)]
    return known


def _identify(verdict: Verdict, form: ReturnedForm, plan: Plan, views: Views, quarter: int) -> bool:
    """Match the hidden form id to a unit and quarter of this plan's year."""
    ident = form.ident
    unit, stated_quarter = ident.get("单位", ""), ident.get("季度", "")
    known = _known_ids(plan, views)
    match = known.get(ident["表单编号"])
    if match is None:
        if ident.get("年度") and ident["年度"] != str(plan.meta.year):
            verdict.reject(
                f"交来的是{cells.text(ident['年度'])}年度的报表，请在下发的{plan.meta.year}年度报表中填写后重报"
            )
        elif unit and unit not in views.assignments:
            verdict.reject(f"报表所属单位“{unit}”不在本年度的报送单位中，请在下发给本单位的报表中填写后重报")
        else:
            verdict.reject(
                "报表的隐藏标识与本年度下发的报表不符（可能不是下发的报表或已被改动），请在下发的报表中填写后重报",
                f"表单编号 {ident['表单编号']}",
            )
        return False
    verdict.unit, verdict.quarter = match
    if unit != verdict.unit or stated_quarter != str(verdict.quarter):
        verdict.reject(
            "报表的隐藏标识前后不一致，无法确认是哪个单位哪个季度的报表，请在下发的报表中填写后重报",
            f"单位“{unit}”、季度“{stated_quarter}”",
        )
        return False
    cycle = Cycle(plan.meta.cycle)
    if verdict.quarter != quarter:  # not counted: the unit is sent it back and fills in this period's
        verdict.reject(
            f"交来的是{cycle.name_of(verdict.quarter)}的报表，本次收取的是{cycle.name_of(quarter)}报表，"
            f"请在下发的{cycle.name_of(quarter)}报表中填写后重报"
        )
        return False
    return True


def _check_version(verdict: Verdict, form: ReturnedForm, views: Views) -> None:
    """The version stamped in a form covers that unit's tasks only: a mismatch means they changed."""
    stated = form.ident.get("计划版本", "")
    unit, quarter = verdict.identified
    current = form_version(views, quarter, unit)
    if stated != current:
        verdict.warnings.append(
            f"报表由另一版本的计划生成，该单位的任务已有变化（报表 {stated[:12] or '无'}，当前 {current[:12]}），"
            "按编号逐行对应"
        )


def _check_columns(verdict: Verdict, form: ReturnedForm, spec: FormsLayout) -> None:
    for name in form.missing_columns:
        column = next(c for c in spec.columns if c.name == name)
        if column.required:
            verdict.errors.append(
                Problem(f"报表缺少“{name}”一栏（请勿删除报表的栏目），请在下发的报表中填写后重报", form.sheet)
            )
        elif column.input:
            verdict.warnings.append(f"{form.sheet} 表缺少“{name}”列，按空白处理")


def _check_reporter(
    verdict: Verdict, form: ReturnedForm, spec: FormsLayout, year: int, today: dt.date
) -> None:
    for name in spec.reporter:
        where = form.reporter_cells.get(name)
        if where is None:
            verdict.errors.append(Problem(f"报表中找不到“{name}”一栏（请勿删改表头）", form.sheet))
            continue
        raw = form.reporter.get(name)
        cell = f"{form.sheet}!{where}"
        if raw is None or not str(raw).strip():
            verdict.errors.append(Problem(f"{name}未填写", cell))
        elif len(cells.text(raw)) > EXCEL_CELL_CHARS:
            verdict.errors.append(Problem(f"{name}超过{EXCEL_CELL_CHARS}个字（表格一格的上限）", cell))
        elif name == spec.date_label:
            verdict.date = file_date(form, spec)
            if verdict.date is None:
                verdict.errors.append(
                    Problem(f"{name}“{_quoted(raw)}”不是日期，请按“{year}年4月3日”的样式填写", cell)
                )
            elif (problem := _implausible(verdict.date, year, today)) is not None:
                verdict.errors.append(
                    Problem(f"{name}“{chinese_date(verdict.date.isoformat())}”{problem}", cell)
                )


def _implausible(date: dt.date, year: int, today: dt.date) -> str | None:
    """Why a 填报日期 cannot be the day the form was filled in: after today, or far from the plan's year."""
    if date > today:
        return "晚于今天，请填写实际填报的日期"
    if not year - PLAUSIBLE_YEARS <= date.year <= year + PLAUSIBLE_YEARS:
        return (
            f"不在{year - PLAUSIBLE_YEARS}年至{year + PLAUSIBLE_YEARS}年之间，不是本年度报表的填报日期，"
            "请填写实际填报的日期"
        )
    return None


def _quoted(raw: object, limit: int = 20) -> str:
    """A value the unit typed, shortened to be quoted back to it."""
    shown = cells.text(raw)
    return shown if len(shown) <= limit else shown[:limit] + "……"


def _check_rows(verdict: Verdict, form: ReturnedForm, views: Views, spec: FormsLayout) -> None:
    """Rows are matched by 编号, so reordered rows are fine; deleted ones are named."""
    expected = {a.key: a for a in views.assignments[verdict.identified[0]].all}
    printed = {spec.key_text(a): key for key, a in reversed(expected.items())}  # （十三） → M13
    ordinal = {key: n for n, key in enumerate(expected, start=1)}  # the form's 序号 of each task
    for row in form.rows:
        key = printed.get(re.sub(r"\s+", "", row.key_text)) or spec.key_of(row.key_text)
        where = f"{form.sheet} 第{row.row}行"
        if key is None or key not in expected:
            verdict.warnings.append(f"{where} 编号“{row.key_text}”不是本单位报表中的任务，已忽略")
        elif key in verdict.rows:
            verdict.warnings.append(f"{where} 编号“{row.key_text}”重复出现，采用第{verdict.rows[key].row}行")
        else:
            verdict.rows[key] = row
            _check_row(verdict, form, row, spec, ordinal[key])
    missing = [spec.key_text(a) for key, a in expected.items() if key not in verdict.rows]
    if missing:
        verdict.warnings.append(
            f"缺少 {len(missing)} 行（汇总中记为{spec.summary.not_filled}）：{'、'.join(missing)}"
        )


def _check_row(verdict: Verdict, form: ReturnedForm, row: FormRow, spec: FormsLayout, number: int) -> None:
    task = f"第{number}项任务（{row.key_text}）的"
    for column in spec.columns:
        if column.field not in form.columns:
            continue
        value = row.values.get(column.field, "")
        cell = f"{form.sheet}!{form.columns[column.field]}{row.row}"
        if column.required and not value:
            verdict.errors.append(Problem(f"{task}{column.name}未填写", cell))
        elif column.field == "status" and value not in spec.statuses:
            verdict.errors.append(
                Problem(
                    f"{task}{column.name}“{_quoted(value)}”不是可选项，请从{'、'.join(spec.statuses)}中选择",
                    cell,
                )
            )
        elif len(value) > EXCEL_CELL_CHARS:
            verdict.errors.append(
                Problem(
                    f"{task}{column.name}超过{EXCEL_CELL_CHARS}个字（表格一格的上限），请精简后重报", cell
                )
            )


def resolve_duplicates(verdicts: list[Verdict], quarter: int) -> None:
    """A unit that returned more than one form: the newest counts (this quarter's first, then 填报日期, then
    file time); every file involved is named."""
    by_unit: dict[str, list[Verdict]] = {}
    for v in verdicts:
        if v.unit is not None and v.outcome in (Outcome.ACCEPTED, Outcome.REJECTED):
            by_unit.setdefault(v.unit, []).append(v)
    for unit, group in by_unit.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda v: (v.quarter == quarter, v.date or dt.date.min, v.returned.mtime, v.name))
        winner = group[-1]
        listed = "、".join(f"{v.name}（填报日期 {_shown_date(v.date)}）" for v in group)
        winner.warnings.append(f"{unit} 交来 {len(group)} 份报表：{listed}；采用 {winner.name}")
        for v in group[:-1]:
            v.outcome, v.superseded_by = Outcome.SUPERSEDED, winner.name


def _shown_date(date: dt.date | None) -> str:
    return chinese_date(date.isoformat()) if date else "未填"
