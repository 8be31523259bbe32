"""Shared docxtpl machinery: one strict, autoescaping Jinja environment; each template prepared once.

A render writes the .docx directly: the template's parts as python-docx would save them (captured once
per template), plus the parts that change — word/document.xml, the headers and footers, and
docProps/core.xml — in the same reproducible zip as normalize_zip. Opening and saving each document
through python-docx cost half of a render. The Jinja preparation is docxtpl's own (patch_xml, its table
fix, its listing pass), done with the same calls, so the bytes are those of DocxTemplate.render + save
(tests/test_fast_writers.py holds the two side by side). Contexts hold plain data and RichText; what
needs the DocxTemplate object itself (InlineImage, Subdoc, hyperlinks) is not supported here.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.opc.part import Part
from docx.oxml.coreprops import CT_CoreProperties
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, Template, TemplateError
from lxml import etree

from generators.errors import TemplateBroken
from generators.formats.zipwriter import Deflated, zip_members
from generators.model import Meta

# autoescape: a '&' or '<' in the data would otherwise break the XML and silently delete text.
# StrictUndefined: a misspelt field in a template is an error, not an empty paragraph.
ENV = Environment(autoescape=True, undefined=StrictUndefined)

# (template path, mtime_ns, part name) → compiled Jinja template. docxtpl recompiles on every render;
# compiling once per process saves about 40 % of a render.
_COMPILED: dict[tuple[str, int, str], Template] = {}
# (template path, mtime_ns) → the template prepared for rendering.
_PREPARED: dict[tuple[str, int], _Prepared] = {}

CORE_PART = "docProps/core.xml"


def _template_key(path: Path) -> tuple[str, int]:
    return str(path.resolve()), path.stat().st_mtime_ns


class _CachedTemplate(DocxTemplate):
    """A DocxTemplate whose patched-and-compiled XML parts are shared across renders."""

    def __init__(self, path: Path, data: bytes | None = None) -> None:
        self._key = _template_key(path)
        super().__init__(io.BytesIO(path.read_bytes() if data is None else data))

    def _compiled(self, part, source) -> Template:
        key = (*self._key, str(part.partname))
        template = _COMPILED.get(key)
        if template is None:
            # Same preparation as DocxTemplate.render_xml_part, done once.
            xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", self.patch_xml(source()))
            template = _COMPILED[key] = ENV.from_string(xml)
        return template

    def render_part(self, part, source, context) -> str:
        self.current_rendering_part = part
        xml = self._compiled(part, source).render(context)
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        # docxtpl would also turn "{_{" into "{{" here, in the data too; our templates never need it.
        # Its listing pass (\n → line break, \a → paragraph, \t, \f) is a regex over every paragraph:
        # run it only when the data brought such a character.
        if any(c in xml for c in "\n\a\t\f"):
            xml = self.resolve_listing(xml)
        return xml

    def headers_footers(self):
        """(zip member name, part) of every header and footer."""
        for uri in (self.HEADER_URI, self.FOOTER_URI):
            for _, part in self.get_headers_footers(uri):
                yield str(part.partname).lstrip("/"), part


@dataclass
class _Prepared:
    """A template ready to render: compiled parts, the document without its body, the fixed parts."""

    tpl: _CachedTemplate
    parts: dict[str, Deflated]  # every member as python-docx saves the unrendered template
    document_name: str
    skeleton: etree._Element  # the w:document element without w:body
    body_index: int
    headers_footers: list[tuple[str, Part]]  # (member name, part)
    core: CT_CoreProperties  # the template's core properties, copied and filled per document

    @classmethod
    def load(cls, path: Path) -> _Prepared:
        tpl = _CachedTemplate(path)
        tpl.render_init()
        core = copy.deepcopy(tpl.docx.core_properties._element)  # before saving: may add the part
        buffer = io.BytesIO()
        tpl.docx.save(buffer)
        with zipfile.ZipFile(buffer) as saved:
            parts = {name: Deflated.of(saved.read(name)) for name in saved.namelist()}
        root = tpl.docx._element
        skeleton = copy.deepcopy(root)
        body = skeleton.body
        body_index = skeleton.index(body)
        skeleton.remove(body)
        prepared = cls(
            tpl=tpl,
            parts=parts,
            document_name=str(tpl.docx.part.partname).lstrip("/"),
            skeleton=skeleton,
            body_index=body_index,
            headers_footers=list(tpl.headers_footers()),
            core=core,
        )
        prepared.compile_all()
        return prepared

    def _body_source(self) -> str:
        return self.tpl.get_xml()

    def compile_all(self) -> list[str]:
        """Compile every templated part (raises on a Jinja syntax error); return the part names."""
        tpl = self.tpl
        tpl._compiled(tpl.docx._part, self._body_source)
        for _, part in self.headers_footers:
            tpl._compiled(part, lambda part=part: tpl.get_part_xml(part))
        return [str(tpl.docx._part.partname)] + [str(part.partname) for _, part in self.headers_footers]

    def document_xml(self, context: dict) -> bytes:
        tpl = self.tpl
        tpl.docx_ids_index = 1000  # as render_init leaves it: drawing ids restart in every document
        body = tpl.fix_tables(tpl.render_part(tpl.docx._part, self._body_source, context))
        tpl.fix_docpr_ids(body)
        drop_empty_last_section(body)
        document = copy.deepcopy(self.skeleton)
        document.insert(self.body_index, body)
        return serialize_part_xml(document)

    def header_footer_xml(self, part, context: dict) -> Deflated:
        xml = self.tpl.render_part(part, lambda: self.tpl.get_part_xml(part), context)
        return _deflated(serialize_part_xml(parse_xml(xml.encode("utf-8"))))

    def core_xml(self, title: str, meta: Meta) -> bytes:
        element = copy.deepcopy(self.core)
        props = CoreProperties(element)
        props.title = title
        props.author = props.last_modified_by = meta.issuer
        props.created = props.modified = meta_datetime(meta)
        props.revision = 1
        return serialize_part_xml(element)


W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def drop_empty_last_section(body: etree._Element) -> None:
    """A last section the template's conditions left empty (the opinion's annex, for a plan without
    one) is not printed: the section before it becomes the last, with its own page setup."""
    children = list(body)
    if not children or children[-1].tag != f"{W_NS}sectPr":
        return
    for i in range(len(children) - 2, -1, -1):
        child = children[i]
        inner = child.find(f"{W_NS}pPr/{W_NS}sectPr") if child.tag == f"{W_NS}p" else None
        if inner is not None:
            if any(_has_content(c) for c in children[i + 1 : -1]) or _has_content(child):
                return
            body.remove(children[-1])
            for c in children[i:-1]:
                body.remove(c)
            body.append(inner)
            return
        if _has_content(child):
            return


def _has_content(element: etree._Element) -> bool:
    if element.tag != f"{W_NS}p":
        return True  # a table, a bookmark …: keep the section
    return any(True for _ in element.iter(f"{W_NS}t", f"{W_NS}drawing", f"{W_NS}pict", f"{W_NS}br"))


@functools.lru_cache(maxsize=64)
def _deflated(data: bytes) -> Deflated:
    """Headers and footers mostly come out the same in every document: compress each version once."""
    return Deflated.of(data)


def _prepared(path: Path) -> _Prepared:
    key = _template_key(path)
    prepared = _PREPARED.get(key)
    if prepared is None:
        try:
            prepared = _PREPARED[key] = _Prepared.load(path)
        except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError, TemplateError) as err:
            raise TemplateBroken(
                f"模板 {path} 已损坏或不是 Word 文档（{type(err).__name__}: {err}）："
                f"请用 Word/WPS 打开检查，或从版本库恢复（git checkout -- {path}）"
            ) from err
    return prepared


def compile_template(path: Path) -> list[str]:
    """Compile every XML part of a template (raises on a Jinja syntax error); return the part names."""
    return _prepared(Path(path)).compile_all()


def meta_datetime(meta: Meta) -> dt.datetime:
    """成文日期 as the document's created/modified time: same plan, same bytes, whatever the clock says."""
    return dt.datetime.fromisoformat(meta.date).replace(hour=0, minute=0, second=0)


def render(template_path: Path, context: dict[str, Any], meta: Meta, title: str | None = None) -> bytes:
    """Render a docxtpl template with the shared environment; return reproducible .docx bytes."""
    prepared = _prepared(Path(template_path))
    parts: dict[str, bytes | Deflated] = dict(prepared.parts)
    try:
        parts[prepared.document_name] = prepared.document_xml(context)
        for name, part in prepared.headers_footers:
            parts[name] = prepared.header_footer_xml(part, context)
    except TemplateError as err:  # e.g. a field the template names that the data does not have
        raise TemplateBroken(
            f"模板 {template_path} 中的标记有误（{err}）：请改正模板，或从版本库恢复（git checkout -- {template_path}）"
        ) from err
    parts[CORE_PART] = prepared.core_xml(title or meta.title, meta)
    return zip_members(parts)
