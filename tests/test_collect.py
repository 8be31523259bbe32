"""plandocs collect: returned forms filled as a unit would, bad returns of every kind, and the summary."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PLAN_DIR, schema_errors
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from returns_kit import LAGGING_KEY, file_hashes, fill, form_bytes, task_table

from generators.cli import main
from generators.collect import cells
from generators.collect.summary_xlsx import sheet_page
from generators.formats.xlsx import text_lines
from generators.formspec import FormsLayout
from generators.plan import load_plan
from generators.views import Views

DEFAULT_FILLED = ("区应急局", "城桥镇", "新河镇")  # filled with 滞后 on LAGGING_KEY and counted


@pytest.fixture(scope="module")
def spec(layout):
    return FormsLayout.of(layout)


@pytest.fixture(scope="module")
def other_plan(tmp_path_factory):
    """The same plan with one edit (the phone number): another plan version, same units and tasks."""
    folder = tmp_path_factory.mktemp("plan") / "plan"
    shutil.copytree(PLAN_DIR, folder)
    meta = folder / "meta.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace("021-00000000", "021-99999999"), encoding="utf-8"
    )
    return load_plan(folder)


@pytest.fixture(scope="module")
def returns(tmp_path_factory, plan, views, layout, spec, other_plan):
    folder = tmp_path_factory.mktemp("returns")
    q1 = lambda unit: form_bytes(plan, views, layout, 1, unit)  # noqa: E731
    fill(q1("区应急局"), folder / "区应急局.xlsx", spec, date=dt.datetime(2023, 4, 3))
    fill(
        q1("城桥镇"), folder / "城桥镇.xlsx", spec, date="2023年4月3日", delete_key="措施33", move_first=True
    )
    fill(form_bytes(plan, views, layout, 2, "堡镇"), folder / "堡镇.xlsx", spec, date="2023-04-02")
    other = form_bytes(other_plan, Views(other_plan), layout, 1, "新河镇")
    fill(other, folder / "新河镇.xlsx", spec, date=45019)  # serial number of 2023-04-03
    old = fill(q1("庙镇"), folder / "庙镇-旧.xlsx", spec, date="2023年4月1日", status=lambda k: "未启动")
    new = fill(q1("庙镇"), folder / "庙镇.xlsx", spec, date="2023年4月4日", status=lambda k: "已完成")
    os.utime(old, (2_000_000_000, 2_000_000_000))  # the older form has the newer file time: 填报日期 decides
    os.utime(new, (1_900_000_000, 1_900_000_000))
    fill(q1("竖新镇"), folder / "竖新镇.xlsx", spec, date="2023年4月3日", status=lambda k: "基本完成")
    fill(q1("向化镇"), folder / "向化镇.xlsx", spec, date="2023年4月3日", reporter=None)
    (folder / "junk.xlsx").write_text("这不是工作簿", encoding="utf-8")
    (folder / "说明.txt").write_text("请查收", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def collected(tmp_path_factory, returns):
    out = tmp_path_factory.mktemp("out")
    runner = CliRunner()
    made = runner.invoke(main, ["forms", "--quarter", "1", "--out", str(out)])
    assert made.exit_code == 0, made.output
    before = file_hashes(returns)
    result = runner.invoke(main, ["collect", "--quarter", "1", str(returns), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert file_hashes(returns) == before  # nothing returned is modified, moved or deleted
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, result.output, manifest


def artifact_path(out: Path, manifest: dict, kind: str) -> Path:
    (entry,) = [e for e in manifest["artifacts"] if e["kind"] == kind]
    return out / entry["path"]


def test_console_report_per_file(collected):
    _, output, _ = collected
    lines = output.splitlines()

    def line_of(name):
        return next(line for line in lines if f"  {name}：" in line)

    assert line_of("区应急局.xlsx").startswith("接收")
    assert line_of("城桥镇.xlsx").startswith("接收")
    assert "缺少 1 行" in output and "措施33" in output
    # a form of another quarter is sent back, not counted as this quarter's
    assert line_of("堡镇.xlsx").startswith("拒收") and "交来的是第二季度的报表" in line_of("堡镇.xlsx")
    # a form of a plan version that differs only in 联系电话: the unit's tasks did not change, no warning
    assert line_of("新河镇.xlsx").startswith("接收") and "另一版本的计划" not in output
    assert line_of("庙镇.xlsx").startswith("接收")
    assert line_of("庙镇-旧.xlsx").startswith("不采用")
    assert (
        "庙镇 交来 2 份报表：庙镇-旧.xlsx（填报日期 2023年4月1日）、庙镇.xlsx（填报日期 2023年4月4日）；采用 庙镇.xlsx"
        in output
    )
    assert line_of("竖新镇.xlsx").startswith("拒收") and "“基本完成”不是可选项" in output
    assert line_of("向化镇.xlsx").startswith("拒收") and "填报人未填写" in line_of("向化镇.xlsx")
    # the office sees where (the cell, the exception); the unit's text has neither
    assert line_of("竖新镇.xlsx").count("进展情况!G") == 1
    assert line_of("junk.xlsx").startswith("拒收") and "文件已损坏" in line_of("junk.xlsx")
    assert "不是 zip 压缩包（压缩结构损坏或不完整）" in line_of("junk.xlsx")
    assert not re.search(r"[A-Za-z]{4,}Error|Exception|BadZipFile|File is not", output), output
    assert line_of("说明.txt").startswith("拒收") and "不是报表工作簿" in line_of("说明.txt")
    assert "应报 52 个单位，已报 4 个，退回 3 个，未报送 45 个。" in output


def test_manifest_keeps_the_forms_and_adds_the_summary(collected, views):
    out, _, manifest = collected
    kinds = [e["kind"] for e in manifest["artifacts"]]
    assert kinds.count("form") == len(views.assignments)
    assert kinds.count("summary") == 1 and kinds.count("summary-report") == 1
    for entry in manifest["artifacts"]:
        assert hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]


def test_summary_per_unit_counts_and_chart(collected, views, spec):
    out, _, manifest = collected
    path = artifact_path(out, manifest, "summary")
    ws = load_workbook(path)[spec.summary.sheets["units"]]
    header = [c.value for c in ws[2]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=3, values_only=True)}
    assert list(rows) == ["区应急局", "城桥镇", "新河镇", "庙镇"]
    assert rows["庙镇"]["已完成"] == len(views.assignments["庙镇"].all) == rows["庙镇"]["合计"]
    assert rows["庙镇"]["填报日期"] == "2023年4月4日"
    assert rows["区应急局"]["滞后"] == 1 and rows["区应急局"]["未填报"] == 0
    assert rows["城桥镇"]["未填报"] == 1  # the deleted row
    assert rows["新河镇"]["填报日期"] == "2023年4月3日"
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        chart = etree.fromstring(z.read(charts[0]))
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    assert chart.find(".//c:barChart/c:grouping", ns).get("val") == "stacked"
    assert len(chart.findall(".//c:barChart/c:ser", ns)) == len(spec.statuses) + 1
    assert spec.summary.chart_title in "".join(chart.itertext())


def test_summary_rows_tasks_and_missing(collected, views, spec):
    out, _, manifest = collected
    wb = load_workbook(artifact_path(out, manifest, "summary"))
    detail = list(wb[spec.summary.sheets["rows"]].iter_rows(min_row=3, values_only=True))
    reported = ("区应急局", "城桥镇", "新河镇", "庙镇")
    assert len(detail) == sum(len(views.assignments[u].all) for u in reported)
    lagging = [r for r in detail if r[4] == "滞后"]
    lagging_units = [u for u in DEFAULT_FILLED if "M12" in [a.key for a in views.assignments[u].all]]
    assert len(lagging_units) >= 2
    assert [(r[0], r[1]) for r in lagging] == [(u, LAGGING_KEY) for u in lagging_units]
    assert lagging[0][5] == f"{LAGGING_KEY} 已按计划推进 & <检查>" and lagging[0][6] == "人员不足"
    moved = [r for r in detail if r[0] == "城桥镇" and r[1] == "措施1"]
    assert moved[0][4] == "已完成"  # matched by 编号 although it moved to the end

    by_key = task_table(wb[spec.summary.sheets["tasks"]])
    assert by_key[LAGGING_KEY]["滞后单位"] == "、".join(lagging_units)
    m33 = by_key["措施33"]
    assert m33["应报单位数"] == sum(
        1 for held in views.assignments.values() if "M33" in [a.key for a in held.all]
    )
    assert "城桥镇" in m33["未填报单位"] and "庙镇" in m33["已完成单位"] and "竖新镇" in m33["退回单位"]
    assert "竖新镇" not in m33["未报送单位"] and "区建设管理委" in m33["未报送单位"]

    missing = {r[1]: r[3:] for r in wb[spec.summary.sheets["missing"]].iter_rows(min_row=3, values_only=True)}
    assert len(missing) == len(views.assignments) - len(reported)
    assert missing["区委宣传部"] == ("未报送", "未报送")
    assert missing["竖新镇"][0] == "退回" and missing["竖新镇"][1].startswith("竖新镇.xlsx：第1项任务（")
    # every problem, not only the first: each of 竖新镇's rows has the invalid status
    assert missing["竖新镇"][1].count("“基本完成”不是可选项") == len(views.assignments["竖新镇"].all)
    assert missing["向化镇"][0] == "退回" and missing["向化镇"][1] == "向化镇.xlsx：填报人未填写"
    assert missing["堡镇"][0] == "退回" and "交来的是第二季度的报表" in missing["堡镇"][1]
    assert "庙镇" not in missing


def test_report_text_and_schema(collected, plan, views):
    out, _, manifest = collected
    path = artifact_path(out, manifest, "summary-report")
    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "关于2023年第一季度\n安全生产工作进展情况的通报" in text  # broken between words
    assert f"\n{plan.meta.notice.addressees}：\n" in text  # 主送
    assert "应报送单位52个，已报送4个，报表被退回3个，未报送45个" in text
    lagging_units = [u for u in DEFAULT_FILLED if "M12" in [a.key for a in views.assignments[u].all]]
    assert f"{LAGGING_KEY}（" in text and f"）：{'、'.join(lagging_units)}。" in text
    assert "区委宣传部" in text
    assert "报表被退回、需修改后重报的单位（3个），退回的报表已随退回通知逐项列明问题：" in text
    problems = len(views.assignments["竖新镇"].all)
    assert "\n1.堡镇（1处问题）。" in text and f"\n2.竖新镇（{problems}处问题）。" in text
    assert "\n3.向化镇（1处问题）。" in text and ".xlsx" not in text
    assert plan.meta.office_full_name in text
    assert schema_errors(path) == []


def test_rerun_after_more_forms_arrive(tmp_path, returns, collected, plan, views, layout, spec):
    out, _, _ = collected
    more = tmp_path / "returns"
    shutil.copytree(returns, more)
    fill(form_bytes(plan, views, layout, 1, "三星镇"), more / "三星镇.xlsx", spec, date="2023年4月5日")
    second = tmp_path / "out"
    shutil.copytree(out, second)
    result = CliRunner().invoke(main, ["collect", "--quarter", "1", str(more), "--out", str(second)])
    assert result.exit_code == 0, result.output
    assert "已报 5 个" in result.output
    manifest = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    assert [e["kind"] for e in manifest["artifacts"]].count("summary") == 1
    ws = load_workbook(artifact_path(second, manifest, "summary"))[spec.summary.sheets["units"]]
    assert "三星镇" in [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]


def test_collect_function_is_reproducible(returns, plan, views, layout):
    from generators.collect import collect, summary_artifacts

    first = summary_artifacts(plan, views, layout, collect(plan, views, layout, 1, returns))
    second = summary_artifacts(plan, views, layout, collect(plan, views, layout, 1, returns))
    assert [a.data for a in first] == [a.data for a in second]


def test_missing_folder_is_bad_input(tmp_path):
    result = CliRunner().invoke(
        main, ["collect", "--quarter", "1", str(tmp_path / "无此目录"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2 and "找不到" in result.output


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
def test_dates_read_back_in_every_form(day):
    serial = (day - cells.EXCEL_EPOCH).days
    for value in (
        dt.datetime.combine(day, dt.time()),
        f"{day.year}年{day.month}月{day.day}日",
        f" {day.isoformat()} ",
        f"{day.year}/{day.month}/{day.day}",
        serial,
        float(serial),
        str(serial),
    ):
        assert cells.as_date(value) == day, value


@pytest.mark.parametrize("value", ["", "下周", "2023年13月1日", "2023-02-30", None, 0])
def test_non_dates(value):
    assert cells.as_date(value) is None


def test_libreoffice_resave_is_accepted(tmp_path, plan, views, layout, spec):
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI 环境必须安装 LibreOffice（soffice）")
        pytest.skip("未安装 LibreOffice（soffice），跳过另存测试")
    filled = fill(
        form_bytes(plan, views, layout, 1, "区应急局"),
        tmp_path / "filled" / "区应急局.xlsx",
        spec,
        date="2023年4月3日",
    )
    resaved = tmp_path / "resaved"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(resaved),
            str(filled),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    assert (resaved / "区应急局.xlsx").read_bytes() != filled.read_bytes()
    from generators.collect import Outcome, collect

    collection = collect(plan, views, layout, 1, resaved)
    (verdict,) = collection.verdicts
    assert verdict.outcome is Outcome.ACCEPTED, verdict.errors
    assert verdict.unit == "区应急局" and verdict.date == dt.date(2023, 4, 3)
    assert len(verdict.rows) == len(views.assignments["区应急局"].all)
    assert verdict.rows["M12"].values["status"] == "滞后"


def test_every_summary_sheet_prints_landscape_one_page_wide(collected, spec, layout):
    out, _, manifest = collected
    wb = load_workbook(artifact_path(out, manifest, "summary"))
    tables = [ws for ws in wb.worksheets if ws.title != spec.summary.sheets["chart"]]
    assert len(tables) == 4
    page = sheet_page(layout)  # the sheets' own margins (layout.yaml xlsx.sheet_margins_mm)
    type_width = page.width_mm - page.margin_left_mm - page.margin_right_mm
    for ws in tables:
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$2:$2"  # the header row, as openpyxl reads it back
        footer = ws.oddFooter.center  # the font named in the footer code: no DejaVu digits
        assert (footer.font, footer.size, footer.text) == ("宋体,Regular", layout.xlsx.size_pt, spec.footer)
        # Fitted to the page width, the text still prints at 10 pt or more (the printed columns: 明细 prints
        # up to 下步计划, its per-return columns are for the screen, printed once per unit on 按单位)
        printed = ws.max_column
        if ws.print_area:
            printed = column_index_from_string(re.findall(r"\$([A-Z]+)\$", ws.print_area)[-1])
            assert ws.title == spec.summary.sheets["rows"] and ws.cell(2, printed).value == "下步计划"
        width_mm = (
            sum(ws.column_dimensions[get_column_letter(c)].width for c in range(1, printed + 1))
            * layout.xlsx.size_pt
            / 2
            * 25.4
            / 72
        )
        assert layout.xlsx.size_pt * min(1, type_width / width_mm) >= 10
        # Every row is as tall as its longest wrapped text: nothing overprints the next row.
        widths = [
            ws.column_dimensions[get_column_letter(c)].width * layout.xlsx.size_pt / 2 * 25.4 / 72
            for c in range(1, ws.max_column + 1)
        ]
        for row in ws.iter_rows(min_row=3):
            needed = max(
                text_lines(c.value or "", w, layout.xlsx.size_pt) for c, w in zip(row, widths, strict=True)
            )
            assert ws.row_dimensions[row[0].row].height >= needed * layout.xlsx.line_height_pt


def test_summary_chart_on_its_own_portrait_sheet_labels_every_unit(collected, spec):
    out, _, manifest = collected
    wb = load_workbook(artifact_path(out, manifest, "summary"))
    assert wb.sheetnames[-1] == spec.summary.sheets["chart"]
    sheet = wb[spec.summary.sheets["chart"]]
    assert sheet.page_setup.orientation == "portrait" and sheet.max_row == 1  # the chart alone
    with zipfile.ZipFile(artifact_path(out, manifest, "summary")) as z:
        chart = etree.fromstring(z.read("xl/charts/chart1.xml"))
        drawing = [n for n in z.namelist() if n.startswith("xl/worksheets/_rels/")]
        assert any(b"drawing" in z.read(n) for n in drawing)
    ns = {
        "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
        "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    }
    cat = chart.find(".//c:catAx", ns)
    assert cat.find("c:tickLblSkip", ns).get("val") == "1" and cat.find("c:delete", ns).get("val") == "0"
    assert int(cat.find(".//a:defRPr", ns).get("sz")) >= 1000  # labels at 10 pt
