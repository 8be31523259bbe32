"""The body of a draft → opinion data (plan/opinion.yaml's shape) and the meta fields it states.

Headings are recognised by their numbering: 一、 for parts, （一） for sections, 1. or 1、 for measures,
half-width forms too. A part may have no （一） sections: its measures then stand in one section without a
heading. Anything that fits nowhere is reported with its paragraph, never dropped or guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..numerals import from_chinese, to_chinese
from .context import ImportContext
from .draft import Paragraph
from .responsibility import DEFAULT_LABEL, split_measure

NUMERAL = "[一二三四五六七八九十]+"
PART = re.compile(rf"^({NUMERAL})\s*[、.．]\s*(.+)$")
SECTION = re.compile(rf"^[（(]\s*({NUMERAL})\s*[）)]\s*(.+)$")
MEASURE = re.compile(r"^(\d{1,3})\s*[.．、]\s*(.+)$", re.S)
STATUS = re.compile(r"^[（(]\s*(\S{1,6}稿)\s*[）)]$")
ANNEX_LABEL = re.compile(r"^附\s*件\s*\d*\s*([：:].*)?$")
DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
YEAR = re.compile(r"(\d{4})年")


@dataclass
class Body:
    meta: dict = field(default_factory=dict)
    opinion: dict = field(default_factory=dict)
    rest: list[Paragraph] = field(default_factory=list)  # the paragraphs after the body (annex title …)


def parse_body(paragraphs: list[Paragraph], ctx: ImportContext) -> Body:
    paras = [Paragraph(p.where, p.text.strip()) for p in paragraphs if p.text.strip()]
    body = Body()
    i = 0
    if i < len(paras) and ANNEX_LABEL.match(paras[i].text) and not ANNEX_LABEL.match(paras[i].text).group(1):
        body.meta["标签"] = re.sub(r"\s", "", paras[i].text)
        i += 1
    else:
        body.meta["标签"] = ""
    if i >= len(paras):
        ctx.report("第1段", "草稿中没有正文")
        return body
    body.meta["标题"] = paras[i].text
    year = YEAR.search(paras[i].text)
    if year:
        body.meta["年度"] = int(year.group(1))
    i += 1
    status = STATUS.match(paras[i].text) if i < len(paras) else None
    body.meta["状态"] = status.group(1) if status else "正式稿"
    i += 1 if status else 0
    preamble: list[Paragraph] = []
    while i < len(paras) and not PART.match(paras[i].text) and not ANNEX_LABEL.match(paras[i].text):
        preamble.append(paras[i])
        i += 1
    if preamble:
        body.opinion["序言"] = preamble[0].text
    for extra in preamble[1:]:
        ctx.report(extra.where, "序言只能有一段，这一段无法归入计划数据", extra.text)
    builder = _Builder(ctx)
    while i < len(paras):
        para = paras[i]
        if ANNEX_LABEL.match(para.text):
            break
        if DATE.match(para.text):
            y, m, d = DATE.match(para.text).groups()
            body.meta["成文日期"] = f"{y}-{int(m):02d}-{int(d):02d}"
        elif i + 1 < len(paras) and DATE.match(paras[i + 1].text) and "。" not in para.text:
            body.meta["发文机关"] = para.text
        else:
            builder.add(para)
        i += 1
    body.opinion["部分"] = builder.parts
    body.rest = paras[i:]
    return body


class _Builder:
    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.parts: list[dict] = []
        self.section: dict | None = None
        self.sections_seen = 0
        self.measures_seen = 0

    def add(self, para: Paragraph) -> None:
        if m := PART.match(para.text):
            self._expect(m.group(1), len(self.parts) + 1, "部分", para)
            self.parts.append({"编号": m.group(1), "标题": m.group(2).strip(), "节": []})
            self.section = None
        elif not self.parts:
            self.ctx.report(para.where, "正文第一部分（“一、”）之前的段落无法归入", para.text)
        elif m := SECTION.match(para.text):
            self.sections_seen += 1
            self._expect(m.group(1), self.sections_seen, "节", para)
            self.section = {"编号": m.group(1), "标题": m.group(2).strip(), "措施": []}
            self.parts[-1]["节"].append(self.section)
        elif m := MEASURE.match(para.text):
            self._measure(int(m.group(1)), m.group(2), para)
        elif self._open_section()["措施"] or "导语" in self.section:
            self.ctx.report(para.where, "这一段不是标题、导语或措施（措施应以“1.”编号），无法归入", para.text)
        else:
            self.section["导语"] = para.text

    def _open_section(self) -> dict:
        """The section new text goes into; a part without （一） headings gets one without a heading."""
        if self.section is None:
            self.section = {"措施": []}
            self.parts[-1]["节"].append(self.section)
        return self.section

    def _measure(self, number: int, rest: str, para: Paragraph) -> None:
        self.measures_seen += 1
        if number != self.measures_seen:
            self.ctx.report(para.where, f"措施编号应为 {self.measures_seen}，实际为 {number}", para.text)
        split = split_measure(rest, para.where, self.ctx)
        if split is None:
            self.ctx.report(para.where, "措施末尾没有责任单位（应为“（责任单位：……）”）", para.text)
            return
        measure = {"编号": number, "内容": split.text}
        if split.label != DEFAULT_LABEL:
            measure["标签"] = split.label
        measure["责任单位"] = split.line
        if split.supports:
            measure["配合单位"] = split.supports
        if split.trailer:
            measure["结尾"] = split.trailer
        self._open_section()["措施"].append(measure)

    def _expect(self, numeral: str, expected: int, what: str, para: Paragraph) -> None:
        if from_chinese(numeral) != expected:
            self.ctx.report(
                para.where, f"{what}编号应为“{to_chinese(expected)}”，实际为“{numeral}”", para.text
            )
