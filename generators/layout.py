"""The layout profile (templates/layout.yaml) as frozen dataclasses: GB/T 9704-2012 numbers with clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

import yaml

from .errors import TemplateBroken

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_PATH = TEMPLATES_DIR / "layout.yaml"

MM_PER_PT = 25.4 / 72
NAME_GAP = "\u3000"  # full-width space between names on one line: one character wide in every CJK font

# Keys that annotate a value rather than being one.
_META_KEYS = ("clause", "basis", "note")


@dataclass(frozen=True)
class PageSpec:
    width_mm: float
    height_mm: float
    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float
    footer_distance_mm: float


@dataclass(frozen=True)
class Box:
    """The landscape page number's text box: right-aligned in the left margin, its top at the type area's."""

    width_mm: float
    height_mm: float


@dataclass(frozen=True)
class StyleSpec:
    name: str
    east_asia: str  # font name, resolved from the fonts table
    latin: str
    size_pt: float
    align: str = "justify"  # left, center, right, justify
    bold: bool = False
    first_indent_chars: int = 0
    line_exact_pt: float | None = None  # None: single spacing
    char_scale_percent: int = 100  # w:w: glyph width in % of the size (98: 28 characters in 156mm)
    snap_to_grid: bool = True
    outline_level: int | None = None
    keep_next: bool = False
    widow_control: bool = False  # 孤行控制: no paragraph leaves a single line at a page's foot or head
    clause: str = ""


@dataclass(frozen=True)
class Column:
    name: str
    width_mm: float
    field: str  # key of a task in the annex context
    style: str


@dataclass(frozen=True)
class RowSplit:
    """How a table row taller than a page is cut into rows that each fit one (table.row_split)."""

    line_height_em: float  # one single-spaced line, in multiples of the font size
    other_width_em: float  # estimated width of a character that is not full-width (digits, Latin)
    reserve_lines: int  # lines left free on each page: the estimate may differ from the real breaks by one
    continued_number: str  # the 序号 printed on a continuation row; {number} is the task's
    first_page_min_lines: int = 3  # the first annex page takes part of a row only if this many lines fit


@dataclass(frozen=True)
class TableFit:
    """How the .docx tables' name columns widen to hold their longest unit name (table.fit_names,
    render/table_fit.py)."""

    text_floor_share: float = 0.75  # the running-text column keeps at least this share of its width
    slack_mm: float = 0.8  # beyond the name's estimated width and the cell margins


@dataclass(frozen=True)
class FitSpec:
    """How table columns take their widths from the content (layout.yaml xlsx.fit, formats/widths.py)."""

    header_lines: int  # a header wraps into at most this many lines
    text_min_em: float  # the narrowest a running-text column gets
    keep_max_em: float  # the widest a one-line column (names, dates, keys) grows
    slack_mm: (
        float  # room a cell keeps beyond the padding the line estimate leaves: the renderer's text runs wider
    )
    other_em: float  # a character that is not full-width (digits, Latin), in ems


@dataclass(frozen=True)
class XlsxSpec:
    sheet_title: str
    font: str
    header_font: str
    size_pt: float
    title_size_pt: float
    line_height_pt: float
    fit: FitSpec | None = None
    sheet_margins_mm: dict[str, float] | None = None  # the summary's and ledger's sheets (not 公文)


@dataclass(frozen=True)
class MatrixSpec:
    """How the responsibility matrix prints (layout.yaml `matrix`): at 100 %, broken into pages of columns."""

    size_pt: float
    title_size_pt: float
    row_height_pt: float
    unit_min_width_mm: float
    item_width_mm: float
    count_width_mm: float
    margins_mm: dict[str, float]
    band_min_fill: float


@dataclass(frozen=True)
class Layout:
    standard: str
    page: PageSpec
    landscape: PageSpec
    lines_per_page: int
    chars_per_line: int
    line_pitch_twips: int
    char_scale_percent: int
    hanging_punctuation: bool  # False: no mark hangs past the type area (w:overflowPunct, see layout.yaml)
    fonts: tuple[tuple[str, str], ...]
    styles: tuple[StyleSpec, ...]
    page_number_prefix: str
    page_number_suffix: str
    page_number_indent_chars: int
    page_number_gap_mm: float  # the em dashes' distance below the type area
    status_line: str
    status_hidden_for: tuple[str, ...]
    annex_label: str
    annex_title: str
    group_row: str
    breakdown_row: str
    leader_name_padding: str
    columns: tuple[Column, ...]
    xlsx: XlsxSpec
    templates: tuple[tuple[str, str], ...]
    clauses: tuple[tuple[str, str], ...]  # dotted key → clause of the standard
    forms: dict[str, Any] | None = None  # the forms key, read by generators/formspec.py
    ledger: dict[str, Any] | None = None  # the ledger key, read by generators/ledger/spec.py
    packages: dict[str, Any] | None = None  # the packages key, read by generators/app/pack.py
    letters_per_volume: int = 0  # letters per volume of the print file (分册); 0: all in one file
    landscape_number_box: Box | None = None  # landscape pages' turned page number (8)
    directory: Path = TEMPLATES_DIR  # the templates folder this profile was read from (--templates)
    leader_columns: tuple[Column, ...] = ()  # 区领导任务单's table
    changes_columns: tuple[Column, ...] = ()  # 修改对照表's table
    letter_columns: tuple[Column, ...] = ()  # the compact letter's task table (分工函样式: 摘要)
    cell_margin_mm: float = 1.9  # left and right padding inside a table cell
    cell_margin_v_mm: float = 0.0  # top and bottom padding inside a table cell
    notice: dict[str, Any] | None = None  # the notice key: 版头, 版记 (7.2, 7.4), read by render/notice.py
    letter_format: dict[str, Any] | None = None  # 信函格式 (10.1): letterhead and its red double rules
    row_split: RowSplit | None = None  # None: rows are never cut (a profile without table.row_split)
    table_fit: TableFit = TableFit()  # name columns widened to hold the longest name
    matrix: MatrixSpec | None = None  # the responsibility matrix's print layout
    # 完成状态 → RGB: one palette for the status shading of every sheet and every chart's series
    status_colours: tuple[tuple[str, str], ...] = ()

    def style(self, name: str) -> StyleSpec:
        for spec in self.styles:
            if spec.name == name:
                return spec
        raise KeyError(f"版式配置中没有样式“{name}”")

    def part(self, key: Literal["forms", "notice", "letter_format"]) -> dict[str, Any]:
        """An optional part of layout.yaml that a document needs: without it, one message naming the
        file (TemplateBroken) instead of a TypeError from indexing None."""
        value: dict[str, Any] | None = getattr(self, key)
        if value is None:
            raise TemplateBroken(
                f"版式配置 {self.directory / 'layout.yaml'} 缺少“{key}”一节：请补上，或从版本库恢复"
            )
        return value

    def status_colour(self, status: str) -> str:
        """The palette's RGB of a status (templates/layout.yaml status_colours)."""
        colours = dict(self.status_colours)
        if status not in colours:
            raise TemplateBroken(
                f"版式配置 {self.directory / 'layout.yaml'} 的 status_colours 中没有“{status}”的颜色：请补上"
            )
        return colours[status]

    def template(self, kind: str) -> Path:
        return self.directory / dict(self.templates)[kind]

    def clause(self, key: str) -> str:
        return dict(self.clauses)[key]

    def status_text(self, status: str) -> str:
        """The line printed under the title, or "" when this status is not printed (正式稿)."""
        return "" if status in self.status_hidden_for else self.status_line.format(status=status)

    def pad_leader(self, name: str) -> str:
        """李峻 → 李  峻: a two-character name is padded to the width of a three-character one."""
        return name[0] + self.leader_name_padding + name[1] if len(name) == 2 else name

    def leader_lines(self, names: tuple[str, ...], column: Column) -> list[str]:
        """Padded names, as many to a line as fit the column, joined by a full-width space: the names
        line up in columns instead of stacking one per line. A cell needs one paragraph even when empty."""
        size_mm = self.style(column.style).size_pt * MM_PER_PT
        room = column.width_mm - 2 * self.cell_margin_mm
        width = max((len(n) for n in names), default=3)  # a padded name is three characters wide
        per_line = max(1, int((room + size_mm) // ((width + 1) * size_mm)))
        padded = [self.pad_leader(n) for n in names]
        lines = [NAME_GAP.join(padded[i : i + per_line]) for i in range(0, len(padded), per_line)]
        return lines or [""]

    def column(self, table: str, field: str) -> Column:
        """The column showing `field` in the annex ("columns"), leader sheet or changes table."""
        return next(c for c in getattr(self, table) if c.field == field)


def _strip(node: Any, key: str, clauses: dict[str, str], inherited: str = "") -> Any:
    """Drop clause/basis/note annotations, remembering each value's clause under its dotted key."""
    if isinstance(node, dict):
        clause = str(node.get("clause", inherited))
        if "value" in node:
            if clause:
                clauses[key] = clause
            return node["value"]
        if clause and key:
            clauses[key] = clause
        return {
            k: _strip(v, f"{key}.{k}" if key else str(k), clauses, clause)
            for k, v in node.items()
            if k not in _META_KEYS
        }
    if isinstance(node, list):
        return [_strip(v, f"{key}[{i}]", clauses, inherited) for i, v in enumerate(node)]
    if inherited and key:
        clauses[key] = inherited
    return node


def _page(data: dict) -> PageSpec:
    return PageSpec(**{f.name: float(data[f.name]) for f in fields(PageSpec)})


def _xlsx(raw: dict[str, Any]) -> XlsxSpec:
    values = dict(raw)
    fit = values.pop("fit", None)
    return XlsxSpec(**values, fit=FitSpec(**fit) if fit is not None else None)


MAX_LAYOUT_BYTES = 1024 * 1024  # the profile is some 20 KB


def load_layout(path: Path = DEFAULT_PATH) -> Layout:
    """The profile; a missing, unreadable or incomplete one is one message naming the file (TemplateBroken)."""
    advice = f"请改正它，或从版本库恢复（git checkout -- {path}）"
    try:
        return _load_layout(path)
    except FileNotFoundError as err:
        raise TemplateBroken(f"找不到版式配置 {path}：{advice}") from err
    except yaml.MarkedYAMLError as err:
        from .plan.yamlnodes import describe_yaml_error

        mark = err.problem_mark or err.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise TemplateBroken(
            f"{where}: 版式配置 YAML 语法错误（{describe_yaml_error(err)}）：{advice}"
        ) from err
    except UnicodeDecodeError as err:
        raise TemplateBroken(
            f"版式配置 {path} 不是 UTF-8 文本（第 {err.start + 1} 个字节）：{advice}"
        ) from err
    except yaml.YAMLError as err:
        raise TemplateBroken(f"版式配置 {path} 无法读取（YAML 有误）：{advice}") from err
    except KeyError as err:
        raise TemplateBroken(f"版式配置 {path} 缺少键或名称 {err}：{advice}") from err
    except (TypeError, ValueError, AttributeError) as err:  # (their text is English: only the name it quotes)
        from .filenames import shown

        quoted = re.search(r"'([^']{1,60})'", str(err))
        what = f"“{shown(quoted.group(1))}”不对（值或键）" if quoted else "有值或键不对"
        raise TemplateBroken(f"版式配置 {path} 中{what}：{advice}") from err


def _load_layout(path: Path) -> Layout:
    # libyaml when present: the profile is read on every build
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if not Path(path).is_file() or Path(path).stat().st_size > MAX_LAYOUT_BYTES:  # /dev/zero: never ends
        raise TemplateBroken(f"版式配置 {path} 不是普通文件或过大（上限 {MAX_LAYOUT_BYTES // 1024} KB）")
    raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)
    clauses: dict[str, str] = {}
    d = _strip(raw, "", clauses)
    fonts = {k: str(v) for k, v in d["fonts"].items()}
    styles = tuple(
        StyleSpec(
            name=name,
            east_asia=fonts[spec.pop("east_asia")],
            latin=fonts[spec.pop("latin", "latin")],
            clause=clauses.get(f"styles.{name}", ""),
            **spec,
        )
        for name, spec in ((n, dict(s)) for n, s in d["styles"].items())
    )
    text = d["text"]
    return Layout(
        standard=d["standard"],
        page=_page(d["page"]),
        landscape=_page(d["landscape"]),
        lines_per_page=int(d["grid"]["lines_per_page"]),
        chars_per_line=int(d["grid"]["chars_per_line"]),
        line_pitch_twips=int(d["grid"]["line_pitch_twips"]),
        char_scale_percent=int(d["grid"]["char_scale_percent"]),
        hanging_punctuation=bool(d["grid"]["hanging_punctuation"]),
        fonts=tuple(fonts.items()),
        styles=styles,
        page_number_prefix=d["page_number"]["prefix"],
        page_number_suffix=d["page_number"]["suffix"],
        page_number_indent_chars=int(d["page_number"]["indent_chars"]),
        page_number_gap_mm=float(d["page_number"]["below_type_area_mm"]),
        status_line=text["status_line"],
        status_hidden_for=tuple(text["status_hidden_for"]),
        annex_label=text["annex_label"],
        annex_title=text["annex_title"],
        group_row=text["group_row"],
        breakdown_row=text["breakdown_row"],
        leader_name_padding=text["leader_name_padding"],
        columns=tuple(Column(**c) for c in d["table"]["columns"]),
        leader_columns=tuple(Column(**c) for c in d["table"]["leader_columns"]),
        changes_columns=tuple(Column(**c) for c in d["table"]["changes_columns"]),
        letter_columns=tuple(Column(**c) for c in d["table"]["letter_columns"]),
        cell_margin_mm=float(d["table"]["cell_margin_mm"]),
        cell_margin_v_mm=float(d["table"]["cell_margin_v_mm"]),
        row_split=RowSplit(**d["table"]["row_split"]) if "row_split" in d["table"] else None,
        table_fit=TableFit(**d["table"].get("fit_names", {})),
        xlsx=_xlsx(d["xlsx"]),
        matrix=MatrixSpec(**d["matrix"]),
        templates=tuple(d["templates"].items()),
        clauses=tuple(sorted(clauses.items())),
        forms=d.get("forms"),
        ledger=d.get("ledger"),
        packages=d.get("packages"),
        notice=d.get("notice"),
        letter_format=d.get("letter_format"),
        status_colours=tuple((str(k), str(v)) for k, v in (d.get("status_colours") or {}).items()),
        letters_per_volume=int(d.get("letters", {}).get("print_volume", 0)),
        landscape_number_box=Box(**{k: float(v) for k, v in d["landscape"]["page_number"].items()}),
        directory=Path(path).parent,
    )
