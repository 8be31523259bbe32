"""Import bombs: a return or a draft built to exhaust memory or time is refused with a message, quickly
and without reading it through; the other returns are still summarised and nothing is written or changed
outside output/'s summary."""

from __future__ import annotations

import io
import signal
import zipfile

import pytest
from click.testing import CliRunner
from returns_kit import fill, form_bytes, rezip, tree_hashes

from generators.cli import main
from generators.collect import Outcome, collect, reading
from generators.formspec import FormsLayout

BOMB_BYTES = 15 * 2**20  # a 15 MB sheet of spaces packs to about 15 KB: ratio ≈ 1000:1


@pytest.fixture(scope="module")
def spec(layout):
    return FormsLayout.of(layout)


@pytest.fixture(scope="module")
def filled(tmp_path_factory, plan, views, layout, spec) -> bytes:
    path = tmp_path_factory.mktemp("filled") / "x.xlsx"
    return fill(form_bytes(plan, views, layout, 1, "城桥镇"), path, spec, date="2023年4月3日").read_bytes()


def padded(sheet: bytes, size: int) -> bytes:
    """The sheet XML with size bytes of whitespace before its end: still well-formed XML."""
    end = sheet.rindex(b"</worksheet>")
    return sheet[:end] + b" " * size + sheet[end:]


def test_zip_bomb_return_is_refused_and_the_others_summarised(tmp_path, filled, plan, views, layout, spec):
    returns = tmp_path / "returns"
    returns.mkdir()
    (returns / "城桥镇.xlsx").write_bytes(rezip(filled, lambda b: padded(b, BOMB_BYTES)))
    fill(form_bytes(plan, views, layout, 1, "区应急局"), returns / "区应急局.xlsx", spec, date="2023年4月3日")
    assert (returns / "城桥镇.xlsx").stat().st_size < 1_000_000
    out = tmp_path / "out"
    before = tree_hashes(returns)
    result = CliRunner().invoke(main, ["collect", "--quarter", "1", str(returns), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert tree_hashes(returns) == before
    line = next(x for x in result.output.splitlines() if "城桥镇.xlsx：" in x)
    # the unit's words, then (for the office) what was measured
    assert line.startswith(
        f"拒收  城桥镇.xlsx：城桥镇（按文件名判断）；{reading.HOSTILE}（压缩包成员 xl/worksheets/sheet1.xml 压缩比"
    )
    assert line.endswith("（上限 100:1），疑似压缩炸弹）")
    assert "已报 1 个，退回 1 个" in result.output
    assert sorted(p for p in tree_hashes(out) if not p.startswith(".")) == [  # .plandocs.lock: the build lock
        "manifest.json",
        "summary/2023Q1/2023年第一季度安全生产工作进展情况通报.docx",
        "summary/2023Q1/2023年第一季度进展情况汇总表.xlsx",
        "summary/2023Q1/退回通知/城桥镇.docx",
    ]


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (reading.Limits(file_bytes=10_000), "文件过大："),
        (reading.Limits(unpacked_bytes=100_000), "疑似压缩炸弹"),
        (reading.Limits(members=5), "压缩包内有 11 个文件（上限 5）"),
        (reading.Limits(rows=30), "进展情况 表超过 30 行"),
        (reading.Limits(seconds=1e-6), "读取超过 1e-06 秒仍未读完"),
    ],
)
def test_every_limit_refuses_with_its_reason(tmp_path, filled, spec, monkeypatch, limits, message):
    path = tmp_path / "城桥镇.xlsx"
    path.write_bytes(filled)
    assert reading.read_form(path, spec).rows  # within the default limits the form reads
    monkeypatch.setattr(reading, "LIMITS", limits)
    with pytest.raises(reading.NotAForm) as caught:
        reading.read_form(path, spec)
    assert str(caught.value) == reading.HOSTILE  # what the unit is told; the measure is for the office
    assert message in caught.value.where


def test_a_sheet_claiming_a_million_rows_is_refused_not_read(tmp_path, filled, plan, views, layout):
    """One cell on the last row Excel allows: read-only openpyxl would hand back a million empty rows."""
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    returns = tmp_path / "returns"
    returns.mkdir()
    (returns / "城桥镇.xlsx").write_bytes(rezip(filled, lambda b: b.replace(b"</sheetData>", far)))
    (verdict,) = collect(plan, views, layout, 1, returns).verdicts
    assert verdict.outcome is Outcome.REJECTED
    assert verdict.errors == [reading.HOSTILE] and verdict.errors[0].where == "进展情况 表超过 20000 行"


def docx_with(document: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document)
    return out.getvalue()


W = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
    + W
    + b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (W + b" " * BOMB_BYTES + b"</w:body></w:document>", "疑似压缩炸弹，不导入"),
        (LAUGHS, "不是可读的 .docx 文件"),
    ],
    ids=["zip-bomb", "entity-bomb"],
)
def test_import_refuses_bomb_drafts(tmp_path, plan_copy, document, message):
    draft = tmp_path / "bomb.docx"
    draft.write_bytes(docx_with(document))
    before = tree_hashes(plan_copy)
    result = CliRunner().invoke(main, ["import", str(draft), "--into", str(plan_copy)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert message in result.output
    assert tree_hashes(plan_copy) == before


def test_import_refuses_an_oversize_draft(tmp_path, plan_copy, monkeypatch):
    from generators.importer import docx

    draft = tmp_path / "big.docx"
    draft.write_bytes(docx_with(W + b"</w:body></w:document>") + b"\0" * 2000)
    monkeypatch.setattr(docx, "MAX_DRAFT_BYTES", 1000)
    before = tree_hashes(plan_copy)
    result = CliRunner().invoke(main, ["import", str(draft), "--into", str(plan_copy)])
    assert result.exit_code == 2 and "文件过大" in result.output, result.output
    assert tree_hashes(plan_copy) == before


def test_the_time_limit_interrupts_a_single_long_step():
    """One huge row or string is parsed in one step, between the row-by-row checks: the timer stops it."""
    with pytest.raises(reading._TooSlow), reading._time_limit(0.05):
        while True:
            pass
    with reading._time_limit(5):  # and leaves nothing armed behind it
        pass

    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
