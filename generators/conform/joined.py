"""The joined letters print file (分工函合订本): each letter checked as the letter it is.

Every letter restarts its page numbers and prints none on its first page (信函格式, 10.1), so the joined
file cannot be held to one running "— N —". Where each letter starts is known from the build, not guessed
from the text: `plandocs pdf` lists each letter's first page and page count in the joined PDF's manifest
entry ("letters"). Each letter's pages are cut out as a PDF of their own and given the letter checks (its
page numbers restart at its first page, that page unnumbered; its text against the letter's .docx); the
blank pages between letters (a letter of odd length is followed by one, so the next starts on a front
side) must be blank."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pdfplumber
from pypdf import PdfReader, PdfWriter

from ..layout import Layout
from ..output import contained, read_manifest
from .issue_checks import check_letter_pdf
from .result import Check

JOINED_KIND = "letters-print"
PAGINATION_RULE = "合订本分页（按清单中各函的起页）"
SHOWN = 4  # letters named one by one in a failed row


@dataclass(frozen=True)
class Placed:
    """One letter in the joined file: its unit, its .docx (manifest path) and its pages (1-based)."""

    unit: str
    source: str
    first_page: int
    pages: int

    @property
    def span(self) -> range:
        return range(self.first_page, self.first_page + self.pages)

    def where(self) -> str:
        last = self.first_page + self.pages - 1
        pages = f"第 {self.first_page} 页" if last == self.first_page else f"第 {self.first_page}–{last} 页"
        return f"{self.unit}（合订本{pages}）"


class NoPlacement(Exception):
    """A joined file whose manifest entry does not say where its letters start."""


def placement(pdf: Path, out_dir: Path | None) -> list[Placed] | None:
    """The letters of a joined print file, from its manifest entry; None when pdf is no joined file.
    Raises NoPlacement when it is one but the entry lacks a usable list (made by an older plandocs)."""
    if out_dir is None or not (out_dir / "manifest.json").exists():
        return None
    try:
        relative = pdf.resolve().relative_to(out_dir.resolve()).as_posix()
    except ValueError:
        return None
    artifacts = [e for e in read_manifest(out_dir).get("artifacts", []) if isinstance(e, dict)]
    joined_sources = {e.get("path") for e in artifacts if e.get("kind") == JOINED_KIND}
    entry = next((e for e in artifacts if e.get("kind") == "pdf" and e.get("path") == relative), None)
    if entry is None or (entry.get("source") not in joined_sources and "letters" not in entry):
        return None
    try:
        letters = [
            Placed(str(x["unit"]), str(x["source"]), int(x["first_page"]), int(x["pages"]))
            for x in entry["letters"]
        ]
    except (KeyError, TypeError, ValueError) as err:
        raise NoPlacement from err
    if not letters or any(x.first_page < 1 or x.pages < 1 for x in letters):
        raise NoPlacement
    return letters


def unplaced(path: Path) -> Check:
    return Check(
        "10.1",
        PAGINATION_RULE,
        "清单记有各函的起页和页数",
        f"{path.name} 的清单条目没有各函的起页：请重新运行 plandocs pdf",
        False,
        "pdf",
    )


def check_joined_pdf(path: Path, layout: Layout, out_dir: Path, letters: list[Placed]) -> list[Check]:
    """Each letter's checks, one row per rule for all letters; and the file's pagination."""
    with pdfplumber.open(path) as pdf:
        blank = [not (page.extract_text() or "").strip() for page in pdf.pages]
    checks = [_pagination(letters, blank)]
    by_rule: dict[tuple[str, str], list[tuple[Placed, Check]]] = {}
    data = path.read_bytes()
    for letter, part in _cut(data, letters, len(blank)):
        source = _source(out_dir, letter.source)
        for check in check_letter_pdf(part, layout, source):
            by_rule.setdefault((check.clause, check.rule), []).append((letter, check))
    for rows in by_rule.values():
        checks.append(_combined(rows, len(letters)))
    return checks


def _source(out_dir: Path, relative: str) -> Path | None:
    """The letter's .docx, if it is inside output/ and there."""
    if not contained(out_dir, relative):
        return None
    path = out_dir / relative
    return path if path.suffix == ".docx" and path.is_file() else None


def _cut(data: bytes, letters: list[Placed], total: int) -> Iterator[tuple[Placed, Path]]:
    """Each letter's pages as a PDF of their own (in a temporary folder)."""
    reader = PdfReader(BytesIO(data))
    with tempfile.TemporaryDirectory(prefix="plandocs-joined-") as work:
        for index, letter in enumerate(letters):
            if letter.span.stop - 1 > total:
                continue  # reported by the pagination row
            writer = PdfWriter()
            for number in letter.span:
                writer.add_page(reader.pages[number - 1])
            part = Path(work) / f"{index}.pdf"
            with part.open("wb") as out:
                writer.write(out)
            yield letter, part


def _pagination(letters: list[Placed], blank: list[bool]) -> Check:
    """Every letter starts on a front side (odd page), the letters follow one another, and a page between
    two letters is a blank back side."""
    problems = []
    covered: set[int] = set()
    expected_first = 1
    for letter in letters:
        if letter.first_page != expected_first or letter.first_page % 2 == 0:
            problems.append(f"{letter.where()}起页应为第 {expected_first} 页（单页）")
        covered.update(letter.span)
        expected_first = letter.span.stop + (letter.pages % 2)
    total = len(blank)
    if expected_first - 1 != total:
        problems.append(f"清单列出 {expected_first - 1} 页，文件有 {total} 页")
    stray = [n for n in range(1, total + 1) if n not in covered and not blank[n - 1]]
    if stray:
        problems.append("函之间的空白页有文字：" + "、".join(f"第 {n} 页" for n in stray[:8]))
    return Check(
        "10.1",
        PAGINATION_RULE,
        "每份函从单页起，奇数页的函后空一页",
        "；".join(problems) if problems else f"{len(letters)} 份函，{total} 页，全部正确",
        not problems,
        "pdf",
    )


def _combined(rows: list[tuple[Placed, Check]], count: int) -> Check:
    """One rule over all letters: passed when every letter passes it; the failing letters named."""
    first = rows[0][1]
    failed = [(letter, check) for letter, check in rows if not check.passed]
    if failed:
        named = "；".join(f"{letter.where()}：{check.measured}" for letter, check in failed[:SHOWN])
        more = f"；等 {len(failed)} 份" if len(failed) > SHOWN else ""
        measured = named + more
    else:
        measured = (
            f"{len(rows)}/{count} 份函：{first.measured}"
            if len(rows) == 1
            else f"{len(rows)}/{count} 份函通过"
        )
    return Check(first.clause, first.rule, first.expected, measured, not failed, first.source)
