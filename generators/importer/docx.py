"""A draft as .docx: body paragraphs and tables in document order, as the text reads once every tracked
change is accepted (insertions kept, deletions and moved-away text dropped); comments are not text."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from .draft import Draft, Paragraph, Row, Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SKIPPED = {"del", "moveFrom", "delText", "delInstrText", "instrText", "pPr", "rPr", "tblPr", "trPr", "tcPr"}
_SKIPPED |= {"drawing", "pict", "object", "AlternateContent", "footnoteReference", "endnoteReference"}


class DocxUnreadable(Exception):
    pass


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def read_docx(path: Path, name: str) -> Draft:
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml")
        body = etree.fromstring(xml).find(_w("body"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as err:
        raise DocxUnreadable(f"{name}：不是可读的 .docx 文件（{err}）") from err
    draft = Draft(name)
    counter = _Counter()
    for block in _blocks(body, counter):
        draft.blocks.append(block)
    return draft


class _Counter:
    def __init__(self) -> None:
        self.paragraphs = 0
        self.tables = 0


def _blocks(container, counter: _Counter):
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


def _mark_deleted(paragraph) -> bool:
    marks = paragraph.find(f"{_w('pPr')}/{_w('rPr')}")
    return marks is not None and (marks.find(_w("del")) is not None or marks.find(_w("moveFrom")) is not None)


def paragraph_text(element) -> str:
    out: list[str] = []
    _collect(element, out)
    return "".join(out)


def _collect(element, out: list[str]) -> None:
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


def _cell_lines(tc) -> tuple[str, ...]:
    lines: list[str] = []
    for block in _blocks(tc, _Counter()):
        if isinstance(block, Paragraph):
            lines.extend(block.text.split("\n"))
        else:
            lines.extend(line for row in block.rows for cell in row.cells for line in cell)
    return tuple(line for line in lines if line.strip())


def _table(tbl, where: str) -> Table:
    rows: list[Row] = []
    above: dict[int, tuple[str, ...]] = {}  # grid column → lines of the cell a vertical merge continues
    for index, tr in enumerate(tbl.iter(_w("tr")), 1):
        if tr.getparent() is not tbl and _local(tr.getparent()) != "sdtContent":
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
            column += int(span.get(_w("val"))) if span is not None else 1
        rows.append(Row(f"附件表第{index}行", tuple(cells)))
    return Table(where, tuple(rows))
