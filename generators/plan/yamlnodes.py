"""YAML read into plain values that remember where they stood (ruamel's composer gives the marks).

We walk the composed node tree ourselves instead of a constructor so that one file can report every
duplicate key, and so that dates and 'no' stay the text the office typed. PyYAML's libyaml composer
is used for speed (20× ruamel's pure-Python one; the plan is read on every build).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.error import MarkedYAMLError, YAMLError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from ..filenames import control_character
from .problems import Location, Problem

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_FLOAT = "tag:yaml.org,2002:float"
# Aliases (*name) expanded per file: a plan may reuse a list or two; an alias bomb (aliases of aliases of
# aliases …) would expand to billions of values. Beyond the bound the file is refused at once.
MAX_ALIASES = 100


@dataclass
class _Walk:
    shown_name: str
    text: str
    problems: list[Problem]
    seen: set[int] = field(default_factory=set)
    aliases: int = 0


@dataclass
class Node:
    value: object  # str | int | bool | None | float | list[Node] | dict[str, Node]
    where: Location
    keys: dict[str, Location] = field(default_factory=dict)  # for mappings: where each key stands
    plain_one_line: bool = False  # a plain scalar on one line: columns inside it are exact


def read_yaml(text: str, shown_name: str) -> tuple[Node | None, list[Problem]]:
    """Parse one file. Returns its root node (None if unreadable) and the problems found."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = Location(shown_name, mark.line + 1, mark.column + 1) if mark else Location(shown_name, 1, 1)
        return None, [Problem(where, f"YAML 语法错误：{_describe(err)}")]
    except ReaderError as err:  # a control character: it has a position but no mark
        line = text.count("\n", 0, err.position) + 1
        col = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        where = Location(shown_name, line, col)
        return None, [Problem(where, f"YAML 语法错误：不允许的控制字符 U+{err.character:04X}")]
    except YAMLError as err:
        return None, [Problem(Location(shown_name, 1, 1), f"YAML 语法错误：格式不正确（{err}）")]
    except RecursionError:
        return None, [Problem(Location(shown_name, 1, 1), "YAML 嵌套层次过深，无法读取")]
    problems: list[Problem] = []
    if root is None:
        return Node({}, Location(shown_name, 1, 1)), problems
    walk = _Walk(shown_name, text, problems)
    try:
        converted = _convert(root, walk)
    except RecursionError:
        return None, [Problem(Location(shown_name, 1, 1), "YAML 嵌套层次过深，无法读取")]
    if walk.aliases > MAX_ALIASES:
        return None, [*problems, _too_many_aliases(walk)]
    return converted, problems


def _too_many_aliases(walk: _Walk) -> Problem:
    """Where the first alias beyond the bound stands (the composed tree no longer knows)."""
    count = 0
    where = Location(walk.shown_name, 1, 1)
    for event in yaml.parse(walk.text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            count += 1
            if count > MAX_ALIASES:
                where = _where(event, walk.shown_name)
                break
    return Problem(where, f"锚点引用（*别名）过多：一个文件最多展开 {MAX_ALIASES} 处，请直接写出内容")


def _describe(err: MarkedYAMLError) -> str:
    text = (err.problem or err.context or "无法解析").strip()
    known = {
        "mapping values are not allowed here": "此处不能出现“: ”（值中含冒号时请加引号）",
        "could not find expected ':'": "缺少“:”",
        "found character '\\t' that cannot start any token": "不能用制表符缩进",
        "expected <block end>": "缩进不一致或缺少“- ”",
        "expected the node content": "此处缺少内容（括号或引号未闭合？）",
        "found unexpected end of stream": "文件意外结束（引号或括号未闭合？）",
        "while scanning a quoted scalar": "引号未闭合",
        "found undefined alias": "未定义的锚点引用",
    }
    for english, chinese in known.items():
        if english in text:
            return chinese
    return f"格式不正确（{text}）"


def _where(node, shown_name: str) -> Location:
    return Location(shown_name, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node, walk: _Walk) -> Node:
    shown_name, problems = walk.shown_name, walk.problems
    where = _where(node, shown_name)
    if not isinstance(node, ScalarNode):
        if id(node) in walk.seen:  # an alias: the same node again
            walk.aliases += 1
            if walk.aliases > MAX_ALIASES:
                return Node(None, where)
        walk.seen.add(id(node))
    if isinstance(node, MappingNode):
        values: dict[str, Node] = {}
        keys: dict[str, Location] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_where = _where(key_node, shown_name)
            _check_characters(key, key_where, problems)
            if key in values:
                first = keys[key]
                problems.append(Problem(key_where, f"重复的键“{key}”（第一次出现在第 {first.line} 行）"))
                continue
            keys[key] = key_where
            values[key] = _convert(value_node, walk)
        return Node(values, where, keys)
    if isinstance(node, SequenceNode):
        return Node([_convert(item, walk) for item in node.value], where)
    assert isinstance(node, ScalarNode)
    text = node.value
    _check_characters(text, where, problems)
    plain = not node.style  # libyaml says '' for plain, the pure-Python composer None
    one_line = plain and node.start_mark.line == node.end_mark.line
    if plain:  # only unquoted scalars get a type; quoted ones stay text
        if node.tag == _INT:
            try:
                return Node(int(text.replace("_", ""), 0), where)
            except ValueError:
                pass
        elif node.tag == _BOOL and text in ("true", "false", "True", "False"):
            return Node(text.lower() == "true", where)
        elif node.tag == _NULL:
            return Node(None, where)
        elif node.tag == _FLOAT:
            return Node(text, where, plain_one_line=one_line)
    return Node(text, where, plain_one_line=one_line)


def _check_characters(text: str, where: Location, problems: list[Problem]) -> None:
    """Raw control characters stop the YAML reader; escaped ones ("\\x07", "\\0") arrive here."""
    bad = control_character(text)
    if bad:
        problems.append(
            Problem(where, f"文字中有不允许的控制字符 {bad[1]}（Word、Excel 文件无法保存），请删去")
        )
