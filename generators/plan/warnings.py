"""What a valid plan may still get wrong after a new year's or another district's draft: dates of another
year, and data the office has not yet confirmed (待核实). Warnings only: the plan still builds."""

from __future__ import annotations

from ..model import Plan

ISSUED_STATUS = "正式稿"  # what an issued document is (its 印发件 prints no draft status)


def date_warnings(plan: Plan) -> list[str]:
    """meta.yaml dates that do not belong to the plan's 年度 (a plan is issued in its year or late in the
    year before; reports are due in its year, the last one early in the next)."""
    year = plan.meta.year
    out = []
    if not _year_in(plan.meta.date, (year - 1, year)):
        out.append(f"meta.yaml 成文日期 {plan.meta.date} 不在 {year} 年度（计划年度为 {year}），请核对")
    for quarter, due in enumerate(plan.meta.due_dates, 1):
        allowed = (year, year + 1) if quarter == len(plan.meta.due_dates) else (year,)
        if not _year_in(due, allowed):
            out.append(f"meta.yaml 季度报送截止日期 第{quarter}季度 {due} 不在 {year} 年度，请核对")
    out += reply_warnings(plan)
    notice = plan.meta.notice
    if notice is not None and plan.meta.status != ISSUED_STATUS:
        out.append(
            f"meta.yaml 状态为“{plan.meta.status}”，但写有印发通知：印发件是正式印发的公文，不印稿件状态；"
            f"印发前请把状态改为“{ISSUED_STATUS}”"
        )
    if notice is not None:
        for label, iso in (("成文日期", notice.date), ("印发日期", notice.printed_on)):
            if not _year_in(iso, (year - 1, year)):
                out.append(f"meta.yaml 印发通知 {label} {iso} 不在 {year} 年度（计划年度为 {year}），请核对")
    base = _base_plan(plan)
    if base is not None and base.meta.year != year:
        out.append(
            f"meta.yaml 比较基准 {plan.meta.base_revision} 是 {base.meta.year} 年度的计划，本计划为 {year} 年度："
            "修改对照表会与上一年度的计划比较；新一年的计划请清空比较基准"
        )
    elif base is not None and same_plan(base, plan):
        out.append(SAME_BASE.format(base=plan.meta.base_revision))
    return out


SAME_BASE = (
    "meta.yaml 比较基准“{base}”就是当前的计划（没有任何修改），不生成修改对照表：请写上一稿的稿次"
    "（先用 plandocs 存稿 第1稿 存下）或更早的 git 版本（如 HEAD~1）"
)


def same_plan(base: Plan, plan: Plan) -> bool:
    """Whether the base holds nothing the 修改对照表 would show (its own 比较基准 line aside)."""
    from ..diff import diff_plans

    return not diff_plans(base, plan).changes


def reply_warnings(plan: Plan) -> list[str]:
    """A 督办单 is dated on its quarter's report due date: the reply it asks for must come after that."""
    due, reply = plan.meta.due_dates, plan.meta.reply_dates
    if not reply:
        return [
            "meta.yaml 没有“督办回复期限”：督办单会要求在其成文当日（季度报送截止日期）回复；"
            "请为每季度写一个晚于报送截止日期的回复日期"
        ]
    return [
        f"meta.yaml 督办回复期限 第{quarter}季度 {answer} 不晚于该季度督办单的日期 {dated}（季度报送截止日期），请核对"
        for quarter, (dated, answer) in enumerate(zip(due, reply, strict=False), 1)
        if answer <= dated
    ]


def _year_in(iso: str, years: tuple[int, ...]) -> bool:
    try:
        return int(iso[:4]) in years
    except ValueError:
        return True  # a malformed date is an error reported by the loader


def _base_plan(plan: Plan) -> Plan | None:
    if not plan.meta.base_revision:
        return None
    from ..diff.revision import RevisionError, load_base  # git is only asked when a base is set
    from .problems import PlanError

    try:
        return load_base(plan)
    except (RevisionError, PlanError, OSError):
        return None  # an unreadable base is reported by the build that uses it


def unreached_measures(plan: Plan) -> list[str]:
    """Measures whose every unit is a group without members yet: no letter or form carries them; and the
    issuing office's own items, which it sends no letter about."""
    empty = {g.name for g in plan.groups if not g.members}
    out = []
    office = plan.meta.office
    named = {n for m in plan.measures for n in m.responsibility.all_names}
    named |= {n for t in plan.key_tasks for n in (*t.leads, *t.supports)}
    full = {u.name for u in plan.units if u.full_name == plan.meta.office_full_name}
    if not plan.meta.office_receives and (own := sorted(named & ({office} | full))):
        out.append(
            f"函件发出单位“{'、'.join(own)}”承担的措施不给它自己发函、发报表和督办单；"
            "如要照发，请在 meta.yaml 写“函件发出单位收函: true”"
        )
    for measure in plan.measures:
        names = measure.responsibility.all_names
        if names and all(name in empty for name in names):
            out.append(
                f"opinion.yaml 措施{measure.number}（{measure.numbering}）的责任单位“{'、'.join(names)}”"
                "尚无成员，不会出现在任何分工函和报表中：请在 units.yaml 中填写分组成员"
            )
    return out


def open_assumptions(plan: Plan) -> list[str]:
    """The 待核实 data still open, file by file."""
    out = []
    if plan.meta.assumed_fields:
        out.append(f"meta.yaml 待核实：{'、'.join(plan.meta.assumed_fields)}")
    if plan.meta.notice is not None and plan.meta.notice.assumed_fields:
        out.append(f"meta.yaml 印发通知 待核实：{'、'.join(plan.meta.notice.assumed_fields)}")
    units = [u.name for u in plan.units if u.assumed]
    if units:
        out.append(f"units.yaml 待核实单位 {len(units)} 个：{'、'.join(units)}")
    groups = [f"{g.name}（{len(g.members)} 个成员）" for g in plan.groups if g.assumed]
    if groups:
        out.append(f"units.yaml 待核实分组 {len(groups)} 个：{'、'.join(groups)}")
    leaders = [leader.name for leader in plan.leaders if leader.assumed]
    if leaders:
        out.append(f"leaders.yaml 待核实区领导 {len(leaders)} 位：{'、'.join(leaders)}")
    return out
