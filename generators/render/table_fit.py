"""Table columns that hold their longest unit name on one line (issue 21).

templates/layout.yaml gives each table's column widths (the templates are built with them); a column that
lists unit names one a line (责任单位, 配合单位) is widened when its longest name would break — the room
comes from the running-text column (工作内容), never taking it below its floor (layout.yaml
table_fit.text_floor_share). The same widths are used by whatever measures the table (the row splitter,
the .xlsx columns) and are written into the rendered .docx's table (grid and cells), so the template
keeps the layout's widths and a plan whose names fit is rendered byte for byte as before."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from generators.formats.widths import text_em
from generators.layout import MM_PER_PT, Column, Layout
from generators.model import Plan

TEXT_FIELD = "content"  # the running-text column that gives up room
NAME_FIELDS = ("leads", "supports")  # the key-task columns that list unit names, one a line


def names_by_column(plan: Plan) -> dict[str, list[str]]:
    """The unit names (the roster's) each list column of a key-task table prints, one a line. A group
    written as a phrase (区危险化学品安全专业委员会成员单位) is not a name: it breaks where the line ends."""
    roster = {n for unit in plan.units for n in (unit.name, unit.full_name)}
    tasks = plan.key_tasks
    return {field: [n for t in tasks for n in getattr(t, field) if n in roster] for field in NAME_FIELDS}


def too_long_warnings(plan: Plan, layout: Layout) -> list[str]:
    """For `check`: the roster names a key-task table (the annex, the 区领导任务单) cannot print on one line
    even after widening its column, each with the tasks that list it."""
    names = names_by_column(plan)
    out = []
    for table, columns in (("附件任务清单", layout.columns), ("区领导任务单", layout.leader_columns)):
        fitted = fitted_columns(columns, names, layout)
        heads = {c.field: c.name for c in fitted}
        for field in NAME_FIELDS:
            if field not in heads:
                continue
            for name in needs_room(fitted, {field: names[field]}, layout):
                numbers = "、".join(str(t.number) for t in plan.key_tasks if name in getattr(t, field))
                out.append(
                    f"tasks.yaml 第{numbers}项 {heads[field]}：“{name}”（{len(name)} 字）在{table}的“{heads[field]}”"
                    f"列排不下一行，打印时将折行：可在 templates/layout.yaml 调小 table.fit_names.text_floor_share"
                    f"（工作内容列让出更多宽度）"
                )
    return out


@dataclass(frozen=True)
class TableWidths:
    """A rendered table's column widths, the table found by its header row."""

    header: tuple[str, ...]
    widths_mm: tuple[float, ...]


def widened(original: Sequence[Column], fitted: Sequence[Column]) -> tuple[TableWidths, ...]:
    """What to write into the rendered .docx: nothing when no column moved (the template's grid holds)."""
    if [c.width_mm for c in original] == [c.width_mm for c in fitted]:
        return ()
    return (TableWidths(tuple(c.name for c in fitted), tuple(c.width_mm for c in fitted)),)


def fitted_columns(
    columns: Sequence[Column], names: Mapping[str, Iterable[str]], layout: Layout
) -> tuple[Column, ...]:
    """The columns, each column named in `names` at least as wide as its longest name needs (as far as
    the text column, 工作内容, can give); the total width unchanged."""
    fit = layout.table_fit
    widths = [c.width_mm for c in columns]
    text = next((i for i, c in enumerate(columns) if c.field == TEXT_FIELD), None)
    if text is None:
        return tuple(columns)
    floor = widths[text] * fit.text_floor_share
    for i, column in enumerate(columns):
        listed = [n for n in names.get(column.field, ()) if n]
        if i == text or not listed:
            continue
        em_mm = layout.style(column.style).size_pt * MM_PER_PT
        needs = {
            text_em(n, _other_em(layout)) * em_mm + 2 * layout.cell_margin_mm + fit.slack_mm for n in listed
        }
        # the longest name that can have a line of its own: one too long for any width the text column
        # can give breaks anyway, and widening for it would only take the text's room
        target = max((need for need in needs if need <= widths[i] + widths[text] - floor), default=0.0)
        extra = round(target - widths[i], 2)  # the total stays exact
        if extra > 0:
            widths[i] += extra
            widths[text] -= extra
    return tuple(replace(c, width_mm=round(w, 2)) for c, w in zip(columns, widths, strict=True))


def needs_room(columns: Sequence[Column], names: Mapping[str, Iterable[str]], layout: Layout) -> list[str]:
    """The names that still do not fit their column on one line with the widths above (the page is full)."""
    short = []
    for column in columns:
        em_mm = layout.style(column.style).size_pt * MM_PER_PT
        room = (column.width_mm - 2 * layout.cell_margin_mm) / em_mm
        short += [n for n in names.get(column.field, ()) if text_em(n, _other_em(layout)) > room]
    return sorted(set(short))


def _other_em(layout: Layout) -> float:
    return layout.row_split.other_width_em if layout.row_split is not None else 0.6
