"""The roster (名册): units (简称, 全称, 类别), groups and their members, leaders, as rows a table or a
workbook edits; saved into plan/units.yaml and plan/leaders.yaml through a validated temporary copy of
plan/ (as import does), so a roster the plan cannot load changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generators.errors import PlanMissing
from generators.model import Category
from generators.output import atomic_write
from generators.plan import PlanError, load_plan

from .common import Refused

ASSUMED = "待核实"


@dataclass(frozen=True)
class UnitRow:
    name: str  # 简称
    full_name: str  # 全称
    category: str  # 类别
    assumed: bool = False


@dataclass(frozen=True)
class GroupRow:
    name: str  # 名称
    role: str  # 作用: 全体 / 有关 / 配合
    members: tuple[str, ...] = ()  # 成员 (empty when same_as names another group)
    same_as: str = ""  # 成员同
    assumed: bool = False


@dataclass(frozen=True)
class LeaderRow:
    name: str  # 姓名
    title: str  # 职务
    portfolio: str  # 分管
    assumed: bool = False


@dataclass(frozen=True)
class Roster:
    units: tuple[UnitRow, ...]
    groups: tuple[GroupRow, ...]
    leaders: tuple[LeaderRow, ...]

    @property
    def open_items(self) -> list[str]:
        """The 待核实 checklist: every row still marked."""
        return (
            [f"单位 {u.name}（{u.full_name}）" for u in self.units if u.assumed]
            + [f"分组 {g.name}" for g in self.groups if g.assumed]
            + [
                f"区领导 {leader.name}（{leader.title}，分管{leader.portfolio}）"
                for leader in self.leaders
                if leader.assumed
            ]
        )


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # a long member list stays on one line rather than being re-wrapped mid-list
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def load_yaml(path: Path) -> CommentedMap:
    try:
        data = _yaml().load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:  # not a file the loader would refuse: one that is not there
        if not path.parent.is_dir():
            raise PlanMissing(
                f"找不到计划数据目录 {path.parent}/：请先建立计划（plandocs new 或工作台的“草稿”页）"
            ) from err
        raise Refused(f"{path}：文件不存在，请先运行 plandocs check 查看问题") from err
    except Exception as err:  # a file the loader would refuse: check/build say where
        raise Refused(f"{path}：无法读取（编码或 YAML 格式有误），请先运行 plandocs check 查看问题") from err
    if not isinstance(data, CommentedMap):
        raise Refused(f"{path}：不是名册格式，请先运行 plandocs check 查看问题")
    return data


def _text(value: object) -> str:
    return "" if value is None else str(value)


def read_roster(plan_dir: Path) -> Roster:
    """The roster of units.yaml and leaders.yaml (kept while neither file changes: app/memo.py)."""
    from generators.app.memo import kept

    files = (plan_dir / "units.yaml", plan_dir / "leaders.yaml")
    return kept(f"roster {plan_dir}", files, lambda: _read_roster(plan_dir))


def _read_roster(plan_dir: Path) -> Roster:
    units_doc = load_yaml(plan_dir / "units.yaml")
    leaders_doc = load_yaml(plan_dir / "leaders.yaml")
    units = tuple(
        UnitRow(_text(u.get("简称")), _text(u.get("全称")), _text(category), bool(u.get(ASSUMED, False)))
        for category, items in (units_doc.get("单位") or {}).items()
        for u in items or ()
    )
    groups = tuple(
        GroupRow(
            _text(g.get("名称")),
            _text(g.get("作用")),
            tuple(_text(m) for m in g.get("成员") or ()),
            _text(g.get("成员同")),
            bool(g.get(ASSUMED, False)),
        )
        for g in units_doc.get("分组") or ()
    )
    leaders = tuple(
        LeaderRow(
            _text(x.get("姓名")), _text(x.get("职务")), _text(x.get("分管")), bool(x.get(ASSUMED, False))
        )
        for x in leaders_doc.get("区领导") or ()
    )
    return Roster(units, groups, leaders)


def _flow(mapping: dict) -> CommentedMap:
    node = CommentedMap(mapping)
    node.fa.set_flow_style()
    return node


def _flow_list(items: tuple[str, ...]) -> CommentedSeq:
    node = CommentedSeq(items)
    node.fa.set_flow_style()
    return node


def _set(node: CommentedMap, key: str, value: object) -> None:
    """Set a field only when it changes (an untouched node keeps its layout and comments)."""
    if node.get(key) != value:
        node[key] = value


def _flag(node: CommentedMap, assumed: bool) -> None:
    if assumed:
        _set(node, ASSUMED, True)
    elif ASSUMED in node:
        del node[ASSUMED]


def _apply_units(doc: CommentedMap, roster: Roster) -> None:
    old = {
        _text(u.get("简称")): u
        for items in (doc.get("单位") or {}).values()
        for u in items or ()
        if hasattr(u, "get")
    }
    categories = CommentedMap()
    known = [c.value for c in Category]
    for category in known + [c for c in dict.fromkeys(u.category for u in roster.units) if c not in known]:
        rows = [u for u in roster.units if u.category == category]
        existing = (doc.get("单位") or {}).get(category)
        if not rows and existing is None:
            continue
        seq = CommentedSeq()
        for row in rows:
            node = old.get(row.name) or _flow({"简称": row.name})
            _set(node, "简称", row.name)
            _set(node, "全称", row.full_name)
            _flag(node, row.assumed)
            seq.append(node)
        categories[category] = seq
    units = doc.get("单位")
    if isinstance(units, CommentedMap):
        for key in list(units):
            if key not in categories:
                del units[key]
        for key, seq in categories.items():
            if key in units and list(units[key] or ()) == list(seq):
                continue
            units[key] = seq
    else:
        doc["单位"] = categories
    old_groups = {_text(g.get("名称")): g for g in doc.get("分组") or ()}
    groups = CommentedSeq()
    for group in roster.groups:
        node = old_groups.get(group.name) or _flow({"名称": group.name})
        _set(node, "名称", group.name)
        _set(node, "作用", group.role)
        if group.same_as:
            _set(node, "成员同", group.same_as)
            node.pop("成员", None)
        else:
            if [_text(m) for m in node.get("成员") or ()] != list(group.members) or "成员" not in node:
                node["成员"] = _flow_list(group.members)
            node.pop("成员同", None)
        _flag(node, group.assumed)
        groups.append(node)
    if list(doc.get("分组") or ()) != list(groups):
        doc["分组"] = groups


def _apply_leaders(doc: CommentedMap, roster: Roster) -> None:
    old = {_text(x.get("姓名")): x for x in doc.get("区领导") or ()}
    seq = CommentedSeq()
    for leader in roster.leaders:
        node = old.get(leader.name) or _flow({"姓名": leader.name})
        _set(node, "职务", leader.title)
        _set(node, "分管", leader.portfolio)
        _flag(node, leader.assumed)
        seq.append(node)
    if list(doc.get("区领导") or ()) != list(seq):
        doc["区领导"] = seq


def dump_yaml(doc: CommentedMap) -> bytes:
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue().encode("utf-8")


@dataclass
class RosterOutcome:
    written: list[str] = field(default_factory=list)  # plan files changed
    problems: list[str] = field(default_factory=list)  # why the roster was refused (nothing written)


def save_roster(plan_dir: Path, roster: Roster) -> RosterOutcome:
    """Write the roster into units.yaml and leaders.yaml when the plan loads with it; else write nothing
    and return every problem (at units.yaml:line:col)."""
    if roster == read_roster(plan_dir):
        return RosterOutcome()
    units_doc, leaders_doc = load_yaml(plan_dir / "units.yaml"), load_yaml(plan_dir / "leaders.yaml")
    _apply_units(units_doc, roster)
    _apply_leaders(leaders_doc, roster)
    return validated_write(
        plan_dir, {"units.yaml": dump_yaml(units_doc), "leaders.yaml": dump_yaml(leaders_doc)}
    )


def validated_write(plan_dir: Path, new: dict[str, bytes]) -> RosterOutcome:
    """Write these plan files when the plan loads with them (tried in a temporary copy of plan/); else
    write nothing and return every problem, located in plan/."""
    changed = {name: data for name, data in new.items() if (plan_dir / name).read_bytes() != data}
    if not changed:
        return RosterOutcome()
    with tempfile.TemporaryDirectory(prefix="plandocs-roster-") as tmp:
        trial = Path(tmp) / plan_dir.name
        shutil.copytree(plan_dir, trial, ignore=shutil.ignore_patterns(".git"))
        for name, data in changed.items():
            (trial / name).write_bytes(data)
        try:
            load_plan(trial)
        except PlanError as err:
            return RosterOutcome(problems=[str(p).replace(str(trial), str(plan_dir)) for p in err.problems])
    for name, data in changed.items():
        atomic_write(plan_dir / name, data)
    return RosterOutcome(written=[str(plan_dir / name) for name in changed])


# --- the roster as a workbook: the same columns, round-tripping exactly ---

SHEETS = {
    "单位": ("简称", "全称", "类别", ASSUMED),
    "分组": ("名称", "作用", "成员", "成员同", ASSUMED),
    "区领导": ("姓名", "职务", "分管", ASSUMED),
}
SEPARATOR = "、"


def roster_xlsx(roster: Roster) -> bytes:
    from openpyxl import Workbook

    from generators.formats.xlsx import set_properties
    from generators.formats.xlsx_bytes import workbook_bytes

    wb = Workbook()
    sheets = []
    for i, (title, header) in enumerate(SHEETS.items()):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = title
        ws.append(list(header))
        sheets.append(ws)
    mark = lambda flag: ASSUMED if flag else ""  # noqa: E731
    for u in roster.units:
        sheets[0].append([u.name, u.full_name, u.category, mark(u.assumed)])
    for g in roster.groups:
        sheets[1].append([g.name, g.role, SEPARATOR.join(g.members), g.same_as, mark(g.assumed)])
    for x in roster.leaders:
        sheets[2].append([x.name, x.title, x.portfolio, mark(x.assumed)])
    for ws in sheets:
        for col, width in zip("ABCDE", (18, 36, 60, 20, 8), strict=False):
            ws.column_dimensions[col].width = width
        for row in ws.iter_rows():
            for cell in row:
                cell.data_type = "s" if cell.value is not None else cell.data_type
    set_properties(wb, title="名册", author="plandocs", when=dt.datetime(2000, 1, 1))  # same rows, same bytes
    return workbook_bytes(wb)


def roster_from_xlsx(data: bytes, source: str = "名册.xlsx") -> Roster:
    """Rows read back from a roster workbook (Refused, with the sheet and row, when it is not one)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:
        raise Refused(f"{source}：不是可读取的 .xlsx 名册（文件损坏或不是 .xlsx 格式）") from err
    rows: dict[str, list[tuple[str, ...]]] = {}
    for title, header in SHEETS.items():
        if title not in wb.sheetnames:
            raise Refused(f"{source}：缺少工作表“{title}”（名册应有 {'、'.join(SHEETS)} 三张表）")
        found = [tuple(_text(v).strip() for v in row) for row in wb[title].iter_rows(values_only=True)]
        if not found or found[0][: len(header)] != header:
            raise Refused(f"{source}：工作表“{title}”第 1 行应为 {'、'.join(header)}")
        rows[title] = [r[: len(header)] + ("",) * (len(header) - len(r)) for r in found[1:] if any(r)]
    flag = lambda text: text == ASSUMED  # noqa: E731
    return Roster(
        tuple(UnitRow(r[0], r[1], r[2], flag(r[3])) for r in rows["单位"]),
        tuple(
            GroupRow(r[0], r[1], tuple(m for m in r[2].split(SEPARATOR) if m), r[3], flag(r[4]))
            for r in rows["分组"]
        ),
        tuple(LeaderRow(r[0], r[1], r[2], flag(r[3])) for r in rows["区领导"]),
    )
