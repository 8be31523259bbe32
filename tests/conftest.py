"""Shared fixtures: the real plan, its views, and a copy of plan/ that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generators.plan import load_plan
from generators.views import Views

ROOT = Path(__file__).resolve().parent.parent
PLAN_DIR = ROOT / "plan"
TEMPLATES_DIR = ROOT / "templates"
SEED = Path(__file__).resolve().parent / "fixtures" / "seed.txt"


@pytest.fixture(scope="session")
def plan():
    return load_plan(PLAN_DIR)


@pytest.fixture(scope="session")
def views(plan):
    return Views(plan)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def plan_copy(tmp_path) -> Path:
    """A private copy of plan/ to edit."""
    target = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, target)
    return target
