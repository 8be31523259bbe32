"""Every .docx of the build: one strict, autoescaping Jinja environment, each template prepared once.

The rendering itself is the formats kit's (formats/docx_fast.py: docxtpl's preparation, each part
compiled once, the document written straight to reproducible bytes); here are the project's choices
around it: the Jinja environment, the core properties taken from the plan (title, 发文机关, 成文日期),
a last section the template's conditions left empty dropped (formats/docx_sections.py), and a broken
template reported to the clerk in one line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError

from generators.errors import TemplateBroken
from generators.filenames import shown, shown_path
from generators.formats.docx_fast import LOAD_ERRORS, DocProps, PreparedDocx, markup, unreadable_reason
from generators.formats.docx_sections import drop_empty_last_section
from generators.formats.docx_tables import with_table_widths
from generators.model import Meta
from generators.render.sandbox import BoundedSandbox, TooLarge
from generators.render.table_fit import TableWidths

# Sandboxed: a template is a Word file that may come from anywhere; its markup reads the plan's data and
# nothing else (no attribute walk to os or builtins: `lipsum.__globals__` is a SecurityError).
# autoescape: a '&' or '<' in the data would otherwise break the XML and silently delete text.
# StrictUndefined: a misspelt field in a template is an error, not an empty paragraph.
# Bounded: no markup builds a string or list longer than MAX_BUILT (render/sandbox.py).
ENV = BoundedSandbox(autoescape=True, undefined=StrictUndefined)

# (template path, mtime_ns) → the template prepared for rendering: a template saved again is prepared
# again; docxtpl would recompile every part on every render (about 40 % of a render).
_PREPARED: dict[tuple[str, int], PreparedDocx] = {}


def _why_broken(err: Exception) -> str:
    """What is wrong with a template, in Chinese (the libraries' own text is English)."""
    reason = unreadable_reason(err)
    if reason is not None:
        return reason
    if isinstance(err, TemplateSyntaxError):
        return f"模板标记有误，第 {err.lineno} 行"
    if isinstance(err, TemplateError):
        return "模板标记有误"
    return "内容无法读取"


def _prepared(path: Path) -> PreparedDocx:
    key = str(path.resolve()), path.stat().st_mtime_ns
    prepared = _PREPARED.get(key)
    if prepared is None:
        try:
            prepared = _PREPARED[key] = PreparedDocx.load(path.read_bytes(), ENV)
        except LOAD_ERRORS as err:
            raise TemplateBroken(
                f"模板 {path} 已损坏或不是 Word 文档（{_why_broken(err)}）："
                f"请用 Word/WPS 打开检查，或从版本库恢复（git checkout -- {path}）"
            ) from err
    return prepared


def compile_template(path: Path) -> list[str]:
    """Compile every XML part of a template (raises on a Jinja syntax error); return the part names."""
    return _prepared(Path(path)).part_names()


def meta_datetime(meta: Meta) -> dt.datetime:
    """成文日期 as the document's created/modified time: same plan, same bytes, whatever the clock says."""
    return dt.datetime.fromisoformat(meta.date).replace(hour=0, minute=0, second=0)


def render(
    template_path: Path,
    context: dict[str, Any],
    meta: Meta,
    title: str | None = None,
    widths: Sequence[TableWidths] = (),
) -> bytes:
    """Render a docxtpl template with the shared environment; return reproducible .docx bytes. `widths`:
    tables whose columns the content widened (render/table_fit.py), found by their header row."""
    prepared = _prepared(Path(template_path))
    props = DocProps(title=title or meta.title, author=meta.issuer, when=meta_datetime(meta))
    edit = with_table_widths(drop_empty_last_section, [(t.header, t.widths_mm) for t in widths])
    try:
        return prepared.render(context, props, edit)
    except SecurityError as err:
        raise TemplateBroken(
            f"模板 {shown_path(template_path)} 中的标记“{unsafe_expression(template_path, err)}”试图访问程序内部"
            f"（不安全的属性），已拒绝，什么也没有生成：模板只能使用计划数据；请改正模板，或从版本库恢复"
            f"（git checkout -- {shown_path(template_path)}）"
        ) from err
    except OverflowError as err:  # the sandbox's bound on range(): a template cannot spin the build
        raise TemplateBroken(
            f"模板 {shown_path(template_path)} 中的标记“{_expression(template_path, 'range')}”要求的循环范围过大"
            f"（沙箱上限 100000），已拒绝，什么也没有生成：请改正模板，或从版本库恢复（git checkout -- "
            f"{shown_path(template_path)}）"
        ) from err
    except TooLarge as err:  # the bound on what markup builds: a template cannot eat the memory
        raise TemplateBroken(
            f"模板 {shown_path(template_path)} 中的标记“{_expression(template_path, err.needle)}”要生成的文字或列表"
            f"过长（沙箱上限 {err.limit} 个字符或项），已拒绝，什么也没有生成：请改正模板，或从版本库恢复"
            f"（git checkout -- {shown_path(template_path)}）"
        ) from err
    except TemplateError as err:  # e.g. a field the template names that the data does not have
        raise TemplateBroken(
            f"模板 {shown_path(template_path)} 中的标记{_what_failed(template_path, err)}，已拒绝，什么也没有生成："
            f"请改正模板，或从版本库恢复（git checkout -- {shown_path(template_path)}）"
        ) from err


def _what_failed(template_path: Path, err: TemplateError) -> str:
    """A template's markup that failed while rendering, in Chinese (Jinja's own text is English): the
    expression naming the missing field when it is one, else only that the markup is wrong."""
    missing = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", str(err))
    if missing is None:
        return "有误"
    name = missing.group(1) or missing.group(2)
    return f"“{_expression(template_path, name)}”用到了计划数据中没有的名称“{shown(name, 40)}”"


def _expression(template_path: Path, needle: str) -> str:
    """The {{ … }} or {% … %} of the template that contains needle inside its delimiters, as the template
    has it (needle itself when none does); of several, the first with a big number in it."""
    try:
        found = [m for m in markup(template_path.read_bytes()) if needle in m[2:-2]]
    except OSError:
        found = []
    found.sort(key=lambda m: not re.search(r"\d{6,}|\*\*", m))  # (a stable sort: else the first)
    return shown(found[0], 120) if found else shown(needle, 120)


def unsafe_expression(template_path: Path, err: SecurityError) -> str:
    """The {{ … }} or {% … %} of the template that the sandbox stopped: the one naming the refused
    attribute, else the first that reaches for a _private name."""
    attribute = re.search(r"attribute '([^']+)'", str(err))
    return _expression(template_path, attribute.group(1) if attribute else "_")
