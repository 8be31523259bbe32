"""From located YAML to the frozen model, checking every rule of the plan data (docs/reference.md, 计划数据) on the way."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date

from ..filenames import name_problem, shown
from ..grammar.deadline import task_deadline
from ..grammar.numbering import label_value
from ..grammar.responsibility import (
    DEFAULT_LABEL,
    Responsibility,
    ResponsibilityError,
    labelled,
)
from ..grammar.responsibility import parse as parse_line
from ..model import (
    Annex,
    Category,
    Group,
    GroupRole,
    KeyTask,
    Leader,
    Measure,
    Meta,
    Notice,
    Part,
    Section,
    SubTask,
    TaskGroup,
    Unit,
)
from ..numerals import from_chinese, to_chinese
from ..periods import CYCLES, Cycle, monthly_due_dates
from ..periods import DEFAULT as CYCLE_DEFAULT
from .names import as_latin, fold, foreign_look_alike, how_they_differ, invisible, visible
from .problems import Location, did_you_mean
from .schema import Checker, text
from .yamlnodes import Node

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STATUSES = ("征求意见稿", "送审稿", "正式稿")
YEARS = range(1900, 10000)  # a year the documents, file names and dates can print


def check_file_name(node: Node, what: str, check: Checker) -> None:
    """A name that becomes (part of) a file name must make a safe one (generators/filenames.py)."""
    raw = str(node.value)
    problem = name_problem(raw.strip())
    if problem:
        index, message = problem
        lead = len(raw) - len(raw.lstrip())
        where = node.where.shifted(lead + index) if node.plain_one_line else node.where
        check.report(where, f"{what}“{shown(raw.strip())}”{message}（它要用作文件名）")


def check_visible(node: Node, what: str, check: Checker) -> None:
    """A name holds no character nobody can see (names.py): it would make one name two."""
    raw = str(node.value)
    found = invisible(raw)
    if found:
        index, char = found
        where = node.where.shifted(index) if node.plain_one_line else node.where
        check.report(
            where,
            f"{what}“{shown(raw.strip())}”含有看不见的{char}，在第 {index + 1} 个字符处，会让同一个名称成为两个："
            f"请删去它，是否应为“{visible(raw).strip()}”？",
        )
        return
    foreign = foreign_look_alike(raw.strip())
    if foreign:  # 区АBC委 with a Cyrillic А: another name than 区ABC委, that nobody can tell from it
        index = next(i for i, c in enumerate(raw) if as_latin(c) != c)
        where = node.where.shifted(index) if node.plain_one_line else node.where
        check.report(
            where,
            f"{what}“{shown(raw.strip())}”{foreign}，会让同一个名称成为两个：是否应为“{as_latin(raw.strip())}”？",
        )


class LookAlikes:
    """Names of one kind seen so far, by how they read (names.fold): a second name that reads like a first
    one but is other text (區應急局 beside 区应急局, full-width beside half-width) is reported."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[str, Location]] = {}

    def add(self, node: Node, what: str, check: Checker) -> None:
        name = text(node)
        first = self.seen.setdefault(fold(name), (name, node.where))
        # (a hidden character and a Cyrillic or Greek letter among Latin or Chinese: check_visible says it)
        reported = invisible(name) or foreign_look_alike(name) or foreign_look_alike(first[0])
        if first[0] != name and not reported:
            name_at = f"{first[1].file}:{first[1].line}:{first[1].col}"
            check.report(
                node.where,
                f"{what}“{shown(name)}”与 {name_at} 的“{shown(first[0])}”{how_they_differ(name, first[0])}，"
                f"会被当作两个名称（两份函件、两张报表）：是否应为“{shown(first[0])}”？",
            )


def check_date(node: Node, what: str, check: Checker) -> None:
    """YYYY-MM-DD and a day that exists (no 2023-02-30, no month 13)."""
    value = text(node)
    if not ISO_DATE.match(value):
        check.report(node.where, f"{what}应写成 YYYY-MM-DD，实际为“{shown(value)}”")
        return
    try:
        day = date.fromisoformat(value)
    except ValueError:
        check.report(node.where, f"{what}“{value}”不是实际存在的日期")
        return
    if day.year not in YEARS:
        check.report(node.where, f"{what}“{value}”的年份应在 {YEARS[0]}–{YEARS[-1]} 之间")


LETTER_STYLES = ("全文", "摘要")  # 分工函样式: every measure's full text, or one table row per task


def build_meta(root: Node, check: Checker) -> Meta | None:
    keys = root.value.keys() if isinstance(root.value, dict) else set()
    # the letters and every form print the due dates: 季度报送截止日期, or 报送截止日期 / 月度报送日 (报送周期)
    dated = {"报送截止日期", "月度报送日"} & keys
    f = check.fields(
        root,
        "meta.yaml",
        {
            "标题": "text",
            "年度": "int",
            "状态": "text",
            "发文机关": "text",
            "成文日期": "text",
            **({} if dated else {"季度报送截止日期": "list"}),
        },
        {
            **({"季度报送截止日期": "list"} if dated else {}),
            "标签": "text?",
            "文件名": "text?",
            "文号": "text?",
            "函件发出单位": "text",
            "函件发出单位全称": "text",
            "函件发出单位收函": "bool",  # true: the office is written to like any unit named in the plan
            "联系人": "text?",
            "联系电话": "text?",
            "督办回复期限": "list",
            "报送周期": "text",  # 季度 (default) / 月度 / 半年
            "报送截止日期": "list",  # one per period; 季度 plans may write 季度报送截止日期 instead
            "月度报送日": "int",  # 每月D日前: 月度 plans without 报送截止日期
            "比较基准": "text?",
            "分工函样式": "text?",
            "分工函抄送": "text?",
            "待核实": "list",
            "印发通知": "map",
        },
    )
    if f is None:
        return None
    if "状态" in f and text(f["状态"]) not in STATUSES:
        check.report(f["状态"].where, f"“状态”应为{'、'.join(STATUSES)}之一，实际为“{text(f['状态'])}”")
    style = text(f.get("分工函样式"), LETTER_STYLES[0]) or LETTER_STYLES[0]
    if style not in LETTER_STYLES:
        check.report(
            f["分工函样式"].where, f"“分工函样式”应为{'、'.join(LETTER_STYLES)}之一，实际为“{style}”"
        )
    dates = []
    if "成文日期" in f:
        check_date(f["成文日期"], "“成文日期”", check)
    if text(f.get("文件名")):
        check_file_name(f["文件名"], "文件名", check)
    elif "标题" in f:
        check_file_name(f["标题"], "标题", check)
    if "年度" in f and f["年度"].value not in YEARS:
        check.report(
            f["年度"].where, f"“年度”应为 {YEARS[0]}–{YEARS[-1]} 之间的年份，实际为“{f['年度'].value}”"
        )
    cycle = text(f.get("报送周期"), CYCLE_DEFAULT)
    if cycle not in CYCLES:
        check.report(f["报送周期"].where, f"“报送周期”应为{'、'.join(CYCLES)}之一，实际为“{cycle}”")
        cycle = CYCLE_DEFAULT
    count = Cycle(cycle).count
    if "季度报送截止日期" in f and "报送截止日期" in f:
        check.report(f["报送截止日期"].where, "“报送截止日期”与“季度报送截止日期”只写一个")
    elif "季度报送截止日期" in f:
        if cycle != CYCLE_DEFAULT:
            check.report(f["季度报送截止日期"].where, f"报送周期为{cycle}，请写“报送截止日期”（每期一个）")
        dates = _quarter_dates(f, "季度报送截止日期", check, count)
    elif "报送截止日期" in f:
        dates = _quarter_dates(f, "报送截止日期", check, count)
    elif "月度报送日" in f and "年度" in f and isinstance(f["年度"].value, int):
        day = f["月度报送日"].value
        if cycle != "月度" or not 1 <= day <= 31:
            check.report(
                f["月度报送日"].where, f"“月度报送日”用于报送周期为月度的计划，应为 1–31，实际为“{day}”"
            )
        else:
            dates = list(monthly_due_dates(f["年度"].value, day))
    reply_dates = _quarter_dates(f, "督办回复期限", check, count) if "督办回复期限" in f else []
    assumed = [text(i) for i in check.text_list(f["待核实"], "待核实")] if "待核实" in f else []
    if not {"标题", "年度", "状态", "发文机关", "成文日期"} <= f.keys():
        return None
    office = text(f.get("函件发出单位"), "区安委办")
    return Meta(
        title=text(f["标题"]),
        year=f["年度"].value,
        status=text(f["状态"]),
        label=text(f.get("标签")),
        issuer=text(f["发文机关"]),
        date=text(f["成文日期"]),
        doc_number=text(f.get("文号")),
        office=office,
        office_full_name=text(f.get("函件发出单位全称"), office),
        contact=text(f.get("联系人")),
        phone=text(f.get("联系电话")),
        due_dates=tuple(dates),
        reply_dates=tuple(reply_dates),
        base_revision=text(f.get("比较基准")),
        letter_style=style,
        assumed_fields=tuple(assumed),
        notice=build_notice(f["印发通知"], check) if "印发通知" in f else None,
        letter_copies_to=text(f.get("分工函抄送")),
        file_stem=text(f.get("文件名")),
        office_receives=bool(f["函件发出单位收函"].value) if "函件发出单位收函" in f else False,
        cycle=cycle,
    )


NOTICE_TEXTS = ("发文机关标志", "发文字号", "主送机关", "附件说明", "署名", "抄送", "印发机关")
NOTICE_DATES = ("成文日期", "印发日期")


def build_notice(node: Node, check: Checker) -> Notice | None:
    """印发通知 in meta.yaml: every field the notice and its 版记 print, dates as YYYY-MM-DD."""
    required = {key: "text" for key in (*NOTICE_TEXTS, *NOTICE_DATES)} | {"正文": "list"}
    f = check.fields(node, "印发通知", required | {"标题": "text"}, {"标题分行": "list", "待核实": "list"})
    if f is None:
        return None
    for key in NOTICE_DATES:
        if key in f and not ISO_DATE.match(text(f[key])):
            check.report(f[key].where, f"“{key}”应写成 YYYY-MM-DD，实际为“{text(f[key])}”")
    body = [text(item) for item in check.text_list(f["正文"], "正文")] if "正文" in f else []
    lines = [text(item) for item in check.text_list(f["标题分行"], "标题分行")] if "标题分行" in f else []
    if lines and "标题" in f and "".join(lines) != text(f["标题"]):
        check.report(f["标题分行"].where, f"“标题分行”连起来应与“标题”相同：“{''.join(lines)}”")
    if "主送机关" in f and text(f["主送机关"]).endswith(("：", ":")):
        check.report(f["主送机关"].where, "“主送机关”末尾不写冒号，版式自动加全角冒号")
    assumed = [text(i) for i in check.text_list(f["待核实"], "待核实")] if "待核实" in f else []
    for name, item in zip(
        assumed, check.text_list(f["待核实"], "待核实") if "待核实" in f else [], strict=False
    ):
        if name not in required and name not in ("标题", "标题分行"):
            check.report(item.where, f"“待核实”中有未知的字段“{name}”{did_you_mean(name, required)}")
    if not (required.keys() | {"标题"}) <= f.keys():
        return None
    return Notice(
        organ_mark=text(f["发文机关标志"]),
        doc_number=text(f["发文字号"]),
        title=text(f["标题"]),
        title_lines=tuple(lines),
        addressees=text(f["主送机关"]),
        body=tuple(body),
        attachment=text(f["附件说明"]),
        signature=text(f["署名"]),
        date=text(f["成文日期"]),
        copies_to=text(f["抄送"]),
        printer=text(f["印发机关"]),
        printed_on=text(f["印发日期"]),
        assumed_fields=tuple(assumed),
    )


def _quarter_dates(f: dict, key: str, check: Checker, count: int = 4) -> list[str]:
    """Real dates, one per reporting period (季度报送截止日期, 报送截止日期, 督办回复期限): 4, 12 or 2."""
    items = check.text_list(f[key], key)
    for item in items:
        check_date(item, f"“{key}”中的日期", check)
    if len(items) != count:
        each = {4: "每季度", 12: "每月", 2: "每半年"}[count]
        check.report(f[key].where, f"“{key}”应有 {count} 个（{each}一个），实际 {len(items)} 个")
    return [text(i) for i in items]


def _numeral(node: Node, expected: int, what: str, check: Checker, restart: int | None = None) -> str:
    """Checks a Chinese ordinal (一, 二 …) against the expected position (or the position counted afresh
    in its part, restart, as many drafts number （一） per part); returns it."""
    value = text(node)
    n = from_chinese(value)
    if n is None:
        check.report(node.where, f"{what}编号应为中文数字（一、二、三……），实际为“{value}”")
    elif n != expected and n != restart:
        check.report(node.where, _sequence_message(what, n, expected, to_chinese))
    return value


def _sequence_message(what: str, got: int, expected: int, show: Callable[[int], str] = str) -> str:
    if got < expected:
        return f"{what}编号重复或倒序：“{show(got)}”，此处应为“{show(expected)}”"
    return f"{what}编号不连续：跳过了“{show(expected)}”，此处为“{show(got)}”"


def name_locations(node: Node) -> list[tuple[str, Location]]:
    """Each name in a responsibility line with the column where it starts (exact for one-line plain text)."""
    raw = str(node.value)
    out = []
    offset = 0
    for block in raw.split("，"):
        for name in block.split("、"):
            lead = len(name) - len(name.lstrip())
            where = node.where.shifted(offset + lead) if node.plain_one_line else node.where
            out.append((name.strip(), where))
            offset += len(name) + 1
    return out


def responsibility_of(fields: dict, check: Checker) -> tuple[Responsibility | None, list]:
    """The measure's line from 责任单位 (+ 标签, 配合单位, 结尾) or from 责任单位行 as printed, with each
    name's location for the registry check."""
    trailer = text(fields.get("结尾"))
    if "责任单位行" in fields:
        node = fields["责任单位行"]
        try:
            line = parse_line(text(node) + trailer)
        except ResponsibilityError as err:
            check.report(node.where, str(err))
            return None, []
        offset = len(str(node.value)) - len(str(node.value).lstrip())
        where = [node.where.shifted(offset + s) if node.plain_one_line else node.where for s in line.spans]
        return line, list(zip(line.all_names, where, strict=True))
    names = name_locations(fields["责任单位"])
    if "配合单位" in fields:
        names += name_locations(fields["配合单位"])
    line = labelled(
        text(fields["责任单位"]),
        text(fields.get("标签"), DEFAULT_LABEL),
        text(fields.get("配合单位")),
        trailer,
    )
    return line, names


def build_opinion(
    root: Node, check: Checker, names_to_check: list[tuple[str, Location]]
) -> tuple[str, tuple[Part, ...]]:
    # 序言 may be absent: a 任务分解表 often goes straight from its title to its table
    f = check.fields(root, "opinion.yaml", {"部分": "list"}, {"序言": "text?"})
    if f is None:
        return "", ()
    parts: list[Part] = []
    next_measure = 1
    seen_measures: dict[int, Location] = {}
    for p_index, p_node in enumerate(f.get("部分", Node([], root.where)).value, 1):
        pf = check.fields(p_node, f"第{p_index}部分", {"编号": "text", "标题": "text", "节": "list"}, {})
        if pf is None:
            continue
        p_num = _numeral(pf["编号"], p_index, "部分", check) if "编号" in pf else ""
        sections: list[Section] = []
        s_index = sum(1 for s in _all_sections(parts) if s.number)
        in_part = 0
        for s_node in pf.get("节", Node([], p_node.where)).value:
            # a section without 编号 and 标题 holds the measures of a part that has no （一） headings
            headless = isinstance(s_node.value, dict) and not {"编号", "标题"} & s_node.value.keys()
            s_index += 0 if headless else 1
            in_part += 0 if headless else 1
            sf = check.fields(
                s_node,
                f"第{s_index}节",
                {"措施": "list"} if headless else {"编号": "text", "标题": "text", "措施": "list"},
                {"导语": "text", "导语同行": "bool"},
            )
            if sf is None:
                continue
            s_num = _numeral(sf["编号"], s_index, "节", check, in_part) if "编号" in sf else ""
            measures: list[Measure] = []
            for m_node in sf.get("措施", Node([], s_node.where)).value:
                measure, next_measure = _measure(
                    m_node, next_measure, len(measures) + 1, seen_measures, check, names_to_check
                )
                if measure is not None:
                    measures.append(measure)
            sections.append(
                Section(
                    number=s_num,
                    title=text(sf.get("标题")),
                    intro=text(sf["导语"]) if "导语" in sf else None,
                    measures=tuple(measures),
                    inline=bool(sf["导语同行"].value) if "导语同行" in sf else False,
                )
            )
        parts.append(Part(number=p_num, title=text(pf.get("标题")), sections=tuple(sections)))
    return text(f.get("序言")), tuple(parts)


def _measure(
    node: Node, position: int, in_section: int, seen: dict, check: Checker, names: list[tuple[str, Location]]
) -> tuple[Measure | None, int]:
    """One measure. 编号 is an integer printed "N." (the plan's running number) or the numbering as
    printed (（一）, 1、, 1. restarted per section). Returns it (None when unreadable) and the next position:
    after a wrong running number the count goes on from it, so one slip is one message."""
    with_subtasks = isinstance(node.value, dict) and "子任务" in node.value
    mf = check.fields(
        node,
        f"第{position}条措施",
        {"编号": "number"} if with_subtasks else {"编号": "number", "内容": "text"},
        {
            **({"内容": "text?"} if with_subtasks else {}),
            "子任务": "list",  # sentences each closing with their own bracket
            "责任单位": "text",
            "责任单位行": "text",
            "结尾": "text?",
            "标签": "text",
            "配合单位": "text",
            "行外": "bool",  # printed on their own lines under the item (牵头单位：A), not in a bracket
            "时限": "text",  # the deadline, when the text's own words (4月底前 …) should not be read
            "时限行": "text",  # 时限 printed on a line of its own under the item, after this label (完成时限)
        },
    )
    if mf is None:
        return None, position + 1
    label, number = "", position
    if "编号" in mf and isinstance(mf["编号"].value, int):
        number = mf["编号"].value
        if number in seen:
            check.report(mf["编号"].where, f"措施编号 {number} 重复（第一次出现在第 {seen[number].line} 行）")
        elif number != position:
            check.report(mf["编号"].where, _sequence_message("措施", number, position))
        seen.setdefault(number, mf["编号"].where)
    elif "编号" in mf:
        label = text(mf["编号"])
        if label_value(label) not in (position, in_section):
            check.report(
                mf["编号"].where,
                f"措施编号“{label}”应为第 {in_section} 条（写作 {in_section}.、{in_section}、"
                f"或（{to_chinese(in_section)}）），或全文连续的第 {position} 条",
            )
    if "时限行" in mf and "时限" not in mf:
        check.report(mf["时限行"].where, f"第{position}条措施写了“时限行”，缺少它印出的“时限”")
    deadline_label = text(mf["时限行"]) if "时限行" in mf and "时限" in mf else ""
    if with_subtasks:
        measure = _measure_of_subtasks(mf, node, number, label, position, check, names)
        if measure is not None and deadline_label:
            measure = dataclasses.replace(measure, deadline_label=deadline_label)
        return measure, number + 1
    lines = [key for key in ("责任单位", "责任单位行") if key in mf]
    if not lines:
        check.report(node.where, f"第{position}条措施缺少必填的键“责任单位”（或照印出的样子写“责任单位行”）")
    elif len(lines) > 1:
        check.report(node.where, f"第{position}条措施应写“责任单位”或“责任单位行”（二者选一）")
    elif "责任单位行" in mf and {"标签", "配合单位"} & mf.keys():
        check.report(node.where, f"第{position}条措施写了“责任单位行”，“标签”“配合单位”应写在其中")
    if len(lines) != 1 or "内容" not in mf:
        return None, number + 1
    line, located = responsibility_of(mf, check)
    names.extend(located)
    if line is None:
        return None, number + 1
    if not line.names:
        where = mf["责任单位行"].where if "责任单位行" in mf else node.where
        check.report(where, f"第{position}条措施没有责任单位（只有配合单位）：“{line.printed}”")
    deadline, words = _deadline(mf, check), text(mf["内容"])
    measure = Measure(
        number=number,
        text=words,
        responsibility=line,
        label=label,
        deadline=deadline,
        deadlines=task_deadline(words, deadline),
        own_lines=bool(mf["行外"].value) if "行外" in mf else False,
        deadline_label=deadline_label,
    )
    return measure, number + 1


def _measure_of_subtasks(
    mf: dict, node: Node, number: int, label: str, position: int, check: Checker, names: list
) -> Measure | None:
    """A measure whose sentences each close with their own bracket (子任务): printed as drafted, one after
    the other after the measure's own 内容 (if any); its line is every sub-task's clauses, in order."""
    if {"责任单位", "责任单位行", "标签", "配合单位"} & mf.keys():
        check.report(node.where, f"第{position}条措施写了“子任务”，责任单位应写在各子任务中")
    subtasks: list[SubTask] = []
    for index, s_node in enumerate(mf["子任务"].value, 1):
        sf = check.fields(
            s_node,
            f"第{position}条措施的第{index}项子任务",
            {"内容": "text"},
            {
                "责任单位": "text",
                "责任单位行": "text",
                "结尾": "text?",
                "标签": "text",
                "配合单位": "text",
                "行外": "bool",
                "时限": "text",
            },
        )
        if sf is None:
            continue
        lines = [key for key in ("责任单位", "责任单位行") if key in sf]
        if len(lines) != 1:
            check.report(
                s_node.where, f"第{position}条措施的第{index}项子任务应写“责任单位”或“责任单位行”（二者选一）"
            )
            continue
        line, located = responsibility_of(sf, check)
        names.extend(located)
        if line is not None:
            stated = _deadline(sf, check) or text(mf.get("时限"))
            words = text(sf["内容"])
            subtasks.append(SubTask(words, line, stated, task_deadline(words, stated)))
    if not subtasks:
        if not mf["子任务"].value:
            check.report(mf["子任务"].where, f"第{position}条措施的“子任务”为空")
        return None
    clauses = tuple(c for sub in subtasks for c in sub.responsibility.clauses)
    deadline, words = _deadline(mf, check), text(mf.get("内容"))
    return Measure(
        number=number,
        text=words,
        responsibility=Responsibility(clauses),
        label=label,
        deadline=deadline,
        subtasks=tuple(subtasks),
        deadlines=task_deadline(words + "".join(s.text for s in subtasks), deadline),
    )


def _deadline(fields: dict, check: Checker) -> str:
    """时限 as written, checked: a date (2025-04-30), a phrase the deadline reader knows, or a recurrence."""
    if "时限" not in fields:
        return ""
    stated = text(fields["时限"])
    if not task_deadline("", stated).due(2000) and not task_deadline("", stated).recurrence:
        check.report(
            fields["时限"].where,
            f"“时限”应为日期（如 2025-04-30）或“4月底前”“6月30日前”“年底前”“每季度”“长期坚持”等，实际为“{stated}”",
        )
    return stated


def _all_sections(parts: list[Part]) -> list[Section]:
    return [s for p in parts for s in p.sections]


def build_annex(
    root: Node,
    check: Checker,
    parts: tuple[Part, ...] | None,
    names_to_check: list[tuple[str, Location]],
    leaders_to_check: list[tuple[str, Location]],
) -> Annex:
    f = check.fields(root, "tasks.yaml", {"标题": "text", "分组": "list"}, {"分解行标题": "text"})
    if f is None:
        return Annex("", "", ())
    if "标题" in f:
        check_file_name(f["标题"], "任务清单标题", check)
    parts_by_number = {p.number: p for p in parts or ()}
    groups: list[TaskGroup] = []
    next_task = 1
    seen: dict[int, Location] = {}
    for g_index, g_node in enumerate(f.get("分组", Node([], root.where)).value, 1):
        gf = check.fields(g_node, f"第{g_index}组", {"任务": "list"}, {"名称": "text", "部分": "text"})
        if gf is None:
            continue
        part_number = text(gf.get("部分")) or None
        if parts is not None and part_number is not None and part_number not in parts_by_number:
            hint = did_you_mean(part_number, parts_by_number)
            check.report(gf["部分"].where, f"意见正文中没有编号为“{part_number}”的部分{hint}")
        if ("名称" in gf) == ("部分" in gf):
            check.report(g_node.where, f"第{g_index}组应写“名称”或“部分”（二者选一）")
        if part_number in parts_by_number:
            name = parts_by_number[part_number].heading
        else:
            name = text(gf.get("名称"))
        tasks: list[KeyTask] = []
        for t_node in gf.get("任务", Node([], g_node.where)).value:
            tf = check.fields(
                t_node,
                f"第{next_task}项任务",
                {"序号": "int", "重点任务": "text", "区领导": "list", "责任单位": "list", "工作内容": "text"},
                {"配合单位": "list", "备注": "text?", "时限": "text"},
            )
            if tf is None:
                continue
            number = tf["序号"].value if "序号" in tf else next_task
            if "序号" in tf:
                if number in seen:
                    check.report(
                        tf["序号"].where, f"任务序号 {number} 重复（第一次出现在第 {seen[number].line} 行）"
                    )
                elif number != next_task:
                    check.report(tf["序号"].where, _sequence_message("任务", number, next_task))
                seen.setdefault(number, tf["序号"].where)
            next_task = number + 1
            lists = {}
            for key in ("区领导", "责任单位", "配合单位"):
                items = check.text_list(tf[key], key) if key in tf else []
                lists[key] = tuple(text(i) for i in items)
                target = leaders_to_check if key == "区领导" else names_to_check
                target.extend((text(i), i.where) for i in items)
            tasks.append(
                KeyTask(
                    number=number,
                    name=text(tf.get("重点任务")),
                    leaders=lists["区领导"],
                    leads=lists["责任单位"],
                    supports=lists["配合单位"],
                    content=text(tf.get("工作内容")),
                    remark=text(tf.get("备注")),
                    deadline=_deadline(tf, check),
                    deadlines=task_deadline(
                        "\n".join(text(tf.get(k)) for k in ("重点任务", "工作内容", "备注")),
                        text(tf.get("时限")),
                    ),
                )
            )
        groups.append(TaskGroup(name=name, part=part_number, tasks=tuple(tasks)))
    if not any(g.tasks for g in groups):
        check.report(root.where, "tasks.yaml 中没有任何任务；计划没有附件任务清单时请删除 tasks.yaml")
    return Annex(title=text(f.get("标题")), breakdown_label=text(f.get("分解行标题")), groups=tuple(groups))


def build_units(root: Node, check: Checker) -> tuple[tuple[Unit, ...], tuple[Group, ...]]:
    f = check.fields(root, "units.yaml", {"单位": "map", "分组": "list"}, {})
    if f is None:
        return (), ()
    units: list[Unit] = []
    seen: dict[str, Location] = {}
    categories = {c.value: c for c in Category}
    look_alikes = LookAlikes()  # units and groups: one pool of names a task can name
    for cat_name, cat_node in f["单位"].value.items() if "单位" in f else ():
        where = f["单位"].keys[cat_name]
        if cat_name not in categories:
            check.report(where, f"未知的单位类别“{cat_name}”{did_you_mean(cat_name, categories)}")
            continue
        if not isinstance(cat_node.value, list):
            check.report(cat_node.where, f"“{cat_name}”应为列表")
            continue
        for u_node in cat_node.value:
            uf = check.fields(u_node, "单位", {"简称": "text", "全称": "text"}, {"待核实": "bool"})
            if uf is None or "简称" not in uf:
                continue
            name = text(uf["简称"])
            check_file_name(uf["简称"], "单位简称", check)
            check_visible(uf["简称"], "单位简称", check)
            if "全称" in uf:
                check_visible(uf["全称"], "单位全称", check)
            look_alikes.add(uf["简称"], "单位简称", check)
            if name in seen:
                check.report(uf["简称"].where, f"单位“{name}”重复（第一次出现在第 {seen[name].line} 行）")
                continue
            seen[name] = uf["简称"].where
            units.append(
                Unit(
                    name=name,
                    full_name=text(uf.get("全称"), name),
                    category=categories[cat_name],
                    assumed=bool(uf["待核实"].value) if "待核实" in uf else False,
                )
            )
    groups: list[Group] = []
    roles = {r.value: r for r in GroupRole}
    raw: dict[str, tuple[dict, Node]] = {}
    for g_node in f["分组"].value if "分组" in f else ():
        gf = check.fields(
            g_node,
            "分组",
            {"名称": "text", "作用": "text"},
            {"成员": "list", "成员同": "text", "待核实": "bool"},
        )
        if gf is None or "名称" not in gf:
            continue
        name = text(gf["名称"])
        check_visible(gf["名称"], "分组名称", check)
        look_alikes.add(gf["名称"], "分组名称", check)
        if name in raw or name in seen:
            check.report(gf["名称"].where, f"分组名称“{name}”重复")
            continue
        raw[name] = (gf, g_node)
    for name, (gf, g_node) in raw.items():
        role_text = text(gf.get("作用"))
        if "作用" in gf and role_text not in roles:
            check.report(gf["作用"].where, f"“作用”应为{'、'.join(roles)}之一，实际为“{role_text}”")
        if ("成员" in gf) == ("成员同" in gf):
            check.report(g_node.where, f"分组“{name}”应写“成员”或“成员同”（二者选一）")
        members: list[str] = []
        if "成员" in gf:
            for item in check.text_list(gf["成员"], "成员"):
                member = text(item)
                check_visible(item, "分组成员", check)
                if member not in seen:
                    check.report(item.where, f"分组成员“{member}”不在单位名册中{did_you_mean(member, seen)}")
                else:
                    members.append(member)
        elif "成员同" in gf:
            other = text(gf["成员同"])
            if other not in raw or "成员" not in raw[other][0]:
                check.report(gf["成员同"].where, f"“成员同”应指向一个列出成员的分组，实际为“{other}”")
            else:
                members = [text(i) for i in raw[other][0]["成员"].value if text(i) in seen]
        order = {u.name: i for i, u in enumerate(units)}
        groups.append(
            Group(
                name=name,
                role=roles.get(role_text, GroupRole.ALL),
                members=tuple(sorted(dict.fromkeys(members), key=order.__getitem__)),
                assumed=bool(gf["待核实"].value) if "待核实" in gf else False,
            )
        )
    return tuple(units), tuple(groups)


def build_leaders(root: Node, check: Checker) -> tuple[Leader, ...]:
    f = check.fields(root, "leaders.yaml", {"区领导": "list"}, {})
    if f is None or "区领导" not in f:
        return ()
    leaders = []
    seen: set[str] = set()
    look_alikes = LookAlikes()
    for node in f["区领导"].value:
        lf = check.fields(
            node, "区领导", {"姓名": "text"}, {"职务": "text?", "分管": "text?", "待核实": "bool"}
        )
        if lf is None or "姓名" not in lf:
            continue
        name = text(lf["姓名"])
        check_visible(lf["姓名"], "区领导姓名", check)
        look_alikes.add(lf["姓名"], "区领导姓名", check)
        if " " in name or "\u3000" in name:
            check.report(lf["姓名"].where, f"姓名“{name}”中不要加空格（两字姓名的补位由模板处理）")
        else:
            check_file_name(lf["姓名"], "区领导姓名", check)
        if name in seen:
            check.report(lf["姓名"].where, f"区领导“{name}”重复")
        seen.add(name)
        leaders.append(
            Leader(
                name=name,
                title=text(lf.get("职务")),
                portfolio=text(lf.get("分管")),
                assumed=bool(lf["待核实"].value) if "待核实" in lf else False,
            )
        )
    return tuple(leaders)
