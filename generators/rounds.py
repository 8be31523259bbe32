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
from .plan import PLAN_FILES, load_plan

ROUNDS_DIR = "稿次"
_NAME = re.compile(r"^[^\s/\\:*?\"<>|.\-][^\s/\\:*?\"<>|]{0,39}$")


class RoundError(UserError):
    exit_code = BAD_INPUT


def rounds_dir(plan_dir: Path) -> Path:
    return plan_dir.resolve().parent / ROUNDS_DIR


def round_dir(name: str, plan_dir: Path) -> Path | None:
    """The folder of the round so named, when it exists."""
    if not _NAME.match(name):
        return None
    folder = rounds_dir(plan_dir) / name
    return folder if (folder / "meta.yaml").is_file() else None


def store_round(name: str, plan_dir: Path) -> Path:
    """Copies plan/'s files to 稿次/<name>/; the plan must load (a round is compared with later)."""
    if not _NAME.match(name):
        raise RoundError(f"稿次名称“{name}”不可用：请用不含空格、斜杠、冒号等符号的名称，如“第2稿”")
    load_plan(plan_dir)  # PlanError: an unusable plan is not stored
    target = rounds_dir(plan_dir) / name
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
