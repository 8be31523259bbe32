"""Changes to what the opinion and the annex say: parts, sections, measures, key tasks, file data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..grammar.responsibility import Responsibility
from ..model import KeyTask, Measure, Meta, Plan, Section, TaskGroup
from ..numerals import from_chinese, to_chinese
from .identity import Identity, section_key
from .records import Action, Change, Kind, format_runs


def content_changes(old: Plan, new: Plan, ident: Identity) -> list[Change]:
    return [
        *_meta_changes(old.meta, new.meta),
        *_text_change(Kind.PREAMBLE, "序言", old.preamble, new.preamble),
        *_part_changes(old, new, ident),
        *_section_changes(old, new, ident),
        *_measure_changes(old, new, ident),
        *_text_change(Kind.ANNEX, "任务清单标题", old.annex.title, new.annex.title),
        *_text_change(Kind.ANNEX, "任务分解行", old.annex.breakdown_label, new.annex.breakdown_label),
        *_task_changes(old, new, ident),
    ]


# Meta fields the office sees, with the key they have in plan/meta.yaml; base_revision is the diff's own.
_META_FIELDS = (
    ("title", "标题"),
    ("year", "年度"),
    ("status", "状态"),
    ("label", "标签"),
    ("issuer", "发文机关"),
    ("date", "成文日期"),
    ("doc_number", "文号"),
    ("office", "函件发出单位"),
    ("office_full_name", "函件发出单位全称"),
    ("contact", "联系人"),
    ("phone", "联系电话"),
    ("due_dates", "季度报送截止日期"),
    ("reply_dates", "督办回复期限"),
)


def _meta_changes(old: Meta, new: Meta) -> list[Change]:
    out = []
    for attr, label in _META_FIELDS:
        before, after = _shown(getattr(old, attr)), _shown(getattr(new, attr))
        if before != after:
            out.append(
                Change(Kind.META, Action.CHANGED, label, before, after, f"{label}由“{before}”改为“{after}”")
            )
    return out


def _shown(value: object) -> str:
    return "、".join(value) if isinstance(value, tuple) else str(value)


def _text_change(kind: Kind, ref: str, old: str, new: str) -> list[Change]:
    return [] if old == new else [Change(kind, Action.REWORDED, ref, old, new, f"修改{ref}表述")]


def _value(numeral: str) -> int:
    """一 → 1 for a part's or section's number, which plan loading has already checked."""
    value = from_chinese(numeral)
    assert value is not None, f"编号“{numeral}”应已在读取计划时检查"
    return value


def _renumbering(
    kind: Kind, ref: str, pairs: list[tuple[int, int]], show: Callable[[int], str], cause: str
) -> list[Change]:
    """One summary entry for every item whose number shifted: not one rewording per item."""
    moved = [(o, n) for o, n in pairs if o != n]
    if not moved:
        return []
    old_runs, new_runs = format_runs(moved, show)
    old_text, new_text = "、".join(old_runs), "、".join(new_runs)
    note = f"因{cause}，原{old_text}依次改为{new_text}，内容未因编号而改变"
    return [Change(kind, Action.RENUMBERED, ref, old_text, new_text, note)]


def _cause(kind_label: str, added: int, removed: int, moved: int) -> str:
    parts = [f"{verb}{kind_label}" for verb, n in (("新增", added), ("删除", removed), ("移动", moved)) if n]
    return "、".join(parts) or f"{kind_label}顺序调整"


def _part_changes(old: Plan, new: Plan, ident: Identity) -> list[Change]:
    out: list[Change] = []
    back = {v: k for k, v in ident.parts.items()}
    old_by = {p.number: p for p in old.parts}
    pairs = []
    for part in new.parts:
        if part.number not in back:
            out.append(
                Change(Kind.PART, Action.ADDED, part.heading, "", part.heading, f"新增第{part.number}部分")
            )
            continue
        before = old_by[back[part.number]]
        pairs.append((_value(before.number), _value(part.number)))
        if before.title != part.title:
            out.append(
                Change(Kind.PART, Action.REWORDED, part.heading, before.heading, part.heading, "修改部分标题")
            )
    gone = [p for p in old.parts if p.number not in ident.parts]
    for part in gone:
        out.append(Change(Kind.PART, Action.REMOVED, f"原{part.heading}", part.heading, "", "删除该部分"))
    cause = _cause("部分", len(new.parts) - len(pairs), len(gone), 0)
    return out + _renumbering(Kind.PART, "部分编号", pairs, lambda n: f"{to_chinese(n)}、", cause)


def _sections(plan: Plan) -> dict[str, tuple[str, Section]]:
    """Each section by its section_key, with its part's numeral."""
    return {section_key(p, s): (p.number, s) for p in plan.parts for s in p.sections}


def _section_changes(old: Plan, new: Plan, ident: Identity) -> list[Change]:
    out: list[Change] = []
    back = {v: k for k, v in ident.sections.items()}
    old_by, new_by = _sections(old), _sections(new)
    pairs, moved = [], 0
    for key, (part, section) in new_by.items():
        if key not in back:
            out.append(
                Change(Kind.SECTION, Action.ADDED, section.heading, "", _section_text(section), "新增一节")
            )
            continue
        old_part, before = old_by[back[key]]
        if before.number and section.number:  # the untitled section of a part has no number to shift
            pairs.append((_value(before.number), _value(section.number)))
        if ident.parts.get(old_part) != part:
            moved += 1
            note = f"由第{old_part}部分移至第{part}部分"
            out.append(
                Change(Kind.SECTION, Action.MOVED, section.heading, before.heading, section.heading, note)
            )
        if before.title != section.title:
            out.append(
                Change(
                    Kind.SECTION,
                    Action.REWORDED,
                    section.heading,
                    before.heading,
                    section.heading,
                    "修改节标题",
                )
            )
        if before.intro != section.intro:
            out.append(
                Change(
                    Kind.SECTION,
                    Action.REWORDED,
                    section.heading,
                    before.intro or "",
                    section.intro or "",
                    f"修改{section.heading}的导语",
                )
            )
    gone = [s for number, (_, s) in old_by.items() if number not in ident.sections]
    for section in gone:
        out.append(
            Change(
                Kind.SECTION, Action.REMOVED, f"原{section.heading}", _section_text(section), "", "删除该节"
            )
        )
    cause = _cause("节", len(new_by) - len(pairs), len(gone), moved)
    return out + _renumbering(Kind.SECTION, "节编号", pairs, lambda n: f"（{to_chinese(n)}）", cause)


def _section_text(section: Section) -> str:
    return section.heading + (f"\n{section.intro}" if section.intro else "")


def _measure_changes(old: Plan, new: Plan, ident: Identity) -> list[Change]:
    out: list[Change] = []
    back = {v: k for k, v in ident.measures.items()}
    old_by = {m.number: m for m in old.measures}
    old_place = {m.number: (key, s) for key, (_, s) in _sections(old).items() for m in s.measures}
    pairs, moved = [], 0
    for key, (_, section) in _sections(new).items():
        for measure in section.measures:
            ref = measure.reference
            if measure.number not in back:
                note = f"在{_where(section)}中新增{ref}"
                out.append(Change(Kind.MEASURE, Action.ADDED, ref, "", measure.printed, note))
                continue
            before = old_by[back[measure.number]]
            pairs.append((before.number, measure.number))
            was_key, was_in = old_place[before.number]
            if ident.sections.get(was_key) != key:
                moved += 1
                note = f"原{before.reference}由{_where(was_in)}移至{_where(section)}"
                out.append(Change(Kind.MEASURE, Action.MOVED, ref, was_in.heading, section.heading, note))
            if before.body != measure.body:
                out.append(
                    Change(
                        Kind.MEASURE,
                        Action.REWORDED,
                        ref,
                        f"{before.numbering}{before.body}",
                        f"{measure.numbering}{measure.body}",
                        f"修改{ref}表述"
                        + (f"（原{before.reference}）" if before.number != measure.number else ""),
                    )
                )
            out.extend(_deadline_change(ref, before, measure))
            lines = _responsibility_change(ref, before.responsibility, measure.responsibility, ident)
            if before.subtasks or measure.subtasks:  # each sub-task's bracket, as printed
                lines = [replace(c, old_text=_lines(before), new_text=_lines(measure)) for c in lines]
            out.extend(lines)
    gone = [m for m in old.measures if m.number not in ident.measures]
    for measure in gone:
        ref = f"原{measure.reference}"
        place = _where(old_place[measure.number][1])
        out.append(Change(Kind.MEASURE, Action.REMOVED, ref, measure.printed, "", f"删除{place}中的{ref}"))
    cause = _cause("措施", len(new.measures) - len(pairs), len(gone), moved)
    return out + _renumbering(Kind.MEASURE, "措施编号", pairs, lambda n: f"第{n}条", cause)


def _stated_deadlines(measure: Measure) -> str:
    """The 时限 the plan states for a measure (and each sub-task), as written: "" when its text's own words
    are its deadline (their change is a change of wording)."""
    return "、".join(d for d in (measure.deadline, *(s.deadline for s in measure.subtasks)) if d)


def _deadline_change(ref: str, before: Measure, after: Measure) -> list[Change]:
    """A stated 时限 changed (a 完成时限：… line, a table's 完成时限 column): forms and letters print it."""
    was, now = _stated_deadlines(before), _stated_deadlines(after)
    if was == now:
        return []
    note = f"{ref}时限由“{was or '未写明'}”改为“{now or '未写明'}”"
    return [Change(Kind.MEASURE, Action.CHANGED, ref, _deadline_shown(before), _deadline_shown(after), note)]


def _deadline_shown(measure: Measure) -> str:
    """Its 时限 as the 对照表 shows it: the 完成时限：… line as printed, else 时限：… ("" for none)."""
    if measure.deadline_line:
        return measure.deadline_line
    stated = _stated_deadlines(measure)
    return f"时限：{stated}" if stated else ""


def _lines(measure: Measure) -> str:
    """A measure's responsibility as printed: its line, or its sub-tasks' brackets one after the other."""
    if not measure.subtasks:
        return measure.responsibility.printed
    return "".join(sub.responsibility.printed for sub in measure.subtasks)


def _where(section: Section) -> str:
    """A section as the 对照表 names it; the untitled section of a part is that part."""
    return section.heading or "该部分"


def _renamed_line(resp: Responsibility, ident: Identity) -> Responsibility:
    """The old line with renamed units spelled the new way: a rename is reported once, as a rename."""
    return resp.renamed(ident.name)


def _responsibility_change(
    ref: str, before: Responsibility, after: Responsibility, ident: Identity
) -> list[Change]:
    was = _renamed_line(before, ident)
    if was == after:
        return []
    notes = [
        f"{ref}{label}" + _names_note(list(old), list(new), "调整顺序或分段")
        for label, old, new in (
            (before.label, was.names, after.names),
            ("配合单位", was.support_names, after.support_names),
        )
        if old != new
    ]
    note = "；".join(notes) or f"{ref}责任单位写法调整"
    return [Change(Kind.MEASURE, Action.RESPONSIBILITY, ref, before.printed, after.printed, note)]


def _names_note(before: list[str], after: list[str], same_set: str) -> str:
    added = [n for n in after if n not in before]
    removed = [n for n in before if n not in after]
    words = []
    if added:
        words.append(f"增加{'、'.join(added)}")
    if removed:
        words.append(f"删去{'、'.join(removed)}")
    return "，".join(words) if words else same_set


def _task_text(task: KeyTask) -> str:
    return f"{task.name}：{task.content}" + (f"（备注：{task.remark}）" if task.remark else "")


def _task_units(task: KeyTask, name: Callable[[str], str] = str) -> str:
    text = f"责任单位：{'、'.join(name(n) for n in task.leads)}"
    if task.supports:
        text += f"；配合单位：{'、'.join(name(n) for n in task.supports)}"
    return text


def _task_changes(old: Plan, new: Plan, ident: Identity) -> list[Change]:
    out: list[Change] = []
    back = {v: k for k, v in ident.tasks.items()}
    old_by = {t.number: t for t in old.key_tasks}
    old_group = {t.number: g for g in old.annex.groups for t in g.tasks}
    pairs, moved = [], 0
    for group in new.annex.groups:
        for task in group.tasks:
            ref = f"重点任务{task.number}"
            if task.number not in back:
                text = f"{_task_text(task)}（{_task_units(task)}；区领导：{'、'.join(task.leaders)}）"
                out.append(Change(Kind.TASK, Action.ADDED, ref, "", text, f"在“{group.name}”中新增{ref}"))
                continue
            before = old_by[back[task.number]]
            pairs.append((before.number, task.number))
            was_in = old_group[before.number]
            if _group_key(was_in, ident) != _group_key(group, None):
                moved += 1
                note = f"由“{was_in.name}”移至“{group.name}”"
                out.append(Change(Kind.TASK, Action.MOVED, ref, was_in.name, group.name, note))
            if _task_text(before) != _task_text(task):
                out.append(
                    Change(
                        Kind.TASK,
                        Action.REWORDED,
                        ref,
                        _task_text(before),
                        _task_text(task),
                        f"修改{ref}内容",
                    )
                )
            if before.leaders != task.leaders:
                note = f"{ref}区领导" + _names_note(list(before.leaders), list(task.leaders), "调整顺序")
                leaders = ("、".join(before.leaders), "、".join(task.leaders))
                out.append(Change(Kind.TASK, Action.LEADERS, ref, *leaders, note))
            if _task_units(before, ident.name) != _task_units(task):
                note = "；".join(
                    f"{ref}{label}" + _names_note([ident.name(n) for n in b], list(a), "调整顺序")
                    for label, b, a in (
                        ("责任单位", before.leads, task.leads),
                        ("配合单位", before.supports, task.supports),
                    )
                    if [ident.name(n) for n in b] != list(a)
                )
                out.append(
                    Change(
                        Kind.TASK, Action.RESPONSIBILITY, ref, _task_units(before), _task_units(task), note
                    )
                )
    gone = [t for t in old.key_tasks if t.number not in ident.tasks]
    for task in gone:
        ref = f"原重点任务{task.number}"
        out.append(Change(Kind.TASK, Action.REMOVED, ref, _task_text(task), "", f"删除{ref}"))
    cause = _cause("重点任务", len(new.key_tasks) - len(pairs), len(gone), moved)
    return out + _renumbering(Kind.TASK, "重点任务序号", pairs, lambda n: f"任务{n}", cause)


def _group_key(group: TaskGroup, ident: Identity | None) -> str:
    """A task group stands for a part (followed through renumbering) or is named (总体目标)."""
    if group.part is None:
        return f"名称:{group.name}"
    return f"部分:{ident.parts.get(group.part, '') if ident else group.part}"
