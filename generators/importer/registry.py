"""The registry an import resolves names against, and --add-units: appending unknown names to it.

New entries are appended as text lines, so units.yaml and leaders.yaml keep their hand-made layout; each
is marked 待核实 for the office to complete (category, full name, title).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .context import Registry
from .names import is_collective

_NEEDS_QUOTES = re.compile(r"""[,:\[\]{}#&*!|>'"%@`]|^\s|\s$""")


def read_registry(plan_dir: Path) -> Registry:
    """Names in units.yaml and leaders.yaml; a missing or unreadable file gives none (load_plan reports it)."""
    units = _load(plan_dir / "units.yaml")
    leaders = _load(plan_dir / "leaders.yaml")
    categories = units.get("单位")
    if not isinstance(categories, dict):
        categories = {}
    return Registry(
        units=[u["简称"] for items in categories.values() for u in items or () if isinstance(u, dict)],
        groups=[g["名称"] for g in units.get("分组") or () if isinstance(g, dict) and "名称" in g],
        leaders=[x["姓名"] for x in leaders.get("区领导") or () if isinstance(x, dict) and "姓名" in x],
    )


def _load(path: Path) -> dict:
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) if path.exists() else None
    except (YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _scalar(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' if _NEEDS_QUOTES.search(text) else text


def category_of(name: str) -> str:
    """A first guess for the office to check (the entry is marked 待核实)."""
    return "乡镇" if name.endswith(_TOWN_ENDINGS) else "区级部门"


_TOWN_ENDINGS = ("镇", "乡", "街道")
# 各乡镇, 各镇, 各街道, 各镇(街道), 各街镇: every town of the kinds it names
_ALL_TOWNS = re.compile(r"^各(?:乡镇|镇|乡|街道|街镇|镇[（(]街道[）)]|镇街|乡镇[（(]街道[）)])$")


def town_members(group: str, units: Iterable[str]) -> list[str]:
    """The towns a draft names elsewhere, as the members of its 各乡镇/各镇(街道) (in the draft's order);
    none for any other group. The office still confirms them (the group stays 待核实)."""
    if not _ALL_TOWNS.match(group):
        return []
    kinds = tuple(k for k in _TOWN_ENDINGS if k in group.replace("街镇", "街道镇").replace("镇街", "镇街道"))
    return [u for u in units if not is_collective(u) and u.endswith(kinds)]


_CONCERNED = re.compile(r"有关|相关|其他")


def group_role(name: str) -> str:
    """有关 for the members concerned (有关, 相关, 其他), 全体 for every member (各镇(街道))."""
    return "有关" if _CONCERNED.search(name) else "全体"


def with_groups(
    text: str,
    names: list[str],
    supporting: Collection[str] = (),
    members: Mapping[str, list[str]] | None = None,
) -> str:
    """Groups appended to units.yaml's 分组 list, 待核实: the office lists (or confirms) their members.
    A group printed only among 配合单位 gets 作用 配合; members: those the draft itself shows (towns)."""
    lines = text.splitlines() if text.strip() else ["单位: {}", "分组: []"]
    if not names:
        return "\n".join(lines) + "\n"  # 分组: [] stays a list (an empty "分组:" would be null)
    members = members or {}
    entries = [
        f"  - {{名称: {_scalar(name)}, 作用: {'配合' if name in supporting else group_role(name)}, "
        + (
            f"成员: [{', '.join(_scalar(m) for m in members[name])}], 待核实: true}}  # 草稿中列出的，请核实是否齐全"
            if members.get(name)
            else "成员: [], 待核实: true}  # 成员待办公室填写"
        )
        for name in names
    ]
    at = next((i for i, line in enumerate(lines) if line.startswith("分组:")), None)
    if at is None:
        lines += ["分组:", *entries]
    elif lines[at].rstrip().endswith("[]"):
        lines[at : at + 1] = ["分组:", *entries]
    else:
        end = next(
            (i for i in range(at + 1, len(lines)) if lines[i] and not lines[i].startswith(" ")), len(lines)
        )
        lines[end:end] = entries
    return "\n".join(lines) + "\n"


def with_units(text: str, names: list[str]) -> str:
    lines = text.splitlines() if text.strip() else ["单位:", "分组: []"]
    if lines and lines[0].rstrip() == "单位: {}":
        lines[0] = "单位:"
    for name in names:
        entry = f"    - {{简称: {_scalar(name)}, 全称: {_scalar(name)}, 待核实: true}}"
        category = category_of(name)
        header = next((i for i, line in enumerate(lines) if line.rstrip() == f"  {category}:"), None)
        if header is None:
            top = next((i for i, line in enumerate(lines) if line.rstrip() == "单位:"), None)
            if top is None:
                lines[:0] = ["单位:"]
                top = 0
            lines[top + 1 : top + 1] = [f"  {category}:", entry]
            continue
        last = header
        for i in range(header + 1, len(lines)):
            if lines[i].strip() and not lines[i].startswith("    "):
                break
            if lines[i].startswith("    - "):
                last = i
        lines.insert(last + 1, entry)
    return "\n".join(lines) + "\n"


def with_leaders(text: str, names: list[str]) -> str:
    lines = text.splitlines() if text.strip() else ["区领导:"]
    last = max((i for i, line in enumerate(lines) if line.startswith("  - ")), default=len(lines) - 1)
    entries = [f'  - {{姓名: {_scalar(n)}, 职务: "", 分管: "", 待核实: true}}' for n in names]
    lines[last + 1 : last + 1] = entries
    return "\n".join(lines) + "\n"
