"""The house reads as the pipeline: plan loading → model → views → renderers → output, one direction."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generators"


def _runtime_imports(path: Path) -> set[str]:
    """Modules a file imports when it runs (imports only for type checkers are left out), absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    type_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for child in block.body
        for node in ast.walk(child)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _project(imports: set[str]) -> set[str]:
    return {name for name in imports if name == "generators" or name.startswith("generators.")}


FORBIDDEN_IN_RENDERERS = (
    "generators.plan",
    "generators.diff",
    "generators.cli",
    "generators.commands",
    "generators.pipeline",
    "generators.importer",
    "generators.collect",
    "subprocess",
)


@pytest.mark.parametrize("path", sorted((PACKAGE / "render").glob("*.py")), ids=lambda p: p.name)
def test_renderers_do_not_load_plans_run_git_or_diff(path):
    imports = _runtime_imports(path)
    bad = {
        name
        for name in imports
        for prefix in FORBIDDEN_IN_RENDERERS
        if name == prefix or name.startswith(prefix + ".")
    }
    assert bad == set()


def test_model_imports_nothing_from_the_project():
    assert _project(_runtime_imports(PACKAGE / "model.py")) == set()


def test_views_import_only_the_model():
    assert {
        name.rsplit(".", 1)[0] if name.count(".") > 1 else name
        for name in _project(_runtime_imports(PACKAGE / "views.py"))
    } <= {"generators.model"}
