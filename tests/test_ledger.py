"""The year's ledger: a year played quarter by quarter with a plan revised after Q2, checked against
figures computed by hand from the plan and the statuses the units typed."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PLAN_DIR
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from plan_edits import measure_block, rename_everywhere, renumber_measures, replace_in
from test_collect import fill, form_bytes

from generators.cli import main
from generators.formspec import FormsLayout
from generators.plan import load_plan
from generators.views import Views

ECO, CX, CX_NEW, TOWN, STEADY, SILENT = (
    "生态企业集团",
    "长兴企业集团",
    "长兴集团",
    "城桥镇",
    "堡镇",
    "区委宣传部",
)
M12_OLD = "依法开展安全生产执法检查。"
M12_NEW = "依法开展安全生产执法检查，做到应查尽查。"
ADDED = "第三季度新增：开展汛期安全专项检查，落实防汛防台责任。"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def revise(plan_dir: Path) -> None:
    """After Q2: measure 12 reworded, measure 2 removed (all after it renumber), a measure added for
    生态企业集团 before old measure 30, 长兴企业集团 renamed 长兴集团."""
    replace_in(plan_dir, "opinion.yaml", M12_OLD, M12_NEW)
    path = plan_dir / "opinion.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(measure_block(text, 2), "", 1)
    anchor = "          - 编号: 30\n"
    block = f"          - 编号: 0\n            内容: {ADDED}\n            责任单位: {ECO}\n"
    path.write_text(renumber_measures(text.replace(anchor, block + anchor, 1)), encoding="utf-8")
    rename_everywhere(plan_dir, CX, CX_NEW)


def statuses_for(unit: str, quarter: int):
    """What each unit types (by 编号 as printed on its form)."""
    if unit == ECO:
        return lambda key: "滞后" if key == "措施1" and quarter <= 2 else "已完成"
    if unit in (CX, CX_NEW):
        return lambda key: "按计划推进" if quarter == 1 else "已完成"
    if unit == TOWN:  # measure 12 lags, then stalls (措施11 after the revision)
        m12 = "措施12" if quarter <= 2 else "措施11"
        stalled = {1: "滞后", 2: "滞后", 3: "未启动"}[quarter]
        return lambda key: stalled if key == m12 else "未启动" if key == "措施1" else "按计划推进"
    return lambda key: "已完成"


@pytest.fixture(scope="module")
def year(tmp_path_factory, layout):
    """Q1–Q4: 区委宣传部 (and every unit not named) never reports; 城桥镇 skips Q4; 长兴企业集团 sends
    a Q2 form of all 未启动 and then one of all 已完成 that replaces it."""
    root = tmp_path_factory.mktemp("office")
    plan_dir, out = root / "plan", root / "output"
    shutil.copytree(PLAN_DIR, plan_dir)
    spec = FormsLayout.of(layout)
    runner = CliRunner()
    states, sent = {}, {}

    def run(*args):
        result = runner.invoke(main, [*args, "--plan", str(plan_dir), "--out", str(out)])
        assert result.exit_code == 0, result.output
        return result.output

    def send(quarter, units, folder, status=None, date=None):
        plan = load_plan(plan_dir)
        views = Views(plan)
        for unit in units:
            filled = fill(
                form_bytes(plan, views, layout, quarter, unit),
                folder / f"{unit}.xlsx",
                spec,
                date=date or dt.date(2023, 3 * quarter, 28),
                status=status or statuses_for(unit, quarter),
            )
            sent[(quarter, unit, folder.name)] = sha(filled)

    for quarter in (1, 2, 3, 4):
        if quarter == 3:
            revise(plan_dir)
        folder = root / f"returns{quarter}"
        units = {1: [ECO, CX, TOWN, STEADY], 2: [ECO, TOWN, STEADY], 3: [ECO, CX_NEW, TOWN, STEADY]}
        send(quarter, units.get(quarter, [ECO, CX_NEW, STEADY]), folder)
        if quarter == 2:
            send(2, [CX], folder, status=lambda key: "未启动", date=dt.date(2023, 7, 1))
        before = {p.name: sha(p) for p in folder.iterdir()}
        output = run("collect", "--quarter", str(quarter), str(folder))
        assert {p.name: sha(p) for p in folder.iterdir()} == before  # returns untouched
        if quarter == 2:
            states["q2_first"] = (root / "ledger" / "2023.csv").read_text(encoding="utf-8-sig")
            later = root / "returns2-later"
            send(2, [CX], later, status=lambda key: "已完成", date=dt.date(2023, 7, 3))
            states["replace_output"] = run("collect", "--quarter", "2", str(later))
            states["again_output"] = run("collect", "--quarter", "2", str(later))
            states["supervise2"] = run("supervise", "--quarter", "2")
        states[f"q{quarter}"] = output
    states["ledger_output"] = run("ledger")
    states["supervise4"] = run("supervise", "--quarter", "4")
    states["year_output"] = run("year-summary")
    return root, plan_dir, out, states, sent


def ledger_rows(root: Path) -> list[dict]:
    with open(root / "ledger" / "2023.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_ledger_lives_beside_plan_and_archives_copies(year):
    root, _, out, _, sent = year
    assert (root / "ledger" / "2023.csv").is_file()
    assert not any(p.suffix == ".csv" for p in out.rglob("*"))
    for (quarter, unit, folder), digest in sent.items():
        if folder == "returns2" and unit == CX:  # replaced: kept apart, not the archived copy
            moved = root / "ledger" / "2023" / "被替换" / "Q2" / f"{CX}-{digest[:12]}.xlsx"
            assert sha(moved) == digest
            continue
        unit_id = CX if unit == CX_NEW else unit
        # named by its content: no later return can ever land on it
        assert sha(root / "ledger" / "2023" / f"Q{quarter}" / digest[:12] / f"{unit_id}.xlsx") == digest


def test_ledger_rows_by_unit_quarter_and_task_identity(year, plan, views):
    root, plan_dir, *_ = year
    rows = ledger_rows(root)
    revised = Views(load_plan(plan_dir))
    expected = 0
    for quarter, units in (
        (1, [ECO, CX, TOWN, STEADY]),
        (2, [ECO, CX, TOWN, STEADY]),
        (3, [ECO, CX_NEW, TOWN, STEADY]),
        (4, [ECO, CX_NEW, STEADY]),
    ):
        held = views if quarter <= 2 else revised
        expected += sum(len(held.assignments[u].all) for u in units)
    assert len(rows) == expected
    keys = [(int(r["季度"]), r["单位标识"], r["任务标识"]) for r in rows]
    assert keys == sorted(keys, key=lambda k: (k[0], k[1], k[2][0], int(k[2][1:].split("-")[0]), k[2]))
    town_m12 = [
        (r["季度"], r["编号"], r["完成状态"]) for r in rows if r["单位"] == TOWN and r["任务标识"] == "M12"
    ]
    assert town_m12 == [("1", "措施12", "滞后"), ("2", "措施12", "滞后"), ("3", "措施11", "未启动")]
    eco_m2 = [r["季度"] for r in rows if r["单位"] == ECO and r["任务标识"] == "M2"]
    assert eco_m2 == ["1", "2"]  # removed after Q2: its history stays
    added = [r for r in rows if r["单位"] == ECO and r["任务"] and r["任务标识"].endswith("-Q3")]
    assert [r["季度"] for r in added] == ["3", "4"]
    renamed = {(r["季度"], r["单位"]) for r in rows if r["单位标识"] == CX}
    assert renamed == {("1", CX), ("2", CX), ("3", CX_NEW), ("4", CX_NEW)}


def test_a_later_return_replaces_the_earlier_and_the_ledger_says_so(year):
    root, _, _, states, _ = year
    first = [
        r for r in csv.DictReader(states["q2_first"].splitlines()) if r["单位"] == CX and r["季度"] == "2"
    ]
    assert {r["完成状态"] for r in first} == {"未启动"}
    now = [r for r in ledger_rows(root) if r["单位标识"] == CX and r["季度"] == "2"]
    assert {r["完成状态"] for r in now} == {"已完成"} and len(now) == len(first)
    assert all(r["替换"].startswith(f"替换 {CX}.xlsx（填报日期 2023年7月1日") for r in now)
    assert f"替换  {CX}：{CX}.xlsx → {CX}.xlsx" in states["replace_output"]
    assert "替换 0 个，未变 1 个" in states["again_output"]  # the same file again changes nothing
    with open(root / "ledger" / "2023" / "记录.csv", encoding="utf-8-sig", newline="") as handle:
        history = [(r["季度"], r["单位"], r["操作"]) for r in csv.DictReader(handle)]
    assert history.count(("2", CX, "替换")) == 1 and history.count(("2", CX, "接收")) == 1


def grid(out: Path, spec_sheet: str, kind: str = "ledger"):
    """A sheet of the year workbook (kind ledger) or of its record (ledger-record: 任务进度)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = [e for e in manifest["artifacts"] if e["kind"] == kind]
    wb = load_workbook(out / entry["path"])
    return wb, wb[spec_sheet]


def test_year_workbook_grid(year, layout):
    _, _, out, _, _ = year
    names = layout.ledger["workbook"]["sheets"]
    wb, ws = grid(out, names["grid"], "ledger-record")
    header = [c.value for c in ws[2]]
    assert header[:7] == ["编号", "任务", "单位", "第一季度", "第二季度", "第三季度", "第四季度"]
    cells = {(r[0], r[2]): r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert cells[("措施11", TOWN)][3:7] == ("滞后", "滞后", "未启动", "未报送")  # reworded M12, one history
    assert cells[("措施2", ECO)][3:7] == ("已完成", "已完成", None, None)
    assert "第三季度起不在计划中" in cells[("措施2", ECO)][8]
    assert cells[("措施1", ECO)][3:7] == ("滞后", "滞后", "已完成", "已完成")
    assert cells[("措施1", TOWN)][3:7] == ("未启动", "未启动", "未启动", "未报送")
    (added,) = [r for r in cells.values() if r[2] == ECO and r[8] and "第三季度新增" in r[8]]
    assert added[3:7] == (None, None, "已完成", "已完成")
    assert cells[("任务1", CX_NEW)][3:7] == ("按计划推进", "已完成", "已完成", "已完成")
    assert "曾用名：长兴企业集团" in cells[("任务1", CX_NEW)][8]
    assert set(cells[("措施1", SILENT)][3:7]) == {"未报送"}
    rules = {r.formula[0]: r.dxf.fill.bgColor.rgb for cf in ws.conditional_formatting for r in cf.rules}
    # the one palette (layout.yaml status_colours), the colours of the charts' series
    assert rules == {f'"{s}"': f"00{c}" for s, c in layout.status_colours}
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$2:$2"


def manifest_entries(out: Path, kind: str) -> list[dict]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [e for e in manifest["artifacts"] if e["kind"] == kind]


def test_supervision_letters_go_exactly_to_units_with_lagging_or_missing_tasks(year, plan, views):
    root, plan_dir, out, states, _ = year
    revised = Views(load_plan(plan_dir))
    entries = manifest_entries(out, "supervision")
    letters = {(e["quarter"], e["unit"]) for e in entries if "unit" in e}
    clear_q2 = {CX, STEADY}  # 长兴's replacing Q2 return is all 已完成
    clear_q4 = {ECO, CX_NEW, STEADY}
    assert {u for q, u in letters if q == 2} == set(views.assignments) - clear_q2
    assert {u for q, u in letters if q == 4} == set(revised.assignments) - clear_q4
    assert sorted(e["quarter"] for e in entries if "unit" not in e) == [2, 4]  # the office's lists
    for e in entries:
        assert sha(out / e["path"]) == e["sha256"]
    assert f"第二季度督办：{len(views.assignments) - 2} 个单位" in states["supervise2"]


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(path)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_supervision_letter_lists_the_tasks_with_last_progress_and_reply_due(year, plan):
    from conftest import schema_errors

    _, _, out, _, _ = year
    (town2,) = [
        e for e in manifest_entries(out, "supervision") if e.get("unit") == TOWN and e["quarter"] == 2
    ]
    text = docx_text(out / town2["path"])
    assert "上海市崇明区城桥镇人民政府：" in text
    assert "1项任务滞后，1项任务未启动" in text
    assert "2023年7月25日前" in text  # 督办回复期限 of Q2 in meta.yaml
    assert "（第二季度）措施12 已按计划推进 & <检查>" in text  # the form's text, literally
    assert schema_errors(out / town2["path"]) == []
    (town4,) = [
        e for e in manifest_entries(out, "supervision") if e.get("unit") == TOWN and e["quarter"] == 4
    ]
    text4 = docx_text(out / town4["path"])
    assert "未报送第四季度报表" in text4 and "措施1（" not in text4
    (silent,) = [
        e for e in manifest_entries(out, "supervision") if e.get("unit") == SILENT and e["quarter"] == 4
    ]
    assert "贵单位未报送第四季度进展情况报表，涉及任务" in docx_text(out / silent["path"])


def test_missing_tasks_are_listed_in_runs():
    from types import SimpleNamespace as T

    from generators.render.supervision import runs

    tasks = [T(kind="measure", number=n, key_text=f"措施{n}") for n in (1, 2, 3, 5, 7, 8)]
    tasks += [T(kind="task", number=4, key_text="任务4")]
    key = {"measure": "措施{number}", "task": "任务{number}"}
    assert runs(tasks, key) == "措施1—3、5、7—8，任务4"
    # measures the draft numbers （一）: named as printed
    printed = [T(kind="measure", number=n, key_text=f"（{'一二三'[n - 1]}）") for n in (3, 1)]
    assert runs(printed + tasks[-1:], key) == "（一）、（三），任务4"


def test_year_end_counts(year, layout):
    root, plan_dir, out, states, _ = year
    revised = Views(load_plan(plan_dir))
    held = {u: len(h.all) for u, h in revised.assignments.items()}
    done = held[ECO] + held[CX_NEW] + held[STEADY]
    total = sum(held.values())
    tasks_part = sum(1 for h in revised.assignments.values() for a in h.all if a.kind == "task")
    (xlsx,) = [e for e in manifest_entries(out, "year-summary") if e["path"].endswith(".xlsx")]
    names = layout.ledger["year_summary"]["sheets"]
    wb = load_workbook(out / xlsx["path"])
    by_status = {r[0]: r[1] for r in wb[names["status"]].iter_rows(min_row=3, values_only=True)}
    assert by_status["已完成"] == done and by_status["未报送"] == total - done and by_status["合计"] == total
    assert by_status["滞后"] == by_status["未启动"] == 0
    parts = {r[0]: r[-1] for r in wb[names["parts"]].iter_rows(min_row=3, values_only=True)}
    assert parts["重点工作任务"] == tasks_part and sum(parts.values()) == total
    never = [r for r in wb[names["never_started"]].iter_rows(min_row=3, values_only=True)]
    assert never == [("措施1", never[0][1], TOWN)]
    silent = [r[1] for r in wb[names["never_reported"]].iter_rows(min_row=3, values_only=True)]
    assert silent == [u for u in revised.assignments if u not in (ECO, CX_NEW, TOWN, STEADY)]
    (report,) = [e for e in manifest_entries(out, "year-summary") if e["path"].endswith(".docx")]
    text = docx_text(out / report["path"])
    assert f"已完成{done}项" in text and f"未报送{total - done}项" in text
    assert f"全年未报送任何季度报表的单位（{len(silent)}个）" in text
    assert f"措施1（{never[0][1]}）：{TOWN}。" in text


def test_build_keeps_the_ledger_outputs_and_never_touches_ledger(year):
    root, plan_dir, out, _, _ = year
    ledger_files = {p: sha(p) for p in (root / "ledger").rglob("*") if p.is_file()}
    kinds = ("ledger", "supervision", "year-summary")
    before = {k: manifest_entries(out, k) for k in kinds}

    def run(*args):
        result = CliRunner().invoke(main, [*args, "--plan", str(plan_dir), "--out", str(out)])
        assert result.exit_code == 0, result.output

    run("build")
    assert {k: manifest_entries(out, k) for k in kinds} == before
    run("build", "--clean")  # empties output/, never ledger/
    assert {p: sha(p) for p in (root / "ledger").rglob("*") if p.is_file()} == ledger_files
    run("ledger")
    run("supervise", "--quarter", "4")
    run("year-summary")  # rebuilt from the ledger alone, byte for byte
    for kind in kinds:
        assert [e for e in manifest_entries(out, kind) if e.get("quarter") != 2] == [
            e for e in before[kind] if e.get("quarter") != 2
        ]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).map(lambda t: "=" + t))
@settings(max_examples=30, deadline=None)
def test_text_from_data_never_becomes_a_formula(text):
    from openpyxl import Workbook

    from generators.formats.xlsx_bytes import workbook_bytes
    from generators.ledger.sheets import put

    wb = Workbook()
    put(wb.active, 1, 1, text)
    data = workbook_bytes(wb)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    assert load_workbook(io.BytesIO(data)).active["A1"].value == text


def test_names_never_leave_the_ledger(tmp_path):
    from generators.ledger.store import LedgerError, LedgerPaths

    paths = LedgerPaths.beside(tmp_path / "plan", 2023)
    digest = "ab" * 32
    in_q1 = tmp_path / "ledger" / "2023" / "Q1"
    assert paths.archive(1, "区应急局", digest) == in_q1 / "abababababab" / "区应急局.xlsx"
    for bad in ("../x", "a/b", "a\\b", "..", ".hidden", ""):
        with pytest.raises(LedgerError):
            paths.archive(1, bad, digest)


def test_a_damaged_ledger_is_one_line_with_file_and_line(tmp_path, plan_copy):
    (tmp_path / "ledger").mkdir()
    good = ",".join(
        ["季度", "单位标识", "单位", "任务标识", "编号", "任务", "完成状态", "进展情况", "存在问题"]
        + ["下步计划", "填报人", "填报日期", "来源文件", "存档", "替换"]
    )
    (tmp_path / "ledger" / "2023.csv").write_text(good + "\n7" + ",x" * 14 + "\n", encoding="utf-8")
    out = tmp_path / "output"
    result = CliRunner().invoke(main, ["ledger", "--plan", str(plan_copy), "--out", str(out)])
    assert result.exit_code == 2
    assert "2023.csv:2:1: 季度应为 1–4" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_no_ledger_flag_records_nothing(tmp_path, plan_copy, plan, views, layout):
    folder = tmp_path / "returns"
    fill(
        form_bytes(plan, views, layout, 1, STEADY),
        folder / f"{STEADY}.xlsx",
        FormsLayout.of(layout),
        date=dt.date(2023, 4, 3),
    )
    args = [
        "collect",
        "--quarter",
        "1",
        str(folder),
        "--plan",
        str(plan_copy),
        "--out",
        str(tmp_path / "output"),
    ]
    result = CliRunner().invoke(main, [*args, "--no-ledger"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "ledger").exists() and "台账" not in result.output
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "第一季度新记 1 个单位" in result.output
    assert len(list((tmp_path / "ledger" / "2023" / "Q1").glob(f"*/{STEADY}.xlsx"))) == 1


def test_year_workbook_leaders_and_units(year, layout, views):
    _, plan_dir, out, _, _ = year
    first = views  # the plan of Q1–Q2
    revised = load_plan(plan_dir)
    views = Views(revised)
    names = layout.ledger["workbook"]["sheets"]
    wb, ws = grid(out, names["leaders"])
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True)]
    k1 = revised.key_tasks[0]
    holders = [u for u, h in views.assignments.items() if "K1" in [a.key for a in h.all]]
    done = [u for u in holders if u in (ECO, CX_NEW, STEADY)]
    expected = f"已完成{len(done)}个单位；未报送{len(holders) - len(done)}个单位"
    for leader in k1.leaders:
        assert (leader, "任务1", k1.name, len(holders), "第四季度", expected) in rows
    # one row per unit and quarter: (单位, 类别, 季度, 填报日期, 任务数, 已完成, 完成率)
    units = {(r[0], r[2]): r for r in wb[names["units"]].iter_rows(min_row=3, values_only=True)}
    assert wb[names["units"]]["C2"].value == "季度"
    assert units[(TOWN, "第一季度")][3:7] == ("2023年3月28日", len(first.assignments[TOWN].all), 0, 0)
    assert units[(TOWN, "第四季度")][3:7] == ("未报送", len(views.assignments[TOWN].all), 0, 0)
    assert units[(STEADY, "第四季度")][3:7] == (
        "2023年12月28日",
        len(views.assignments[STEADY].all),
        len(views.assignments[STEADY].all),
        1.0,
    )
    assert {q for unit, q in units if unit == TOWN} == {"第一季度", "第二季度", "第三季度", "第四季度"}


def test_year_workbook_stamped_rows_are_openpyxls_bytes(year, layout):
    """The grid's rows written as XML (sheets.stamp) give the very bytes openpyxl writes cell by cell."""
    from generators.app.ledger import load_year
    from generators.ledger.workbook import render_record

    _, plan_dir, _, _, _ = year
    _, layout, played = load_year(plan_dir, Path(__file__).resolve().parent.parent / "templates")
    stamped, slow = render_record(played, layout), render_record(played, layout, stamped=False)
    assert len(played.lines) > 100 and stamped.data == slow.data


@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
                st.sampled_from([" 前后有空格 ", "a & b <c> \"d\" 'e'", "=1+1", "一\r\n二", "{{ x }}", "😀"]),
            ),
            min_size=3,
            max_size=3,
        ),
        min_size=2,
        max_size=6,
    )
)
@settings(max_examples=40, deadline=None)
def test_stamped_text_rows_read_back_as_openpyxl_writes_them(layout, rows):
    from openpyxl import Workbook

    from generators.collect.cells import UNWRITABLE
    from generators.formats.xlsx_bytes import workbook_bytes, workbook_members
    from generators.ledger import sheets

    rows = [[UNWRITABLE.sub("", v) if isinstance(v, str) else v for v in row] for row in rows]
    header = [("甲", 10), ("乙", 10), ("丙", 10)]
    made = []
    for deferred in ([], None):
        wb = Workbook()
        wb.properties.created = wb.properties.modified = dt.datetime(2023, 1, 1)  # not the clock
        sheets.table(wb.active, sheets.styles(layout), "标题", header, rows, deferred)
        made.append(sheets.stamp(workbook_members(wb), deferred) if deferred else workbook_bytes(wb))
    assert made[0] == made[1]
    back = [list(r) for r in load_workbook(io.BytesIO(made[0])).active.iter_rows(min_row=3, values_only=True)]
    assert back == [[v if v != "" else None for v in row] for row in rows]


def overprinted(page) -> list[str]:
    """Characters whose glyph boxes overlap another's by more than a quarter: text printed over text."""
    chars = [c for c in page.chars if c["text"].strip()]
    buckets: dict[tuple[int, int], list[dict]] = {}
    for c in chars:
        buckets.setdefault((int(c["x0"] // 20), int(c["top"] // 20)), []).append(c)
    found = []
    for c in chars:
        bx, by = int(c["x0"] // 20), int(c["top"] // 20)
        for other in (
            o for dx in (-1, 0, 1) for dy in (-1, 0, 1) for o in buckets.get((bx + dx, by + dy), [])
        ):
            if other is c:
                continue
            w = min(c["x1"], other["x1"]) - max(c["x0"], other["x0"])
            h = min(c["bottom"], other["bottom"]) - max(c["top"], other["top"])
            if w > 0 and h > 0 and w * h > 0.25 * (c["x1"] - c["x0"]) * (c["bottom"] - c["top"]):
                found.append(c["text"] + other["text"])
    return found


def test_year_sheets_print_at_10pt_without_overprinting(year, tmp_path, plan):
    """The year workbook, the year summary's tables and the 督办清单 as LibreOffice prints them: every
    character at 10 pt or more (columns fit the type area, the text is not shrunk) and no row's text over
    the next (rows sized to their wrapped text)."""
    import os

    import pdfplumber

    from generators.conform.typeset import NO_END, NO_START, breaks, split_name
    from generators.pdf import find_soffice
    from generators.pdf.soffice import convert_batch

    names = sorted({u.name for u in plan.units} | {u.full_name for u in plan.units})

    if find_soffice() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI 中未安装 LibreOffice")
        pytest.skip("未安装 LibreOffice（soffice），跳过 PDF 测试")
    _, _, out, _, _ = year
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    sheets = [
        out / e["path"]
        for e in manifest
        if e["path"].endswith(".xlsx") and e["kind"] in ("ledger", "year-summary", "supervision")
    ]
    assert len(sheets) >= 3
    copies = []
    for number, path in enumerate(sheets):  # plain names for LibreOffice's output folder
        copy = tmp_path / f"sheet{number}.xlsx"
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    for pdf_path, source in zip(convert_batch(copies, tmp_path / "pdf", timeout_s=600), sheets, strict=True):
        with pdfplumber.open(pdf_path) as pdf:
            sizes = [c["bottom"] - c["top"] for p in pdf.pages for c in p.chars if c["text"].strip()]
            assert min(sizes) >= 10 - 0.05, (source.name, min(sizes))
            over = [(p.page_number, overprinted(p)) for p in pdf.pages]
            assert [o for o in over if o[1]] == [], source.name
            if "推进台账" in source.name:  # a quarter's 任务进度 on a few pages: the whole year well under 60
                assert len(pdf.pages) <= 60, len(pdf.pages)
        if "督办清单" in source.name:  # conform's rules: the lists broken by the program, between items
            found = breaks(pdf_path)
            assert found
            assert [b for b in found if b.after[0] in NO_START or b.before[-1] in NO_END] == []
            assert [b for b in found if b.in_cell and split_name(b, names)] == []


def test_year_workbook_prints_every_status_as_a_matrix_per_quarter(year, layout):
    """The printed 任务进度 of each quarter holds, for every unit and task, the mark of the status the record
    holds (nothing where the record's is blank), on the status's colour; title and legend on every page.
    Compared as (unit, 编号, mark) counts: a removed task and the one renumbered into its place share a 编号."""
    _, _, out, _, _ = year
    names, codes = layout.ledger["workbook"]["sheets"], layout.ledger["workbook"]["codes"]
    _, record = grid(out, names["grid"], "ledger-record")
    book, _ = grid(out, names["units"])
    colours = {codes[s]: c for s, c in layout.status_colours if s in codes}
    rows = list(record.iter_rows(min_row=3, values_only=True))
    for q, period in enumerate(("第一季度", "第二季度", "第三季度", "第四季度"), start=3):
        ws = book[names["view"].format(period=period)]
        keys = [f"{g}{n}" for g, n in zip(_merged_row(ws, 2), [c.value for c in ws[3]], strict=True)][1:]
        printed: Counter = Counter()
        for r in ws.iter_rows(min_row=4):
            for key, cell in zip(keys, r[1:], strict=True):
                if cell.value:
                    printed[(r[0].value, key, cell.value)] += 1
                    assert cell.fill.fgColor.rgb == f"00{colours[cell.value]}"
        expected = Counter((r[2], r[0], codes[r[q]]) for r in rows if r[q])
        assert printed == expected, period
        assert "图例：完 已完成" in ws.oddFooter.left.text and period in ws.oddHeader.center.text
        assert ws.print_title_cols == "$A:$A" and ws.page_setup.scale == 100


def _merged_row(ws, row: int) -> list[str]:
    """A header row's labels with each merged run's label repeated over its columns."""
    labels = [c.value for c in ws[row]]
    for merged in ws.merged_cells.ranges:
        if merged.min_row == row:
            for col in range(merged.min_col, merged.max_col + 1):
                labels[col - 1] = labels[merged.min_col - 1]
    return labels


def test_the_office_list_names_every_task_to_chase_with_breaks_between_items(year, layout, views):
    """督办清单: lagging tasks one by one with their status, a unit's unreported tasks in runs (措施1—9、…);
    the lines broken by the program after a mark, each fitting its column by the row heights' estimate."""
    from generators.formats.xlsx import column_mm, text_lines

    _, _, out, _, _ = year
    entry = next(e for e in manifest_entries(out, "supervision") if e["path"].endswith(".xlsx"))
    ws = load_workbook(out / entry["path"]).active
    header = [c.value for c in ws[2]]
    col = header.index("督办任务")
    width = column_mm(ws.column_dimensions["ABCDEF"[col]].width, layout.xlsx.size_pt)
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows
    for row in rows:
        lines = row[col].split("\n")
        assert all(text_lines(line, width - 1.5, layout.xlsx.size_pt) == 1 for line in lines), row[1]
        assert all(line[-1] in "、，" for line in lines[:-1]) and all(
            line[0] not in "、，）" for line in lines
        )
    silent = next(r for r in rows if r[3].startswith("未报送"))
    held = [a for a in views.assignments[silent[1]].all]
    assert silent[4].replace("\n", "").startswith("措施1—") and "，任务" in silent[4].replace("\n", "")
    assert len(silent[4]) < 6 * len(held)  # runs, not 60 编号 one by one
