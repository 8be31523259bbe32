"""Which part, section, measure, key task, unit and group of the old plan is which in the new one.

Items are matched by their text (matching.py), so renumbering never breaks identity; units and groups
by name, and a name that vanished is paired with a new one when they are the same unit renamed (same
full name, the same places in the plan, or a similar name in the same category).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TypeVar

from ..model import Group, Part, Plan, Section, Unit
from .matching import SIMILAR, match_texts

T = TypeVar("T")  # the items matched: parts, sections, measures, key tasks
K = TypeVar("K")  # what identifies one: its number


@dataclass(frozen=True)
class Identity:
    parts: dict[str, str]  # old part numeral → new
    sections: dict[str, str]  # old section → new, by section_key
    measures: dict[int, int]  # old measure number → new
    tasks: dict[int, int]  # old key-task number → new
    units: dict[str, str]  # old unit name → new (itself, or its new name)
    groups: dict[str, str]

    def name(self, old_name: str) -> str:
        """An old unit or group name as the new plan spells it (unchanged when it left)."""
        return self.units.get(old_name) or self.groups.get(old_name) or old_name


def _match(old: list[T], new: list[T], text: Callable[[T], str], key: Callable[[T], K]) -> dict[K, K]:
    pairs = match_texts([text(x) for x in old], [text(x) for x in new])
    return {key(old[i]): key(new[j]) for i, j in pairs.items()}


def section_key(part: Part, section: Section) -> str:
    """A section's identity within its plan: its numeral, with its part's (sections may be numbered
    afresh in each part, and a part without （一） headings holds one untitled section)."""
    return f"{part.number}/{section.number}"


def _section_text(section: Section) -> str:
    """A section is its title and its measures: dropping or rewriting its intro keeps its identity."""
    return "\n".join([section.title, *(m.body for m in section.measures)])


def identify(old: Plan, new: Plan) -> Identity:
    parts = _match(
        list(old.parts),
        list(new.parts),
        lambda p: p.title + "".join(s.title for s in p.sections),
        lambda p: p.number,
    )
    sections = _match(
        [(p, s) for p in old.parts for s in p.sections],
        [(p, s) for p in new.parts for s in p.sections],
        lambda ps: _section_text(ps[1]),
        lambda ps: section_key(*ps),
    )
    measures = _match(list(old.measures), list(new.measures), lambda m: m.body, lambda m: m.number)
    tasks = _match(
        list(old.key_tasks), list(new.key_tasks), lambda t: f"{t.name}\n{t.content}", lambda t: t.number
    )
    units = _match_units(old, new, measures, tasks)
    groups = _match_groups(old.groups, new.groups, units)
    return Identity(parts, sections, measures, tasks, units, groups)


def _uses(
    plan: Plan, measure_id: Callable[[int], int | str], task_id: Callable[[int], int | str]
) -> dict[str, set[tuple]]:
    """Per printed name: the places that name it (by item identity), to recognise a renamed unit."""
    uses: dict[str, set[tuple]] = {}
    for m in plan.measures:
        for name in m.responsibility.names:
            uses.setdefault(name, set()).add(("措施", measure_id(m.number)))
        for name in m.responsibility.support_names:
            uses.setdefault(name, set()).add(("措施配合", measure_id(m.number)))
    for t in plan.key_tasks:
        for name in t.leads:
            uses.setdefault(name, set()).add(("责任", task_id(t.number)))
        for name in t.supports:
            uses.setdefault(name, set()).add(("配合", task_id(t.number)))
    for g in plan.groups:
        for name in g.members:
            uses.setdefault(name, set()).add(("分组", g.name))
    return uses


def _match_units(old: Plan, new: Plan, measures: dict[int, int], tasks: dict[int, int]) -> dict[str, str]:
    new_names = {u.name for u in new.units}
    old_names = {u.name for u in old.units}
    mapping = {name: name for name in old_names & new_names}
    gone = [u for u in old.units if u.name not in new_names]
    came = [u for u in new.units if u.name not in old_names]
    if not gone or not came:
        return mapping
    old_uses = _uses(old, lambda n: measures.get(n, f"旧{n}"), lambda n: tasks.get(n, f"旧{n}"))
    new_uses = _uses(new, lambda n: n, lambda n: n)
    scored = []
    for u in gone:
        for v in came:
            score = rename_score(u, v, old_uses.get(u.name, set()), new_uses.get(v.name, set()))
            if score >= 0.5:
                scored.append((-score, u.name, v.name))
    taken: set[str] = set()
    for _, u_name, v_name in sorted(scored):
        if u_name not in mapping and v_name not in taken:
            mapping[u_name] = v_name
            taken.add(v_name)
    return mapping


def rename_score(old: Unit, new: Unit, old_uses: set, new_uses: set) -> float:
    if old.full_name == new.full_name and old.full_name not in (old.name, new.name):
        return 1.0
    union = old_uses | new_uses
    shared = len(old_uses & new_uses) / len(union) if union else 0.0
    similar = SequenceMatcher(None, old.name, new.name).ratio() if old.category == new.category else 0.0
    return max(shared, similar if similar >= SIMILAR else 0.0)


def _match_groups(old: tuple[Group, ...], new: tuple[Group, ...], units: dict[str, str]) -> dict[str, str]:
    new_names = {g.name for g in new}
    mapping = {g.name: g.name for g in old if g.name in new_names}
    came = [g for g in new if g.name not in mapping.values()]
    for g in old:
        if g.name in mapping:
            continue
        members = {units.get(m, m) for m in g.members}
        for h in came:
            same_members = members == set(h.members) and g.role == h.role
            if same_members or SequenceMatcher(None, g.name, h.name).ratio() >= SIMILAR:
                mapping[g.name] = h.name
                came.remove(h)
                break
    return mapping
