"""Returns that cannot be read (an illegal character, a truncated sheet, not a zip, a password, an old
format) are sent back with the reason, and every other unit's form is still summarised. The returns are
never modified, and output/ changes only by the quarter's summary and 通报."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from returns_kit import OLD_FORMAT, fill, form_bytes, made_forms, rezip, tree_hashes

from generators.cli import main
from generators.collect import convert, reading
from generators.formspec import FormsLayout

SAVE_AS = "请用 Excel/WPS 另存为 .xlsx 后再交"
ENCRYPTED = "文件设有密码，请去掉密码后重报"
DAMAGED = "文件已损坏，无法作为表格打开，请在下发的报表中填写后重报"


# A filled form encrypted with the password "abc" the way Excel does it (agile encryption: a compound file
# holding EncryptionInfo and EncryptedPackage), made once with msoffcrypto-tool 6.1.0 (OOXMLFile.encrypt).
ENCRYPTED_FORM = Path(__file__).parent / "fixtures" / "encrypted-form.xlsx"


@pytest.fixture(scope="module")
def spec(layout):
    return FormsLayout.of(layout)


@pytest.fixture(scope="module")
def bad_returns(tmp_path_factory, plan, views, layout, spec):
    folder = tmp_path_factory.mktemp("bad-returns")
    filled = tmp_path_factory.mktemp("filled")

    def filled_bytes(unit: str) -> bytes:
        return fill(
            form_bytes(plan, views, layout, 1, unit), filled / f"{unit}.xlsx", spec, date="2023年4月3日"
        ).read_bytes()

    fill(form_bytes(plan, views, layout, 1, "区应急局"), folder / "区应急局.xlsx", spec, date="2023年4月3日")
    # one control character in a cell: the sheet XML is no longer XML
    (folder / "城桥镇.xlsx").write_bytes(
        rezip(
            filled_bytes("城桥镇"),
            lambda b: b.replace(b"&amp; &lt;", b"&amp;\x01 &lt;", 1),
        )
    )
    (folder / "堡镇.xlsx").write_bytes(rezip(filled_bytes("堡镇"), lambda b: b[: len(b) // 2]))  # truncated
    (folder / "新河镇.xlsx").write_text("这不是工作簿", encoding="utf-8")  # not a zip
    (folder / "庙镇.xlsx").write_bytes(ENCRYPTED_FORM.read_bytes())
    (folder / "竖新镇.xls").write_bytes(OLD_FORMAT)  # old format, unreadable
    (folder / "向化镇.ods").write_bytes(b"PK\x03\x04not really")
    (folder / "三星镇.et").write_bytes(OLD_FORMAT)
    return folder


@pytest.fixture(scope="module")
def out_with_forms(tmp_path_factory):
    return made_forms(tmp_path_factory.mktemp("out"))


def run_collect(out: Path, returns: Path, monkeypatch, *, soffice: bool):
    if not soffice:
        monkeypatch.setattr(convert, "find_soffice", lambda: None)
    before_returns, before_out = tree_hashes(returns), tree_hashes(out)
    result = CliRunner().invoke(main, ["collect", "--quarter", "1", str(returns), "--out", str(out)])
    assert tree_hashes(returns) == before_returns  # returns never modified, moved or deleted
    after = tree_hashes(out)
    changed = {p for p in set(before_out) | set(after) if before_out.get(p) != after.get(p)}
    notices = {p for p in changed if p.startswith("summary/2023Q1/退回通知/") and p.endswith(".docx")}
    assert changed - notices <= {
        "manifest.json",
        "summary/2023Q1/2023年第一季度进展情况汇总表.xlsx",
        "summary/2023Q1/2023年第一季度安全生产工作进展情况通报.docx",
    }, changed
    return result


def line_of(output: str, name: str) -> str:
    return next(line for line in output.splitlines() if f"  {name}：" in line)


def test_each_bad_return_is_sent_back_with_its_reason(
    bad_returns, out_with_forms, tmp_path, monkeypatch, views
):
    out = tmp_path / "out"
    shutil.copytree(out_with_forms, out)
    result = run_collect(out, bad_returns, monkeypatch, soffice=False)
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    output = result.output
    assert line_of(output, "区应急局.xlsx").startswith("接收")
    # the unit's words first, then (for the office) what was found
    assert line_of(output, "城桥镇.xlsx").startswith(
        f"拒收  城桥镇.xlsx：城桥镇（按文件名判断）；{DAMAGED}（"
    )
    assert line_of(output, "堡镇.xlsx").startswith(f"拒收  堡镇.xlsx：堡镇（按文件名判断）；{DAMAGED}（")
    assert f"{DAMAGED}（不是 zip 压缩包（压缩结构损坏或不完整））" in line_of(output, "新河镇.xlsx")
    # the office's detail is Chinese too: no library class name, no English exception text on any line
    assert not re.search(r"[A-Za-z]{4,}Error|Exception|BadZipFile|File is not", output), output
    assert line_of(output, "庙镇.xlsx") == f"拒收  庙镇.xlsx：庙镇（按文件名判断）；{ENCRYPTED}"
    for name, suffix in (("竖新镇.xls", ".xls"), ("向化镇.ods", ".ods"), ("三星镇.et", ".et")):
        assert line_of(output, name).endswith(
            f"文件是其他表格格式，无法转换读取，{SAVE_AS}（{suffix} 格式：本机未安装 LibreOffice，无法自动转换）"
        ), line_of(output, name)
    sent_back = ["城桥镇", "堡镇", "新河镇", "庙镇", "竖新镇", "向化镇", "三星镇"]
    sent_back = [u for u in views.assignments if u in sent_back]  # registry order
    expected = len(views.assignments)
    assert f"应报 {expected} 个单位，已报 1 个，退回 7 个，未报送 {expected - 8} 个。" in output
    assert "  已报（1 个）：区应急局" in output
    for unit in sent_back:
        assert f"    {unit}：" in output


def test_the_summary_lists_the_returned_with_reasons(
    bad_returns, out_with_forms, tmp_path, monkeypatch, spec
):
    out = tmp_path / "out"
    shutil.copytree(out_with_forms, out)
    assert run_collect(out, bad_returns, monkeypatch, soffice=False).exit_code == 0
    folder = out / "summary" / "2023Q1"
    wb = load_workbook(folder / "2023年第一季度进展情况汇总表.xlsx")
    rows = {r[1]: r[3:] for r in wb[spec.summary.sheets["missing"]].iter_rows(min_row=3, values_only=True)}
    assert rows["庙镇"] == ("退回", f"庙镇.xlsx：{ENCRYPTED}")
    assert rows["竖新镇"][0] == "退回" and SAVE_AS in rows["竖新镇"][1]
    units = [r[0] for r in wb[spec.summary.sheets["units"]].iter_rows(min_row=3, values_only=True)]
    assert units == ["区应急局"]
    text = "\n".join(
        p.text for p in Document(folder / "2023年第一季度安全生产工作进展情况通报.docx").paragraphs
    )
    assert "庙镇（1处问题）。" in text and "庙镇.xlsx" not in text and ENCRYPTED not in text
    assert "报表被退回、需修改后重报的单位（7个），" in text
    notice = Document(folder / "退回通知" / "庙镇.docx")
    assert f"1.{ENCRYPTED}。" in [p.text for p in notice.paragraphs]


def test_old_formats_are_converted_by_libreoffice(
    tmp_path, plan, views, layout, spec, out_with_forms, monkeypatch
):
    """.xls, .et and .ods returns are read through a LibreOffice copy; the original stays as it was."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("未安装 LibreOffice（soffice）")
    filled = tmp_path / "filled"
    for unit in ("竖新镇", "向化镇", "三星镇"):
        fill(form_bytes(plan, views, layout, 1, unit), filled / f"{unit}.xlsx", spec, date="2023年4月3日")
    returns = tmp_path / "returns"
    for fmt, units in (("xls", ("竖新镇", "三星镇")), ("ods", ("向化镇",))):
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                "--convert-to",
                fmt,
                "--outdir",
                str(returns),
                *(str(filled / f"{u}.xlsx") for u in units),
            ],
            check=True,
            timeout=180,
            capture_output=True,
        )
    (returns / "三星镇.xls").rename(returns / "三星镇.et")  # WPS's own name for the same format
    out = tmp_path / "out"
    shutil.copytree(out_with_forms, out)
    result = run_collect(out, returns, monkeypatch, soffice=True)
    assert result.exit_code == 0, result.output
    for name in ("竖新镇.xls", "向化镇.ods", "三星镇.et"):
        assert line_of(result.output, name).startswith("接收"), result.output
    assert result.output.count("已由 LibreOffice 转换后读取（原文件未改动）") == 3
    assert "已报 3 个" in result.output
    assert sorted(p.name for p in returns.iterdir()) == ["三星镇.et", "向化镇.ods", "竖新镇.xls"]


def test_an_old_format_named_xlsx_is_converted_or_refused(tmp_path, monkeypatch, plan, views, layout, spec):
    """A .xls renamed to .xlsx is recognised by its bytes, not taken for a damaged zip."""
    monkeypatch.setattr(convert, "find_soffice", lambda: None)
    path = tmp_path / "区应急局.xlsx"
    path.write_bytes(OLD_FORMAT)
    with pytest.raises(reading.NotAForm, match=f"文件是其他表格格式，无法转换读取，{SAVE_AS}") as caught:
        reading.read_form(path, spec)
    assert caught.value.where.startswith(".xls 格式：")


def test_unwritable_file_names_still_make_the_summary(
    tmp_path, plan, views, layout, spec, out_with_forms, monkeypatch
):
    """A control character or bytes that are not UTF-8 in a file name cannot go into a workbook or a
    .docx: they are shown as �, and the summary is written."""
    returns = tmp_path / "returns"
    fill(
        form_bytes(plan, views, layout, 1, "区应急局"),
        returns / "区应急局\x01.xlsx",
        spec,
        date="2023年4月3日",
    )
    data = form_bytes(plan, views, layout, 1, "城桥镇")
    fill(data, tmp_path / "城桥镇.xlsx", spec, date="2023年4月3日", status=lambda k: "基本完成")
    raw = os.fsencode(returns) + b"/\xff\xfe" + "城桥镇.xlsx".encode()
    with open(raw, "wb") as f:  # noqa: PTH123 — a name that only exists as bytes
        f.write((tmp_path / "城桥镇.xlsx").read_bytes())
    out = tmp_path / "out"
    shutil.copytree(out_with_forms, out)
    result = run_collect(out, returns, monkeypatch, soffice=False)
    assert result.exit_code == 0, result.output
    assert "接收  区应急局\ufffd.xlsx：区应急局" in result.output
    assert "拒收  \ufffd\ufffd城桥镇.xlsx：城桥镇，第一季度；" in result.output
    wb = load_workbook(out / "summary/2023Q1/2023年第一季度进展情况汇总表.xlsx")
    units = list(wb[spec.summary.sheets["units"]].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[-1]) for r in units] == [("区应急局", "区应急局\ufffd.xlsx")]
    rest = {r[1]: r[4] for r in wb[spec.summary.sheets["missing"]].iter_rows(min_row=3, values_only=True)}
    assert rest["城桥镇"].startswith("\ufffd\ufffd城桥镇.xlsx：")


def test_a_link_out_of_the_folder_is_not_read(
    tmp_path, plan, views, layout, spec, out_with_forms, monkeypatch
):
    elsewhere = fill(
        form_bytes(plan, views, layout, 1, "区应急局"),
        tmp_path / "elsewhere" / "x.xlsx",
        spec,
        date="2023年4月3日",
    )
    returns = tmp_path / "returns"
    fill(form_bytes(plan, views, layout, 1, "城桥镇"), returns / "城桥镇.xlsx", spec, date="2023年4月3日")
    (returns / "区应急局.xlsx").symlink_to(elsewhere)
    out = tmp_path / "out"
    shutil.copytree(out_with_forms, out)
    result = run_collect(out, returns, monkeypatch, soffice=False)
    assert result.exit_code == 0, result.output
    assert "拒收  区应急局.xlsx：是指向文件夹以外的链接，不予读取" in result.output
    assert "已报 1 个" in result.output and "  已报（1 个）：城桥镇" in result.output


def test_an_xlsx_renamed_xls_is_read_as_it_is(tmp_path, monkeypatch, plan, views, layout, spec):
    monkeypatch.setattr(convert, "find_soffice", lambda: None)  # no conversion needed, none attempted
    path = fill(
        form_bytes(plan, views, layout, 1, "区应急局"), tmp_path / "区应急局.xls", spec, date="2023年4月3日"
    )
    form = reading.read_form(path, spec)
    assert form.ident["单位"] == "区应急局" and form.notes == ()
