"""The registry an import resolves names against, and --add-units: appending unknown names to it.

New entries are appended as text lines, so units.yaml and leaders.yaml keep their hand-made layout; each
is marked 待核实 for the office to complete (category, full name, title).
"""

from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .context import Registry

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
    return "乡镇" if name.endswith(("镇", "乡")) else "区级部门"


# A collective phrase names many units at once (各镇(街道), 各有关部门, 区其他相关部门, 市安委会有关成员单位及
# 有关产业园区): it becomes a group whose members the office fills in, never an addressee of its own.
_COLLECTIVE = re.compile(r"^各|有关|相关|其他|成员单位|各成员|各专委会|牵头部门$")
_CONCERNED = re.compile(r"有关|相关|其他")


def is_collective(name: str) -> bool:
    return bool(_COLLECTIVE.search(name))


def group_role(name: str) -> str:
    """有关 for the members concerned (有关, 相关, 其他), 全体 for every member (各镇(街道))."""
    return "有关" if _CONCERNED.search(name) else "全体"


def with_groups(text: str, names: list[str]) -> str:
    """Groups appended to units.yaml's 分组 list, empty and 待核实: the office lists their members."""
    lines = text.splitlines() if text.strip() else ["单位: {}", "分组: []"]
    if not names:
        return "\n".join(lines) + "\n"  # 分组: [] stays a list (an empty "分组:" would be null)
    entries = [
        f"  - {{名称: {_scalar(name)}, 作用: {group_role(name)}, 成员: [], 待核实: true}}  # 成员待办公室填写"
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
