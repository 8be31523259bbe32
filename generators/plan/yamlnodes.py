"""YAML read into plain values that remember where they stood (PyYAML's composer gives the marks).

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
# What aliases (*name) may add to a file, counted in values: a plan may reuse a list or two; an alias bomb
# (aliases of aliases of aliases …) would expand to billions. Beyond the bound the file is refused at once.
MAX_ALIAS_VALUES = 1000


@dataclass
class Node:
    value: object  # str | int | bool | None | float | list[Node] | dict[str, Node]
    where: Location
    keys: dict[str, Location] = field(default_factory=dict)  # for mappings: where each key stands
    plain_one_line: bool = False  # a plain scalar on one line: columns inside it are exact


def read_yaml(text: str, shown_name: str) -> tuple[Node | None, list[Problem]]:
    """Parse one file. Returns its root node (None if unreadable) and the problems found."""
    try:
        bomb = _alias_bomb(text, shown_name) if "&" in text else None  # no anchor, no alias
        if bomb:
            return None, [bomb]
        root = yaml.compose(text, Loader=_LOADER)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = Location(shown_name, mark.line + 1, mark.column + 1) if mark else Location(shown_name, 1, 1)
        return None, [Problem(where, f"YAML 语法错误：{describe_yaml_error(err)}")]
    except ReaderError as err:  # a control character: it has a position but no mark
        line = text.count("\n", 0, err.position) + 1
        col = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        where = Location(shown_name, line, col)
        return None, [Problem(where, f"YAML 语法错误：不允许的控制字符 U+{err.character:04X}")]
    except YAMLError:
        return None, [
            Problem(Location(shown_name, 1, 1), "YAML 语法错误：格式不正确")
        ]  # (its text is English)
    except RecursionError:
        return None, [Problem(Location(shown_name, 1, 1), "YAML 嵌套层次过深，无法读取")]
    problems: list[Problem] = []
    if root is None:
        return Node({}, Location(shown_name, 1, 1)), problems
    try:
        return _convert(root, shown_name, problems), problems
    except RecursionError:  # an alias inside its own anchor, or nesting deeper than any plan needs
        return None, [Problem(Location(shown_name, 1, 1), "YAML 嵌套层次过深或锚点引用了自身，无法读取")]


def _alias_bomb(text: str, shown_name: str) -> Problem | None:
    """The alias at which the values aliases add pass MAX_ALIAS_VALUES, found from the parser's events
    without expanding anything: each anchor's size is counted once, each alias adds its anchor's size."""
    sizes: dict[str, int] = {}
    open_nodes: list[list] = []  # [anchor, values so far] of each collection being read
    added = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor, 1) if event.anchor else 1
            added += size
            if added > MAX_ALIAS_VALUES:
                return Problem(
                    _where(event, shown_name),
                    f"锚点引用（*{event.anchor}）展开后过多（超过 {MAX_ALIAS_VALUES} 个值，疑为“别名炸弹”），请直接写出内容",
                )
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            open_nodes.append([event.anchor, 1])
            continue
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = open_nodes.pop()
            if anchor:
                sizes[anchor] = size
        else:
            continue
        if open_nodes:
            open_nodes[-1][1] += size
    return None


def describe_yaml_error(err: MarkedYAMLError) -> str:
    """A YAML syntax error in Chinese (the parser's own words are English)."""
    text = (err.problem or err.context or "无法解析").strip()
    known = {
        "mapping values are not allowed": "此处不能出现“: ”（值中含冒号时请加引号）",
        "did not find expected ',' or '}'": "缺少“,”或“}”（花括号未闭合？）",
        "did not find expected ',' or ']'": "缺少“,”或“]”（方括号未闭合？）",
        "did not find expected key": "缩进不一致（或列表项“- ”与键混在同一层）",
        "found unknown escape character": "双引号中有不认识的“\\”转义（请改用单引号，或写成“\\\\”）",
        "found duplicate %": "重复的 % 指令",
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
    return "格式不正确"  # (the parser's own words are English: the location says where)


def _where(node: yaml.Node | yaml.Event, shown_name: str) -> Location:
    mark = node.start_mark
    assert mark is not None, "PyYAML's parser marks every node and event it makes"
    return Location(shown_name, mark.line + 1, mark.column + 1)


def _convert(node: yaml.Node, shown_name: str, problems: list[Problem]) -> Node:
    where = _where(node, shown_name)
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
            values[key] = _convert(value_node, shown_name, problems)
        return Node(values, where, keys)
    if isinstance(node, SequenceNode):
        return Node([_convert(item, shown_name, problems) for item in node.value], where)
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
