"""Named draft rounds (稿次): the plan as it stood at 第1稿, 第2稿 … kept beside plan/ as plain files,
稿次/<名称>/*.yaml, so that meta.yaml's 比较基准 can name a round instead of a git revision.

A round is written once, as a transaction (a hidden staging folder renamed into place), and never changed
or deleted by plandocs.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from .errors import BAD_INPUT, UserError
from .filenames import name_problem, shown
from .plan import PLAN_FILES, load_plan

ROUNDS_DIR = "稿次"
_NAME = re.compile(r"^[^\s/\\:*?\"<>|.\-][^\s/\\:*?\"<>|]{0,39}$")


class RoundError(UserError):
    exit_code = BAD_INPUT


def rounds_dir(plan_dir: Path) -> Path:
    return plan_dir.resolve().parent / ROUNDS_DIR


def _not_linked(*folders: Path) -> None:
    """稿次/ and its rounds are plain folders beside plan/: a link would store a round elsewhere, or read a
    round (and compare against it) from anywhere."""
    for folder in folders:
        if folder.is_symlink():
            raise RoundError(
                f"{folder}：是指向别处的链接，稿次只存放在 plan/ 旁的 稿次/ 中；请删去该链接后重新运行"
            )


def round_dir(name: str, plan_dir: Path) -> Path | None:
    """The folder of the round so named, when it exists."""
    if not _usable(name):
        return None
    folder = rounds_dir(plan_dir) / name
    _not_linked(folder.parent, folder)
    return folder if (folder / "meta.yaml").is_file() else None


def _usable(name: str) -> bool:
    """A folder name without separators, dots in front, control or invisible characters (a NUL, a \x01 or
    a zero-width joiner would make a round that looks like another or cannot be made at all), no CON or NUL."""
    return bool(_NAME.match(name)) and name.isprintable() and name_problem(name) is None


def store_round(name: str, plan_dir: Path) -> Path:
    """Copies plan/'s files to 稿次/<name>/; the plan must load (a round is compared with later)."""
    if not _usable(name):
        raise RoundError(
            f"稿次名称“{shown(name, 50)}”不可用：请用不含空格、斜杠、冒号等符号、不超过 40 个字的名称，如“第2稿”"
        )
    load_plan(plan_dir)  # PlanError: an unusable plan is not stored
    target = rounds_dir(plan_dir) / name
    _not_linked(target.parent)
    if target.exists():
        raise RoundError(f"{target}：稿次“{name}”已存下，稿次存下后不再改动；请换一个名称（如“第3稿”）")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{name}-"))
    try:
        for file in PLAN_FILES:
            if (plan_dir / file).is_file():
                shutil.copyfile(plan_dir / file, staging / file)
                with open(staging / file, "rb") as handle:
                    os.fsync(handle.fileno())
        os.rename(staging, target)  # fails if another 存稿 made it meanwhile: nothing is overwritten
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # only the staging copy this call made
        raise
    return target


def stored_rounds(plan_dir: Path) -> list[str]:
    folder = rounds_dir(plan_dir)
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if not p.name.startswith(".") and (p / "meta.yaml").is_file()
    )
