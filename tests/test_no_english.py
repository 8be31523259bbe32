"""No English exception text reaches the user (stdout, stderr, web pages, documents): an unexpected failure
is one Chinese line naming where in plandocs it happened; its class and text go only to the workbench's
log (ledger/工作台日志.csv), which the office can send to the maintainers."""

from __future__ import annotations

import re
import shutil
import time

import pytest
from conftest import PLAN_DIR, TEMPLATES_DIR
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from promises import plandocs

ENGLISH = re.compile(r"[A-Za-z]{3,}[ _:'][a-z]{2,}|Error\b|Traceback")  # words of a sentence, a class name


COMMAND = re.compile(r"git checkout --|plandocs [a-z-]+")  # advice naming a command is Chinese text


def english_in(text: str) -> list[str]:
    return [m.group() for m in ENGLISH.finditer(COMMAND.sub("", text))]


@pytest.fixture
def project(tmp_path, monkeypatch):
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    shutil.copytree(TEMPLATES_DIR, tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_unexpected_failure_is_one_chinese_line_naming_where(project, monkeypatch):
    import generators.plan as plan_module

    def broken(*args, **kwargs):
        raise ValueError("invalid literal for int() with base 10: 'secret'")

    monkeypatch.setattr(plan_module, "build_meta", broken)
    result = plandocs("check", "--plan", "plan")
    assert result.exit_code == 1, result.output
    (line,) = result.output.splitlines()
    assert line.startswith("内部错误（generators/plan/__init__.py:"), line
    assert "ValueError" not in line and "secret" not in line and not english_in(line), line


def test_a_failed_workbench_job_logs_the_detail_and_shows_only_chinese():
    from generators.web.jobs import Jobs

    logged: list[tuple[str, str]] = []
    jobs = Jobs(lambda action, result: logged.append((action, result)))

    def work(job):
        raise KeyError("the English words of a library")

    job = jobs.start("build", "生成全部文件", "/files", work)
    for _ in range(200):
        if job.state != "running" and logged:
            break
        time.sleep(0.05)
    assert job.state == "failed"
    assert job.lines and all(not english_in(line) and "KeyError" not in line for line in job.lines), job.lines
    assert job.lines[-1].startswith("内部错误（generators/web/jobs.py:")
    ((action, result),) = logged
    assert action == "生成全部文件" and "KeyError: 'the English words of a library'" in result


def test_a_plan_failure_is_logged_without_a_detail():
    from generators.app.common import Refused, internal_detail

    assert internal_detail(Refused("计划数据有问题")) is None
    assert internal_detail(OSError(28, "No space left on device")) is None
    assert internal_detail(TypeError("unsupported operand")) == "TypeError: unsupported operand"


def test_a_template_naming_a_missing_field_is_one_chinese_line_with_the_expression(project):
    template = project / "templates" / "letter.docx"
    document = Document(str(template))
    document.add_paragraph("{{ letter.no_such_field }}")
    document.save(str(template))
    result = plandocs("build", "--out", "output", "--plan", "plan", "--templates", "templates")
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if not line.startswith("plan/")]
    assert len(lines) == 1, result.output
    line = lines[0]
    assert (
        "letter.docx" in line
        and "“{{ letter.no_such_field }}”" in line
        and "没有的名称“no_such_field”" in line
    )
    assert "has no attribute" not in line and "undefined" not in line, line


# YAML's punctuation, two letters and odd characters: whatever the parser says about them, in Chinese
YAMLISH = st.text(
    st.sampled_from(list(":-{}[],'\"\\ \n\t#&*!|>%?@`ab1") + ["\u3000", "：", "中"]), max_size=40
)


@settings(max_examples=400, deadline=None)
@given(YAMLISH)
def test_every_yaml_syntax_problem_is_said_in_chinese(text):
    from generators.plan.yamlnodes import read_yaml

    _, problems = read_yaml(text, "plan/units.yaml")
    for problem in problems:
        said = problem.message.replace("U+", "")
        assert not english_in(said), (text, problem.message)
        assert not re.search(r"[a-z]{4,}", said), (text, problem.message)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("a: {b: c d: e}\n", "缺少“,”或“}”"),
        ("a: [b, c\n", "缺少“,”或“]”"),
        ("a: b\n- c\n", "缩进不一致"),
        ('a: "\\q"\n', "不认识的“\\”转义"),
        ("a: b: c\n", "此处不能出现“: ”"),
    ],
)
def test_the_common_yaml_slips_are_named(text, said):
    from generators.plan.yamlnodes import read_yaml

    (problem,) = read_yaml(text, "plan/units.yaml")[1]
    assert said in problem.message, problem.message


def test_a_layout_value_that_is_not_a_number_names_it_in_chinese(tmp_path):
    from generators.errors import TemplateBroken
    from generators.layout import load_layout

    layout = tmp_path / "layout.yaml"
    text = (TEMPLATES_DIR / "layout.yaml").read_text(encoding="utf-8")
    assert "  width_mm: 297\n" in text
    layout.write_text(text.replace("  width_mm: 297\n", "  width_mm: 二九七\n", 1), encoding="utf-8")
    with pytest.raises(TemplateBroken) as broken:
        load_layout(layout)
    message = str(broken.value)
    assert "“二九七”不对" in message and not english_in(message.replace(str(layout), "")), message


def test_a_conversion_that_fails_during_conform_leaves_libreoffice_s_log_out(output_copy, monkeypatch):
    from generators.app.common import failure
    from generators.app.conform import conform
    from generators.conform import targets
    from generators.pdf.soffice import ConversionFailed

    def failing(*args, **kwargs):
        raise ConversionFailed(
            "LibreOffice 转换失败（超时），未生成：意见.docx\nError: source file could not be loaded\n"
        )

    for entry in (output_copy / "pdf").rglob("*.pdf"):
        entry.unlink()
    monkeypatch.setattr(targets, "convert_batch", failing)
    monkeypatch.setattr(targets, "find_soffice", lambda: "/usr/bin/soffice")
    with pytest.raises(Exception) as failed:
        conform((), output_copy, TEMPLATES_DIR, output_copy.parent / "plan")
    lines, code = failure(failed.value)
    assert code == 2 and len(lines) == 1, lines
    assert "LibreOffice 转换失败（超时）" in lines[0] and "未做版式检查" in lines[0]
    assert "source file" not in lines[0] and not english_in(lines[0].replace("LibreOffice", "")), lines
