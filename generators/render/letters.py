"""任务分工函: one letter per unit (letters/<unit>.docx) and every letter in one print file.

What a unit receives comes only from Views.receives (group references already expanded); the
wording of the letter lives in templates/letter.docx and templates/letters_print.docx.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TypeVar

from docxtpl import RichText

from generators.artifact import Artifact, Job
from generators.context import BuildContext
from generators.dates import chinese_date
from generators.filenames import safe_name
from generators.formspec import FormsLayout
from generators.layout import Layout
from generators.model import Meta, Plan
from generators.numerals import to_chinese
from generators.periods import Cycle
from generators.render import docx
from generators.views import DocumentKind, Received, Role, UnitAssignments, Views, document_kind

LETTERS_DIR = "letters"
PRINT_FILE = "分工函合订打印本.docx"
# Key-task groups in the order the letter lists them; the template words each one.
TASK_ROLES = (
    ("lead", (Role.LEAD_NAMED, Role.LEAD_VIA_GROUP)),
    ("support", (Role.SUPPORT,)),
    ("concerned", (Role.CONCERNED,)),
)
# A letter's measures by the unit's role, in the order it lists them; the template words each block.
MEASURE_ROLES = (
    ("prime", (Role.PRIME,)),
    ("named", (Role.LEAD_NAMED, Role.LEAD_VIA_GROUP)),
    ("support", (Role.SUPPORT,)),
    ("shared", (Role.CONCERNED,)),
)
# How the count of each block is told after the total (其中…): the seed's 列为责任单位 / 结合职责落实.
BREAKDOWN_WORDS = {"prime": "牵头", "named": "列为责任单位", "support": "配合", "shared": "结合职责落实"}
SIGNATURE_RIGHT_CHARS = 2  # 7.3.5.2: 署名右空二字
# The letter's title as the template prints it around the opinion's title: the line breaks are chosen
# knowing these widths (templates/letter.docx: 关于落实《…》任务分工的函).
TITLE_BEFORE, TITLE_AFTER = "关于落实《", "》任务分工的函"
SENTENCE_END = "。；"
DATE_SHIFT_CHARS = 2  # 7.3.5.2: 成文日期首字比署名首字右移二字


def text_width(text: str) -> float:
    """Width in full-width characters: ASCII digits and letters are half as wide."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def date_indent(signature: str, date: str, layout: Layout) -> str:
    """Ideographic spaces that put the date's first character two characters right of the signature's,
    or the date two characters in from the right when it would not fit (GB/T 9704-2012, 7.3.5.2)."""
    line = layout.chars_per_line
    under_signature = line - SIGNATURE_RIGHT_CHARS - text_width(signature) + DATE_SHIFT_CHARS
    flush_right = line - SIGNATURE_RIGHT_CHARS - text_width(date)
    return "\u3000" * max(0, math.floor(min(under_signature, flush_right)))


def title_capacity(layout: Layout) -> int:
    """Characters of the 公文标题 style on one line of the type area."""
    page = layout.page
    width_mm = page.width_mm - page.margin_left_mm - page.margin_right_mm
    return int(width_mm / (layout.style("公文标题").size_pt * 25.4 / 72))


def title_breaks(title: str, year: int) -> list[int]:
    """Where a line of the opinion's title may end: only between whole words. From the data: after the
    year (…崇明区2023年 | 安全生产…); the 《 and 》 around it are the other places (start and end)."""
    cut = title.find(f"{year}年")
    return [0, *([cut + len(f"{year}年")] if cut >= 0 else []), len(title)]


def broken_title(title: str, year: int, capacity: int) -> RichText:
    """The opinion's title with a line break where the letter's title reads best: one line when it fits,
    else the most even split at a word boundary (never inside a word: …工｜作意见). The text is the
    plan's exactly; only a line break is added."""
    before, after = text_width(TITLE_BEFORE), text_width(TITLE_AFTER)
    if before + text_width(title) + after <= capacity:
        return RichText(title)
    best = None
    for cut in title_breaks(title, year):
        lines = (before + text_width(title[:cut]), text_width(title[cut:]) + after)
        if max(lines) <= capacity and (best is None or max(lines) < best[0]):
            best = (max(lines), cut)
    if best is None:  # no word boundary gives lines that fit: leave the breaking to the word processor
        return RichText(title)
    cut = best[1]
    if cut == 0:  # break before 《: the template's 《 would be left behind; break after 关于落实 instead
        return RichText(title)
    return RichText(f"{title[:cut]}\n{title[cut:]}")


def common_context(plan: Plan, layout: Layout, kind: DocumentKind | None = None) -> dict:
    """Fields every letter shares: the issuing office, the opinion, reporting dates, signature."""
    meta = plan.meta
    date = chinese_date(meta.date)
    kind = kind or document_kind(meta.title)
    cycle = Cycle(meta.cycle)
    return {
        "doc_short": kind.short,
        "item_word": kind.items,
        "office": meta.office_full_name,
        "office_short": meta.office,
        "doc_number": meta.doc_number,
        "opinion_title": meta.title,
        "opinion_title_broken": broken_title(meta.title, meta.year, title_capacity(layout)),
        "compact": meta.letter_style == "摘要",
        "annex_title": plan.annex.title,
        "contact": meta.contact,
        "phone": meta.phone,
        "quarters": [
            {"numeral": to_chinese(i), "name": cycle.name_of(i), "due": chinese_date(due)}
            for i, due in enumerate(meta.due_dates, 1)
        ],
        "cycle": cycle_words(meta),
        "date": date,
        "date_indent": date_indent(meta.office_full_name, date, layout),
        "copies_to": meta.letter_copies_to,  # the 版记 (10.1); "" leaves it out
    }


def cycle_words(meta: Meta) -> dict[str, object]:
    """How letters speak of the reporting cycle: 季度报送要求, 请于每季度结束后 (or 每月26日前 when every
    month's report is due on that day of its own month), 季度报表第3项."""
    cycle = Cycle(meta.cycle)
    when = f"每{cycle.unit}结束后"
    days = {due[8:] for due in meta.due_dates}
    in_period = all(due <= cycle.end(meta.year, i).isoformat() for i, due in enumerate(meta.due_dates, 1))
    if cycle.name == "月度" and len(days) == 1 and in_period and meta.due_dates:
        when = f"每月{int(days.pop())}日前"
    title = {"季度": "季度", "月度": "月度", "半年": "半年"}[cycle.name]
    # the dates are listed unless one rule (每月26日前) already says them all
    return {"title": title, "when": when, "form": f"{title}报表", "listed": when.endswith("结束后")}


def measure_sections(held: Iterable[Received]) -> list[dict]:
    """Measures under the heading of the opinion section they stand in, in the opinion's order."""
    sections: list[dict] = []
    for item in held:
        heading = item.section.heading if item.section is not None else ""
        if not sections or sections[-1]["heading"] != heading:
            sections.append({"heading": heading, "measures": []})
        sections[-1]["measures"].append(item.printed)
    return sections


def breakdown(counts: dict[str, int]) -> str:
    """（其中列为责任单位3条、结合职责落实2条）when the unit holds measures in more than one role, else ""."""
    told = [f"{BREAKDOWN_WORDS[key]}{n}条" for key, n in counts.items() if n]
    return f"（其中{'、'.join(told)}）" if len(told) > 1 else ""


def task_entry(item: Received) -> dict:
    task = item.item_task
    return {
        "number": task.number,
        "name": task.name,
        "leaders": "、".join(task.leaders),
        "leads": "、".join(task.leads),
        "supports": "、".join(task.supports),
        "content": task.content,
    }


def first_sentence(text: str) -> str:
    """A measure's title: its text up to the first 。 or ； (the whole text when it has none)."""
    ends = [i for i in (text.find(mark) for mark in SENTENCE_END) if i >= 0]
    return text[: min(ends) + 1] if ends else text


def task_rows(received: tuple[Received, ...], spec: FormsLayout, views: Views | None = None) -> list[dict]:
    """The compact letter's table: one row per task in the order of the unit's quarterly form, whose row
    it names as the reporting requirement; a task's deadline (时限) follows its title."""
    return [
        {
            "key": spec.key_text(item.assignment),
            "task": (first_sentence(item.measure.text) if item.measure is not None else item.item_task.name)
            + deadline_note(item, views),
            "role": item.role_text,
            "form_row": index,
        }
        for index, item in enumerate(received, 1)
    ]


def deadline_note(item: Received, views: Views | None) -> str:
    """（时限：4月底前） after a task's title in the compact letter, "" when its text sets none."""
    deadline = views.deadline_of(item.assignment) if views is not None else None
    return f"（时限：{deadline.text}）" if deadline else ""


def letter_context(held: UnitAssignments, views: Views, spec: FormsLayout | None = None) -> dict:
    """One unit's letter: what it receives (Views.receives), its measures split by role, its key tasks by
    role, section numbers."""
    received = views.receives(held.unit.name)
    measures = [item for item in received if item.measure is not None]
    by_role = {key: [item for item in measures if item.role in roles] for key, roles in MEASURE_ROLES}
    prime = measure_sections(by_role["prime"])
    named = measure_sections(by_role["named"])
    support = measure_sections(by_role["support"])
    shared_items = by_role["shared"]
    shared = measure_sections(shared_items)
    task_groups: list[dict] = []
    for role_name, roles in TASK_ROLES:
        tasks = [task_entry(item) for item in received if item.task is not None and item.role in roles]
        if tasks:
            task_groups.append({"no": to_chinese(len(task_groups) + 1), "role": role_name, "tasks": tasks})
    rows = task_rows(received, spec, views) if spec is not None else []
    if spec is not None:  # 摘要: one table of every task instead of the measures' full text
        present = ["list"] if rows else []
    else:
        present = [
            key
            for key, items in (
                ("prime", prime),
                ("named", named),
                ("support", support),
                ("shared", shared),
                ("tasks", task_groups),
            )
            if items
        ]
    numbers = {key: "" for key in ("prime", "named", "support", "shared", "tasks", "list")}
    numbers.update({key: to_chinese(i) for i, key in enumerate([*present, "report"], 1)})
    return {
        "unit": held.unit.name,
        "addressee": held.unit.full_name,
        "no": numbers,
        "counts": {
            "measures": len(measures),
            "named": len(measures) - len(shared_items),
            "shared": len(shared_items),
            "tasks": len(received) - len(measures),
        },
        "breakdown": breakdown({key: len(items) for key, items in by_role.items()}),
        "prime": prime,
        "named": named,
        "support": support,
        "shared": shared,
        # only 有关 groups reach a unit 结合职责落实, so every such item came through a group
        "shared_via": list(dict.fromkeys(item.assignment.via or "" for item in shared_items)),
        "tasks": task_groups,
        "rows": rows,
    }


def letter_path(unit: str) -> str:
    return f"{LETTERS_DIR}/{safe_name(unit)}.docx"


def letter_title(plan: Plan, unit: str) -> str:
    return f"关于落实《{plan.meta.title}》任务分工的函（{unit}）"


def contexts(plan: Plan, views: Views, layout: Layout) -> tuple[dict, list[dict]]:
    """The shared fields and one context per unit that holds anything, in registry order."""
    spec = FormsLayout.of(layout) if plan.meta.letter_style == "摘要" else None
    return common_context(plan, layout, views.kind), [
        letter_context(held, views, spec) for held in views.assignments.values()
    ]


def jobs(ctx: BuildContext, units: Iterable[str] | None = None) -> list[Job]:
    """One job per letter (only `units` when given), then the print file when all letters are asked for."""
    plan, views, layout = ctx.plan, ctx.views, ctx.layout
    common, letters = contexts(plan, views, layout)
    if units is not None:
        wanted = set(units)
        letters = [letter for letter in letters if letter["unit"] in wanted]
    template = layout.template("letter")
    out = [letter_job(plan, template, common, letter) for letter in letters]
    if units is None:
        out.extend(print_jobs(plan, layout, common, letters))
    return out


def letter_job(plan: Plan, template: Path, common: dict, letter: dict) -> Job:
    context = {**common, "letter": letter}
    return Job(
        kind="letter",
        path=letter_path(letter["unit"]),
        inputs={"context": context, "meta": plan.meta},
        templates=(template,),
        make=partial(docx.render, template, context, plan.meta, letter_title(plan, letter["unit"])),
        unit=letter["unit"],
    )


T = TypeVar("T")  # what a volume holds: letters, or their output paths


def volumes(letters: list[T], per_volume: int) -> list[list[T]]:
    """The print file's volumes (分册): `per_volume` letters each, or one volume when it is 0."""
    if per_volume <= 0 or len(letters) <= per_volume:
        return [letters]
    return [letters[i : i + per_volume] for i in range(0, len(letters), per_volume)]


def print_path(volume: int, count: int) -> str:
    """分工函合订打印本.docx, or 分工函合订打印本（第1册）.docx … when the letters fill several volumes."""
    stem = PRINT_FILE.removesuffix(".docx")
    return PRINT_FILE if count == 1 else f"{stem}（第{volume}册）.docx"


def print_jobs(plan: Plan, layout: Layout, common: dict, letters: list[dict]) -> list[Job]:
    """Every letter in print files, one template pass each: each starts on an odd page, numbered from 1.

    A city's thousands of letters are split into volumes (templates/layout.yaml, letters.print_volume):
    one file of 2,000 letters would take gigabytes to render and would not open in Word or WPS."""
    parts = volumes(letters, layout.letters_per_volume)
    return [
        print_job(plan, layout, common, part, print_path(number, len(parts)))
        for number, part in enumerate(parts, 1)
    ]


def print_job(plan: Plan, layout: Layout, common: dict, letters: list[dict], path: str = PRINT_FILE) -> Job:
    """These letters in one print file, rendered in one template pass."""
    template = layout.template("letters_print")
    context = {**common, "letters": letters}
    return Job(
        kind="letters-print",
        path=path,
        inputs={"context": context, "meta": plan.meta},
        templates=(template,),
        make=partial(docx.render, template, context, plan.meta, path.removesuffix(".docx")),
    )


def render(plan: Plan, views: Views, layout: Layout, units: Iterable[str] | None = None) -> list[Artifact]:
    return [job.artifact(job.make()) for job in jobs(BuildContext.of(plan, layout, views), units)]
