"""What a reader hands the parser: a draft as paragraphs and table rows, each knowing where it stood."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    where: str  # as shown to the user: 第12段 / 第12行
    text: str


@dataclass(frozen=True)
class Row:
    where: str
    cells: tuple[tuple[str, ...], ...]  # each cell: its lines (paragraphs / line breaks), as typed

    def cell_text(self, index: int) -> str:
        return "".join(line.strip() for line in self.cells[index]) if index < len(self.cells) else ""


@dataclass(frozen=True)
class Table:
    where: str
    rows: tuple[Row, ...]


@dataclass
class Draft:
    name: str  # the file as named in messages
    blocks: list[Paragraph | Table] = field(default_factory=list)


HEADER_COLUMNS = ("序号", "重点任务", "区领导", "责任单位", "配合单位", "工作内容", "备注")
