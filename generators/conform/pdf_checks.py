"""GB/T 9704 rules measured on the PDF LibreOffice rendered: where the text really is, in which font."""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import pdfplumber

from ..layout import Layout, PageSpec
from .fidelity import Fidelity, check_fidelity, page_number_pattern
from .fonts import same_face, short_name
from .result import MM_PER_PT, Check
from .signature import signature_checks
from .source import first_page_unnumbered

PT_PER_MM = 1 / MM_PER_PT
TOLERANCE_PT = 1.0 * PT_PER_MM  # the standard's ±1 mm
A4_PT = (210 * PT_PER_MM, 297 * PT_PER_MM)
_PART_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_SECTION_HEADING = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # most common glyph size
    chars: tuple[dict, ...]

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    def cjk_fonts(self) -> Counter:
        """Characters per face (one face may be embedded as several subsets)."""
        return Counter(short_name(c["fontname"]) for c in self.chars if _is_cjk(c["text"]))

    @property
    def turned(self) -> bool:
        """Set turned 90° clockwise, reading down the page (the page number on landscape pages, 8)."""
        return bool(self.chars) and all(_turned_clockwise(c) for c in self.chars)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    spec: PageSpec
    lines: tuple[Line, ...]  # inside or near the type area, top to bottom
    footer: Line | None  # the lowest line below the type area

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def left(self) -> float:
        return self.spec.margin_left_mm * PT_PER_MM

    @property
    def right(self) -> float:
        return self.width - self.spec.margin_right_mm * PT_PER_MM

    @property
    def top(self) -> float:
        return self.spec.margin_top_mm * PT_PER_MM

    @property
    def bottom(self) -> float:
        return self.height - self.spec.margin_bottom_mm * PT_PER_MM


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _turned_clockwise(char: dict) -> bool:
    # The glyph's baseline points down the page: text matrix (0, -1, 1, 0) in PDF space, whose y runs up.
    a, b, c, d = char["matrix"][:4]
    return not char["upright"] and b < 0 < c and abs(a) < 1e-3 and abs(d) < 1e-3


def _turned_line(chars: list[dict]) -> Line | None:
    """The turned characters of a page as one line, read top to bottom."""
    chars = sorted(chars, key=lambda c: c["top"])
    shown = tuple(c for c in chars if c["text"].strip())
    if not shown:
        return None
    # pdfplumber's "size" of a turned glyph is its advance; the font size is the box across the baseline.
    size = Counter(round(c["width"], 1) for c in shown).most_common(1)[0][0]
    text = "".join(c["text"] for c in chars).strip()
    return Line(
        text,
        min(c["x0"] for c in shown),
        max(c["x1"] for c in shown),
        shown[0]["top"],
        shown[-1]["bottom"],
        size,
        shown,
    )


def _line(raw: dict) -> Line:
    chars = tuple(c for c in raw["chars"] if c["text"].strip())
    size = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
    return Line(raw["text"].strip(), raw["x0"], raw["x1"], raw["top"], raw["bottom"], size, chars)


def read_pages(path: Path, layout: Layout) -> list[Page]:
    pages = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            spec = layout.landscape if page.width > page.height else layout.page
            # Turned text (a landscape page's page number) is read apart: as lines it would be one per glyph.
            upright = page.filter(lambda obj: obj.get("object_type") != "char" or obj.get("upright", True))
            raw_lines = upright.extract_text_lines(return_chars=True)
            lines = [_line(raw) for raw in raw_lines if raw["text"].strip()]
            area_bottom = page.height - spec.margin_bottom_mm * PT_PER_MM
            below = [ln for ln in lines if ln.top >= area_bottom - 0.5]
            footer = max(below, key=lambda ln: ln.top) if below else None
            if page.width > page.height:
                footer = _turned_line([c for c in page.chars if not c["upright"]]) or footer
            body = tuple(ln for ln in lines if ln is not footer)
            pages.append(Page(number, page.width, page.height, spec, body, footer))
    return pages


def check_pdf(path: Path, layout: Layout, source: Path | None = None) -> list[Check]:
    """The PDF's layout; with its .docx (source) also that every character is printed, in order."""
    pages = read_pages(path, layout)
    unnumbered = source is not None and first_page_unnumbered(source)
    checks = [
        _paper(pages, layout),
        _type_area(pages, layout),
        *_grid(pages, layout),
        *_fonts(pages, layout),
        *_page_numbers(pages, layout, first_unnumbered=unnumbered),
        *_annexes(pages, layout),
        *signature_checks(pages, layout),  # a report or summary that ends with a 署名 (7.3.5.4)
    ]
    if all(page.landscape for page in pages):
        # A table document (annex, leader sheet, 修改对照表) has no running text in 3号 and is no annex of
        # a portrait document: the body-text rules do not apply to it.
        checks = [c for c in checks if c.rule not in PORTRAIT_BODY_RULES]
    if source is not None:
        checks += _fidelity(check_fidelity(source, path, layout), layout)
    return checks


LOST_SHOWN = 6  # lost characters named one by one
PORTRAIT_BODY_RULES = (
    "每面行数",
    "每面行数（整页正文）",
    "每行字数（满行）",
    "正文字体字号",
    "一级标题（一、）字体",
    "二级标题（（一））字体",
    "横排附件页",
)


def _fidelity(result: Fidelity, layout: Layout) -> list[Check]:
    clause = layout.clause("grid.chars_per_line")
    named = "；".join(lost.describe() for lost in result.lost[:LOST_SHOWN])
    more = f"等 {len(result.lost)} 字" if len(result.lost) > LOST_SHOWN else ""
    return [
        Check(
            clause,
            "文字与 .docx 一致（无丢字）",
            f".docx 的 {result.expected} 字（不计空格）全部印出",
            f"丢 {len(result.lost)} 字：{named}{more}" if result.lost else f"{result.expected} 字全部印出",
            not result.lost,
            "pdf",
        ),
        Check(
            clause,
            "文字顺序（表格外）",
            "与 .docx 同序",
            f"{result.out_of_order} 字不在 .docx 的位置" if result.out_of_order else "同序",
            not result.out_of_order,
            "pdf",
        ),
    ]


def _pages_text(numbers: list[int]) -> str:
    shown = "、".join(map(str, numbers[:8])) + ("…" if len(numbers) > 8 else "")
    return f"第 {shown} 页"


def _paper(pages: list[Page], layout: Layout) -> Check:
    bad = [p.number for p in pages if sorted((p.width, p.height)) != sorted(A4_PT) and not _close_a4(p)]
    landscape = [p.number for p in pages if p.landscape]
    measured = f"{len(pages)} 页 A4" if not bad else f"{_pages_text(bad)}不是 A4"
    if landscape:
        measured += f"，横排 {len(landscape)} 页（第 {landscape[0]}–{landscape[-1]} 页）"
    return Check(layout.clause("page.width_mm"), "纸张 A4", "210×297mm", measured, not bad, "pdf")


def _close_a4(page: Page) -> bool:
    short, long_ = sorted((page.width, page.height))
    return abs(short - A4_PT[0]) < 1 and abs(long_ - A4_PT[1]) < 1


def _type_area(pages: list[Page], layout: Layout) -> Check:
    worst = 0.0
    where: list[int] = []
    for page in pages:
        for line in page.lines:
            over = max(
                page.left - line.x0,
                line.x1 - page.right,
                page.top - line.top,
                line.bottom - page.bottom,
                0.0,
            )
            if over > TOLERANCE_PT:
                where.append(page.number)
            worst = max(worst, over)
    return Check(
        layout.clause("page.margin_top_mm"),
        "文字在版心内",
        "版心 156×225mm，±1mm",
        f"最大越出 {worst * MM_PER_PT:.1f}mm" + (f"（{_pages_text(sorted(set(where)))}）" if where else ""),
        not where,
        "pdf",
    )


def _body_size(layout: Layout) -> float:
    return layout.style("正文").size_pt


def _full_pages(pages: list[Page], layout: Layout) -> list[Page]:
    """Portrait body pages the text runs on from: not the last of a portrait run, only body-size text on
    them (a title is larger; a table's cells, as in a 摘要 letter, or a 版记 are smaller)."""
    result = []
    for page, following in zip(pages, pages[1:], strict=False):
        if page.landscape or following.landscape:
            continue
        if any(abs(line.size - _body_size(layout)) > 1 for line in page.lines):
            continue
        result.append(page)
    return result


def _grid(pages: list[Page], layout: Layout) -> list[Check]:
    full = _full_pages(pages, layout)
    clause = layout.clause("grid.lines_per_page")
    if not full:
        if _only_tables_after_the_first(pages, layout):
            # A 摘要 letter: its first page has the title, the rest are task tables; no page is running
            # text, so the grid has nothing to measure (the tables' own rules are checked elsewhere).
            return [
                Check(
                    clause,
                    "每面行数",
                    f"{layout.lines_per_page} 行",
                    "无整页正文（只有表格页），不适用",
                    True,
                    "pdf",
                )
            ]
        if _text_never_fills_a_page(pages, layout):
            # A short letter (退回通知, 督办单): its text ends on the page it starts on, or on the page after
            # the title's: no page is a full body page, so the grid has nothing to measure.
            return [
                Check(
                    clause,
                    "每面行数",
                    f"{layout.lines_per_page} 行",
                    "正文不足一整页（末页不是整页正文），不适用",
                    True,
                    "pdf",
                )
            ]
        return [Check(clause, "每面行数", f"{layout.lines_per_page} 行", "无整页正文", False, "pdf")]
    counts = Counter(len(page.lines) for page in full)
    over = [p.number for p in full if len(p.lines) > layout.lines_per_page]
    typical = counts.most_common(1)[0][0]
    pitches = [b.top - a.top for page in full for a, b in zip(page.lines, page.lines[1:], strict=False)]
    pitch_pt = statistics.median(pitches)
    lines_check = Check(
        clause,
        "每面行数（整页正文）",
        f"{layout.lines_per_page} 行，行距 {layout.line_pitch_twips / 20:g} 磅",
        f"{typical} 行（{counts[typical]}/{len(full)} 页），行距 {pitch_pt:.2f} 磅"
        + (f"，超出：{_pages_text(over)}" if over else ""),
        typical == layout.lines_per_page and not over and abs(pitch_pt - layout.line_pitch_twips / 20) < 0.2,
        "pdf",
    )
    char_pt = _body_size(layout)
    widths = []
    for page in full:
        for line in page.lines:
            starts_at_margin = abs(line.x0 - page.left) < 2
            reaches_right = line.x1 > page.right - char_pt / 2
            all_wide = all(_is_cjk(c["text"]) for c in line.chars)
            if starts_at_margin and reaches_right and all_wide and abs(line.size - char_pt) < 0.5:
                widths.append(len(line.chars))
    per_line = Counter(widths)
    typical_chars = per_line.most_common(1)[0][0] if per_line else 0
    chars_check = Check(
        layout.clause("grid.chars_per_line"),
        "每行字数（满行）",
        f"{layout.chars_per_line} 字",
        f"{typical_chars} 字（{per_line[typical_chars]}/{len(widths)} 行），最多 {max(widths, default=0)} 字",
        typical_chars == layout.chars_per_line and max(widths, default=0) <= layout.chars_per_line,
        "pdf",
    )
    return [lines_check, chars_check]


def _text_never_fills_a_page(pages: list[Page], layout: Layout) -> bool:
    """One portrait page, or two whose first carries the title (larger than the body): the last page ends
    the text and the first is not all body text, so no page could be a full body page."""
    portrait = [p for p in pages if not p.landscape]
    if len(portrait) != len(pages) or not 1 <= len(portrait) <= 2:
        return False
    return len(portrait) == 1 or any(line.size > _body_size(layout) + 1 for line in portrait[0].lines)


def _only_tables_after_the_first(pages: list[Page], layout: Layout) -> bool:
    """Every page after the first carries text smaller than the body (table cells), none larger."""
    rest = [p for p in pages[1:] if not p.landscape]
    body = _body_size(layout)
    return bool(rest) and all(
        any(line.size < body - 1 for line in page.lines) and all(line.size <= body + 1 for line in page.lines)
        for page in rest
    )


def _dominant_font(lines: list[Line]) -> tuple[str, float]:
    counts: Counter = Counter()
    for line in lines:
        counts.update(line.cjk_fonts())
    if not counts:
        return "", 0.0
    name, n = counts.most_common(1)[0]
    return name, n / sum(counts.values())


def _font_check(clause: str, rule: str, font: str, size: float, lines: list[Line]) -> Check:
    name, share = _dominant_font(lines)
    sizes = sorted({line.size for line in lines})
    ok = bool(lines) and same_face(name, font) and share > 0.97 and sizes == [size]
    return Check(
        clause,
        rule,
        f"{font} {size:g}磅",
        f"{short_name(name)}（{share:.0%}）{'/'.join(f'{s:g}' for s in sizes)}磅，{len(lines)} 行"
        if lines
        else "未找到",
        ok,
        "pdf",
    )


def _fonts(pages: list[Page], layout: Layout) -> list[Check]:
    body_style = layout.style("正文")
    portrait = [p for p in pages if not p.landscape]
    indent = 2 * body_style.size_pt
    body, part_headings, section_headings = [], [], []
    for page in portrait:
        for line in page.lines:
            if abs(line.size - body_style.size_pt) > 0.5:
                continue
            first_line = abs(line.x0 - page.left - indent) < 2
            if first_line and _PART_HEADING.match(line.text):
                part_headings.append(line)
            elif first_line and _SECTION_HEADING.match(line.text):
                section_headings.append(line)
            elif abs(line.x0 - page.left) < 2 or first_line:
                body.append(line)
    every_line = [line for page in portrait for line in page.lines]
    checks = [_font_check(body_style.clause, "正文字体字号", body_style.east_asia, body_style.size_pt, body)]
    for style, rule, pattern, found in (
        ("一级标题", "一级标题（一、）字体", _PART_HEADING, part_headings),
        ("二级标题", "二级标题（（一））字体", _SECTION_HEADING, section_headings),
    ):
        check = _font_check(
            layout.style(style).clause, rule, layout.style(style).east_asia, body_style.size_pt, found
        )
        if not found and not any(pattern.match(line.text) for line in every_line):
            # No such heading anywhere in the text (a 摘要 letter has no （一）): nothing to measure. A
            # heading printed out of place is still found by its words and fails above.
            check = replace(check, measured="文中无此级标题，不适用", passed=True)
        checks.append(check)
    title_style = layout.style("公文标题")
    first = pages[0]
    titles = [line for line in first.lines if line.size > body_style.size_pt + 1]
    title_check = _font_check(
        title_style.clause, "标题字体字号", title_style.east_asia, title_style.size_pt, titles[:1]
    )
    if titles:
        centre = (first.left + first.right) / 2
        offset = max(abs((line.x0 + line.x1) / 2 - centre) for line in titles)
        centred = offset < body_style.size_pt / 2
        title_check = Check(
            title_check.clause,
            "标题字体字号，居中",
            title_check.expected + " 居中",
            title_check.measured + f"，偏离中线 {offset * MM_PER_PT:.1f}mm",
            title_check.passed and centred,
            "pdf",
        )
    fallback = sorted(
        {
            short_name(c["fontname"])
            for p in pages
            for ln in p.lines
            for c in ln.chars
            if _is_cjk(c["text"]) and "dejavu" in c["fontname"].lower()
        }
    )
    checks.append(title_check)
    checks.append(
        Check(
            layout.clause("fonts.fangsong"),
            "中文未落到替代字体",
            "无 DejaVu 等缺字回退",
            "、".join(fallback) or "无",
            not fallback,
            "pdf",
        )
    )
    return checks


def _page_numbers(pages: list[Page], layout: Layout, first_unnumbered: bool = False) -> list[Check]:
    """Every page's own "— N —" as text in 4号 (7.5); a letter's first page has none (10.1)."""
    clause = layout.clause("page_number.prefix")
    pattern = page_number_pattern(layout)
    number_style = layout.style("页码")
    indent = layout.page_number_indent_chars * number_style.size_pt
    wrong_text, wrong_size, wrong_side, wrong_turned, distances = [], [], [], [], []
    sizes: Counter = Counter()
    numbered = pages[1:] if first_unnumbered else pages
    landscape = [p.number for p in numbered if p.landscape]
    expected_gap_mm = layout.page_number_gap_mm
    if first_unnumbered and pages and pages[0].footer and pattern.match(pages[0].footer.text):
        wrong_text.append(1)
    for page in numbered:
        footer = page.footer
        if page.landscape and not _landscape_number_placed(page, footer, indent, expected_gap_mm):
            wrong_turned.append(page.number)
        match = pattern.match(footer.text) if footer else None
        if footer is None or not match or int(match.group(1)) != page.number:
            wrong_text.append(page.number)
            continue
        sizes[footer.size] += 1
        if abs(footer.size - number_style.size_pt) > 0.5:
            wrong_size.append(page.number)
        if page.landscape:
            continue
        gap = page.right - footer.x1 if page.number % 2 else footer.x0 - page.left
        if abs(gap - indent) > 3:
            wrong_side.append(page.number)
        distances.append((footer.middle - page.bottom) * MM_PER_PT)
    side_text = "单页居右、双页居左，空一字"
    low = min(distances, default=0.0)
    high = max(distances, default=0.0)
    checks = [
        Check(
            clause,
            "页码文字",
            f"“{layout.page_number_prefix}N{layout.page_number_suffix}”，N 连续"
            + ("；首页不印页码（信函）" if first_unnumbered else ""),
            f"{len(pages) - len(wrong_text)}/{len(pages)} 页正确"
            + (f"，错：{_pages_text(wrong_text)}" if wrong_text else ""),
            not wrong_text,
            "pdf",
        ),
        Check(
            clause,
            "页码字号",
            f"{number_style.size_pt:g} 磅（4 号）",
            "、".join(f"{size:g} 磅" for size in sorted(sizes))
            + (f"，错：{_pages_text(wrong_size)}" if wrong_size else ""),
            bool(sizes) and not wrong_size,
            "pdf",
        ),
    ]
    if not numbered and not wrong_text:
        # A one-page letter: its only page is the first, which carries no page number (10.1), and none is
        # printed there (a number on it fails 页码文字): no number to measure.
        checks[1] = replace(checks[1], measured="仅一页，信函首页不印页码，不适用", passed=True)
    if len(landscape) < len(numbered):
        checks += [
            Check(
                clause,
                "页码位置（纵向页）",
                side_text,
                "全部正确" if not wrong_side else f"错：{_pages_text(wrong_side)}",
                not wrong_side and bool(distances),
                "pdf",
            ),
            Check(
                layout.clause("page_number.below_type_area_mm"),
                "页码一字线距版心下边缘",
                f"{expected_gap_mm:g}mm ±1",
                f"{low:.1f}–{high:.1f}mm",
                bool(distances) and abs(low - expected_gap_mm) <= 1 and abs(high - expected_gap_mm) <= 1,
                "pdf",
            ),
        ]
    if landscape:
        checks.append(
            Check(
                layout.clause("landscape.page_number.width_mm"),
                "页码位置（横排页）",
                f"与纵向页一致：转 90° 自上而下，在左边距版心 {expected_gap_mm:g}mm ±1；单页居下、双页居上，空一字",
                f"{len(landscape) - len(wrong_turned)}/{len(landscape)} 页正确"
                + (f"，错：{_pages_text(wrong_turned)}" if wrong_turned else ""),
                not wrong_turned,
                "pdf",
            )
        )
    return checks


def _landscape_number_placed(page: Page, footer: Line | None, indent: float, gap_mm: float) -> bool:
    """A landscape page is a portrait page turned clockwise (binding edge up, 8): its page number runs down
    the left edge, outside the type area as far as below it on portrait pages; odd pages at the lower end,
    even pages at the upper end, one character in."""
    if footer is None or not footer.turned:
        return False
    gap = (page.left - (footer.x0 + footer.x1) / 2) * MM_PER_PT
    along = page.bottom - footer.bottom if page.number % 2 else footer.top - page.top
    return abs(gap - gap_mm) <= 1 and abs(along - indent) <= 3


def _row(page: Page, line: Line, layout: Layout) -> int:
    """1-based grid line of the type area that a text line's middle falls in."""
    return int((line.middle - page.top) // (layout.line_pitch_twips / 20)) + 1


def _annexes(pages: list[Page], layout: Layout) -> list[Check]:
    label = re.compile(rf"^{re.escape(layout.annex_label)}\d*$")
    label_style = layout.style("附件标签")
    checks = []
    annex_pages = []
    for page in pages:
        if not page.lines or not label.match(page.lines[0].text):
            continue
        annex_pages.append(page.number)
        head = page.lines[0]
        title = next((ln for ln in page.lines[1:] if ln.size > label_style.size_pt + 1), None)
        fonts = head.cjk_fonts()
        label_ok = (
            abs(head.x0 - page.left) < 2
            and _row(page, head, layout) == 1
            and bool(fonts)
            and same_face(fonts.most_common(1)[0][0], label_style.east_asia)
        )
        title_row = _row(page, title, layout) if title else 0
        centre_offset = abs((title.x0 + title.x1) / 2 - (page.left + page.right) / 2) if title else 0.0
        title_ok = title is not None and title_row == 3 and centre_offset < label_style.size_pt / 2
        checks.append(
            Check(
                label_style.clause,
                f"第 {page.number} 页附件标签与标题",
                f"“{layout.annex_label}”{label_style.east_asia}顶格第 1 行；标题居中第 3 行",
                f"标签第 {_row(page, head, layout)} 行，距左 {(head.x0 - page.left) * MM_PER_PT:.1f}mm，"
                f"{short_name(fonts.most_common(1)[0][0]) if fonts else '?'}；"
                f"标题第 {title_row} 行，偏离中线 {centre_offset * MM_PER_PT:.1f}mm",
                label_ok and title_ok,
                "pdf",
            )
        )
    landscape = [p.number for p in pages if p.landscape]
    if landscape:
        runs_start = [n for n in landscape if n - 1 not in landscape]
        ok = all(n in annex_pages for n in runs_start)
        checks.append(
            Check(
                layout.clause("landscape.width_mm"),
                "横排附件页",
                "横排页从附件首页开始，页码连续",
                f"横排：第 {landscape[0]}–{landscape[-1]} 页；起始页 {runs_start}，附件首页 {annex_pages}",
                ok,
                "pdf",
            )
        )
    return checks
