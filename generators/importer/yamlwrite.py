"""Imported data → plan YAML, editing the existing files in place (ruamel.yaml round trip).

Entries the draft did not change keep their text, quoting, flow style and comments byte for byte;
changed values are replaced where they stand; a new key goes after its predecessor in the file's order.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from .matching import align

OPINION_HEADER = (
    "意见正文：序言、部分（一、）→ 节（（一））→ 措施（1.）。\n"
    "责任单位照原文填写：“、”分隔同一段内单位，“，”分隔各段；顺序和标点原样输出。"
)
TASKS_HEADER = "附件：区政府领导重点工作任务清单。分组“部分”引用意见正文的部分编号，组名取自正文标题。"


SECTION_KEYS = ("编号", "标题", "导语", "导语同行")  # the order a section's keys are written in


def yaml_rt() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 100_000  # long Chinese paragraphs stay on one line, as the office writes them
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def load(path: Path) -> CommentedMap | None:
    if not path.exists():
        return None
    data = yaml_rt().load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, CommentedMap) else CommentedMap()


def dump(data: CommentedMap) -> str:
    out = io.StringIO()
    yaml_rt().dump(data, out)
    return out.getvalue()


def fresh(header: str) -> CommentedMap:
    doc = CommentedMap()
    doc.yaml_set_start_comment(header)
    return doc


def _value(old, new):
    """new, keeping old's object (and so its style) when equal, and its quoting / flow style when not."""
    if old is new or isinstance(new, CommentedMap | CommentedSeq):
        return new
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        return update_map(old, new)  # a nested map (印发通知) edited in place: its style and comments stay
    if isinstance(new, list):
        if isinstance(old, list) and list(old) == new:
            return old
        seq = CommentedSeq(new)
        if any(isinstance(item, dict) for item in new):
            return seq  # a list of mappings (子任务) is written in block style, one entry a few lines
        if not isinstance(old, CommentedSeq) or old.fa.flow_style():
            seq.fa.set_flow_style()  # lists of names are written [A, B] in every plan file
        return seq
    if type(old) is type(new) and old == new:
        return old
    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(new)
    return new


def update_map(target: CommentedMap, desired: dict, remove_others: bool = True) -> CommentedMap:
    previous = None
    for key, value in desired.items():
        if key in target:
            new_value = _value(target[key], value)
            if new_value is not target[key]:
                target[key] = new_value
        else:
            position = list(target).index(previous) + 1 if previous in target else 0
            target.insert(position, key, _value(None, value))
        previous = key
    if remove_others:
        for key in [k for k in target if k not in desired]:
            del target[key]
    return target


def sync_seq(seq: CommentedSeq | None, items: list) -> CommentedSeq:
    """seq holding items in order, comments following the entries they belonged to."""
    if seq is None:
        return CommentedSeq(items)
    if len(seq) == len(items) and all(a is b for a, b in zip(seq, items, strict=True)):
        return seq
    where = {id(item): i for i, item in enumerate(seq)}
    comments = {
        new: seq.ca.items[where[id(item)]]
        for new, item in enumerate(items)
        if id(item) in where and where[id(item)] in seq.ca.items
    }
    seq.clear()
    seq.extend(items)
    seq.ca.items.clear()
    seq.ca.items.update(comments)
    return seq


def _continued(old: list, new: list[dict], key: Callable[[dict], str]) -> list[CommentedMap]:
    """For each new entry, the old entry it continues (by similarity, in order) or a fresh map."""
    matched = align([key(o) for o in old], [key(n) for n in new])
    return [old[i] if i is not None else CommentedMap() for i in matched]


def _children(items: Iterable[dict] | None, key: str) -> list:
    return [child for item in items or () for child in (item.get(key) or ())]


def update_opinion(doc: CommentedMap, new: dict) -> None:
    old_parts = doc.get("部分") or []
    new_parts = new.get("部分", [])
    new_sections = _children(new_parts, "节")
    measures = _continued(
        _children(_children(old_parts, "节"), "措施"),
        _children(new_sections, "措施"),
        lambda m: m.get("内容", ""),
    )
    sections = _continued(_children(old_parts, "节"), new_sections, lambda s: str(s.get("标题", "")))
    parts = _continued(old_parts, new_parts, lambda p: f"{p.get('编号')}、{p.get('标题')}")
    measure_iter, section_iter = (
        iter(zip(measures, _children(new_sections, "措施"), strict=True)),
        iter(sections),
    )
    for part, new_part in zip(parts, new_parts, strict=True):
        part_sections = []
        for new_section in new_part["节"]:
            section = next(section_iter)
            items = [update_map(m, data) for m, data in (next(measure_iter) for _ in new_section["措施"])]
            desired = {key: new_section[key] for key in SECTION_KEYS if key in new_section}
            update_map(section, {**desired, "措施": sync_seq(section.get("措施"), items)})
            part_sections.append(section)
        update_map(part, {**new_part, "节": sync_seq(part.get("节"), part_sections)})
    update_map(doc, {"序言": new.get("序言", ""), "部分": sync_seq(doc.get("部分"), parts)})


def update_tasks(doc: CommentedMap, new: dict) -> None:
    old_groups = doc.get("分组") or []
    new_groups = new.get("分组", [])
    tasks = _continued(
        _children(old_groups, "任务"),
        _children(new_groups, "任务"),
        lambda t: f"{t.get('重点任务', '')}\n{t.get('工作内容', '')}",
    )
    groups = _continued(old_groups, new_groups, lambda g: f"{g.get('部分', '')}|{g.get('名称', '')}")
    task_iter = iter(zip(tasks, _children(new_groups, "任务"), strict=True))
    for group, new_group in zip(groups, new_groups, strict=True):
        items = [update_map(t, data) for t, data in (next(task_iter) for _ in new_group["任务"])]
        update_map(group, {**new_group, "任务": sync_seq(group.get("任务"), items)})
    head = {key: new[key] for key in ("标题", "分解行标题") if key in new}
    if "分解行标题" not in head and "分解行标题" in doc:
        head["分解行标题"] = doc["分解行标题"]
    update_map(doc, {**head, "分组": sync_seq(doc.get("分组"), groups)})
