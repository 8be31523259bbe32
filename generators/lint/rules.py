"""Text rules: each finds slips in one string and says where (offset), what (fragment) and the fix."""

from __future__ import annotations

import re
from dataclasses import dataclass

# the warning kinds, as the office names them on the command line (--fix 空格)
DOC_NUMBER, BRACKETS, HALF_WIDTH, SPACE, DOUBLED, END, YEAR = (
    "文号",
    "括号",
    "半角标点",
    "空格",
    "重复标点",
    "句末标点",
    "年份",
)
KINDS = (DOC_NUMBER, BRACKETS, HALF_WIDTH, SPACE, DOUBLED, END, YEAR)


@dataclass(frozen=True)
class Slip:
    kind: str
    offset: int  # where the fragment starts in the text, in characters
    fragment: str
    fix: str | None  # what the fragment should read; None when only a person can decide
    message: str


HAN = "\u3400-\u9fff"
# 机关代字〔年份〕序号号: any bracket around a 4-digit year followed by a number marks a 文号
DOC_NUMBER_RE = re.compile(
    rf"(?P<organ>[{HAN}]{{1,8}})(?P<open>[〔\[［【(（])(?P<year>(?:19|20)\d{{2}})(?P<close>[〕\]］】)）])"
    r"(?P<first>第?)(?P<no>\d+)(?P<tail>号|[)）]号)?"
)
PAIRS = {"（": "）", "《": "》", "“": "”", "〔": "〕", "【": "】", "‘": "’"}
CLOSERS = {close: open_ for open_, close in PAIRS.items()}
HALF_WIDTH_RE = re.compile(rf"(?<=[{HAN}])[,;:()](?=[{HAN}])")
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}
CN_PUNCT = "，。、；：！？）》”〕】（《“〔【"
SPACE_BEFORE_RE = re.compile(r"[ \u3000\t]+(?P<mark>[，。、；：！？）》”〕】])")
SPACE_AFTER_RE = re.compile(r"(?P<mark>[，。、；：！？（《“〔【])[ \u3000\t]+")
DOUBLED_RE = re.compile(r"([，。、；：！？])\1+|[，、；：][，。、；：！？]|[。！？][，、；：]")
END_MARKS = "。！？；…"
# a year naming the plan's own year: 2023年是…, 2023年度, 2023年安全生产…, 2023年全年, 2023年工作/重点/任务
PLAN_YEAR_RE = re.compile(
    r"(?<![\d〔\[［])(?P<year>(?:19|20)\d{2})(?=年(?:度|是|全年|安全生产|工作|重点|任务))"
)
BRACKETED_RE = re.compile(r"（[^（）]*）|\([^()]*\)|《[^《》]*》|“[^“”]*”")


def doc_numbers(text: str) -> list[Slip]:
    slips = []
    for m in DOC_NUMBER_RE.finditer(text):
        problems = []
        if m["open"] != "〔" or m["close"] != "〕":
            problems.append("年份应用六角括号〔〕")
        if m["first"]:
            problems.append("序号前不加“第”")
        if m["no"] != str(int(m["no"])):
            problems.append("序号不编虚位（不加 0）")
        tail = m["tail"] or ""
        if tail != "号":
            problems.append("“号”应紧跟序号" if tail else "序号后缺“号”")
        if not problems:
            continue
        fixed = f"{m['organ']}〔{m['year']}〕{int(m['no'])}号{tail[:-1]}"
        message = f"文号应写作“机关代字〔年份〕序号号”：{'；'.join(problems)}"
        slips.append(Slip(DOC_NUMBER, m.start(), m.group(), fixed, message))
    return slips


def brackets(text: str) -> list[Slip]:
    stack: list[tuple[str, int]] = []
    slips = []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append((ch, i))
        elif ch in CLOSERS:
            if stack and stack[-1][0] == CLOSERS[ch]:
                stack.pop()
            else:
                slips.append(Slip(BRACKETS, i, ch, None, f"“{ch}”没有对应的“{CLOSERS[ch]}”"))
    for ch, i in stack:
        slips.append(Slip(BRACKETS, i, ch, None, f"“{ch}”没有对应的“{PAIRS[ch]}”"))
    return slips


def half_width(text: str) -> list[Slip]:
    return [
        Slip(HALF_WIDTH, m.start(), m.group(), FULL_WIDTH[m.group()], f"中文之间的半角“{m.group()}”应为全角")
        for m in HALF_WIDTH_RE.finditer(text)
    ]


def spaces(text: str) -> list[Slip]:
    slips = [
        Slip(SPACE, m.start(), m.group(), m["mark"], f"标点“{m['mark']}”前有多余的空格")
        for m in SPACE_BEFORE_RE.finditer(text)
    ]
    taken = {s.offset + len(s.fragment) - 1 for s in slips}  # " ， " is one slip, not two
    for m in SPACE_AFTER_RE.finditer(text):
        if m.start() in taken:
            slips = [
                Slip(s.kind, s.offset, s.fragment + m.group()[1:], s.fix, s.message + "，后有多余的空格")
                if s.offset + len(s.fragment) - 1 == m.start()
                else s
                for s in slips
            ]
        else:
            slips.append(Slip(SPACE, m.start(), m.group(), m["mark"], f"标点“{m['mark']}”后有多余的空格"))
    return sorted(slips, key=lambda s: s.offset)


def doubled(text: str) -> list[Slip]:
    slips = []
    for m in DOUBLED_RE.finditer(text):
        marks = m.group()
        keep = marks[-1] if marks[-1] in "。！？" else marks[0]
        slips.append(Slip(DOUBLED, m.start(), marks, keep, f"重复的标点“{marks}”"))
    return slips


def end_mark(text: str) -> list[Slip]:
    """A sentence (clause punctuation outside brackets and quotes) must end with a mark; a bare phrase
    such as a table entry (年度事故防控目标, “减量防大”（…）) need not."""
    stripped = text.rstrip()
    if not stripped or stripped[-1] in END_MARKS:
        return []
    outside = stripped
    while True:
        shorter = BRACKETED_RE.sub("", outside)
        if shorter == outside:
            break
        outside = shorter
    if not any(mark in outside for mark in "，。；！？"):
        return []
    last = len(stripped) - 1
    return [Slip(END, last, stripped[-1], stripped[-1] + "。", "句末缺少标点")]


def plan_years(text: str, year: int | None) -> list[Slip]:
    if year is None:
        return []
    return [
        Slip(YEAR, m.start(), m["year"], str(year), f"年份“{m['year']}年”与计划年度 {year} 不同")
        for m in PLAN_YEAR_RE.finditer(text)
        if int(m["year"]) != year
    ]


def check_text(text: str, year: int | None, sentence: bool) -> list[Slip]:
    """Every slip in one text; `sentence` for a measure's or a task's text (needs its end mark)."""
    slips = doc_numbers(text) + brackets(text) + half_width(text) + spaces(text) + doubled(text)
    slips += plan_years(text, year)
    if sentence:
        slips += end_mark(text)
    return sorted(slips, key=lambda s: (s.offset, s.kind))
