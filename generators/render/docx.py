"""Shared docxtpl machinery: one strict, autoescaping Jinja environment; each template compiled once."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, Template

from generators.model import Meta
from generators.reproducible import normalize_zip

# autoescape: a '&' or '<' in the data would otherwise break the XML and silently delete text.
# StrictUndefined: a misspelt field in a template is an error, not an empty paragraph.
ENV = Environment(autoescape=True, undefined=StrictUndefined)

# (template path, mtime_ns, part name) → compiled Jinja template. docxtpl recompiles on every render;
# compiling once per process saves about 40 % of a render.
_COMPILED: dict[tuple[str, int, str], Template] = {}
# (template path, mtime_ns) → template bytes: opening from memory skips the disk.
_BYTES: dict[tuple[str, int], bytes] = {}


class _CachedTemplate(DocxTemplate):
    """A DocxTemplate whose patched-and-compiled XML parts are shared across renders."""

    def __init__(self, path: Path) -> None:
        stat = path.stat()
        self._key = (str(path.resolve()), stat.st_mtime_ns)
        if self._key not in _BYTES:
            _BYTES[self._key] = path.read_bytes()
        super().__init__(io.BytesIO(_BYTES[self._key]))

    def _compiled(self, part, source) -> Template:
        key = (*self._key, str(part.partname))
        template = _COMPILED.get(key)
        if template is None:
            # Same preparation as DocxTemplate.render_xml_part, done once.
            xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", self.patch_xml(source()))
            template = _COMPILED[key] = ENV.from_string(xml)
        return template

    def _render_part(self, part, source, context) -> str:
        self.current_rendering_part = part
        xml = self._compiled(part, source).render(context)
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        # docxtpl would also turn "{_{" into "{{" here, in the data too; our templates never need it.
        # Its listing pass (\n → line break, \a → paragraph, \t, \f) is a regex over every paragraph:
        # run it only when the data brought such a character.
        if any(c in xml for c in "\n\a\t\f"):
            xml = self.resolve_listing(xml)
        return xml

    def render_properties(self, context, jinja_env=None) -> None:
        """Core properties come from the plan (render() below), not from Jinja."""

    def build_xml(self, context, jinja_env=None):
        return self._render_part(self.docx._part, self.get_xml, context)

    def build_headers_footers_xml(self, context, uri, jinja_env=None):
        for rel_key, part in self.get_headers_footers(uri):
            xml = self._render_part(part, lambda part=part: self.get_part_xml(part), context)
            yield rel_key, xml.encode("utf-8")


def compile_template(path: Path) -> list[str]:
    """Compile every XML part of a template (raises on a Jinja syntax error); return the part names."""
    tpl = _CachedTemplate(Path(path))
    tpl.render_init()
    names = [str(tpl.docx._part.partname)]
    tpl._compiled(tpl.docx._part, tpl.get_xml)
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            tpl._compiled(part, lambda part=part: tpl.get_part_xml(part))
            names.append(str(part.partname))
    return names


def meta_datetime(meta: Meta) -> dt.datetime:
    """成文日期 as the document's created/modified time: same plan, same bytes, whatever the clock says."""
    return dt.datetime.fromisoformat(meta.date).replace(hour=0, minute=0, second=0)


def render(template_path: Path, context: dict[str, Any], meta: Meta, title: str | None = None) -> bytes:
    """Render a docxtpl template with the shared environment; return reproducible .docx bytes."""
    tpl = _CachedTemplate(Path(template_path))
    tpl.render(context, ENV)
    props = tpl.docx.core_properties
    props.title = title or meta.title
    props.author = props.last_modified_by = meta.issuer
    props.created = props.modified = meta_datetime(meta)
    props.revision = 1
    buffer = io.BytesIO()
    tpl.docx.save(buffer)
    return normalize_zip(buffer.getvalue())
