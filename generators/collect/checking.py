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
from generators.numerals import to_chinese
from generators.periods import Cycle
from generators.views import Views

from . import cells
from .reading import FormRow, NotAForm, ReturnedForm, file_date, read_form


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
    errors: list[str] = field(default_factory=list)
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

    def reject(self, reason: str) -> None:
        self.outcome = Outcome.REJECTED
        self.errors.append(reason)


def check_file(path: Path, plan: Plan, views: Views, spec: FormsLayout, quarter: int) -> Verdict:
    verdict = Verdict(path)
    if path.name.startswith(("~$", ".")):
        verdict.outcome = Outcome.SKIPPED
        verdict.warnings.append("临时文件或隐藏文件，不是报表")
        return verdict
    try:
        form = read_form(path, spec)
    except NotAForm as err:
        verdict.reject(str(err))
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
    _check_version(verdict, form, views)
    _check_columns(verdict, form, spec)
    _check_reporter(verdict, form, spec)
    _check_rows(verdict, form, views, spec)
    if verdict.errors:
        verdict.outcome = Outcome.REJECTED
    return verdict


def unit_by_file_name(path: Path, plan: Plan, views: Views) -> str | None:
    """The unit a file name names: its short or full name as the whole name, else the longest one in it
    (forms go out as 单位.xlsx; units rename them 2023Q1城桥镇.xls and the like)."""
    names = {u.name: u.name for u in plan.units if u.name in views.assignments}
    names |= {u.full_name: u.name for u in plan.units if u.name in views.assignments}
    stem = cells.shown(path.stem).strip()
    if stem in names:
        return names[stem]
    inside = [n for n in names if len(n) >= 2 and n in stem]
    return names[max(inside, key=len)] if inside else None


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
            verdict.reject(f"是 {ident['年度']} 年度的报表，不是 {plan.meta.year} 年度的")
        elif unit and unit not in views.assignments:
            verdict.reject(f"表单所属单位“{unit}”不在本年度计划的报送单位中")
        else:
            verdict.reject(f"表单编号“{ident['表单编号']}”不属于本年度任何单位的报表")
        return False
    verdict.unit, verdict.quarter = match
    if unit != verdict.unit or stated_quarter != str(verdict.quarter):
        verdict.reject(f"隐藏的表单标识前后不一致（单位“{unit}”、季度“{stated_quarter}”），无法确认归属")
        return False
    if verdict.quarter != quarter:
        verdict.warnings.append(
            f"这是第{to_chinese(verdict.quarter)}季度的报表，本次汇总第{to_chinese(quarter)}季度；仍按本季度采用"
        )
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
            verdict.errors.append(f"{form.sheet} 表缺少“{name}”列")
        elif column.input:
            verdict.warnings.append(f"{form.sheet} 表缺少“{name}”列，按空白处理")


def _check_reporter(verdict: Verdict, form: ReturnedForm, spec: FormsLayout) -> None:
    for name in spec.reporter:
        where = form.reporter_cells.get(name)
        if where is None:
            verdict.errors.append(f"找不到“{name}”一栏")
            continue
        raw = form.reporter.get(name)
        if raw is None or not str(raw).strip():
            verdict.errors.append(f"{form.sheet}!{where} {name}未填写")
        elif name == spec.date_label:
            verdict.date = file_date(form, spec)
            if verdict.date is None:
                verdict.errors.append(
                    f"{form.sheet}!{where} {name}“{cells.text(raw)}”不是日期（如 2023年4月3日）"
                )


def _check_rows(verdict: Verdict, form: ReturnedForm, views: Views, spec: FormsLayout) -> None:
    """Rows are matched by 编号, so reordered rows are fine; deleted ones are named."""
    expected = {a.key: a for a in views.assignments[verdict.identified[0]].all}
    printed = {spec.key_text(a): key for key, a in reversed(expected.items())}  # （十三） → M13
    for row in form.rows:
        key = printed.get(re.sub(r"\s+", "", row.key_text)) or spec.key_of(row.key_text)
        where = f"{form.sheet} 第{row.row}行"
        if key is None or key not in expected:
            verdict.warnings.append(f"{where} 编号“{row.key_text}”不是本单位报表中的任务，已忽略")
        elif key in verdict.rows:
            verdict.warnings.append(f"{where} 编号“{row.key_text}”重复出现，采用第{verdict.rows[key].row}行")
        else:
            verdict.rows[key] = row
            _check_row(verdict, form, row, spec, where)
    missing = [spec.key_text(a) for key, a in expected.items() if key not in verdict.rows]
    if missing:
        verdict.warnings.append(
            f"缺少 {len(missing)} 行（汇总中记为{spec.summary.not_filled}）：{'、'.join(missing)}"
        )


def _check_row(verdict: Verdict, form: ReturnedForm, row: FormRow, spec: FormsLayout, where: str) -> None:
    for column in spec.columns:
        if column.field not in form.columns:
            continue
        value = row.values.get(column.field, "")
        cell = f"{form.sheet}!{form.columns[column.field]}{row.row}（{row.key_text}）"
        if column.required and not value:
            verdict.errors.append(f"{cell} {column.name}未填写")
        elif column.field == "status" and value not in spec.statuses:
            verdict.errors.append(f"{cell} {column.name}“{value}”不是可选项（{'、'.join(spec.statuses)}）")


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
