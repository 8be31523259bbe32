"""A plan diff for people (Chinese, on the console) and for machines (JSON)."""

from __future__ import annotations

import json

from .records import Action, Impact, Kind, PlanDiff

NO_CHANGES = "无变化"
_EXCERPT = 40  # characters of an item's text shown on the console; the 修改对照表 has it all


def _excerpt(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + "……"


def format_text(diff: PlanDiff) -> str:
    lines = [f"比较：{diff.old_label} → {diff.new_label}"]
    if diff.empty:
        return "\n".join([*lines, NO_CHANGES])
    for kind in Kind:
        changes = [c for c in diff.changes if c.kind == kind]
        if not changes:
            continue
        counts: dict[Action, int] = {}
        for c in changes:
            counts[c.action] = counts.get(c.action, 0) + 1
        summary = "，".join(f"{a.label} {n} 处" for a, n in counts.items())
        lines.append(f"\n【{kind.label}】{summary}")
        for c in changes:
            lines.append(f"  {c.action.label}  {c.ref}：{c.note}")
            if c.action in (Action.REWORDED, Action.RESPONSIBILITY, Action.LEADERS) and c.old_text:
                lines.append(f"      原文：{_excerpt(c.old_text)}")
                lines.append(f"      改为：{_excerpt(c.new_text)}")
            elif c.action is Action.ADDED:
                lines.append(f"      {_excerpt(c.new_text)}")
    if any(c.kind is Kind.META for c in diff.changes):
        lines.append("\n注意：文件信息有变动，如分工函、报表中印有这些信息，所有单位的函件均需重新生成。")
    for impact, heading in (
        (Impact.CONTENT, "分工函和季度报表内容变动、需重新印发的单位"),
        (Impact.LINES, "任务未变、分工函中所印责任单位行或区领导有变化的单位（报表不变）"),
        (Impact.RENUMBERED, "仅编号变动的单位（任务和内容未变，是否重发由办公室决定）"),
    ):
        units = diff.units_with(impact)
        lines.append(f"\n{heading}：{len(units)} 个")
        for u in units:
            lines.append(f"  {u.unit}：{'；'.join(u.reasons)}")
    return "\n".join(lines)


def format_json(diff: PlanDiff) -> str:
    return json.dumps(diff.as_json(), ensure_ascii=False, indent=2)
