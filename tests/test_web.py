"""The workbench in a real browser: the seed year played end to end, and the security promises (docs/web.md).

Each test runs `plandocs serve` as a subprocess in a tmp project on an ephemeral loopback port and drives
Debian's Chromium through Playwright."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook
from returns_kit import fill
from web_kit import CHROMIUM, ROOT, Client, Server, need_browser, project_with, shot

from generators.formspec import FormsLayout
from generators.layout import load_layout

SEED = ROOT / "tests" / "fixtures" / "seed.txt"
TOWNS = (
    ("城桥镇", "上海市崇明区城桥镇人民政府"),
    ("堡镇", "上海市崇明区堡镇人民政府"),
    ("庙镇", "上海市崇明区庙镇人民政府"),
)


@pytest.fixture
def browser():
    sync_playwright = need_browser()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        yield chromium
        chromium.close()


def _page(browser):
    return browser.new_page(viewport={"width": 1280, "height": 800}, accept_downloads=True, locale="zh-CN")


def _run_job(page, button: str) -> None:
    """Click a long step's button, see the wait page, and come back when it is over."""
    page.get_by_role("button", name=button).click()
    page.wait_for_url(lambda url: "/wait/" not in url, timeout=600_000)


def test_the_seed_year_in_the_browser(browser, tmp_path):
    project = project_with(tmp_path / "office", plan=False)
    server = Server(project)
    try:
        page = _page(browser)
        page.goto(server.url + "/")
        assert "还没有计划" in page.content()
        shot(page, tmp_path, "web-0-start")

        # 草稿: upload the seed draft, review it, save it as a named round
        page.goto(server.url + "/draft")
        page.set_input_files("input[name=draft]", str(SEED))
        page.get_by_role("button", name="读取草稿").click()
        page.wait_for_selector("text=各项措施及其责任单位")
        first = page.locator("table tr", has_text="措施1").first.inner_text()
        assert "区委宣传部（责任单位）" in first
        shot(page, tmp_path, "web-2-draft")
        page.fill("input[name=round]", "送审稿")
        page.get_by_role("button", name="保存为计划").click()
        page.wait_for_url("**/roster")
        assert "草稿已保存为计划数据，并存为稿次“送审稿”" in page.content()
        assert (project / "稿次" / "送审稿" / "units.yaml").is_file()

        # 名册: three towns added, 各乡镇's members filled in; a typo is caught inline first
        names = page.locator("input[name=u_name]")
        first_empty = names.count() - 3  # three empty rows end the units table
        for i, (name, full) in enumerate(TOWNS):
            names.nth(first_empty + i).fill(name)
            page.locator("input[name=u_full]").nth(first_empty + i).fill(full)
            page.locator("select[name=u_cat]").nth(first_empty + i).select_option("乡镇")
        members = page.locator("input[data-group='各乡镇']")
        members.fill("城桥镇、堡镇、庙真")
        page.get_by_role("button", name="保存名册").click()
        assert page.locator("li.problem", has_text="庙真").count() == 1
        assert page.locator("tr.bad input[data-group='各乡镇']").count() == 1  # the row is marked
        page.locator("input[data-group='各乡镇']").fill("城桥镇、堡镇、庙镇")
        page.get_by_role("button", name="保存名册").click()
        page.wait_for_selector("text=名册已保存")
        shot(page, tmp_path, "web-3-roster")
        units_yaml = (project / "plan" / "units.yaml").read_text(encoding="utf-8")
        assert "庙镇" in units_yaml and "上海市崇明区庙镇人民政府" in units_yaml
        # 基本信息: the contact the draft does not print, 待核实 ticked off
        page.fill("input[name='m_联系人']", "王五")
        page.fill("input[name='m_联系电话']", "021-69600000")
        page.uncheck("input[name=m_assumed][value='联系人']")
        page.uncheck("input[name=m_assumed][value='联系电话']")
        page.get_by_role("button", name="保存基本信息").click()
        page.wait_for_selector("text=基本信息已保存")
        meta = yaml.safe_load((project / "plan" / "meta.yaml").read_text(encoding="utf-8"))
        assert meta["联系人"] == "王五" and meta["联系电话"] == "021-69600000"
        assert "联系人" not in meta["待核实"] and "联系电话" not in meta["待核实"]

        # 文件: build, pack, download 庙镇's package and open its files
        page.goto(server.url + "/files")
        _run_job(page, "生成全部文件")
        assert "生成全部文件：完成" in page.content()
        _run_job(page, "为各单位打分发包")
        shot(page, tmp_path, "web-4-files")
        with page.expect_download() as got:
            page.locator("a[data-unit='庙镇']").click()
        package = Path(got.value.path()).read_bytes()
        with zipfile.ZipFile(io.BytesIO(package)) as z:
            names = z.namelist()
            letter = Document(io.BytesIO(z.read("庙镇/letters/庙镇.docx")))
            form = load_workbook(io.BytesIO(z.read("庙镇/forms/2023Q1/庙镇.xlsx")))
            note = z.read("庙镇/说明.txt").decode("utf-8")
        assert "庙镇/说明.txt" in names and note.startswith("\ufeff上海市崇明区庙镇人民政府：")
        assert "联系人：王五，电话：021-69600000" in note
        assert "上海市崇明区庙镇人民政府" in "\n".join(p.text for p in letter.paragraphs)
        assert form.active["A1"].value  # a form with its title

        # 回收: drop three returns at once, one of them bad
        spec = FormsLayout.of(load_layout(project / "templates" / "layout.yaml"))
        returns = tmp_path / "returns"
        q1 = project / "output" / "forms" / "2023Q1"
        good = [
            fill(z_form, returns / f"{name}.xlsx", spec, date=dt.datetime(2023, 4, 3))
            for name, z_form in (
                ("庙镇", (q1 / "庙镇.xlsx").read_bytes()),
                ("堡镇", (q1 / "堡镇.xlsx").read_bytes()),
            )
        ]
        bad = fill(
            (q1 / "城桥镇.xlsx").read_bytes(), returns / "城桥镇.xlsx", spec, date="2023-04-03", reporter=None
        )
        page.goto(server.url + "/collect")
        page.select_option("select[name=quarter]", "1")
        page.set_input_files("input[name=returns]", [str(p) for p in (*good, bad)])
        _run_job(page, "上传并汇总")
        body = page.locator("main").inner_text()
        assert "已报（2）" in body and "庙镇" in body and "堡镇" in body
        assert "退回（1）" in body and "城桥镇：" in body and "填报人未填写" in body
        assert "未报送（" in body
        shot(page, tmp_path, "web-5-collect")
        stored = sorted(p.name for p in (project / "回收" / "2023Q1").iterdir())
        assert len(stored) == 3 and all(name.endswith(".xlsx") for name in stored)

        # a wrong return withdrawn: 堡镇 goes back to 未报送, the summary follows
        page.fill("input[name=unit]", "堡镇")
        page.locator("section:has-text('撤回误收的记录') select[name=quarter]").select_option("1")
        _run_job(page, "撤回该单位本季度的记录")
        assert "撤回堡镇第一季度的记录：完成" in page.content()
        page.goto(server.url + "/")
        cells = page.locator("table.quarters tr", has_text="第一季度").locator("td")
        reported, not_reported = cells.nth(2).inner_text(), cells.nth(4).inner_text()
        assert "庙镇" in reported and "堡镇" not in reported and "堡镇" in not_reported

        # 督办, 年度
        page.goto(server.url + "/supervise")
        page.select_option("select[name=quarter]", "1")
        _run_job(page, "生成督办单")
        assert "第一季度督办" in page.locator("main").inner_text()
        shot(page, tmp_path, "web-6-supervise")
        page.goto(server.url + "/year")
        _run_job(page, "生成年度完成情况报告")
        assert "生成年度完成情况报告：完成" in page.content()
        assert page.locator("a", has_text="年度安全生产工作完成情况.docx").count() == 1
        shot(page, tmp_path, "web-7-year")

        # 总览 says where the year stands
        page.goto(server.url + "/")
        overview = page.locator("main").inner_text()
        assert "第一季度" in overview and "城桥镇" in overview and "待核实" in overview
        shot(page, tmp_path, "web-1-overview")
        log = (project / "ledger" / "工作台日志.csv").read_bytes()
        assert log.startswith(b"\xef\xbb\xbf") and "回收第一季度报表".encode() in log
    finally:
        server.stop()


@pytest.fixture
def served(tmp_path):
    server = Server(project_with(tmp_path / "office", plan=True))
    yield server
    server.stop()


def test_a_post_without_the_csrf_token_is_refused(served):
    client = Client(served.url)
    client.csrf("/files")
    status, _, text = client.post_form("/files/build", {})
    assert status == 403 and "请求被拒绝" in text
    status, _, _ = client.post_form("/files/build", {"csrf_token": "forged"})
    assert status == 403
    assert not (served.project / "output").exists()  # nothing was built


def test_a_loopback_workbench_answers_only_its_own_address(served):
    port = served.url.rsplit(":", 1)[1]
    client = Client(served.url)
    assert client.request("/")[0] == 200
    status, _, text = client.request("/", headers={"Host": f"rebound.example:{port}"})  # DNS rebinding
    assert status == 400 and "请用工作台启动时显示的地址访问" in text
    assert Client(f"http://localhost:{port}").request("/")[0] == 200


def test_refusals_are_in_chinese(served):
    client = Client(served.url)
    assert client.request("/nowhere")[:3:2] == (404, "没有这个页面。")
    token = client.csrf("/collect")
    many = [("returns", f"{i}.xlsx", b"x") for i in range(301)]
    status, _, text = client.post_files("/collect", {"csrf_token": token, "quarter": "1"}, many)
    assert status == 400 and "一次最多上传 300 个文件" in text
    assert not (served.project / "回收").exists()


def test_an_upload_name_never_becomes_a_path(served):
    client = Client(served.url)
    token = client.csrf("/collect")
    data = (ROOT / "tests" / "fixtures" / "seed.txt").read_bytes()[:100]
    status, headers, _ = client.post_files(
        "/collect",
        {"csrf_token": token, "quarter": "1"},
        [("returns", "../../evil.xlsx", data), ("returns", "..\\..\\庙镇.xlsx", data)],
    )
    assert status == 303
    stored = sorted(p.name for p in (served.project / "回收" / "2023Q1").iterdir())
    assert len(stored) == 2 and all("/" not in n and ".." not in n for n in stored)
    assert any(n.endswith("-evil.xlsx") for n in stored) and any(n.endswith("-庙镇.xlsx") for n in stored)
    assert not (served.project / "evil.xlsx").exists() and not (served.project.parent / "evil.xlsx").exists()


def test_a_project_without_a_plan_says_so_on_the_pages_that_consult_it(tmp_path):
    """No plan/ yet (load_plan's PlanMissing): the pages that read the plan's year or cycle say there is no
    plan in Chinese and keep working, as the 总览 does; never the 500 page or 内部错误."""
    project = project_with(tmp_path / "office", plan=False)
    server = Server(project)
    no_plan = "还没有计划：请先在“草稿”页上传意见草稿，建立今年的计划。"
    try:
        client = Client(server.url)
        for path in ("/", "/draft", "/roster", "/files", "/collect", "/supervise", "/year"):
            status, _, html = client.request(path)
            assert status == 200 and "内部错误" not in html and "未完成" not in html, (path, html)
        for path in ("/roster", "/collect"):
            html = client.request(path)[2]
            assert no_plan in html and "无法读取" not in html, (path, html)
        token = client.csrf("/collect")
        for path, fields in (
            ("/collect", {"quarter": "1"}),
            ("/collect/withdraw", {"unit": "区应急局", "quarter": "1"}),
        ):
            status, headers, _ = client.post_form(path, {"csrf_token": token, **fields})
            assert status == 303 and headers["location"] == "/collect", (path, headers)
            html = client.request("/collect")[2]
            assert html.count(no_plan) == 1, html  # the POST's note, not said twice
        assert not (project / "plan").exists() and not (project / "回收").exists()
    finally:
        server.stop()


def test_the_collect_page_has_one_withdraw_form_and_a_plain_title(browser, served, tmp_path):
    """The 撤回 form was also inside the page's <title> block: the tab read 回收<section>… and the form came
    twice. Once now, below the upload, and the title is the page's name."""
    page = _page(browser)
    page.goto(served.url + "/collect")
    assert page.title() == "回收 · plandocs 工作台"
    assert page.locator("form[action='/collect/withdraw']").count() == 1
    assert page.get_by_role("button", name="撤回该单位本季度的记录").count() == 1
    headings = page.locator("main h2").all_inner_texts()
    assert headings == ["收取季度报表", "撤回误收的记录"], headings
    upload = page.locator("form[action='/collect']").bounding_box()
    withdraw = page.locator("form[action='/collect/withdraw']").bounding_box()
    assert upload and withdraw and withdraw["y"] > upload["y"] + upload["height"]
    assert "<" not in page.evaluate("document.title")
    shot(page, tmp_path, "web-collect")


def test_a_non_loopback_bind_without_a_password_does_not_start(tmp_path):
    project = project_with(tmp_path / "office", plan=True)
    done = subprocess.run(
        [sys.executable, "-m", "generators", "serve", "--host", "0.0.0.0", "--port", "0"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "plandocs serve --set-password" in done.stderr and not done.stdout


def test_with_a_password_every_page_needs_the_login(browser, tmp_path):
    project = project_with(tmp_path / "office", plan=True)
    subprocess.run(
        [sys.executable, "-m", "generators", "serve", "--set-password"],
        cwd=project,
        input="correct-horse\ncorrect-horse\n",
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert (project / ".plandocs-password").read_text().startswith("scrypt$")
    server = Server(project)
    try:
        client = Client(server.url)
        for path in ("/", "/draft", "/roster", "/files", "/collect", "/supervise", "/year", "/roster.xlsx"):
            status, headers, _ = client.request(path)
            assert (status, headers.get("location")) == (303, "/login"), path
        page = _page(browser)
        page.goto(server.url + "/files")
        assert page.url.endswith("/login")
        shot(page, tmp_path, "web-8-login")
        assert page.locator("nav").count() == 0  # no page list before the login
        page.fill("input[name=password]", "wrong")
        page.get_by_role("button", name="登录").click()
        assert "密码不正确" in page.content()
        page.fill("input[name=password]", "correct-horse")
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(server.url + "/")
        assert page.locator("nav a").count() == 7
        page.get_by_role("button", name="退出").click()
        page.wait_for_url("**/login")
        assert client.request("/")[0] == 303
        for _ in range(4):  # with the one above: five failures from this address
            page.fill("input[name=password]", "wrong")
            page.get_by_role("button", name="登录").click()
        page.fill("input[name=password]", "correct-horse")
        page.get_by_role("button", name="登录").click()
        assert "失败次数过多" in page.content()  # rate limited: even the right password waits
        log = (project / "ledger" / "工作台日志.csv").read_text(encoding="utf-8-sig")
        assert "登录,成功" in log and "失败次数过多" in log
    finally:
        server.stop()


def test_a_script_in_a_unit_name_is_shown_as_text(browser, served):
    page = _page(browser)
    page.goto(served.url + "/roster")
    hostile = "<script>window.pwned=1</script>"
    page.locator("input[name=u_full]").first.fill("全称" + hostile)
    page.locator("input[name=u_name][value='']").first.fill("新单位" + hostile)
    page.get_by_role("button", name="保存名册").click()
    assert page.locator("li.problem", has_text=hostile).count() >= 1  # the refused name, as text
    assert page.evaluate("typeof window.pwned") == "undefined"
    names = page.locator("input[name=u_name]")
    names.nth(names.count() - 4).fill("")  # the refused new unit (three empty rows follow it)
    page.get_by_role("button", name="保存名册").click()
    page.wait_for_selector("text=名册已保存")
    page.goto(served.url + "/roster")
    assert hostile in page.locator("main").inner_text()  # the 待核实 list shows the full name literally
    assert page.locator("input[name=u_full]").first.input_value() == "全称" + hostile
    assert "全称<script>" in (served.project / "plan" / "units.yaml").read_text(encoding="utf-8")
    assert page.evaluate("typeof window.pwned") == "undefined"


def test_the_workbench_offers_every_command_line_operation():
    from generators.cli import main
    from generators.web.server import OPERATIONS, PAGES

    assert set(OPERATIONS) == set(main.commands), (
        "a new command: say in generators/web/server.py OPERATIONS where the workbench offers it"
    )
    assert {url for url, _ in OPERATIONS.values()} <= {url for url, _ in PAGES}


def test_the_checks_and_a_refused_new_year_in_the_browser(browser, served, tmp_path):
    page = _page(browser)
    page.goto(served.url + "/files")
    _run_job(page, "校对计划文字")
    assert "校对计划文字：完成" in page.content() and "校对提示（" in page.content()
    _run_job(page, "版式检查（需先转 PDF）")  # nothing built yet: said in Chinese, nothing written
    assert "版式检查（GB/T 9704）：未完成" in page.content()
    page.goto(served.url + "/draft")
    plan_before = {f.name: f.read_bytes() for f in (served.project / "plan").iterdir()}
    page.set_input_files("section:has-text('开始新年度') input[name=draft]", str(SEED))
    page.check("input[name=confirm]")
    _run_job(page, "开始新年度")
    assert "开始新年度：未完成" in page.content()  # the seed is this year's draft: nothing moves
    assert not (served.project / "归档").exists()
    assert {f.name: f.read_bytes() for f in (served.project / "plan").iterdir()} == plan_before


def test_a_bad_draft_shows_each_problem_at_its_line_and_saves_nothing(browser, tmp_path):
    project = project_with(tmp_path / "office", plan=False)
    draft = tmp_path / "第一稿.txt"
    draft.write_text(
        "关于2024年安全生产工作的意见\n\n一、总体要求\n\n1.加强领导（责任单位：区应急局\n", encoding="utf-8"
    )
    server = Server(project)
    try:
        page = _page(browser)
        page.goto(server.url + "/draft")
        page.set_input_files("input[name=draft]", str(draft))
        page.get_by_role("button", name="读取草稿").click()
        problems = page.locator("li.problem").all_inner_texts()
        assert any(p.startswith("草稿“第一稿.txt”:第5行: 措施末尾没有责任单位") for p in problems), problems
        assert page.get_by_role("button", name="保存为计划").count() == 0
        assert not (project / "plan").exists()
    finally:
        server.stop()
