"""Load plan/: read every YAML file with positions, check all of it, and build the model.

Every problem is reported at once as `plan/<file>:<line>:<col>: <message>`; any problem means no Plan.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import PlanMissing
from ..model import Annex, Plan
from .build import build_annex, build_leaders, build_meta, build_opinion, build_units
from .problems import Location, PlanError, Problem, did_you_mean
from .schema import Checker
from .yamlnodes import Node, read_yaml

PLAN_FILES = ("meta.yaml", "opinion.yaml", "tasks.yaml", "units.yaml", "leaders.yaml")
OPTIONAL_FILES = ("tasks.yaml",)  # a plan without an annex task list has none

__all__ = ["PLAN_FILES", "PlanError", "Problem", "load_plan", "plan_digest", "undecodable"]


def plan_digest(plan_dir: Path) -> str:
    """sha256 over the plan files' names and bytes: the plan's version for manifests and forms."""
    h = hashlib.sha256()
    for name in PLAN_FILES:
        path = plan_dir / name
        h.update(name.encode() + b"\0")
        h.update(path.read_bytes() if path.exists() else b"")
        h.update(b"\0")
    return h.hexdigest()


def _shown(plan_dir: Path, name: str) -> str:
    """How a file is named in messages: plan/<file> relative to the working directory when possible."""
    path = plan_dir / name
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def encoding_problem(shown: str, data: bytes, err: UnicodeDecodeError) -> Problem:
    """A plan file that is not UTF-8: where the first undecodable byte is, and what it looks like."""
    line = data.count(b"\n", 0, err.start) + 1
    col = len(data[data.rfind(b"\n", 0, err.start) + 1 : err.start].decode("utf-8", "replace")) + 1
    try:
        data.decode("gb18030")
        guess = "，看来是 GBK（GB18030）编码"
    except UnicodeDecodeError:
        guess = ""
    return Problem(
        Location(shown, line, col),
        f"文件不是 UTF-8 编码（第一个无法识别的字节 0x{data[err.start]:02X}{guess}）："
        "请在编辑器中以 UTF-8 编码另存后重新运行",
    )


def undecodable(plan_dir: Path | str) -> list[Problem]:
    """The plan files that are not UTF-8, one problem each (for the commands that read plan/ before or
    besides load_plan: lint, import)."""
    found = []
    for name in PLAN_FILES:
        path = Path(plan_dir) / name
        try:
            data = path.read_bytes()
            data.decode("utf-8")
        except FileNotFoundError:
            continue
        except UnicodeDecodeError as err:
            found.append(encoding_problem(_shown(Path(plan_dir), name), data, err))
    return found


def load_plan(plan_dir: Path | str = "plan") -> Plan:
    plan_dir = Path(plan_dir)
    if not plan_dir.is_dir():
        raise PlanMissing(f"找不到计划数据目录 {plan_dir.as_posix().rstrip('/')}/（当前目录 {Path.cwd()}）")
    check = Checker()
    roots: dict[str, Node | None] = {}
    undecodable: list[Problem] = []
    for name in PLAN_FILES:
        shown = _shown(plan_dir, name)
        path = plan_dir / name
        if not path.exists() and name in OPTIONAL_FILES:
            roots[name] = None
            continue
        if not path.exists():
            check.report(Location(shown, 1, 1), f"缺少计划文件 {name}")
            roots[name] = Node({}, Location(shown, 1, 1))
            continue
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            undecodable.append(encoding_problem(shown, path.read_bytes(), err))
            continue
        root, problems = read_yaml(content, shown)
        check.problems.extend(problems)
        roots[name] = root if root is not None else Node({}, Location(shown, 1, 1))
        if root is None:
            roots[name] = None  # unreadable: its own problem is reported; skip its checks
    if undecodable:  # said first and alone: every other check of a file read wrongly would be wrong too
        raise PlanError(undecodable)
    names: list[tuple[str, Location]] = []
    leader_refs: list[tuple[str, Location]] = []
    meta = build_meta(roots["meta.yaml"], check) if roots["meta.yaml"] else None
    preamble, parts = (
        build_opinion(roots["opinion.yaml"], check, names) if roots["opinion.yaml"] else ("", ())
    )
    # with opinion.yaml unreadable its parts are unknown: do not report every 部分 reference as wrong
    known_parts = parts if roots["opinion.yaml"] else None
    has_tasks = (plan_dir / "tasks.yaml").exists()
    annex = (
        build_annex(roots["tasks.yaml"], check, known_parts, names, leader_refs)
        if roots["tasks.yaml"]
        else (None if has_tasks else Annex("", "", ()))
    )
    units, groups = build_units(roots["units.yaml"], check) if roots["units.yaml"] else ((), ())
    leaders = build_leaders(roots["leaders.yaml"], check) if roots["leaders.yaml"] else ()
    if roots["units.yaml"]:
        known = {u.name for u in units} | {g.name for g in groups}
        for name, where in names:
            if not name:
                check.report(where, "责任单位中有空的单位名称（多余的“、”或“，”）")
            elif name not in known:
                check.report(where, f"未知的单位或分组“{name}”{did_you_mean(name, known)}")
    if roots["leaders.yaml"]:
        known_leaders = {leader.name for leader in leaders}
        for name, where in leader_refs:
            if name not in known_leaders:
                check.report(
                    where, f"未知的区领导“{name}”{did_you_mean(name.replace(' ', ''), known_leaders)}"
                )
    opinion_file = _shown(plan_dir, "opinion.yaml")
    opinion_ok = roots["opinion.yaml"] and not any(p.where.file == opinion_file for p in check.problems)
    if opinion_ok and not any(s.measures for p in parts for s in p.sections):
        check.report(
            Location(opinion_file, 1, 1),
            "意见正文中没有任何措施：没有措施就没有分工函和报表（每条措施写“编号”“内容”“责任单位”）",
        )
    if check.problems or meta is None or annex is None:
        if not check.problems:
            check.report(Location(_shown(plan_dir, "meta.yaml"), 1, 1), "计划数据不完整")
        raise PlanError(check.problems)
    return Plan(
        meta=meta,
        preamble=preamble,
        parts=parts,
        annex=annex,
        units=units,
        groups=groups,
        leaders=leaders,
        digest=plan_digest(plan_dir),
        directory=str(plan_dir),
    )
