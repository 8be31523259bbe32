"""The house reads as the pipeline: plan loading → model → views → renderers → output, one direction."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generators"


def _runtime_imports(path: Path) -> set[str]:
    """Modules a file imports when it runs (imports only for type checkers are left out), absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # the file's package, for relative imports (a file outside the project has none)
    package = (
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
        if path.is_relative_to(PACKAGE)
        else ""
    )
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


# The file formats' internals belong to the formats kit (generators/formats/): a renderer says what a
# document holds, the kit how its bytes are written. A renderer imports no zip, XML or python-docx
# module, no writer or style plumbing of openpyxl, nothing of docxtpl but RichText (what a context
# holds), and touches no private member (`x._y`) of anything but itself.
FORMAT_INTERNALS = (
    "zipfile",
    "zlib",
    "struct",
    "lxml",
    "xml",
    "docx",
    "openpyxl.writer",
    "openpyxl.reader",
    "openpyxl.xml",
    "openpyxl.styles.cell_style",
    "openpyxl.utils.indexed_list",
    "docxtpl.template",
    "docxtpl.DocxTemplate",
)
# Private-member use left in renderers until the kit's xlsx helper took it over: none now (the style cache
# and the base font live in generators/formats/xlsx.py).
PENDING_XLSX_HELPER: set[tuple[str, str]] = set()


def _private_members(path: Path) -> set[str]:
    """Attributes starting with one underscore read or set on anything but self or cls."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
    }


def _format_internals(path: Path) -> set[str]:
    return {
        prefix
        for name in _runtime_imports(path)
        for prefix in FORMAT_INTERNALS
        if name == prefix or name.startswith(prefix + ".")
    }


def _renderer_violations(path: Path) -> set[tuple[str, str]]:
    return {(path.name, what) for what in _private_members(path) | _format_internals(path)}


@pytest.mark.parametrize("path", sorted((PACKAGE / "render").glob("*.py")), ids=lambda p: p.name)
def test_renderers_leave_file_format_internals_to_the_kit(path):
    assert _renderer_violations(path) <= PENDING_XLSX_HELPER


def test_pending_list_names_only_what_is_still_there():
    found = set().union(*(_renderer_violations(p) for p in (PACKAGE / "render").glob("*.py")))
    assert PENDING_XLSX_HELPER - found == set(), (
        "gone from the renderers: delete these from PENDING_XLSX_HELPER"
    )


def test_the_rule_sees_what_it_forbids(tmp_path):
    renderer = tmp_path / "render" / "bad.py"
    renderer.parent.mkdir()
    renderer.write_text(
        "import zipfile\nfrom lxml import etree\nfrom docxtpl import DocxTemplate, RichText\n"
        "from openpyxl.writer.excel import ExcelWriter\n"
        "def f(ws, self):\n    self._ok = ws._cells\n",
        encoding="utf-8",
    )
    assert {what for _, what in _renderer_violations(renderer)} == {
        "zipfile",
        "lxml",
        "docxtpl.DocxTemplate",
        "openpyxl.writer",
        "_cells",
    }


# The kit knows file formats, not the house above it: it imports nothing from renderers, views, commands,
# plan loading, collect, ledger or the pipeline.
ABOVE_THE_KIT = (
    "generators.render",
    "generators.views",
    "generators.context",
    "generators.pipeline",
    "generators.commands",
    "generators.cli",
    "generators.plan",
    "generators.diff",
    "generators.importer",
    "generators.collect",
    "generators.ledger",
    "generators.pdf",
    "generators.conform",
)


@pytest.mark.parametrize("path", sorted((PACKAGE / "formats").glob("*.py")), ids=lambda p: p.name)
def test_the_formats_kit_depends_on_nothing_above_it(path):
    assert {
        name for name in _project(_runtime_imports(path)) for above in ABOVE_THE_KIT if name.startswith(above)
    } == set()


# One application layer under two faces: the engines (plan loading, views, renderers, collect, ledger, pdf,
# conform …) know no face and no application layer; the application layer (generators/app/) knows no
# face: the command line (cli, commands) and the web workbench (web) only parse input and format output.
FACES = ("generators.cli", "generators.commands", "generators.web", "click", "starlette", "uvicorn", "jinja2")
ENGINE_FILES = sorted(
    path
    for path in PACKAGE.rglob("*.py")
    if path.relative_to(PACKAGE).parts[0]
    not in ("app", "commands", "web", "cli.py", "__main__.py", "launch.py", "click_zh.py")
)


def _reaches(path: Path, prefixes: tuple[str, ...]) -> set[str]:
    return {
        name
        for name in _runtime_imports(path)
        for prefix in prefixes
        if name == prefix or name.startswith(prefix + ".")
    }


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_engines_know_no_face_and_no_application_layer(path):
    faces = tuple(face for face in FACES if face != "jinja2")  # the .docx templates are Jinja (docxtpl)
    assert _reaches(path, (*faces, "generators.app")) == set()


@pytest.mark.parametrize("path", sorted((PACKAGE / "app").glob("*.py")), ids=lambda p: p.name)
def test_the_application_layer_knows_no_face(path):
    assert _reaches(path, FACES) == set()


def test_the_face_rule_sees_what_it_forbids(tmp_path):
    engine = tmp_path / "engine.py"
    engine.write_text("import click\nfrom generators.commands.common import Command\n", encoding="utf-8")
    assert _reaches(engine, FACES) == {
        "click",
        "generators.commands.common",
        "generators.commands.common.Command",
    }


# Each document has its renderer in one place (generators/render/, one module per artifact): the engines
# (collect/, ledger/) compute what a document says (tallies, chases, year-end figures) and borrow no piece
# of the letters' renderer; the 通报, 退回通知, 督办单 and year summary are rendered in render/ alone, and the
# collect package's one assembly point (summary_artifacts in collect/__init__.py) is the only engine
# module that calls them.
LETTER_PIECES = ("generators.render.letters", "generators.render.letter_parts")
DOCUMENT_RENDERERS = (
    "generators.render.summary_report",
    "generators.render.return_notice",
    "generators.render.supervision",
    "generators.render.year_summary",
)
DATA_ENGINE_FILES = sorted([*(PACKAGE / "collect").glob("*.py"), *(PACKAGE / "ledger").glob("*.py")])
ASSEMBLY = PACKAGE / "collect" / "__init__.py"


def _borrowed(path: Path) -> set[str]:
    """What an engine module takes from a document's renderer."""
    renderers = DOCUMENT_RENDERERS if path != ASSEMBLY else ()
    return _reaches(path, (*LETTER_PIECES, *renderers))


@pytest.mark.parametrize("path", DATA_ENGINE_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_engines_compute_data_and_render_no_document(path):
    assert _borrowed(path) == set()


def test_the_renderer_rule_sees_what_it_forbids(tmp_path):
    engine = tmp_path / "supervision.py"
    engine.write_text(
        "from generators.render.letters import date_indent\n"
        "from generators.render import letter_parts\n"
        "from generators.render.supervision import render\n",
        encoding="utf-8",
    )
    assert _borrowed(engine) == {
        "generators.render.letters",
        "generators.render.letters.date_indent",
        "generators.render.letter_parts",
        "generators.render.supervision",
        "generators.render.supervision.render",
    }


# What `plandocs --help` and `plandocs check` load before they do anything: the CLI and its commands'
# modules, not the document stacks (each command imports its own in its body, from generators/app/).
HEAVY_STACKS = ("docx", "docxtpl", "openpyxl", "pdfplumber", "pypdf", "starlette", "generators.pipeline")


def _loaded_by(statement: str) -> set[str]:
    import subprocess
    import sys

    probe = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=PACKAGE.parent
    )
    return set(run.stdout.split())


def test_the_cli_starts_without_the_document_stacks():
    loaded = _loaded_by("import generators.cli")
    assert "generators.commands.build" in loaded  # the probe sees what the CLI imports
    assert sorted(m for m in HEAVY_STACKS if m in loaded) == []


def test_the_startup_probe_sees_a_stack_that_is_loaded():
    assert {"openpyxl", "docx"} <= _loaded_by("import generators.cli, generators.render.forms")
