"""A published file: the plan behind its 红头, 发文字号 and 印发通知 → the notice as meta data, and where the
plan's own title starts.

    鹤山区人民政府文件                      ← 发文机关标志 (红头)
    鹤府发〔2026〕7号                       ← 发文字号
    鹤山区人民政府关于印发《…》的通知         ← 标题 (may run over two paragraphs)
    各镇人民政府……：                       ← 主送机关
    现将《…》印发给你们……                  ← 正文 (one paragraph or more)
    鹤山区人民政府                          ← 署名
    2026年3月16日                           ← 成文日期
    （此件公开发布）                         ← 附注, not kept
    鹤山区2026年……方案                      ← the plan's own title

What the draft does not print (附件说明, 抄送, 印发机关, 印发日期) is proposed and listed in 待核实. The
发文字号 stays the notice's: meta.yaml's 文号 is what the office's letters print as their own number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .draft import Paragraph

ORGAN_MARK = re.compile(r"^\S{2,30}文件$")
DOC_NUMBER = re.compile(r"^\S{1,12}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*第?\s*\d{1,4}\s*号$")
NOTICE_TITLE = re.compile(r"关于印发\s*《(.+?)》\s*的\s*通知$")
ISSUED_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
ANNOTATION = re.compile(r"^[（(]此件.{0,12}[）)]$")
TITLE_RUN = 3  # a notice title is printed on at most this many paragraphs


@dataclass
class PrintedNotice:
    meta: dict = field(default_factory=dict)  # meta.yaml keys: 发文机关, 成文日期, 印发通知
    plan_title: str = ""  # the title inside 《》
    start: int = 0  # the index of the paragraph where the plan itself starts


def read_notice(paras: list[Paragraph]) -> PrintedNotice | None:
    """The notice the draft opens with, or None when it opens with the plan itself."""
    i = 0
    mark = _flat(paras[0].text) if paras and ORGAN_MARK.match(_flat(paras[0].text)) else ""
    i += 1 if mark else 0
    number = _flat(paras[i].text) if i < len(paras) and DOC_NUMBER.match(_flat(paras[i].text)) else ""
    i += 1 if number else 0
    title, i = _title(paras, i)
    if title is None:
        return None
    plan_title = NOTICE_TITLE.search(title)
    assert plan_title is not None
    addressees = ""
    if i < len(paras) and paras[i].text.rstrip().endswith(("：", ":")):
        addressees = paras[i].text.strip().rstrip("：:")
        i += 1
    body: list[str] = []
    while i < len(paras) and not _signature_at(paras, i):
        body.append(paras[i].text)
        i += 1
    if i >= len(paras):
        return None  # no 署名 and 日期: not a notice this reader knows
    signature = paras[i].text
    y, m, d = ISSUED_DATE.match(_flat(paras[i + 1].text)).groups()  # type: ignore[union-attr]
    date = f"{y}-{int(m):02d}-{int(d):02d}"
    i += 2
    while i < len(paras) and ANNOTATION.match(_flat(paras[i].text)):
        i += 1
    found = PrintedNotice(plan_title=plan_title.group(1))
    found.start = _plan_start(paras, i, found.plan_title)
    notice = {
        "发文机关标志": mark or f"{signature}文件",
        "发文字号": number or "",
        "标题": title,
        "主送机关": addressees,
        "正文": body,
        "附件说明": found.plan_title,
        "署名": signature,
        "成文日期": date,
        "抄送": "",
        "印发机关": f"{signature}办公室",
        "印发日期": date,
    }
    assumed = ["附件说明", "抄送", "印发机关", "印发日期"]
    printed = {"发文机关标志": mark, "发文字号": number, "主送机关": addressees}
    assumed += [key for key, value in printed.items() if not value]  # proposed: the draft does not print it
    for key in ("发文字号", "主送机关", "抄送"):
        notice[key] = notice[key] or "待填写"  # required text the draft does not print: the office fills it
    notice["正文"] = body or ["待填写"]
    if not body:
        assumed.append("正文")
    notice["待核实"] = [key for key in notice if key in assumed]
    found.meta = {"发文机关": signature, "成文日期": date, "印发通知": notice}
    return found


def _flat(text: str) -> str:
    return re.sub(r"\s", "", text)


def _title(paras: list[Paragraph], i: int) -> tuple[str | None, int]:
    """The notice title from paragraph i, joined over up to TITLE_RUN paragraphs; (None, i) if none."""
    joined = ""
    for end in range(i, min(i + TITLE_RUN, len(paras))):
        joined += paras[end].text.strip()
        if NOTICE_TITLE.search(joined):
            return joined, end + 1
    return None, i


def _signature_at(paras: list[Paragraph], i: int) -> bool:
    text = paras[i].text.strip()
    return (
        i + 1 < len(paras)
        and bool(ISSUED_DATE.match(_flat(paras[i + 1].text)))
        and not text.endswith(("。", "：", ":", "；"))
        and len(text) <= 40
    )


def _plan_start(paras: list[Paragraph], i: int, plan_title: str) -> int:
    """The paragraph holding the plan's own title (or its 附件 label just above it), else i."""
    for j in range(i, min(i + 4, len(paras))):
        if _flat(paras[j].text) == _flat(plan_title):
            return j - 1 if j > i and _flat(paras[j - 1].text).startswith("附件") else j
    return i
