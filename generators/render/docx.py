"""Every .docx of the build: one strict, autoescaping Jinja environment, each template prepared once.

The rendering itself is the formats kit's (formats/docx_fast.py: docxtpl's preparation, each part
compiled once, the document written straight to reproducible bytes); here are the project's choices
around it: the Jinja environment, the core properties taken from the plan (title, 发文机关, 成文日期),
a last section the template's conditions left empty dropped (formats/docx_sections.py), and a broken
template reported to the clerk in one line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, TemplateError

from generators.errors import TemplateBroken
from generators.formats.docx_fast import LOAD_ERRORS, DocProps, PreparedDocx
from generators.formats.docx_sections import drop_empty_last_section
from generators.model import Meta

# autoescape: a '&' or '<' in the data would otherwise break the XML and silently delete text.
# StrictUndefined: a misspelt field in a template is an error, not an empty paragraph.
ENV = Environment(autoescape=True, undefined=StrictUndefined)

# (template path, mtime_ns) → the template prepared for rendering: a template saved again is prepared
# again; docxtpl would recompile every part on every render (about 40 % of a render).
_PREPARED: dict[tuple[str, int], PreparedDocx] = {}


def _prepared(path: Path) -> PreparedDocx:
    key = str(path.resolve()), path.stat().st_mtime_ns
    prepared = _PREPARED.get(key)
    if prepared is None:
        try:
            prepared = _PREPARED[key] = PreparedDocx.load(path.read_bytes(), ENV)
        except LOAD_ERRORS as err:
            raise TemplateBroken(
                f"模板 {path} 已损坏或不是 Word 文档（{type(err).__name__}: {err}）："
                f"请用 Word/WPS 打开检查，或从版本库恢复（git checkout -- {path}）"
            ) from err
    return prepared


def compile_template(path: Path) -> list[str]:
    """Compile every XML part of a template (raises on a Jinja syntax error); return the part names."""
    return _prepared(Path(path)).part_names()


def meta_datetime(meta: Meta) -> dt.datetime:
    """成文日期 as the document's created/modified time: same plan, same bytes, whatever the clock says."""
    return dt.datetime.fromisoformat(meta.date).replace(hour=0, minute=0, second=0)


def render(template_path: Path, context: dict[str, Any], meta: Meta, title: str | None = None) -> bytes:
    """Render a docxtpl template with the shared environment; return reproducible .docx bytes."""
    prepared = _prepared(Path(template_path))
    props = DocProps(title=title or meta.title, author=meta.issuer, when=meta_datetime(meta))
    try:
        return prepared.render(context, props, drop_empty_last_section)
    except TemplateError as err:  # e.g. a field the template names that the data does not have
        raise TemplateBroken(
            f"模板 {template_path} 中的标记有误（{err}）：请改正模板，或从版本库恢复（git checkout -- {template_path}）"
        ) from err
