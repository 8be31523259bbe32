"""A docxtpl template prepared once, each document written straight to reproducible .docx bytes.

In: the template's bytes and a Jinja environment (PreparedDocx.load); per document a context of plain
data and docxtpl RichText, the core properties (DocProps) and optionally a function that edits the
rendered w:body in place. Out: the .docx bytes (PreparedDocx.render), written by zipwriter.
Invariant: without a body function the bytes are those of DocxTemplate(template).render(context, env),
the core properties set, save(), rewritten by zipwriter (tests/test_fast_writers.py holds the two side
by side for every template). Not supported: what needs the DocxTemplate object per document
(InlineImage, Subdoc, hyperlinks, replace_pic/media), footnotes, templated core properties, and
docxtpl's "{_{" escape, which our templates never use.

Why: opening and saving each document through python-docx cost half of a render, and docxtpl
recompiles every part's Jinja source on every render. Here the template's parts are captured once as
python-docx saves them, each templated part is compiled once, and a render produces only what changes:
word/document.xml, the headers and footers, docProps/core.xml.

Library internals used (versions pinned in pyproject.toml: docxtpl 0.20.2, python-docx 1.2.0,
Jinja2 3.1.6, lxml 6.1.3):
- docxtpl.DocxTemplate's render steps, called one by one as its render() calls them: render_init,
  patch_xml, fix_tables, fix_docpr_ids, resolve_listing, get_xml, get_part_xml, get_headers_footers,
  HEADER_URI/FOOTER_URI and the docx_ids_index / current_rendering_part attributes, plus the
  "<w:p" newline trick of render_xml_part, copied. If docxtpl changes any of these (a new
  preparation step, a renamed method), the fast bytes stop matching the slow ones and
  tests/test_fast_writers.py fails, or a call fails with AttributeError.
- python-docx's private Document._part and Document._element (the main part and its w:document),
  CoreProperties._element, CoreProperties(element) (docx.opc.coreprops), serialize_part_xml
  (docx.opc.oxml) and parse_xml (docx.oxml.parser): how python-docx serializes a part on save.
  A change in its serialization shows as a byte mismatch in the same test.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import html
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.opc.part import Part
from docx.oxml.coreprops import CT_CoreProperties
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment, Template, TemplateError
from lxml import etree

from generators.formats.zipwriter import Deflated, zip_members

# What PreparedDocx.load raises for a file that is not a usable template; render raises TemplateError.
LOAD_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError, TemplateError)
CORE_PART = "docProps/core.xml"

BodyEdit = Callable[[etree._Element], None]


@dataclass(frozen=True)
class DocProps:
    """docProps/core.xml of a rendered document; revision is always 1."""

    title: str
    author: str  # also the last one to modify it
    when: dt.datetime  # created and modified


LISTING_CHARACTERS = "\n\a\t\f"  # what docxtpl's resolve_listing turns into breaks, paragraphs, tabs
# docxtpl's own paragraph pattern in resolve_listing: run on one match, it matches that paragraph whole
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)


class _CompilingTemplate(DocxTemplate):
    """A DocxTemplate whose parts are patched and compiled once, then rendered many times."""

    def __init__(self, data: bytes, env: Environment) -> None:
        super().__init__(io.BytesIO(data))
        self.env = env
        self.compiled: dict[str, Template] = {}  # part name → compiled Jinja template

    def compile(self, part: Part, source: Callable[[], str]) -> Template:
        name = str(part.partname)
        template = self.compiled.get(name)
        if template is None:
            # Same preparation as DocxTemplate.render_xml_part, done once.
            xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", self.patch_xml(source()))
            template = self.compiled[name] = self.env.from_string(xml)
        return template

    def render_part(self, part: Part, source: Callable[[], str], context: Mapping[str, Any]) -> str:
        self.current_rendering_part = part
        xml = self.compile(part, source).render(context)
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        # docxtpl would also turn "{_{" into "{{" here, in the data too; our templates never need it.
        # Its listing pass (\n → line break, \a → paragraph, \t, \f) is a regex over every paragraph:
        # run it only when the data brought such a character.
        if any(c in xml for c in LISTING_CHARACTERS):
            xml = _PARAGRAPH.sub(self._resolve_paragraph, xml)
        return xml

    def _resolve_paragraph(self, match: re.Match[str]) -> str:
        """docxtpl's listing pass over one paragraph, skipped when the paragraph holds none of its
        characters (it would give the paragraph back unchanged: same bytes, no per-run regexes)."""
        paragraph = match.group(0)
        if not any(c in paragraph for c in LISTING_CHARACTERS):
            return paragraph
        return str(self.resolve_listing(paragraph))

    def headers_footers(self) -> Iterator[tuple[str, Part]]:
        """(zip member name, part) of every header and footer."""
        for uri in (self.HEADER_URI, self.FOOTER_URI):
            for _, part in self.get_headers_footers(uri):
                yield str(part.partname).lstrip("/"), part


@dataclass
class PreparedDocx:
    """A template ready to render: compiled parts, the document without its body, the fixed parts."""

    tpl: _CompilingTemplate
    parts: dict[str, Deflated]  # every member as python-docx saves the unrendered template
    document_name: str
    skeleton: etree._Element  # the w:document element without w:body
    body_index: int
    headers_footers: list[tuple[str, Part]]  # (member name, part)
    core: CT_CoreProperties  # the template's core properties, copied and filled per document

    @classmethod
    def load(cls, data: bytes, env: Environment) -> PreparedDocx:
        """Prepare and compile every templated part; raises one of LOAD_ERRORS for a broken template."""
        tpl = _CompilingTemplate(data, env)
        tpl.render_init()
        core = copy.deepcopy(tpl.docx.core_properties._element)  # before saving: may add the part
        buffer = io.BytesIO()
        tpl.docx.save(buffer)
        with zipfile.ZipFile(buffer) as saved:
            parts = {name: Deflated.of(saved.read(name)) for name in saved.namelist()}
        skeleton = copy.deepcopy(tpl.docx._element)
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
        prepared.part_names()
        return prepared

    def _body_source(self) -> str:
        return self.tpl.get_xml()

    def part_names(self) -> list[str]:
        """The templated parts (the body, every header and footer), each compiled."""
        tpl = self.tpl
        tpl.compile(tpl.docx._part, self._body_source)
        for _, part in self.headers_footers:
            tpl.compile(part, functools.partial(tpl.get_part_xml, part))
        return [str(tpl.docx._part.partname)] + [str(part.partname) for _, part in self.headers_footers]

    def render(self, context: Mapping[str, Any], props: DocProps, edit_body: BodyEdit | None = None) -> bytes:
        """The document's .docx bytes; raises jinja2.TemplateError (e.g. a field the data lacks)."""
        parts: dict[str, bytes | Deflated] = dict(self.parts)
        parts[self.document_name] = self._document_xml(context, edit_body)
        for name, part in self.headers_footers:
            parts[name] = self._header_footer_xml(part, context)
        parts[CORE_PART] = self._core_xml(props)
        return zip_members(parts)

    def _document_xml(self, context: Mapping[str, Any], edit_body: BodyEdit | None) -> bytes:
        tpl = self.tpl
        tpl.docx_ids_index = 1000  # as render_init leaves it: drawing ids restart in every document
        body = tpl.fix_tables(tpl.render_part(tpl.docx._part, self._body_source, context))
        tpl.fix_docpr_ids(body)
        if edit_body is not None:
            edit_body(body)
        document = copy.deepcopy(self.skeleton)
        document.insert(self.body_index, body)
        return serialize_part_xml(document)

    def _header_footer_xml(self, part: Part, context: Mapping[str, Any]) -> Deflated:
        xml = self.tpl.render_part(part, lambda: self.tpl.get_part_xml(part), context)
        return _deflated(serialize_part_xml(parse_xml(xml.encode("utf-8"))))

    def _core_xml(self, props: DocProps) -> bytes:
        element = copy.deepcopy(self.core)
        core = CoreProperties(element)
        core.title = props.title
        core.author = core.last_modified_by = props.author
        core.created = core.modified = props.when
        core.revision = 1
        return serialize_part_xml(element)


@functools.lru_cache(maxsize=64)
def _deflated(data: bytes) -> Deflated:
    """Headers and footers mostly come out the same in every document: compress each version once."""
    return Deflated.of(data)


def markup(data: bytes) -> list[str]:
    """The Jinja markup of a .docx template ({{ … }}, {% … %}) as its text reads, XML tags removed (Word
    splits one expression over runs): for messages that quote a template."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as docx:
            xml = " ".join(
                docx.read(name).decode("utf-8", "replace")
                for name in docx.namelist()
                if name.startswith("word/")
            )
    except zipfile.BadZipFile:
        return []
    text = html.unescape(re.sub(r"<[^>]+>", "", xml))
    return [found.group() for found in re.finditer(r"\{[{%].*?[}%]\}", text, re.DOTALL)]


def unreadable_reason(err: Exception) -> str | None:
    """What is wrong with a .docx that could not be opened, in Chinese (the libraries' own text is English):
    the file-format failures this kit knows (zip, parts, XML); None for anything else."""
    if isinstance(err, zipfile.BadZipFile):
        return "不是 zip 格式的 .docx 文件"
    if isinstance(err, KeyError):
        return "缺少 .docx 必需的部件"
    if isinstance(err, etree.XMLSyntaxError):
        return f"XML 有误，第 {err.lineno} 行"
    return None
