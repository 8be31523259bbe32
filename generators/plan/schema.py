"""Checks a located YAML mapping against the keys and types a plan file allows, collecting problems."""

from __future__ import annotations

from .problems import Location, Problem, did_you_mean
from .yamlnodes import Node

# kind → how it is named to the user
KINDS = {
    "text": "非空文字",
    "text?": "文字",
    "int": "整数",
    "number": "编号（整数或印出的编号，如“（一）”）",
    "bool": "true 或 false",
    "list": "列表",
    "map": "键值映射",
}


class Checker:
    """Collects problems while reading nodes; reading goes on after a problem so all are reported."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def report(self, where: Location, message: str) -> None:
        self.problems.append(Problem(where, message))

    def fields(
        self, node: Node, what: str, required: dict[str, str], optional: dict[str, str]
    ) -> dict | None:
        """Values of a mapping's keys (Node per key); None when node is not a mapping at all."""
        if not isinstance(node.value, dict):
            self.report(node.where, f"{what}应为键值映射，实际为{describe(node)}")
            return None
        allowed = {**required, **optional}
        out: dict[str, Node] = {}
        for key, value in node.value.items():
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f"（可用的键：{'、'.join(allowed)}）"
                self.report(node.keys[key], f"{what}中有未知的键“{key}”{hint}")
                continue
            # an empty value has no position of its own: point at its key
            where = node.keys[key] if value.value is None else None
            if self.kind_ok(value, allowed[key], key, where):
                out[key] = value
        for key in required:
            if key not in node.value:
                self.report(node.where, f"{what}缺少必填的键“{key}”")
        return out

    def kind_ok(self, node: Node, kind: str, key: str, where: Location | None = None) -> bool:
        value = node.value
        where = where or node.where
        ok = {
            "text": isinstance(value, str) and value.strip() != "",
            "text?": isinstance(value, str) or value is None,
            "int": isinstance(value, int) and not isinstance(value, bool),
            "number": (isinstance(value, int) and not isinstance(value, bool))
            or (isinstance(value, str) and value.strip() != ""),
            "bool": isinstance(value, bool),
            "list": isinstance(value, list),
            "map": isinstance(value, dict),
        }[kind]
        if ok:
            return True
        if kind == "text" and (value is None or isinstance(value, str)):
            self.report(where, f"“{key}”不能为空")
        else:
            self.report(where, f"“{key}”应为{KINDS[kind]}，实际为{describe(node)}")
        return False

    def text_list(self, node: Node, key: str) -> list[Node]:
        """Items of a list of non-empty texts; bad items are reported and dropped."""
        if not isinstance(node.value, list):
            self.report(node.where, f"“{key}”应为列表，实际为{describe(node)}")
            return []
        return [item for item in node.value if self.kind_ok(item, "text", key)]


def describe(node: Node) -> str:
    value = node.value
    if isinstance(value, dict):
        return "键值映射"
    if isinstance(value, list):
        return "列表"
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"“{'true' if value else 'false'}”"
    return f"“{value}”"


def text(node: Node | None, default: str = "") -> str:
    if node is None or node.value is None:
        return default
    return str(node.value).strip()
