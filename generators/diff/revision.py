"""The two sides of a diff: a plan directory, or a git revision of the plan directory."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from ..model import Plan
from ..plan import PLAN_FILES, PlanError, load_plan
from ..plan.problems import Location, Problem
from ..rounds import round_dir, stored_rounds


class RevisionError(Exception):
    """The argument is neither a plan directory nor a git revision that has one."""


def load_side(spec: str | None, plan_dir: Path) -> tuple[Plan, str]:
    """(plan, label): spec names a directory, a named round (稿次/第1稿), a git revision of plan_dir, or
    (None) plan_dir itself."""
    if spec is None:
        return load_plan(plan_dir), str(plan_dir)
    if Path(spec).is_dir():
        return load_plan(Path(spec)), spec
    stored = round_dir(spec, plan_dir)
    if stored is not None:
        return load_plan(stored), spec
    return load_revision(spec, plan_dir), f"{spec}:{plan_dir.name}"


def _git(plan_dir: Path, *args: str) -> subprocess.CompletedProcess:
    # plan_dir may be gone from the working tree while still in history: run git from its nearest parent
    where = next((p for p in (plan_dir, *plan_dir.resolve().parents) if p.is_dir()), Path.cwd())
    return subprocess.run(["git", "-C", str(where), *args], capture_output=True, check=False)


def load_revision(revision: str, plan_dir: Path) -> Plan:
    """Write the plan files as they were at revision into a temporary directory and load them there."""
    if revision.startswith("-"):
        raise RevisionError(f"“{revision}”不是计划目录，也不是 git 版本")
    top = _git(plan_dir, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise RevisionError(
            f"“{revision}”不是计划目录，也不是存下的稿次{_rounds_hint(plan_dir)}；{plan_dir} 也不在 git 仓库中，无法按版本比较"
        )
    commit = _git(plan_dir, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if commit.returncode != 0:
        raise RevisionError(
            f"“{revision}”不是计划目录，也不是 git 仓库中的版本（提交）或存下的稿次{_rounds_hint(plan_dir)}"
        )
    inside = plan_dir.resolve().relative_to(Path(top.stdout.decode().strip()).resolve()).as_posix()
    with tempfile.TemporaryDirectory(prefix="plandocs-rev-") as tmp:
        found = 0
        for name in PLAN_FILES:
            path = name if inside == "." else f"{inside}/{name}"
            shown = _git(plan_dir, "show", f"{commit.stdout.decode().strip()}:{path}")
            if shown.returncode == 0:
                (Path(tmp) / name).write_bytes(shown.stdout)
                found += 1
        if not found:
            raise RevisionError(f"版本“{revision}”中没有计划目录 {inside}/")
        try:
            return load_plan(Path(tmp))
        except PlanError as err:  # name the files as revision:path, not the temporary copy
            raise PlanError(
                [
                    Problem(
                        Location(f"{revision}:{inside}/{Path(p.where.file).name}", p.where.line, p.where.col),
                        p.message,
                    )
                    for p in err.problems
                ]
            ) from err


def _rounds_hint(plan_dir: Path) -> str:
    names = stored_rounds(plan_dir)
    return f"（已存下的稿次：{'、'.join(names)}）" if names else "（用 plandocs 存稿 第1稿 存下当前计划）"


BASE_KEY = "比较基准"


def load_base(plan: Plan) -> Plan:
    """The plan as it was at plan/meta's 比较基准; a base that cannot be used is a problem of meta.yaml."""
    revision = plan.meta.base_revision
    try:
        return load_side(revision, Path(plan.directory))[0]
    except RevisionError as err:
        raise PlanError([Problem(_base_location(plan), f"{BASE_KEY}无法使用：{err}")]) from err
    except PlanError as err:
        where = _base_location(plan)
        raise PlanError(
            [Problem(where, f"{BASE_KEY}“{revision}”的计划数据有问题：{p}") for p in err.problems]
        ) from err


def _base_location(plan: Plan) -> Location:
    """Where 比较基准 is written in meta.yaml (line 1 when it cannot be found)."""
    meta = Path(plan.directory) / "meta.yaml"
    try:
        lines = meta.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    line = next((n for n, text in enumerate(lines, 1) if text.startswith(f"{BASE_KEY}:")), 1)
    return Location(str(meta), line, 1)
