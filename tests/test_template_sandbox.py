"""Templates cannot run code: a template is a Word file that may come from anywhere, so its markup is
rendered in Jinja's sandbox. An attribute walk to os or builtins fails the build with one line naming the
template and the expression; nothing runs, nothing in output/ or plan/ changes."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import PLAN_DIR, TEMPLATES_DIR
from docx import Document
from promises import plandocs, tree

ATTACKS = [
    "{{ lipsum.__globals__['os'].popen('touch PWNED').read() }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ self._TemplateReference__context }}",
    "{{ namespace.__init__.__globals__['__builtins__']['open']('PWNED', 'w') }}",
]


@pytest.fixture
def project(tmp_path, monkeypatch):
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    shutil.copytree(TEMPLATES_DIR, tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_template_that_reaches_for_the_os_fails_the_build_and_runs_nothing(project, attack):
    template = project / "templates" / "letter.docx"
    document = Document(str(template))
    document.add_paragraph(attack)
    document.save(str(template))
    assert plandocs("build", "--out", "output").exit_code == 1  # (a first build with the bad template)
    before = tree(project)

    result = plandocs("build", "--out", "output", "--plan", "plan", "--templates", "templates")

    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if not line.startswith("plan/")]
    assert len(lines) == 1, result.output
    line = lines[0]
    assert "letter.docx" in line and "不安全" in line and "已拒绝" in line, line
    assert attack.split("(")[0][:20] in line, line  # the expression itself, as the template has it
    assert "Traceback" not in result.output and "access to attribute" not in line
    assert not (project / "PWNED").exists()
    assert tree(project) == before


def test_the_environment_is_sandboxed_strict_and_escaping():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from generators.render.docx import ENV

    assert isinstance(ENV, SandboxedEnvironment)
    assert ENV.undefined is StrictUndefined and ENV.autoescape is True


def test_a_template_that_asks_for_a_huge_range_is_one_line(project):
    template = project / "templates" / "letter.docx"
    document = Document(str(template))
    document.add_paragraph("{{ range(10**9)|list|length }}")
    document.save(str(template))
    result = plandocs("build", "--out", "output", "--plan", "plan", "--templates", "templates")
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if not line.startswith("plan/")]
    assert len(lines) == 1 and "letter.docx" in lines[0] and "范围过大" in lines[0], result.output
    assert not (project / "output" / "letters").exists()


HUGE = [
    "{{ 'a'*10**9 }}",
    "{{ 'x' * 999999999 }}",
    "{{ [1]*10**9 }}",
    "{{ '%2000000000s' % 'a' }}",
    "{{ 'a'|center(10**9) }}",
    "{{ 'a'.ljust(10**9) }}",
    "{{ '{:>1000000000}'.format('a') }}",
    "{% set ns = namespace(s='a') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% macro d(s, n) %}{{ d(s ~ s, n - 1) if n else s }}{% endmacro %}{{ d('a', 40) }}",
    "{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}",
    "{% macro m() %}{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}{% endmacro %}{{ m() }}",
]


def _limited() -> None:
    """The build's memory limited to 1.5 GB (a whole build needs some 100 MB): a template that builds a
    gigabyte fails the test, it cannot eat the machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024**2, 1536 * 1024**2))


@pytest.mark.parametrize("expression", HUGE)
def test_a_template_that_builds_a_huge_string_is_one_line_naming_it(project, expression):
    import subprocess
    import sys

    template = project / "templates" / "letter.docx"
    document = Document(str(template))
    document.add_paragraph(expression)
    document.save(str(template))
    before = tree(project)
    result = subprocess.run(
        [sys.executable, "-m", "generators", "build", "--out", "output"],
        cwd=project,
        preexec_fn=_limited,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith(("plan/", "校对提示"))]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert "letter.docx" in line and "已拒绝" in line, line
    assert "过长（沙箱上限 1000000 个字符或项）" in line or "过长（沙箱上限 50000000 个字符或项）" in line, (
        line
    )
    pieces = re.findall(r"\{[{%].*?[}%]\}", expression)
    assert any(f"“{piece}”" in line for piece in pieces), line  # its markup, as the template has it
    assert "内存不足" not in line and "Error" not in result.stderr
    assert tree(project) == before


def test_templates_still_multiply_format_and_pad_within_the_bound():
    from generators.render.docx import ENV

    text = "{{ 3*4 }} {{ 'ab'*3 }} {{ 2**10 }} {{ '%05d' % 42 }} [{{ 'x'|center(5) }}] {{ '%d'|format(5000000000) }}"
    assert ENV.from_string(text).render() == "12 ababab 1024 00042 [  x  ] 5000000000"
    assert len(ENV.from_string("{{ 'a' * 1000000 }}").render()) == 1_000_000
