"""The responsibility line that closes a measure: one grammar for loading, printing, import and diff.

A line is a bracket holding one or two clauses of unit names. Names are split by '、' within a block and
by '，' between blocks. The forms read (full- or half-width punctuation alike):

    （责任单位：A、B，C）            （牵头单位：A；配合单位：B）       （牵头单位：A；责任单位：B）
    〔A牵头，B、C分工负责〕           （A负责）                         （A会同B分工负责）
    （A、B按职责分工负责）            （A、B）

The printed form is kept: brackets, labels, verbs and every punctuation mark as written, so that
print(parse(s)) == s. A clause's role comes from its label or verb: 配合 means support, anything else
responsible. The input has no whitespace (a draft's stray spaces are dropped by the reader).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

DEFAULT_LABEL = "责任单位"
SUPPORT_LABEL = "配合单位"
LABELS = ("责任单位", "牵头单位", "配合单位", "协办单位", "责任部门", "牵头部门", "配合部门")
SUPPORT_WORDS = ("配合单位", "配合部门", "协办单位", "配合")
# a clause so labelled (or with this verb) names the lead units
PRIME_WORDS = ("牵头单位", "牵头部门", "牵头")
# words printed after a clause's names, longest first so 分工负责 is not read as 负责
VERBS = ("按职责分工负责", "按职责负责", "分工负责", "负责", "牵头", "配合")
# 等 closing a list of names (区委宣传部、区教育局等按职责负责) belongs to the clause's words, never to a name
ETC = "等"
WITH = "会同"
BRACKETS = {"（": "）", "〔": "〕", "【": "】"}
FULL = {"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "[": "〔", "]": "〕"}
FORMS_HELP = (
    "可识别的写法：（责任单位：A、B，C）、（牵头单位：A；配合单位：B）、（牵头单位：A；责任单位：B）、"
    "〔A牵头，B、C分工负责〕、（A负责）、（A会同B分工负责）、（A、B按职责分工负责）、（A、B等按职责负责）、（A、B），"
    "全角半角标点均可"
)


class ResponsibilityError(ValueError):
    """A bracket that is no responsibility line this grammar reads; the message says why, in Chinese."""


@dataclass(frozen=True)
class Clause:
    blocks: tuple[tuple[str, ...], ...]
    label: str = ""  # printed before '：' (责任单位, 牵头单位 …), "" when unlabelled
    verb: str = ""  # printed after the names (负责, 牵头, 分工负责 …), "" when none

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for block in self.blocks for name in block)

    @property
    def supports(self) -> bool:
        return self.label in SUPPORT_WORDS or self.verb.removeprefix(ETC) in SUPPORT_WORDS

    @property
    def role(self) -> str:
        """The role the clause gives its names: 牵头, 配合, or 责任 (负责, 分工负责, 会同, 按职责, a plain list)."""
        if self.supports:
            return "配合"
        return "牵头" if self.label in PRIME_WORDS or self.verb.removeprefix(ETC) in PRIME_WORDS else "责任"


@dataclass(frozen=True)
class Responsibility:
    """A responsibility line as printed; parse() and .printed are each other's inverse."""

    clauses: tuple[Clause, ...]
    joiner: str = "；"  # between two clauses: '；' (labelled), '，' (〔A牵头，B分工负责〕) or 会同
    opening: str = "（"  # the bracket as a full-width form: （ 〔 【
    trailer: str = ""  # what is printed after the closing bracket (the seed has one '。')
    marks: str = ""  # the punctuation as printed, when it is not all the full-width form
    spans: tuple[int, ...] = field(default=(), compare=False, repr=False)  # where each name starts

    def __repr__(self) -> str:
        # Form versions hash this repr (formspec.form_version): a line the YAML keys can hold keeps the
        # repr it had before the other forms existed, so forms already sent out keep their version.
        if _plain_form(self):
            return (
                f"Responsibility(blocks={self.blocks!r}, label={self.label!r}, "
                f"trailer={self.trailer!r}, supports={self.supports!r})"
            )
        return (
            f"Responsibility(clauses={self.clauses!r}, joiner={self.joiner!r}, opening={self.opening!r}, "
            f"trailer={self.trailer!r}, marks={self.marks!r})"
        )

    # --- what the line means ---
    @property
    def names(self) -> tuple[str, ...]:
        """The units responsible (lead): every clause that is not a support clause."""
        return tuple(n for c in self.clauses if not c.supports for n in c.names)

    @property
    def support_names(self) -> tuple[str, ...]:
        return tuple(n for c in self.clauses if c.supports for n in c.names)

    @property
    def prime_names(self) -> tuple[str, ...]:
        """The units the line names as 牵头 (a subset of names)."""
        return tuple(n for c in self.clauses if c.role == "牵头" for n in c.names)

    @property
    def all_names(self) -> tuple[str, ...]:
        return tuple(n for c in self.clauses for n in c.names)

    @property
    def label(self) -> str:
        """How the first clause's units are named in messages: its label, or 责任单位."""
        return self.clauses[0].label or DEFAULT_LABEL

    @property
    def blocks(self) -> tuple[tuple[str, ...], ...]:
        return self.clauses[0].blocks

    @property
    def supports(self) -> tuple[tuple[str, ...], ...]:
        return tuple(b for c in self.clauses[1:] for b in c.blocks)

    def renamed(self, name: Callable[[str], str]) -> Responsibility:
        clauses = tuple(
            replace(c, blocks=tuple(tuple(name(n) for n in b) for b in c.blocks)) for c in self.clauses
        )
        return replace(self, clauses=clauses)

    # --- how it is printed ---
    @property
    def inner(self) -> str:
        """The line between the brackets, as printed."""
        return "".join(text for _, text in self._tokens()[1:-1])

    @property
    def printed(self) -> str:
        return "".join(text for _, text in self._tokens()) + self.trailer

    @property
    def text(self) -> str:
        """The first clause's names as the YAML key 责任单位 stores them: A、B，C."""
        return _names_text(self.clauses[0].blocks)

    def _tokens(self) -> list[tuple[bool, str]]:
        """(is punctuation, text) in print order; punctuation takes the printed marks when they differ."""
        out: list[tuple[bool, str]] = [(True, self.opening)]
        for i, clause in enumerate(self.clauses):
            if i:
                out.append((self.joiner != WITH, self.joiner))
            if clause.label:
                out += [(False, clause.label), (True, "：")]
            for j, block in enumerate(clause.blocks):
                if j:
                    out.append((True, "，"))
                for k, name in enumerate(block):
                    if k:
                        out.append((True, "、"))
                    out.append((False, name))
            if clause.verb:
                out.append((False, clause.verb))
        out.append((True, BRACKETS[self.opening]))
        if self.marks:
            marks = iter(self.marks)
            out = [(punct, next(marks) if punct else text) for punct, text in out]
        return out


def _names_text(blocks: tuple[tuple[str, ...], ...]) -> str:
    return "，".join("、".join(block) for block in blocks)


def labelled(line: str, label: str = DEFAULT_LABEL, supports: str = "", trailer: str = "") -> Responsibility:
    """The YAML's keys (责任单位, 标签, 配合单位, 结尾) as a line: （标签：A、B；配合单位：C）结尾."""
    clauses = [Clause(split_names(line), label=label)]
    if supports:
        clauses.append(Clause(split_names(supports), label=SUPPORT_LABEL))
    return Responsibility(tuple(clauses), trailer=trailer)


def split_names(line: str) -> tuple[tuple[str, ...], ...]:
    """'A、B，C' → (('A','B'),('C',)); names keep inner brackets: 区安委会各专委会（办）牵头部门."""
    return tuple(
        tuple(name.strip() for name in block) for block in _split(line, "，", lambda b: _split(b, "、"))
    )


def _plain_form(line: Responsibility) -> bool:
    """（标签：A；配合单位：B） in full-width marks: the form the YAML keys 责任单位/标签/配合单位 hold."""
    first = line.clauses[0]
    if line.opening != "（" or line.marks or not first.label or first.verb or len(line.clauses) > 2:
        return False
    if len(line.clauses) == 2:
        second = line.clauses[1]
        return second.label == SUPPORT_LABEL and not second.verb and line.joiner == "；"
    return True


def as_keys(line: Responsibility) -> dict | None:
    """The line as the YAML keys 责任单位 / 标签 / 配合单位, or None when only 责任单位行 can hold it."""
    if not _plain_form(line):
        return None
    first = line.clauses[0]
    keys = {"标签": first.label} if first.label != DEFAULT_LABEL else {}
    keys["责任单位"] = _names_text(first.blocks)
    if len(line.clauses) == 2:
        keys["配合单位"] = _names_text(line.clauses[1].blocks)
    return keys if labelled(**_as_args(keys), trailer=line.trailer) == line else None


def _as_args(keys: dict) -> dict:
    return {
        "line": keys["责任单位"],
        "label": keys.get("标签", DEFAULT_LABEL),
        "supports": keys.get("配合单位", ""),
    }


# --- reading ---------------------------------------------------------------------------------------


def closing_bracket(paragraph: str) -> tuple[str, str, str] | None:
    """(text before, the bracket itself, what follows it) when a paragraph ends with a bracket (maybe
    then a '。' or '；'); None otherwise. Nested brackets inside names or the text are respected."""
    s = paragraph.rstrip()
    end = len(s)
    while end > 0 and (s[end - 1] in "。.．；;，," or s[end - 1].isspace()):
        end -= 1
    trailer, s = "".join(s[end:].split()), s[:end]
    closers = set(BRACKETS.values()) | {")", "]"}
    if not s or s[-1] not in closers:
        return None
    depth = 0
    for i in range(len(s) - 1, -1, -1):
        c = FULL.get(s[i], s[i])
        if c in closers or c in BRACKETS.values():
            depth += 1
        elif c in BRACKETS:
            depth -= 1
            if depth == 0:
                return s[:i], s[i:], trailer
    return None


def parse(printed: str) -> Responsibility:
    """A printed line (its bracket, then maybe a trailer like '。') → Responsibility, or
    ResponsibilityError saying what is wrong and which forms are read."""
    found = closing_bracket(printed)
    if found is None or found[0]:
        raise ResponsibilityError(f"责任单位应写在括号中，实际为“{printed}”；{FORMS_HELP}")
    _, bracket, trailer = found
    norm = "".join(FULL.get(c, c) for c in bracket)  # one character for one: positions stay
    opening = norm[0]
    if norm[-1] != BRACKETS[opening]:
        raise ResponsibilityError(f"括号不配对：“{bracket}”；{FORMS_HELP}")
    inner = norm[1:-1]
    clauses, joiner = _clauses(inner)
    line = Responsibility(tuple(clauses), joiner=joiner, opening=opening, trailer=trailer)
    canonical = "".join(text for _, text in line._tokens())
    if canonical != norm:  # a name or word the grammar does not place: never print it differently
        raise ResponsibilityError(f"无法读出责任单位：“{bracket}”；{FORMS_HELP}")
    punct = [i for i, (is_punct, _) in enumerate(_positions(line._tokens())) if is_punct]
    marks = "".join(bracket[i] for i in punct)
    if marks != "".join(canonical[i] for i in punct):
        line = replace(line, marks=marks)
    line = replace(line, clauses=_rebuild_names(line, bracket))
    starts = [pos for pos, (is_punct, _) in _spans(line._tokens()) if not is_punct]
    name_starts = tuple(pos for pos, kind in zip(starts, _word_texts(line), strict=True) if kind is not None)
    return replace(line, spans=name_starts)


def _positions(tokens: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
    """Per printed character: (is structural punctuation, character)."""
    return [(punct and len(text) == 1, ch) for punct, text in tokens for ch in text]


def _spans(tokens: list[tuple[bool, str]]) -> list[tuple[int, tuple[bool, str]]]:
    out, pos = [], 0
    for token in tokens:
        out.append((pos, token))
        pos += len(token[1])
    return out


def _word_texts(line: Responsibility) -> list[str | None]:
    """For each non-punctuation token of the line: the name it is, or None for a label or verb."""
    out: list[str | None] = []
    for i, clause in enumerate(line.clauses):
        if i and line.joiner == WITH:
            out.append(None)
        if clause.label:
            out.append(None)
        out += [n for n in clause.names]
        if clause.verb:
            out.append(None)
    return out


def _rebuild_names(line: Responsibility, bracket: str) -> tuple[Clause, ...]:
    """Names as printed (a half-width bracket inside a name stays half-width)."""
    spans = [(pos, text) for pos, (punct, text) in _spans(line._tokens()) if not punct]
    kinds = _word_texts(line)
    printed = iter(
        bracket[pos : pos + len(text)] for (pos, text), kind in zip(spans, kinds, strict=True) if kind
    )
    return tuple(
        replace(c, blocks=tuple(tuple(next(printed) for _ in b) for b in c.blocks)) for c in line.clauses
    )


def _clauses(inner: str) -> tuple[list[Clause], str]:
    segments = _split(inner, "；")
    first_label = _label_of(segments[0])
    if first_label is not None:
        clauses = []
        for segment in segments:
            label = _label_of(segment)
            if label is None:
                raise ResponsibilityError(
                    f"“；”后应为“{SUPPORT_LABEL}：……”或“{DEFAULT_LABEL}：……”，实际为“{segment}”；{FORMS_HELP}"
                )
            clauses.append(Clause(_blocks(segment[len(label) + 1 :]), label=label))
        if len(clauses) > 3:
            raise ResponsibilityError(f"责任单位最多三段（牵头、责任、配合），实际为“{inner}”；{FORMS_HELP}")
        return clauses, "；"
    if len(segments) > 1:
        raise ResponsibilityError(f"“；”前应有“{DEFAULT_LABEL}：”等字样：“{inner}”；{FORMS_HELP}")
    if WITH in inner:
        lead, rest = inner.split(WITH, 1)
        return [_phrase(lead, allow_verb=False), _phrase(rest)], WITH
    blocks = _split(inner, "，")
    for i, block in enumerate(blocks[:-1]):
        if block.endswith("牵头"):
            first = "，".join(blocks[: i + 1])
            return [_phrase(first), _phrase("，".join(blocks[i + 1 :]))], "，"
    return [_phrase(inner)], "；"


def _label_of(segment: str) -> str | None:
    head, colon, _ = segment.partition("：")
    return head if colon and head in LABELS else None


def _phrase(text: str, allow_verb: bool = True) -> Clause:
    verb = next((v for v in VERBS if text.endswith(v) and len(text) > len(v)), "") if allow_verb else ""
    names = text[: len(text) - len(verb)]
    if allow_verb and names.endswith(ETC) and len(names) > len(ETC):
        names, verb = names[: -len(ETC)], ETC + verb
    return Clause(_blocks(names), verb=verb)


def _blocks(text: str) -> tuple[tuple[str, ...], ...]:
    blocks = split_names(text)
    if not text or any(not name for block in blocks for name in block):
        raise ResponsibilityError(f"责任单位中有空的单位名称（多余的“、”或“，”）：“{text}”；{FORMS_HELP}")
    return blocks


def _split(text: str, sep: str, then: Callable[[str], list[str]] | None = None) -> list:
    """text split at sep outside brackets."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "（(〔【":
            depth += 1
        elif c in "）)〕】":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [then(p) for p in parts] if then else parts
