"""GB/T 9704 文件格式 measured on the PDF: the notice's 版头 (7.2), its title, 主送, 附件说明 and date
(7.3), and the issued document's 版记 on the last even page (7.4). Numbers from layout.yaml's notice.

Positions are read from pdfplumber: a character's top/bottom are its em box (not the ink), rules are
the page's horizontal lines and thin rectangles with their stroke or fill colour."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from ..layout import Layout
from .fidelity import check_fidelity
from .fonts import same_face, short_name
from .pdf_checks import (
    PT_PER_MM,
    TOLERANCE_PT,
    Line,
    Page,
    _annexes,
    _fidelity,
    _fonts,
    _grid,
    _page_numbers,
    _paper,
    _type_area,
    read_pages,
)
from .result import MM_PER_PT, Check
from .signature import signature_checks
from .status_checks import issued_status_check

DOC_NUMBER = re.compile(r"^\S+〔\d{4}〕[1-9]\d*号$")
DATE = re.compile(r"^\d{4}年[1-9]\d?月[1-9]\d?日$")
THICKNESS_TOLERANCE_MM = 0.06


@dataclass(frozen=True)
class Rule:
    x0: float
    x1: float
    y: float
    thickness: float  # pt
    color: tuple

    @property
    def red(self) -> bool:
        return _red(self.color)


def _red(color: object) -> bool:
    return isinstance(color, tuple | list) and len(color) == 3 and color[0] > 0.8 and max(color[1:]) < 0.2


def read_rules(path: Path) -> list[list[Rule]]:
    """Horizontal rules of each page, top to bottom, one per position (LibreOffice may draw one twice)."""
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            found: dict[tuple, Rule] = {}
            for line in page.lines:
                if abs(line["top"] - line["bottom"]) < 0.5 and line["x1"] - line["x0"] > 20:
                    rule = Rule(
                        line["x0"], line["x1"], line["top"], line["linewidth"], line["stroking_color"]
                    )
                    found.setdefault((round(rule.y, 1), round(rule.x0), round(rule.x1)), rule)
            for rect in page.rects + page.curves:  # a drawn rule may come as a flat filled path
                height = rect["bottom"] - rect["top"]
                if height < 3.5 and rect["x1"] - rect["x0"] > 20:  # up to a 3 pt rule
                    y = (rect["top"] + rect["bottom"]) / 2
                    colour = rect["non_stroking_color"] if rect.get("fill") else rect["stroking_color"]
                    rule = Rule(rect["x0"], rect["x1"], y, height, colour)
                    found.setdefault((round(y, 1), round(rule.x0), round(rule.x1)), rule)
            pages.append(sorted(found.values(), key=lambda r: r.y))
    return pages


def _mm(pt: float) -> str:
    return f"{pt * MM_PER_PT:.1f}mm"


def _centre_offset(page: Page, line: Line) -> float:
    return abs((line.x0 + line.x1) / 2 - (page.left + page.right) / 2)


def _line_red(line: Line) -> bool:
    return bool(line.chars) and all(_red(c.get("non_stroking_color")) for c in line.chars)


def notice_checks(pages: list[Page], rules: list[list[Rule]], layout: Layout) -> list[Check]:
    """The notice on its first pages: 版头, title, 主送机关, 附件说明, signature and date."""
    n = layout.part("notice")
    body = layout.style("正文").size_pt
    pitch = layout.line_pitch_twips / 20
    first = pages[0]
    lines = list(first.lines)
    if not lines:
        return [Check("7.2.4", "发文机关标志", "首页有版头", "首页无文字", False, "pdf")]
    mark = lines[0]
    spec = n["organ_mark"]
    top_gap = mark.top - first.top
    fonts = mark.cjk_fonts()
    mark_font_ok = bool(fonts) and same_face(fonts.most_common(1)[0][0], layout.style("公文标题").east_asia)
    checks = [
        Check(
            layout.clause("notice.organ_mark.top_below_type_area_mm"),
            "发文机关标志：红色小标宋、居中、上边缘距版心上边缘",
            f"红色 {layout.style('公文标题').east_asia} {spec['size_pt']:g}磅，居中，"
            f"{spec['top_below_type_area_mm']:g}mm ±1",
            f"“{mark.text}”{'红色' if _line_red(mark) else '非红色'} "
            f"{short_name(fonts.most_common(1)[0][0]) if fonts else '?'} {mark.size:g}磅，"
            f"偏离中线 {_mm(_centre_offset(first, mark))}，距版心上边缘 {_mm(top_gap)}",
            _line_red(mark)
            and mark_font_ok
            and abs(mark.size - spec["size_pt"]) < 0.5
            and _centre_offset(first, mark) < body / 2
            and abs(top_gap - spec["top_below_type_area_mm"] * PT_PER_MM) <= TOLERANCE_PT,
            "pdf",
        )
    ]
    number = lines[1] if len(lines) > 1 else None
    gap_lines = (number.top - mark.bottom) / pitch if number else 0.0
    want = n["doc_number"]["lines_below_mark"]
    checks.append(
        Check(
            layout.clause("notice.doc_number.lines_below_mark"),
            "发文字号：标志下空二行，居中，〔〕括年份，序号后加“号”",
            f"空 {want} 行（{want}–{want + 1} 行距），居中，如“崇安委〔2023〕1号”",
            f"“{number.text}”，距标志 {gap_lines:.1f} 行距，偏离中线 {_mm(_centre_offset(first, number))}"
            if number
            else "未找到",
            number is not None
            and DOC_NUMBER.match(number.text.replace(" ", "")) is not None
            and want <= gap_lines <= want + 1
            and _centre_offset(first, number) < body / 2,
            "pdf",
        )
    )
    sep = n["separator"]
    red = [r for r in rules[0] if r.red and number is not None and r.y > number.bottom]
    separator = red[0] if red else None
    width = first.right - first.left
    checks.append(
        Check(
            layout.clause("notice.separator.below_doc_number_mm"),
            "版头红色分隔线：字号下 4mm，与版心等宽",
            f"红色，距字号 {sep['below_doc_number_mm']:g}mm ±1，长 {_mm(width)} ±1，与版心左右齐",
            f"距字号 {_mm(separator.y - number.bottom)}，长 {_mm(separator.x1 - separator.x0)}，"
            f"左 {_mm(separator.x0 - first.left)}"
            if separator and number
            else "未找到红色分隔线",
            separator is not None
            and number is not None
            and abs(separator.y - number.bottom - sep["below_doc_number_mm"] * PT_PER_MM) <= TOLERANCE_PT
            and abs(separator.x1 - separator.x0 - width) <= TOLERANCE_PT
            and abs(separator.x0 - first.left) <= TOLERANCE_PT,
            "pdf",
        )
    )
    title_style = layout.style("公文标题")
    after = [ln for ln in lines if separator and ln.top > separator.y]
    titles = []
    for line in after:
        if abs(line.size - title_style.size_pt) > 0.5:
            break
        titles.append(line)
    want = n["title_lines_below_separator"]
    title_gap = (titles[0].top - separator.y) / pitch if titles and separator else 0.0
    widths = [len(t.text.replace(" ", "")) for t in titles]
    checks.append(
        Check(
            layout.clause("notice.title_lines_below_separator"),
            "标题：分隔线下空二行，2号小标宋居中，梯形或菱形",
            f"空 {want} 行（{want}±0.5 行距），{title_style.size_pt:g}磅，各行居中，每行不超过"
            f" {n['title_max_chars']} 字",
            f"{len(titles)} 行 {'/'.join(t.text.replace(' ', '') for t in titles)}，距分隔线 {title_gap:.1f} 行距"
            if titles
            else "未找到标题",
            bool(titles)
            and abs(title_gap - want) <= 0.5
            and all(_centre_offset(first, t) < body / 2 for t in titles)
            and all(same_face(t.cjk_fonts().most_common(1)[0][0], title_style.east_asia) for t in titles)
            and max(widths) <= n["title_max_chars"],
            "pdf",
        )
    )
    rest = after[len(titles) :]
    addressee = rest[0] if rest else None
    checks.append(
        Check(
            "7.3.2",
            "主送机关：标题下空一行，居左顶格，末尾全角冒号",
            "顶格 ±1mm，标题下 1–2 行距，以“：”结尾",
            f"“{addressee.text[:12]}…”距左 {_mm(addressee.x0 - first.left)}，距标题 "
            f"{(addressee.top - titles[-1].bottom) / pitch:.1f} 行距"
            if addressee and titles
            else "未找到",
            addressee is not None
            and bool(titles)
            and abs(addressee.x0 - first.left) <= TOLERANCE_PT
            and 1 <= (addressee.top - titles[-1].bottom) / pitch <= 2
            and _addressee_ends(rest),
            "pdf",
        )
    )
    checks += _closing(pages, layout)
    return checks


def _addressee_ends(lines: list[Line]) -> bool:
    """The 主送 runs on flush left until a line ending with the full-width colon."""
    for line in lines:
        if line.text.endswith("："):
            return True
        if abs(line.x0 - lines[0].x0) > 1:
            return False
    return False


def _closing(pages: list[Page], layout: Layout) -> list[Check]:
    """附件说明 two characters in one line below the body; the date four characters in from the right,
    the signature centred over it."""
    n = layout.part("notice")
    body = layout.style("正文").size_pt
    pitch = layout.line_pitch_twips / 20
    label = n["attachment_label"]
    found = [(page, i, ln) for page in pages for i, ln in enumerate(page.lines) if ln.text.startswith(label)]
    checks = []
    if found:
        page, i, line = found[0]
        before = page.lines[i - 1] if i else None
        gap = (line.top - before.bottom) / pitch if before else 0.0
        indent = line.x0 - page.left
        checks.append(
            Check(
                layout.clause("notice.attachment_label"),
                "附件说明：正文下空一行，左空二字",
                f"左空 2 字（{_mm(2 * body)}）±1mm，正文下 1–2 行距",
                f"第 {page.number} 页，左空 {_mm(indent)}，距正文 {gap:.1f} 行距",
                abs(indent - 2 * body) <= TOLERANCE_PT and 1 <= gap <= 2,
                "pdf",
            )
        )
    else:
        checks.append(
            Check(layout.clause("notice.attachment_label"), "附件说明", f"“{label}…”", "未找到", False)
        )
    dated = [
        (page, i, ln)
        for page in pages
        for i, ln in enumerate(page.lines)
        if DATE.match(ln.text.replace(" ", ""))
    ]
    right = n["date_right_chars"]
    if dated:
        page, i, date = dated[0]
        signature = page.lines[i - 1] if i else None
        gap = page.right - date.x1
        offset = abs((signature.x0 + signature.x1) / 2 - (date.x0 + date.x1) / 2) if signature else 99.0
        checks.append(
            Check(
                layout.clause("notice.date_right_chars"),
                "成文日期右空四字，署名以日期居中",
                f"右空 {right} 字（{_mm(right * body)}）±1mm；署名中线偏离日期中线不超过 1 字",
                f"右空 {_mm(gap)}；署名“{signature.text if signature else '?'}”偏离 {_mm(offset)}",
                abs(gap - right * body) <= TOLERANCE_PT and offset <= body,
                "pdf",
            )
        )
    else:
        checks.append(
            Check(layout.clause("notice.date_right_chars"), "成文日期", "如“2023年3月1日”", "未找到", False)
        )
    return checks


def _notice_pages(pages: list[Page], layout: Layout) -> list[Page]:
    """The notice's pages: up to the first page that opens with the attachment label."""
    label = re.compile(rf"^{re.escape(layout.annex_label)}\d*$")
    out: list[Page] = []
    for page in pages:
        if page.lines and label.match(page.lines[0].text) and out:
            break
        out.append(page)
    return out


def imprint_checks(pages: list[Page], rules: list[list[Rule]], layout: Layout) -> list[Check]:
    """版记 on the last page, an even one; the page before it blank when one had to be added; neither
    numbered (7.5); rules 0.35/0.25/0.35 mm the width of the type area, the last on its bottom edge."""
    spec = layout.part("notice")["imprint"]
    last = pages[-1]
    char = spec["size_pt"]
    copies = next((ln for ln in last.lines if ln.text.startswith("抄送：")), None)
    issued = next((ln for ln in last.lines if ln.text.replace(" ", "").endswith("印发")), None)
    blank_before = len(pages) > 1 and not pages[-2].lines and pages[-2].footer is None
    checks = [
        Check(
            layout.clause("notice.imprint.last_rule_on_type_area_bottom"),
            "版记在最后一面（偶数页），版记页不编页码",
            "末页为偶数页，无页码；之前如有空白页，也无页码",
            f"共 {len(pages)} 页，末页{'有' if last.footer else '无'}页码"
            + ("，前有空白页" if blank_before else ""),
            len(pages) % 2 == 0 and last.footer is None and copies is not None and issued is not None,
            "pdf",
        )
    ]
    expected = [spec["outer_rule_mm"], spec["inner_rule_mm"], spec["outer_rule_mm"]]
    ruled_ok, ruled_text = _imprint_rules(last, _imprint_zone(last, rules[-1], copies), expected)
    checks.append(
        Check(
            layout.clause("notice.imprint.outer_rule_mm"),
            "版记分隔线：粗细、与版心等宽，末条与版心下边缘重合",
            "首末 0.35mm、中间 0.25mm（±0.06），长 156mm ±1，末条距版心下边缘 ≤1mm",
            ruled_text,
            ruled_ok,
            "pdf",
        )
    )
    indent = spec["indent_chars"] * char
    placed = (
        copies is not None
        and issued is not None
        and abs(copies.x0 - last.left - indent) <= TOLERANCE_PT
        and abs(issued.x0 - last.left - indent) <= TOLERANCE_PT
        and abs(last.right - issued.x1 - indent) <= TOLERANCE_PT
        and _copies_end(last, copies)
    )
    checks.append(
        Check(
            layout.clause("notice.imprint.indent_chars"),
            "抄送、印发机关和印发日期",
            "4号仿宋；抄送左空一字、句号结尾；印发机关左空一字，印发日期右空一字，加“印发”",
            f"抄送距左 {_mm(copies.x0 - last.left)}；印发行左 {_mm(issued.x0 - last.left)}、"
            f"右 {_mm(last.right - issued.x1)}，{issued.size:g}磅"
            if copies and issued
            else "未找到抄送或印发行",
            placed and issued is not None and abs(issued.size - char) < 0.5,
            "pdf",
        )
    )
    return checks


def _imprint_zone(page: Page, page_rules: list[Rule], copies: Line | None) -> list[Rule]:
    """The 版记's rules: black, from just above the 抄送 line down to the type area's bottom edge."""
    start = (copies.top if copies else page.bottom) - 15
    return [r for r in page_rules if not r.red and start <= r.y <= page.bottom + TOLERANCE_PT]


def _imprint_rules(page: Page, ruled: list[Rule], expected_mm: list[float]) -> tuple[bool, str]:
    """Each rule as thick as expected (7.4.1), the type area wide and flush with it, the last one on the
    type area's bottom edge: (passed, what was measured)."""
    width = page.right - page.left
    measured = [r.thickness * MM_PER_PT for r in ruled]
    thickness_ok = len(ruled) == len(expected_mm) and all(
        abs(m - e) <= THICKNESS_TOLERANCE_MM for m, e in zip(measured, expected_mm, strict=True)
    )
    span_ok = all(
        abs(r.x1 - r.x0 - width) <= TOLERANCE_PT and abs(r.x0 - page.left) <= TOLERANCE_PT for r in ruled
    )
    bottom_gap = (page.bottom - ruled[-1].y) if ruled else 999.0
    text = (
        f"{len(ruled)} 条：{'/'.join(f'{m:.2f}' for m in measured)}mm，"
        f"长 {'/'.join(_mm(r.x1 - r.x0) for r in ruled)}，末条距版心下边缘 {_mm(bottom_gap)}"
    )
    return thickness_ok and span_ok and abs(bottom_gap) <= TOLERANCE_PT, text


def _copies_end(page: Page, copies: Line) -> bool:
    """The 抄送 element (possibly several lines) ends with "。" before the 印发 line."""
    after = page.lines[page.lines.index(copies) :]
    for line in after:
        if line.text.replace(" ", "").endswith("印发"):
            return False
        if line.text.endswith("。"):
            return True
    return False


def letterhead(path: Path, layout: Layout) -> str | None:
    """ "document" (文件格式: a red organ mark inside the type area), "letter" (信函格式: above it) or None:
    the first line of page 1 in red, larger than a title."""
    with pdfplumber.open(path) as pdf:
        if not pdf.pages:
            return None
        chars = sorted(pdf.pages[0].chars, key=lambda c: (round(c["top"]), c["x0"]))
    head = [c for c in chars if c["text"].strip()][:4]
    marked = bool(head) and all(
        _red(c.get("non_stroking_color")) and c["size"] > layout.style("公文标题").size_pt for c in head
    )
    if not marked:
        return None
    return "letter" if head[0]["top"] < layout.page.margin_top_mm * PT_PER_MM else "document"


def check_notice_pdf(path: Path, layout: Layout, source: Path | None = None) -> list[Check]:
    """A notice alone, or the issued document (notice, attachment, 版记); with its .docx (source) also
    that every character of the body is printed, in order."""
    checks = _notice_pdf(path, layout)
    if source is not None:
        checks += _fidelity(check_fidelity(source, path, layout), layout)
    return checks


def _notice_pdf(path: Path, layout: Layout) -> list[Check]:
    pages = read_pages(path, layout)
    rules = read_rules(path)
    notice = _notice_pages(pages, layout)
    checks = [_paper(pages, layout), *notice_checks(notice, rules, layout), *signature_checks(notice, layout)]
    rest = pages[len(notice) :]
    if not rest:  # the notice alone
        return checks + [_type_area(pages, layout), *_page_numbers(pages, layout)]
    tail = 1 + (1 if len(pages) > 1 and not pages[-2].lines and pages[-2].footer is None else 0)
    attachment = rest[:-tail] if len(rest) > tail else rest
    numbered = notice + attachment
    printed = ((page.number, line.text) for page in pages for line in page.lines)
    return (
        checks
        + [_type_area(pages, layout), *_grid(attachment, layout), *_fonts(attachment, layout)]
        + [*_page_numbers(numbered, layout), *_annexes(attachment, layout)]
        + imprint_checks(pages, rules, layout)
        + [issued_status_check(printed, layout)]
    )


def _double_rule(rules: list[Rule]) -> tuple[Rule, Rule] | None:
    """The first two red rules close together (a double rule), upper first."""
    red = [r for r in rules if r.red]
    for upper, lower in zip(red, red[1:], strict=False):
        if lower.y - upper.y < 3 * PT_PER_MM:
            return upper, lower
    return None


def _rule_text(pair: tuple[Rule, Rule] | None) -> str:
    if pair is None:
        return "未找到"
    upper, lower = pair
    return (
        f"上 {upper.thickness:g} 磅、下 {lower.thickness:g} 磅，长 {_mm(upper.x1 - upper.x0)}，"
        f"左端距页边 {_mm(upper.x0)}"
    )


def letter_checks(pages: list[Page], rules: list[list[Rule]], layout: Layout) -> list[Check]:
    """信函格式 on the first page (10.1): the organ mark 30mm from the top edge, the red double rules 4mm
    below it (thick over thin) and 20mm above the bottom edge (thin over thick), 170mm and centred, the
    发文字号 flush right under the first rule, the title two lines below, no page number."""
    spec = layout.part("letter_format")
    first = pages[0]
    pitch = layout.line_pitch_twips / 20
    mark = first.lines[0]
    length = spec["rule_length_mm"] * PT_PER_MM
    left = first.left - (length - (first.right - first.left)) / 2  # centred on the type area

    def placed(pair: tuple[Rule, Rule] | None, thick_first: bool) -> bool:
        if pair is None:
            return False
        upper, lower = pair
        thicker = upper.thickness > lower.thickness if thick_first else upper.thickness < lower.thickness
        return thicker and all(
            abs(r.x1 - r.x0 - length) <= TOLERANCE_PT and abs(r.x0 - left) <= TOLERANCE_PT for r in pair
        )

    top_pair = _double_rule([r for r in rules[0] if r.y > mark.bottom and r.y < first.top + 20 * PT_PER_MM])
    bottom_pair = _double_rule([r for r in rules[0] if r.y > first.height - 40 * PT_PER_MM])
    below_mark = top_pair[0].y - top_pair[0].thickness / 2 - mark.bottom if top_pair else 0.0
    bottom_middle = (
        first.height
        - (
            (bottom_pair[0].y - bottom_pair[0].thickness / 2)
            + (bottom_pair[1].y + bottom_pair[1].thickness / 2)
        )
        / 2
        if bottom_pair
        else 0.0
    )
    checks = [
        Check(
            layout.clause("letter_format.mark_top_mm"),
            "信函发文机关标志：红色，居中，上边缘距上页边",
            f"红色居中，{spec['mark_top_mm']:g}mm ±1",
            f"“{mark.text}”{'红色' if _line_red(mark) else '非红色'}，距上页边 {_mm(mark.top)}，"
            f"偏离中线 {_mm(_centre_offset(first, mark))}",
            _line_red(mark)
            and abs(mark.top - spec["mark_top_mm"] * PT_PER_MM) <= TOLERANCE_PT
            and _centre_offset(first, mark) < layout.style("正文").size_pt / 2,
            "pdf",
        ),
        Check(
            layout.clause("letter_format.rule_below_mark_mm"),
            "标志下红色双线（上粗下细）",
            f"标志下 {spec['rule_below_mark_mm']:g}mm ±1，长 {spec['rule_length_mm']:g}mm ±1，居中",
            f"距标志 {_mm(below_mark)}；{_rule_text(top_pair)}",
            placed(top_pair, thick_first=True)
            and abs(below_mark - spec["rule_below_mark_mm"] * PT_PER_MM) <= TOLERANCE_PT,
            "pdf",
        ),
        Check(
            layout.clause("letter_format.bottom_rule_above_edge_mm"),
            "下页边红色双线（上细下粗）",
            f"距下页边 {spec['bottom_rule_above_edge_mm']:g}mm ±1，长 {spec['rule_length_mm']:g}mm ±1，居中",
            f"距下页边 {_mm(bottom_middle)}；{_rule_text(bottom_pair)}",
            placed(bottom_pair, thick_first=False)
            and abs(bottom_middle - spec["bottom_rule_above_edge_mm"] * PT_PER_MM) <= TOLERANCE_PT,
            "pdf",
        ),
    ]
    below = [ln for ln in first.lines if top_pair and ln.top > top_pair[1].y]
    number = below[0] if below and DOC_NUMBER.match(below[0].text.replace(" ", "")) else None
    if number is not None:
        checks.append(
            Check(
                layout.clause("letter_format.rule_below_mark_mm"),
                "发文字号：双线下居右",
                "右端与版心右边缘齐 ±1mm",
                f"“{number.text}”距右 {_mm(first.right - number.x1)}",
                abs(first.right - number.x1) <= TOLERANCE_PT,
                "pdf",
            )
        )
    title_style = layout.style("公文标题")
    title = next((ln for ln in below if abs(ln.size - title_style.size_pt) < 0.5), None)
    above = number.bottom if number else (top_pair[1].y if top_pair else 0.0)
    gap = (title.top - above) / pitch if title else 0.0
    want = spec["title_lines_below"]
    checks.append(
        Check(
            layout.clause("letter_format.title_lines_below"),
            "标题与上一要素相距二行",
            f"{want}±0.5 行距",
            f"{gap:.1f} 行距" if title else "未找到标题",
            title is not None and abs(gap - want) <= 0.5,
            "pdf",
        )
    )
    checks.append(
        Check(
            layout.clause("letter_format.mark_top_mm"),
            "信函首页不编页码",
            "首页无页码",
            f"首页页脚：“{first.footer.text}”" if first.footer else "首页无页码",
            first.footer is None,
            "pdf",
        )
    )
    return checks


def opens_letter(page: Page, layout: Layout) -> bool:
    """The page starts a letter: its first line is the red letterhead, above the type area (10.1)."""
    head = page.lines[0] if page.lines else None
    return (
        head is not None
        and _line_red(head)
        and head.size > layout.style("公文标题").size_pt
        and head.top < page.top
    )


def letter_spans(pages: list[Page], layout: Layout) -> list[range]:
    """The page indices of each letter in a PDF (a joined print file holds many, each opening with its
    letterhead), without the blank page that pads an odd-length letter for duplex printing."""
    starts = [i for i, page in enumerate(pages) if i == 0 or opens_letter(page, layout)]
    spans = []
    for start, end in zip(starts, [*starts[1:], len(pages)], strict=True):
        while end - start > 1 and not pages[end - 1].lines and pages[end - 1].footer is None:
            end -= 1
        spans.append(range(start, end))
    return spans


def _letter_imprint(
    pages: list[Page], rules: list[list[Rule]], layout: Layout
) -> list[tuple[bool, str]] | None:
    """One letter's 版记 (10.1): (passed, measured) for its place, its rules and its 抄送 line; None when
    the letter has no 版记 (no 抄送), which the standard allows."""
    spec = layout.part("notice")["imprint"]
    found = [(i, ln) for i, page in enumerate(pages) for ln in page.lines if ln.text.startswith("抄送：")]
    if not found:
        return None
    where, copies = found[-1]
    page = pages[where]  # the last page, unless the 版记 went astray: measured where it is
    ruled = _imprint_zone(page, rules[where], copies)
    lines = list(page.lines)
    above = lines[: lines.index(copies)]
    clear = bool(ruled) and all(ln.bottom <= ruled[0].y + 0.5 for ln in above)
    below = bool(ruled) and any(ln.top > ruled[-1].y for ln in lines)
    place = (
        len(found) == 1 and where == len(pages) - 1 and clear and not below,
        f"抄送在第 {where + 1}/{len(pages)} 页"
        + ("" if len(found) == 1 else f"（共 {len(found)} 处）")
        + ("" if clear else "，与正文重叠或无分隔线")
        + ("，其下还有文字" if below else ""),
    )
    outer = spec["outer_rule_mm"]
    rules_found = _imprint_rules(page, ruled, [outer, outer]) if ruled else (False, "版记处无分隔线")
    char = spec["size_pt"]
    indent = copies.x0 - page.left
    text = (
        abs(indent - spec["indent_chars"] * char) <= TOLERANCE_PT
        and abs(copies.size - char) < 0.5
        and _copies_end(page, copies),
        f"抄送距左 {_mm(indent)}，{copies.size:g}磅",
    )
    return [place, rules_found, text]


LETTER_IMPRINT_RULES = (  # (layout key of the clause, rule, expected), in _letter_imprint's order
    (
        "letter_format.imprint_on_last_page",
        "信函版记在最后一页版心下端",
        "抄送只在末页，正文之下，其下无文字",
    ),
    (
        "notice.imprint.outer_rule_mm",
        "信函版记分隔线",
        "首末两条 0.35mm（±0.06），长 156mm ±1，末条距版心下边缘 ≤1mm",
    ),
    ("notice.imprint.indent_chars", "信函版记抄送", "4号仿宋，左空一字，句号结尾"),
)


def letter_imprint_checks(pages: list[Page], rules: list[list[Rule]], layout: Layout) -> list[Check]:
    """The 版记 of each letter in the PDF that has one, on that letter's last page; one row per rule, naming
    the letters (by their first page) that fail it."""
    found = []
    for span in letter_spans(pages, layout):
        result = _letter_imprint([pages[i] for i in span], [rules[i] for i in span], layout)
        if result is not None:
            found.append((span.start + 1, result))
    if not found:
        return []
    checks = []
    for k, (key, rule, expected) in enumerate(LETTER_IMPRINT_RULES):
        failed = [(page, result[k][1]) for page, result in found if not result[k][0]]
        if len(found) == 1:
            measured = found[0][1][k][1]
        elif not failed:
            measured = f"{len(found)} 封函均符合"
        else:
            measured = f"{len(found)} 封函中 {len(failed)} 封不符：" + "；".join(
                f"第 {page} 页起的函 {text}" for page, text in failed[:3]
            )
        checks.append(Check(layout.clause(key), rule, expected, measured, not failed, "pdf"))
    return checks


def check_letter_pdf(path: Path, layout: Layout, source: Path | None = None) -> list[Check]:
    """A letter in 信函格式: the body rules on its pages with the letterhead set aside (it stands above
    the type area, 10.1), the first page unnumbered, and the 信函格式 rules of its first page."""
    pages = read_pages(path, layout)
    body = [dataclasses.replace(pages[0], lines=pages[0].lines[1:]), *pages[1:]]
    rules = read_rules(path)
    checks = [
        _paper(body, layout),
        _type_area(body, layout),
        *_grid(body, layout),
        *_fonts(body, layout),
        *_page_numbers(body, layout, first_unnumbered=True),
        *letter_checks(pages, rules, layout),
        *letter_imprint_checks(pages, rules, layout),
        *signature_checks(pages, layout),
    ]
    if source is not None:
        checks += _fidelity(check_fidelity(source, path, layout), layout)
    return checks
