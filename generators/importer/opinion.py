"""The body of a draft → opinion data (plan/opinion.yaml's shape) and the meta fields it states.

The structure is read from the draft's own shape. Parts are numbered 一、. Measures are the lowest
numbered items that end with a responsibility line: 1. / 1、 items, or, in drafts without them, the
（一） items; the （一） items above 1. measures are sections. A part may hold measures directly (its
section has no heading). A section heading with its lead-in on the same line (（一）标题。导语……) is split
into title and lead-in. Numbering other than the plan's running "N." is kept as printed. Anything that
fits nowhere is reported with its paragraph, never dropped or guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..grammar.numbering import ARABIC, BRACKETED, MEASURE_FORMS
from ..grammar.numbering import PART as PART_NUMBER
from ..numerals import from_chinese, to_chinese
from .context import ImportContext
from .draft import Paragraph
from .notice import read_notice
from .responsibility import FORMS_HELP, has_line, split_measure, split_subtasks

PART = PART_NUMBER
SECTION = BRACKETED
STATUS = re.compile(r"^[（(]\s*(\S{1,6}稿)\s*[）)]$")
ANNEX_LABEL = re.compile(r"^附\s*件\s*\d*\s*([：:].*)?$")
DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
YEAR = re.compile(r"(\d{4})年")
# responsibility printed on its own lines under an item: 牵头单位：区发改局 / 责任单位：…… / 配合单位：……
OWN_LINE = re.compile(
    r"^(牵头单位|责任单位|配合单位|协办单位|牵头部门|责任部门|配合部门)\s*[：:]\s*(\S.*?)\s*$"
)
# its deadline printed on a line of its own under the item, after or among those lines: 完成时限：6月底前
DEADLINE_LINE = re.compile(r"^(完成时限|完成时间|完成期限|时限|时间节点|时间要求)\s*[：:]\s*(\S.*?)\s*$")
NO_MEASURES = "草稿中没有找到措施：措施是以 " + MEASURE_FORMS + " 编号、以责任单位括号结尾的段落"


@dataclass
class Body:
    meta: dict = field(default_factory=dict)
    opinion: dict = field(default_factory=dict)
    rest: list[Paragraph] = field(default_factory=list)  # the paragraphs after the body (annex title …)


def parse_body(paragraphs: list[Paragraph], ctx: ImportContext) -> Body:
    paras = [Paragraph(p.where, p.text.strip()) for p in paragraphs if p.text.strip()]
    body = Body()
    i = read_head(paras, body, ctx)
    if i is None:
        return body
    preamble: list[Paragraph] = []
    while i < len(paras) and not PART.match(paras[i].text) and not ANNEX_LABEL.match(paras[i].text):
        preamble.append(paras[i])
        i += 1
    if preamble:
        body.opinion["序言"] = preamble[0].text
    for extra in preamble[1:]:
        ctx.report(extra.where, "序言只能有一段，这一段无法归入计划数据", extra.text)
    content = []
    while i < len(paras):
        para = paras[i]
        if ANNEX_LABEL.match(para.text):
            break
        if date := DATE.match(para.text):
            y, m, d = date.groups()
            body.meta["成文日期"] = f"{y}-{int(m):02d}-{int(d):02d}"
        elif i + 1 < len(paras) and DATE.match(paras[i + 1].text) and "。" not in para.text:
            body.meta["发文机关"] = para.text
        else:
            content.append(para)
        i += 1
    content, deadline_lines = _deadline_lines_taken(content, ctx)
    content, outside = _own_lines_joined(content)
    builder = _Builder(ctx, measure_level(content, ctx), outside, deadline_lines)
    for para in content:
        builder.add(para)
    if not any(section["措施"] for part in builder.parts for section in part["节"]):
        ctx.report("全文", f"{NO_MEASURES}（{FORMS_HELP}）")
    body.opinion["部分"] = builder.parts
    body.rest = paras[i:]
    return body


def read_head(paras: list[Paragraph], body: Body, ctx: ImportContext) -> int | None:
    """The notice of a published file (if any), the 附件 label, title, year and status into body.meta;
    the index of the paragraph after them, None when the draft has no text."""
    i = 0
    notice = read_notice(paras)
    if notice is not None:  # a published file: the plan stands behind its 红头 and 印发通知
        body.meta.update(notice.meta)
        i = notice.start
    if i < len(paras) and (label := ANNEX_LABEL.match(paras[i].text)) and not label.group(1):
        body.meta["标签"] = re.sub(r"\s", "", paras[i].text)
        i += 1
    else:
        body.meta["标签"] = ""
    if i >= len(paras):
        ctx.report("第1段", "草稿中没有正文")
        return None
    body.meta["标题"] = paras[i].text
    year = YEAR.search(paras[i].text)
    if year:
        body.meta["年度"] = int(year.group(1))
    i += 1
    status = STATUS.match(paras[i].text) if i < len(paras) else None
    body.meta["状态"] = status.group(1) if status else "正式稿"
    return i + 1 if status else i


def _deadline_lines_taken(
    content: list[Paragraph], ctx: ImportContext
) -> tuple[list[Paragraph], dict[str, tuple[str, str]]]:
    """完成时限：… lines under a numbered item (after its text or its 牵头单位：… lines) taken out of the text:
    each item's (label, deadline as printed), by the item's paragraph. The plan prints the line after the
    item's responsibility lines: one written before them is reported (printing it elsewhere would change
    the draft). A line elsewhere stays (and is reported where it fits nowhere)."""
    out: list[Paragraph] = []
    found: dict[str, tuple[str, str]] = {}
    taken: dict[str, Paragraph] = {}  # the deadline line of each item
    item: Paragraph | None = None
    for para in content:
        line = DEADLINE_LINE.match(para.text)
        if line and item is not None and item.where not in found:
            found[item.where] = (line.group(1), line.group(2))
            taken[item.where] = para
            continue
        own = OWN_LINE.match(para.text)
        if ARABIC.match(para.text) or SECTION.match(para.text):
            item = para
        elif own is None:
            item = None
        elif item is not None and item.where in taken:
            early = taken.pop(item.where)  # (said once)
            ctx.report(
                early.where,
                f"这一行时限写在了该条的“{own.group(1)}”行之前：计划把时限行印在责任单位行之后，"
                "请在草稿中把它移到责任单位行之后再导入",
                early.text,
            )
        out.append(para)
    return out, found


def _own_lines_joined(content: list[Paragraph]) -> tuple[list[Paragraph], set[str]]:
    """Items followed by 牵头单位：/责任单位：/配合单位： lines, each item joined with its lines into the
    bracket form the grammar reads; also the items (by paragraph) whose lines stood on their own."""
    out: list[Paragraph] = []
    lines: dict[str, list[str]] = {}
    items: dict[str, Paragraph] = {}
    for para in content:
        own = OWN_LINE.match(para.text)
        last = out[-1] if out else None
        if (
            own
            and last is not None
            and (last.where in lines or ARABIC.match(last.text) or SECTION.match(last.text))
        ):
            lines.setdefault(last.where, []).append(f"{own.group(1)}：{own.group(2).rstrip('。；;')}")
            out[-1] = Paragraph(
                last.where,
                items.setdefault(last.where, last).text + "（" + "；".join(lines[last.where]) + "）",
            )
            continue
        out.append(para)
    return out, set(lines)


def measure_level(paragraphs: list[Paragraph], ctx: ImportContext) -> re.Pattern[str]:
    """The numbering that marks measures in this draft: ARABIC (1.) when any such item ends with a
    responsibility line, else BRACKETED (（一）) when one of those does, else ARABIC (none found)."""
    for pattern in (ARABIC, BRACKETED):
        if any(pattern.match(p.text) and has_line(p.text, ctx) for p in paragraphs):
            return pattern
    return ARABIC


class _Builder:
    def __init__(
        self,
        ctx: ImportContext,
        measure_pattern: re.Pattern[str],
        outside: set[str],
        deadline_lines: dict[str, tuple[str, str]],
    ) -> None:
        self.ctx = ctx
        self.outside = outside  # items whose responsibility stood on its own lines
        self.deadline_lines = deadline_lines  # items whose deadline stood on a line of its own
        self.measure_pattern = measure_pattern
        self.parts: list[dict] = []
        self.section: dict | None = None
        self.sections_seen = 0
        self.sections_in_part = 0
        self.measures_seen = 0
        self.measures_in_section = 0

    def add(self, para: Paragraph) -> None:
        if m := PART.match(para.text):
            self._expect(m.group(1), len(self.parts) + 1, "部分", para)
            self.parts.append({"编号": m.group(1), "标题": m.group(2).strip(), "节": []})
            self.section = None
            self.sections_in_part = 0
            self.measures_in_section = 0
        elif not self.parts:
            self.ctx.report(para.where, "正文第一部分（“一、”）之前的段落无法归入", para.text)
        elif (m := self.measure_pattern.match(para.text)) is not None:
            self._measure(m, para)
        elif m := SECTION.match(para.text):
            self.sections_seen += 1
            self.sections_in_part += 1
            self._expect(m.group(1), (self.sections_seen, self.sections_in_part), "节", para)
            self.section = {"编号": m.group(1), **_title_and_lead_in(m.group(2).strip()), "措施": []}
            self.measures_in_section = 0
            self.parts[-1]["节"].append(self.section)
        elif (section := self._open_section())["措施"] or "导语" in section:
            self.ctx.report(
                para.where,
                f"这一段不是标题、导语或措施（措施应以 {MEASURE_FORMS} 编号），无法归入",
                para.text,
            )
        else:
            section["导语"] = para.text

    def _open_section(self) -> dict:
        """The section new text goes into; a part without （一） headings gets one without a heading."""
        if self.section is None:
            self.section = {"措施": []}
            self.parts[-1]["节"].append(self.section)
        return self.section

    def _measure(self, m: re.Match, para: Paragraph) -> None:
        self.measures_seen += 1
        self.measures_in_section += 1
        text_group = m.re.groups  # both measure patterns end in the measure's text
        rest = m.group(text_group)
        numbering = re.sub(r"\s", "", para.text[: m.start(text_group)])
        value = int(m.group(1)) if self.measure_pattern is ARABIC else from_chinese(m.group(1))
        if value not in (self.measures_seen, self.measures_in_section):
            numbering = self._gap(value, numbering, para)
        outside = para.where in self.outside
        deadline = self._deadline_line(para)
        plain = numbering == f"{self.measures_seen}." and self.measure_pattern is ARABIC
        numbered = {"编号": self.measures_seen if plain else numbering}
        subtasks = None if outside else split_subtasks(rest, para.where, self.ctx, para.text)
        if subtasks is not None:  # several sentences, each closing with its own bracket
            lead, splits = subtasks
            items = [{"内容": sub.text, **sub.keys} for sub in splits]
            self._open_section()["措施"].append(
                {**numbered, **({"内容": lead} if lead else {}), "子任务": items, **deadline}
            )
            return
        split = split_measure(rest, para.where, self.ctx, para.text, as_line=outside)
        if split is None:
            self.ctx.report(para.where, f"措施末尾没有责任单位（{FORMS_HELP}）", para.text)
            return
        if not split.keys:
            return  # an unreadable bracket, reported by split_measure
        measure = {**numbered, "内容": split.text, **split.keys}
        if outside:
            measure["行外"] = True
        self._open_section()["措施"].append({**measure, **deadline})

    def _deadline_line(self, para: Paragraph) -> dict:
        """The item's 完成时限：… line as data: 时限 (as printed) and 时限行 (its label, printed again)."""
        if para.where not in self.deadline_lines:
            return {}
        label, when = self.deadline_lines[para.where]
        return {"时限": when, "时限行": label}

    def _gap(self, value: int | None, numbering: str, para: Paragraph) -> str:
        """A number past the expected one: the measures between were deleted without renumbering. Said
        once (the count goes on from the draft's number), or, with --renumber, numbered in draft order.
        Anything else (a number repeated or going back) is reported as it stands."""
        gaps = [
            (value - expected, expected, where)
            for expected, where in ((self.measures_seen, "第"), (self.measures_in_section, "本节第"))
            if value is not None and value > expected
        ]
        if not gaps:
            self.ctx.report(
                para.where,
                f"措施编号应为 {self.measures_in_section}（本节第 {self.measures_in_section} 条）"
                f"或 {self.measures_seen}（全文连续），实际为“{numbering}”",
                para.text,
            )
            return numbering
        gap, expected, where = min(gaps)
        assert value is not None
        if self.ctx.renumber:
            return _renumbered(numbering, expected if where == "第" else self.measures_in_section)
        missing = f"{expected}" if gap == 1 else f"{expected}—{expected + gap - 1}"
        self.ctx.report(
            para.where,
            f"{where}{missing}条缺失（或已删除）：草稿删去措施后没有重新编号；确已删除请加 --renumber，"
            "按草稿顺序重新编号后导入",
            para.text,
        )
        if where == "第":
            self.measures_seen = value
        else:
            self.measures_in_section = value
        return numbering

    def _expect(self, numeral: str, expected: int | tuple[int, ...], what: str, para: Paragraph) -> None:
        allowed = expected if isinstance(expected, tuple) else (expected,)
        if from_chinese(numeral) not in allowed:
            self.ctx.report(
                para.where, f"{what}编号应为“{to_chinese(allowed[0])}”，实际为“{numeral}”", para.text
            )


def _renumbered(numbering: str, number: int) -> str:
    """The printed numbering with its number replaced: 31. → 30., （三十一） → （三十）."""
    if re.search(r"\d", numbering):
        return re.sub(r"\d+", str(number), numbering, count=1)
    return re.sub(NUMERAL_RUN, to_chinese(number), numbering, count=1)


NUMERAL_RUN = "[一二三四五六七八九十百]+"


def _title_and_lead_in(heading: str) -> dict:
    """（一）推动落实党政领导责任。以党政…… → the title and the lead-in printed on the heading's line."""
    title, stop, lead_in = heading.partition("。")
    if stop and lead_in.strip():
        return {"标题": title.strip() + stop, "导语": lead_in.strip(), "导语同行": True}
    return {"标题": heading}
