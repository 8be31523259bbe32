"""The workbench's parts without a browser: upload names, passwords, the audit log, the roster round trip."""

from __future__ import annotations

import csv
import dataclasses
import io
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from generators.app.roster import read_roster, roster_from_xlsx, roster_xlsx, save_roster
from generators.periods import Cycle
from generators.web import audit, uploads
from generators.web.security import RateLimit, hash_password, verify_password


@given(st.text())
def test_an_upload_name_cleans_to_one_plain_name_part(name):
    cleaned = uploads.cleaned(name)
    assert "/" not in cleaned and "\\" not in cleaned and "." not in cleaned and len(cleaned) <= 40


def test_an_upload_is_stored_under_a_generated_name_never_over_a_file(tmp_path):
    first = uploads.store(tmp_path, b"x", ".xlsx", uploads.cleaned("../../庙镇 (2).xlsx"))
    second = uploads.store(tmp_path, b"y", ".xlsx", uploads.cleaned("../../庙镇 (2).xlsx"))
    assert first.parent == second.parent == tmp_path and first != second
    assert first.name.endswith("-庙镇2.xlsx") and first.read_bytes() == b"x"


def test_only_the_allowed_suffix_is_taken(tmp_path):
    assert uploads.suffix_of("C:\\docs\\意见.DOCX", uploads.DRAFT_SUFFIXES) == ".docx"
    try:
        uploads.suffix_of("run.sh", uploads.DRAFT_SUFFIXES)
    except uploads.Refused as err:
        assert "不是 .docx、.txt、.doc、.wps、.odt 文件" in str(err)
    else:
        raise AssertionError("a .sh was taken")


def test_passwords_are_scrypt_hashes_that_verify():
    stored = hash_password("correct-horse")
    assert stored.startswith("scrypt$16384$8$1$") and "correct-horse" not in stored
    assert verify_password("correct-horse", stored) and not verify_password("correct-hors", stored)
    assert not verify_password("x", "garbage") and hash_password("a") != hash_password("a")  # salted


def test_the_login_limit_blocks_after_five_failures():
    limit = RateLimit(tries=5, window=60)
    for _ in range(4):
        limit.failed("10.0.0.1")
    assert not limit.blocked("10.0.0.1")
    limit.failed("10.0.0.1")
    assert limit.blocked("10.0.0.1") and not limit.blocked("10.0.0.2")


def test_the_audit_log_is_a_bom_csv_with_formula_safe_cells(tmp_path):
    plan = tmp_path / "plan"
    plan.mkdir()
    audit.record(plan, "=HYPERLINK(1)", "+危险")
    audit.record(plan, "保存名册", "无变化")
    raw = (tmp_path / "ledger" / "工作台日志.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["时间", "操作", "结果"]
    assert rows[1][1:] == ["'=HYPERLINK(1)", "'+危险"] and rows[2][1:] == ["保存名册", "无变化"]


def test_the_roster_workbook_round_trips_exactly(plan_copy):
    roster = read_roster(plan_copy)
    data = roster_xlsx(roster)
    back = roster_from_xlsx(data)
    assert back == roster and roster_xlsx(back) == data
    before = {p.name: p.read_bytes() for p in plan_copy.iterdir() if p.is_file()}
    assert save_roster(plan_copy, back).written == []  # nothing changed, nothing written
    assert {p.name: p.read_bytes() for p in plan_copy.iterdir() if p.is_file()} == before


def test_a_roster_the_plan_cannot_load_changes_nothing(plan_copy):
    roster = read_roster(plan_copy)
    before = (plan_copy / "units.yaml").read_bytes()
    groups = tuple(
        dataclasses.replace(g, members=(*g.members, "不存在的单位")) if g.name == "各乡镇" else g
        for g in roster.groups
    )
    done = save_roster(plan_copy, dataclasses.replace(roster, groups=groups))
    assert done.written == [] and len(done.problems) == 1
    assert "units.yaml:" in done.problems[0] and "“不存在的单位”不在单位名册中" in done.problems[0]
    assert (plan_copy / "units.yaml").read_bytes() == before


def test_a_roster_edit_changes_only_that_entry(plan_copy):
    roster = read_roster(plan_copy)
    units = tuple(
        dataclasses.replace(u, full_name="上海市崇明区庙镇人民政府（核实）", assumed=False)
        if u.name == "庙镇"
        else u
        for u in roster.units
    )
    original = (plan_copy / "units.yaml").read_text(encoding="utf-8").splitlines()
    done = save_roster(plan_copy, dataclasses.replace(roster, units=units))
    assert done.problems == [] and [p.rsplit("/", 1)[-1] for p in done.written] == ["units.yaml"]
    after = (plan_copy / "units.yaml").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(original, after, strict=False) if a != b]
    assert any("庙镇人民政府（核实）" in b for _, b in changed)
    assert original[0] == after[0]  # the file's comments stay
    assert read_roster(plan_copy).units == units


def test_the_basic_facts_are_saved_only_when_the_plan_loads(plan_copy):
    from generators.app.basics import read_basics, save_basics

    basics = read_basics(plan_copy)
    before = (plan_copy / "meta.yaml").read_bytes()
    dates = dict(basics.dates)
    dates["季度报送截止日期"] = ("2023-02-30", *dates["季度报送截止日期"][1:])
    refused = save_basics(plan_copy, dataclasses.replace(basics, dates=dates))
    assert (
        refused.written == [] and "meta.yaml:" in refused.problems[0] and "2023-02-30" in refused.problems[0]
    )
    assert (plan_copy / "meta.yaml").read_bytes() == before
    values = {**basics.values, "联系人": "王五"}
    done = save_basics(plan_copy, dataclasses.replace(basics, values=values))
    assert done.problems == [] and read_basics(plan_copy).values["联系人"] == "王五"
    changed = [
        (a, b)
        for a, b in zip(
            before.decode().splitlines(), (plan_copy / "meta.yaml").read_text().splitlines(), strict=True
        )
        if a != b
    ]
    assert len(changed) == 1 and "王五" in changed[0][1]


def _rendered(out, template: str, **values) -> str:
    """A workbench page as the server renders it (no browser, no request)."""
    from conftest import PLAN_DIR, TEMPLATES_DIR

    from generators.web.server import KIND_NAMES, PAGES, Workbench

    wb = Workbench(PLAN_DIR, out, TEMPLATES_DIR, False, frozenset())
    common = {"pages": PAGES, "path": "/", "csrf": "x", "notes": [], "login": False, "nav": True}
    return wb.env.get_template(template).render(kinds=KIND_NAMES, quote=quote, **common, **values)


def test_the_workbench_counts_the_quarter_as_the_summary_and_supervise_do(
    tmp_path, plan_copy, plan, views, layout, monkeypatch
):
    """A second upload: the page and the job count the quarter ledger-wide (the unit of the first upload
    stays 已报), and supervise says 退回 and 未报送 apart, the counts adding up to 应报."""
    from conftest import TEMPLATES_DIR
    from returns_kit import fill, form_bytes, made_forms

    from generators.app.collect import collect
    from generators.app.ledger import supervise
    from generators.collect import convert
    from generators.formspec import FormsLayout
    from generators.web.jobs import Job
    from generators.web.server import collect_said, supervise_said

    monkeypatch.setattr(convert, "find_soffice", lambda: None)
    spec = FormsLayout.of(layout)
    out = made_forms(tmp_path / "output")
    first, second = tmp_path / "第一批", tmp_path / "第二批"
    fill(form_bytes(plan, views, layout, 1, "区应急局"), first / "区应急局.xlsx", spec, date="2023年4月3日")
    fill(form_bytes(plan, views, layout, 1, "城桥镇"), second / "城桥镇.xlsx", spec, date="2023年4月4日")
    (second / "新河镇.xlsx").write_text("这不是工作簿", encoding="utf-8")
    assert collect(plan_copy, out, TEMPLATES_DIR, 1, first).recorded is not None
    done = collect(plan_copy, out, TEMPLATES_DIR, 1, second)
    total = len(views.assignments)
    assert collect_said(done, Cycle("季度")) == [
        f"第一季度：应报 {total} 个单位，已报 2 个，退回 1 个，未报送 {total - 3} 个。",
        "台账中此前已记入本季度的 1 个单位计为已报：区应急局",
    ]
    html = _rendered(out, "collect.html", job=None, result=done, cycle=Cycle("季度"))
    assert "已报（2）</th><td>区应急局、城桥镇<" in html
    assert "退回（1）</th><td><div><b>新河镇</b>" in html and f"未报送（{total - 3}）" in html
    assert html.count("<td>接收</td>") + html.count("<td>拒收</td>") == 2  # this upload's files, checked
    supervised = supervise(plan_copy, out, TEMPLATES_DIR, 1)
    said = f"报表被退回 1 个，未报送 {total - 3} 个"
    assert said in supervise_said(supervised)
    job = Job("j", "督办", "/supervise", state="done", result=supervised)
    assert said in _rendered(out, "supervise.html", job=job, entries=[])


def test_the_collect_page_offers_the_periods_of_the_plan_cycle(tmp_path):
    monthly = _rendered(tmp_path, "collect.html", job=None, result=None, cycle=Cycle("月度"))
    assert '<option value="12">12月</option>' in monthly and "本月的记录" in monthly
    assert "季度" not in monthly
    half = _rendered(tmp_path, "collect.html", job=None, result=None, cycle=Cycle("半年"))
    assert '<option value="2">下半年</option>' in half and '<option value="3">' not in half
    quarterly = _rendered(tmp_path, "collect.html", job=None, result=None, cycle=Cycle("季度"))
    assert '<option value="4">第四季度</option>' in quarterly and "撤回该单位本季度的记录" in quarterly
