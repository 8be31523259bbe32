"""The face a clerk sees: click's own words in Chinese, and every module importable on its own."""

from __future__ import annotations

import ast
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import generators
from generators import click_zh
from generators.cli import main

# English that may stand in a Chinese help text: names of things, not words of click's.
ALLOWED_CAPITALS = {"PDF", "JSON", "HEAD", "GB", "DOCX", "XLSX"}
CLICK_WORDS = re.compile(
    r"Usage|Options|Commands|Error|Missing|Invalid|No such|default:|required|Show this|Try '|Did you mean"
)


def _commands(group: click.Group) -> list[list[str]]:
    return [[]] + [[name] for name in sorted(group.commands)]


def _english(text: str) -> list[str]:
    capitals = [w for w in re.findall(r"\b[A-Z]{3,}\b", text) if w not in ALLOWED_CAPITALS]
    return capitals + CLICK_WORDS.findall(text)


@pytest.mark.parametrize("args", _commands(main), ids=lambda a: " ".join(a) or "plandocs")
def test_help_is_chinese(args):
    result = CliRunner().invoke(main, [*args, "--help"], prog_name="plandocs")
    assert result.exit_code == 0, result.output
    assert "用法：" in result.output and "选项" in result.output
    assert _english(result.output) == []


@pytest.mark.parametrize(
    "args",
    [
        ["bild"],  # no such command, with a did-you-mean
        ["collect"],  # missing option and argument
        ["collect", "--quarter", "13", "x"],  # out of range (of every 报送周期: 12 months at most)
        ["build", "--nope"],  # no such option
        ["check", "extra"],  # unexpected extra argument
        ["build", "--plan"],  # option without its value
        [],  # a group called without a command prints its usage
    ],
    ids=lambda a: " ".join(a) or "plandocs",
)
def test_usage_errors_are_chinese(args):
    result = CliRunner().invoke(main, args, prog_name="plandocs")
    assert result.exit_code == 2
    assert _english(result.output) == [], result.output
    if args:
        assert "错误：" in result.output


def _click_messages() -> set[str]:
    """Every literal click passes to `_()` in the modules that speak through a command line."""
    found = set()
    for name in click_zh.CLICK_MODULES:
        source = Path(sys.modules[f"click.{name}"].__file__).read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args:
                argument = node.args[0]
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found.add(argument.value)
    return found


# Messages about mistakes in our own click declarations (raised while the program is written, never in
# front of a clerk) and click's repr of a Choice.
FOR_DEVELOPERS = {
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Choice({choices})",
    "Could not determine name for option with declarations {decls!r}",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}",
    "Name '{name}' defined twice",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? Did you"
    " mean to pass '--{name}'?",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
}


def test_every_click_message_is_translated():
    # Drift guard: a click upgrade that adds or rewords a message fails here, not in front of a clerk.
    assert _click_messages() - set(click_zh.MESSAGES) - FOR_DEVELOPERS == set()


def test_plural_messages_exist_in_click():
    sources = "".join(
        Path(sys.modules[f"click.{name}"].__file__).read_text(encoding="utf-8")
        for name in click_zh.CLICK_MODULES
    )
    for singular, plural in click_zh.PLURAL_MESSAGES:
        assert singular in sources and plural in sources


def _modules() -> list[str]:
    names = ["generators"]
    for info in pkgutil.walk_packages(generators.__path__, "generators."):
        names.append(info.name)
    return sorted(names)


def test_every_module_imports_on_its_own():
    # One interpreter per module: an import cycle shows only when a module is imported first.
    failures = {}
    for name in _modules():
        if name in ("generators.__main__", "generators.pdf.uno_convert"):
            continue  # uno_convert: a script for the system python, which has LibreOffice's uno
        done = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True)
        if done.returncode != 0:
            failures[name] = done.stderr.strip().splitlines()[-1]
    assert failures == {}


def test_cli_module_runs_on_its_own():
    done = subprocess.run([sys.executable, "-m", "generators.cli", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "用法：" in done.stdout
