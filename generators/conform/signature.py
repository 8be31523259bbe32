"""The signature block's page (GB/T 9704-2012 7.3.5.4), measured on the PDF: the 署名 and the 成文日期 on one
page, that page carrying body text (the 附件说明 alone is no body text), and no page after it holding only
the 版记 (抄送). A clerk does not send a letter whose last page is a signature without text.

The block is found from the end of a document: its last line that is a date alone (2023年3月1日) standing in
well in from the left margin, and the line printed just before it, the 署名."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..layout import Layout
from .result import Check

if TYPE_CHECKING:  # pdf_checks runs these checks: no import cycle at run time
    from .pdf_checks import Line, Page

DATE = re.compile(r"^\d{4}年[1-9]\d?月[1-9]\d?日$")
ATTACHMENT = re.compile(r"^附件[:：]")
IMPRINT = ("抄送：", "抄送:")
INDENT_EM = 4  # a date line starts further in than any body line (which is indented 2 characters)
CLAUSE_KEY = "letter_format.signature_with_text"  # templates/layout.yaml: 7.3.5.4

RULES = (  # (rule, expected), in the order of SignatureBlock.results
    ("署名与成文日期同页", "署名和成文日期印在同一页"),
    ("署名页有正文", "署名所在页印有正文（附件说明不算正文）"),
    ("无只印版记的页", "版记与署名同页或其后，没有只印版记的页"),
)


@dataclass(frozen=True)
class SignatureBlock:
    """Where a document's signature block fell: 1-based page numbers within the document."""

    signature: str
    signature_page: int
    date_page: int
    body_lines: int  # lines of body text on the signature's page
    imprint_only: tuple[int, ...]  # pages after the date holding only 版记 lines
    pages: int

    def results(self) -> list[tuple[bool, str]]:
        together = self.signature_page == self.date_page
        return [
            (
                together,
                f"署名在第 {self.signature_page} 页，成文日期在第 {self.date_page} 页"
                if not together
                else f"署名和成文日期在第 {self.date_page}/{self.pages} 页",
            ),
            (
                self.body_lines > 0,
                f"第 {self.signature_page} 页有正文 {self.body_lines} 行"
                if self.body_lines
                else f"第 {self.signature_page} 页只有署名、成文日期（及附件说明、版记），没有正文",
            ),
            (
                not self.imprint_only,
                "无"
                if not self.imprint_only
                else "第 " + "、".join(map(str, self.imprint_only)) + " 页只印版记",
            ),
        ]


def _set_in(page: Page, line: Line) -> bool:
    """Set well in from the left (a date under its 署名, or four characters from the right), not a line
    of the body, which starts at the margin or two characters in."""
    return line.x0 > page.left + INDENT_EM * line.size


def _is_body(line: Line, page: Page) -> bool:
    """Body text: inside the type area (not the letterhead above it), not a 版记 line."""
    return line.top >= page.top - 1 and not line.text.startswith(IMPRINT)


def _is_date(page: Page, line: Line, size: float) -> bool:
    """A date alone on its line, in body size (not a table cell's date), set in from the left."""
    text = line.text.replace(" ", "").replace("\u3000", "")
    return bool(DATE.match(text)) and abs(line.size - size) < 0.5 and _set_in(page, line)


def find_block(pages: list[Page], body_size: float) -> SignatureBlock | None:
    """The document's signature block, or None when it has none (the opinion prints no 落款)."""
    flat = [(p, i, line) for p, page in enumerate(pages) for i, line in enumerate(page.lines)]
    dated = [k for k, (p, _, line) in enumerate(flat) if _is_date(pages[p], line, body_size)]
    if not dated or dated[-1] == 0:
        return None
    k = dated[-1]
    date_page = flat[k][0]
    sign_page, sign_index, signature = flat[k - 1]
    page = pages[sign_page]
    before = list(page.lines[:sign_index])
    cut = next((j for j, line in enumerate(before) if ATTACHMENT.match(line.text)), len(before))
    body = [line for line in before[:cut] if _is_body(line, page)]
    imprint_only = tuple(
        n + 1
        for n in range(date_page + 1, len(pages))
        if pages[n].lines and all(line.text.startswith(IMPRINT) for line in pages[n].lines)
    )
    return SignatureBlock(signature.text, sign_page + 1, date_page + 1, len(body), imprint_only, len(pages))


def signature_checks(pages: list[Page], layout: Layout) -> list[Check]:
    """One row per rule for the document's signature block; none when it has no 署名 and date."""
    block = find_block(pages, layout.style("正文").size_pt)
    if block is None:
        return []
    clause = layout.clause(CLAUSE_KEY)
    return [
        Check(clause, rule, expected, measured, passed, "pdf")
        for (rule, expected), (passed, measured) in zip(RULES, block.results(), strict=True)
    ]
