"""A draft as .docx: body paragraphs and tables in document order, as the text reads once every tracked
change is accepted (insertions kept, deletions and moved-away text dropped); comments are not text."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from generators.errors import os_reason

from .draft import Draft, Paragraph, Row, Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SKIPPED = {"del", "moveFrom", "delText", "delInstrText", "instrText", "pPr", "rPr", "tblPr", "trPr", "tcPr"}
_SKIPPED |= {"drawing", "pict", "object", "AlternateContent", "footnoteReference", "endnoteReference"}


# A draft is a few hundred KB; its document.xml unpacks to a few MB at about 10:1. Far more is a bomb.
MAX_DRAFT_BYTES = 50 * 2**20
MAX_DOCUMENT_BYTES = 200 * 2**20  # declared unpacked size of word/document.xml (zipfile reads no more)
MAX_RATIO = 100  # unpacked/packed, checked once the part is over 1 MB
RATIO_FROM_BYTES = 2**20
# No entities resolved, no network, libxml2's default size limits: an entity bomb is an error, not a hang.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class DocxUnreadable(Exception):
    pass


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


# why a draft cannot be read, in Chinese: the library's English text is never shown
_DAMAGE: dict[type, str] = {
    zipfile.BadZipFile: "不是 zip 格式的 .docx 文件",
    zipfile.LargeZipFile: "压缩包过大",
    KeyError: "缺少正文部分 word/document.xml",
}


def read_docx(path: Path, name: str) -> Draft:
    try:
        size = path.stat().st_size
        if size > MAX_DRAFT_BYTES:
            raise DocxUnreadable(
                f"{name}：文件过大（{size / 2**20:.1f} MB，上限 {MAX_DRAFT_BYTES // 2**20} MB），不导入"
            )
        with zipfile.ZipFile(path) as archive:
            part = archive.getinfo("word/document.xml")
            _check_part(part, name)
            xml = archive.read(part)
        body = etree.fromstring(xml, PARSER).find(_w("body"))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        ValueError,
        OSError,
        etree.XMLSyntaxError,
    ) as err:
        why = os_reason(err) if isinstance(err, OSError) else _DAMAGE.get(type(err), "内容不完整或格式有误")
        raise DocxUnreadable(f"{name}：不是可读的 .docx 文件（{why}）") from err
    if body is None:
        raise DocxUnreadable(f"{name}：不是可读的 .docx 文件（word/document.xml 中没有正文）")
    draft = Draft(name)
    counter = _Counter()
    for block in _blocks(body, counter):
        draft.blocks.append(block)
    return draft


def _check_part(part: zipfile.ZipInfo, name: str) -> None:
    """Refuse a document part that would unpack to far more than any draft (a zip bomb)."""
    ratio = part.file_size // max(part.compress_size, 1)
    if part.file_size > MAX_DOCUMENT_BYTES or (part.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO):
        raise DocxUnreadable(
            f"{name}：正文解压后 {part.file_size / 2**20:.0f} MB（压缩比 {ratio}:1），疑似压缩炸弹，不导入；"
            "请在 Word/WPS 中另存为新的 .docx 后再导入"
        )


class _Counter:
    def __init__(self) -> None:
        self.paragraphs = 0
        self.tables = 0


def _blocks(container: etree._Element, counter: _Counter) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables of a body (or content control) in order; a paragraph whose mark was deleted
    runs on into the next one, as Word shows it after accepting."""
    pending = ""
    for child in container:
        tag = _local(child)
        if tag == "p":
            counter.paragraphs += 1
            text = pending + paragraph_text(child)
            if _mark_deleted(child):
                pending = text
                continue
            pending = ""
            yield Paragraph(f"第{counter.paragraphs}段", text)
        elif tag == "tbl":
            counter.tables += 1
            yield _table(child, f"第{counter.tables}个表格")
        elif tag in ("sdt", "customXml"):
            content = child.find(_w("sdtContent")) if tag == "sdt" else child
            if content is not None:
                yield from _blocks(content, counter)
    if pending:
        yield Paragraph(f"第{counter.paragraphs}段", pending)


def _mark_deleted(paragraph: etree._Element) -> bool:
    marks = paragraph.find(f"{_w('pPr')}/{_w('rPr')}")
    return marks is not None and (marks.find(_w("del")) is not None or marks.find(_w("moveFrom")) is not None)


def paragraph_text(element: etree._Element) -> str:
    out: list[str] = []
    _collect(element, out)
    return "".join(out)


def _collect(element: etree._Element, out: list[str]) -> None:
    for child in element:
        tag = _local(child)
        if tag in _SKIPPED or not tag:
            continue
        if tag == "t":
            out.append(child.text or "")
        elif tag == "tab":
            out.append("\t")
        elif tag in ("br", "cr"):
            out.append("\n")
        elif tag == "noBreakHyphen":
            out.append("-")
        else:
            _collect(child, out)


def _cell_lines(tc: etree._Element) -> tuple[str, ...]:
    lines: list[str] = []
    for block in _blocks(tc, _Counter()):
        if isinstance(block, Paragraph):
            lines.extend(block.text.split("\n"))
        else:
            lines.extend(line for row in block.rows for cell in row.cells for line in cell)
    return tuple(line for line in lines if line.strip())


def _columns(span: etree._Element | None) -> int:
    """The grid columns a cell spans: its w:gridSpan, 1 when that is missing or not a positive number."""
    value = span.get(_w("val"), "") if span is not None else ""
    return int(value) if value.isdecimal() and int(value) > 0 else 1


def _table(tbl: etree._Element, where: str) -> Table:
    rows: list[Row] = []
    above: dict[int, tuple[str, ...]] = {}  # grid column → lines of the cell a vertical merge continues
    for index, tr in enumerate(tbl.iter(_w("tr")), 1):
        parent = tr.getparent()
        if parent is not tbl and (parent is None or _local(parent) != "sdtContent"):
            continue  # a row of a table nested in a cell: read with that cell
        marks = tr.find(_w("trPr"))
        if marks is not None and marks.find(_w("del")) is not None:
            continue
        cells: list[tuple[str, ...]] = []
        column = 0
        for tc in tr.iter(_w("tc")):
            if tc.getparent() is not tr:
                continue
            props = tc.find(_w("tcPr"))
            span = props.find(_w("gridSpan")) if props is not None else None
            merge = props.find(_w("vMerge")) if props is not None else None
            lines = _cell_lines(tc)
            if merge is not None and merge.get(_w("val"), "continue") == "continue":
                lines = above.get(column, ())
            above[column] = lines
            cells.append(lines)
            column += _columns(span)
        rows.append(Row(f"{where}第{index}行", tuple(cells)))
    return Table(where, tuple(rows))
