"""分发包 (plandocs pack): one .zip per unit holding what the office sends it, with a short 说明.txt, and
the 分发清单 (.xlsx) listing each unit's files for the office to hand out and sign for."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.properties import PageSetupProperties

from generators.dates import chinese_date
from generators.formats.xlsx import default_font, first_sheet, set_properties
from generators.formats.xlsx_bytes import workbook_bytes
from generators.formats.zipwriter import zip_members
from generators.layout import Layout
from generators.model import Plan
from generators.render.docx import meta_datetime

# What each manifest kind is called in a package's 说明 and the 分发清单 (a kind not listed: its file name).
KIND_NAMES = {
    "letter": "任务分工函",
    "form": "季度进展情况报表",
    "supervision": "督办单",
    "pdf": "PDF 版",
    "return-notice": "退回通知",
}


@dataclass(frozen=True)
class PackedFile:
    path: str  # relative to output/
    kind: str
    quarter: int | None
    data: bytes

    @property
    def label(self) -> str:
        name = KIND_NAMES.get(self.kind, self.kind)
        if self.quarter and self.kind == "form":
            return f"第{'一二三四'[self.quarter - 1]}季度进展情况报表"
        return name

    @property
    def rank(self) -> tuple[int, str]:
        """Letters first, then their PDFs, notices, 督办单, forms; by path within a kind."""
        order = ("letter", "pdf", "return-notice", "supervision", "form")
        return (order.index(self.kind) if self.kind in order else len(order), self.path)


def readme(plan: Plan, full_name: str, files: list[PackedFile], spec: dict) -> str:
    """说明.txt: who it is for, what is inside, when the forms are due, whom to ask. Plain text, CRLF,
    with a BOM so that Windows Notepad shows the Chinese."""
    meta = plan.meta
    lines = [f"{full_name}：", "", spec["readme_intro"].format(office=meta.office, title=meta.title), ""]
    lines += [f"{i}. {f.label}：{f.path}" for i, f in enumerate(files, start=1)]
    if any(f.kind == "form" for f in files):
        due = "、".join(chinese_date(d) for d in meta.due_dates)
        lines += ["", spec["readme_due"].format(due=due)]
    lines += ["", spec["readme_contact"].format(contact=meta.contact, phone=meta.phone), ""]
    return "\ufeff" + "\r\n".join(lines)


def package(plan: Plan, unit: str, full_name: str, files: list[PackedFile], spec: dict) -> bytes:
    """The unit's .zip: its files under their output/ paths in a folder named after the unit, and 说明.txt.
    Fixed dates and order (formats/zipwriter): same files, same bytes."""
    members: dict[str, bytes] = {f"{unit}/{f.path}": f.data for f in files}
    members[f"{unit}/{spec['readme']}"] = readme(plan, full_name, files, spec).encode("utf-8")
    return zip_members(members)


def distribution_list(
    plan: Plan, layout: Layout, rows: list[tuple[str, str, list[PackedFile]]], spec: dict
) -> bytes:
    """分发清单: 序号, 单位, 全称, 联系人及电话 (the unit's, filled in by hand), 文件, 签收."""
    title = spec["list_title"].format(year=plan.meta.year)
    header = [("序号", 6), ("单位", 14), ("全称", 30), ("联系人及电话", 20), ("文件", 60), ("签收", 12)]
    wb = Workbook()
    default_font(wb, layout.xlsx.font, layout.xlsx.size_pt)
    ws = first_sheet(wb)
    ws.title = "分发清单"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.cell(1, 1).font = Font(name=layout.xlsx.font, size=layout.xlsx.size_pt + 4, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([name for name, _ in header])
    for i, (unit, full_name, files) in enumerate(rows, start=1):
        listed = "\n".join(f"{f.label}：{f.path}" for f in files)
        ws.append([i, unit, full_name, "", listed, ""])
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in row:
            cell.border, cell.alignment = border, wrap
    for col, (_, width) in enumerate(header, start=1):
        ws.column_dimensions[chr(64 + col)].width = width
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    set_properties(wb, title=title, author=plan.meta.office, when=meta_datetime(plan.meta))
    return workbook_bytes(wb)
