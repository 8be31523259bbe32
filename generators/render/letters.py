"""任务分工函: one letter per unit (letters/<unit>.docx) and every letter in one print file.

What a unit receives comes only from Views.receives (group references already expanded); the
wording of the letter lives in templates/letter.docx and templates/letters_print.docx.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TypeVar

from generators.artifact import Artifact, Job
from generators.context import BuildContext
from generators.filenames import safe_name
from generators.formspec import FormsLayout
from generators.layout import Layout
from generators.model import Plan
from generators.numerals import to_chinese
from generators.render import docx
from generators.render.letter_parts import (
    common_context,
)
from generators.views import Received, Role, UnitAssignments, Views

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
SENTENCE_END = "。；"


def measure_sections(held: Iterable[Received]) -> list[dict]:
    """Measures under the heading of the opinion section they stand in, in the opinion's order."""
    sections: list[dict] = []
    for item in held:
        heading = item.section.heading if item.section is not None else ""
        if not sections or sections[-1]["heading"] != heading:
            sections.append({"heading": heading, "measures": []})
        sections[-1]["measures"].append(item.printed)
        if (
            item.measure is not None and item.measure.deadline_line
        ):  # 完成时限：… printed under it, as drafted
            sections[-1]["measures"].append(item.measure.deadline_line)
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
