"""The workbench's routes: each page reads through generators/app and renders a Jinja2 template; each
action parses its form (CSRF token checked, uploads limited and renamed) and calls one app function, in a
background job when it is long. Nothing here decides what the command line decides."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import mimetypes
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from generators.app.common import Refused, failure, internal_detail
from generators.errors import PlanMissing, UserError
from generators.numerals import to_chinese
from generators.periods import DEFAULT as CYCLE_DEFAULT
from generators.periods import Cycle
from generators.plan import PlanError

from . import audit, uploads
from .jobs import Busy, Job, Jobs
from .security import RateLimit, Session, Sessions, read_password, same_token, verify_password

HERE = Path(__file__).resolve().parent
MAX_BODY = uploads.MAX_FILES * uploads.MAX_FILE_BYTES // 10  # a request's whole body (600 MB)
PAGES = (
    ("/", "总览"),
    ("/draft", "草稿"),
    ("/roster", "名册"),
    ("/files", "文件"),
    ("/collect", "回收"),
    ("/supervise", "督办"),
    ("/year", "年度"),
)
# Every command-line operation and where the workbench does it (tests/test_web.py keeps the two lists equal).
OPERATIONS = {
    "check": ("/", "总览：计划检查结果、待核实"),
    "build": ("/files", "生成全部文件"),
    "letters": ("/files", "生成全部文件（含分工函）"),
    "forms": ("/files", "生成全部文件（含季度报表）"),
    "lint": ("/files", "校对计划文字"),
    "diff": ("/draft", "与已保存计划相比的变动"),
    "import": ("/draft", "上传修改稿并保存"),
    "new": ("/draft", "上传草稿并保存为计划"),
    "new-year": ("/draft", "开始新年度"),
    "存稿": ("/draft", "保存时填写稿次名称"),
    "pack": ("/files", "为各单位打分发包"),
    "pdf": ("/files", "转为 PDF"),
    "proof": ("/files", "生成校样"),
    "conform": ("/files", "版式检查"),
    "collect": ("/collect", "上传并汇总"),
    "supervise": ("/supervise", "生成督办单"),
    "ledger": ("/year", "生成年度推进台账"),
    "year-summary": ("/year", "生成年度完成情况报告"),
    "serve": ("/", "工作台本身"),
}
KIND_NAMES = {
    "opinion": "意见正文",
    "annex": "附件任务清单",
    "annex-xlsx": "任务清单（Excel）",
    "letter": "任务分工函",
    "letters-print": "分工函合订本",
    "leader-sheet": "区领导任务单",
    "matrix": "任务分工矩阵",
    "notice": "印发通知",
    "issued": "印发件",
    "changes": "修改对照表",
    "form": "季度报表",
    "summary": "季度汇总表",
    "summary-report": "季度通报",
    "supervision": "督办单",
    "ledger": "年度台账",
    "ledger-record": "年度台账逐项记录",
    "year-summary": "年度完成情况",
    "pdf": "PDF",
    "proof": "校样",
    "package": "分发包",
    "distribution-list": "分发清单",
}


class Workbench:
    """The state one `plandocs serve` holds: the folders, sessions, the password hash, the job runner."""

    def __init__(
        self, plan_dir: Path, out_dir: Path, templates_dir: Path, require_login: bool, hosts: frozenset[str]
    ) -> None:
        self.plan_dir, self.out_dir, self.templates_dir = plan_dir.resolve(), out_dir.resolve(), templates_dir
        # the Host headers answered (empty: any): on a loopback bind only the loopback names, so a web page
        # elsewhere cannot reach the workbench through a DNS name it points at 127.0.0.1 (DNS rebinding)
        self.hosts = hosts
        self.root = self.plan_dir.parent
        self.uploads = self.root / ".plandocs-web"
        self.require_login = require_login
        self.sessions = Sessions()
        self.limit = RateLimit()
        self.jobs = Jobs(self.audit)
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True)
        )
        self.env.filters["quoted_names"] = quoted_names
        self.env.filters["relative"] = self.relative
        self.drafts: dict[str, Path] = {}  # upload id → the stored draft (by session, never a client name)

    def relative(self, path: str) -> str:
        """An output/ path as the manifest names it."""
        return Path(path).resolve().relative_to(self.out_dir).as_posix()

    def audit(self, action: str, result: str) -> None:
        with contextlib.suppress(OSError):  # the log never stops the work; the page says what happened
            audit.record(self.plan_dir, action, result)

    def returns_folder(self, year: int, quarter: int) -> Path:
        return self.root / "回收" / f"{year}Q{quarter}"


def quoted_names(problems: list[str]) -> set[str]:
    """The names a problem quotes (“名称”): the roster rows to mark."""
    return {name for line in problems for name in re.findall(r"“([^”]+)”", line)}


# --- request helpers ---


def bench(request: Request) -> Workbench:
    return request.app.state.bench


def session(request: Request) -> Session:
    return request.state.session


def page(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    wb, s = bench(request), session(request)
    notes, s.notes = s.notes, []
    html = wb.env.get_template(template).render(
        pages=PAGES,
        path=request.url.path,
        csrf=s.csrf,
        notes=notes,
        login=wb.require_login and s.logged_in,  # the 退出 button
        nav=not wb.require_login or s.logged_in,  # no page list before the login
        kinds=KIND_NAMES,
        quote=quote,
        **values,
    )
    return HTMLResponse(html, status_code=status_code)


def go(url: str, note: str | None = None, request: Request | None = None) -> RedirectResponse:
    if note and request is not None:
        session(request).notes.append(note)
    return RedirectResponse(url, status_code=303)


async def form_of(request: Request) -> FormData:
    """The POSTed form, its CSRF token checked, its uploads limited in count."""
    try:
        form = await request.form(max_files=uploads.MAX_FILES, max_fields=5000)
    except HTTPException as err:  # too many files or fields, a broken multipart body: said in Chinese
        raise HTTPException(
            400, f"表单无法读取：一次最多上传 {uploads.MAX_FILES} 个文件，请分批上传。"
        ) from err
    if not same_token(str(form.get("csrf_token") or ""), session(request).csrf):
        raise CsrfRefused()
    return form


class CsrfRefused(Exception):
    pass


async def file_bytes(item: UploadFile) -> bytes:
    data = await item.read(uploads.MAX_FILE_BYTES + 1)
    if len(data) > uploads.MAX_FILE_BYTES:
        raise Refused(f"文件过大：单个文件不超过 {uploads.MAX_FILE_BYTES // 1024 // 1024} MB")
    return data


def files_in(form: FormData, name: str) -> list[UploadFile]:
    return [f for f in form.getlist(name) if isinstance(f, UploadFile) and f.filename]


def problem_lines(err: BaseException) -> list[str]:
    return failure(err)[0]


def manifest(wb: Workbench) -> list[dict]:
    try:
        return json.loads((wb.out_dir / "manifest.json").read_text(encoding="utf-8")).get("artifacts", [])
    except (OSError, ValueError):
        return []


def start_job(request: Request, kind: str, title: str, next_url: str, work: Any) -> Response:
    wb = bench(request)
    try:
        job = wb.jobs.start(kind, title, next_url, work)
    except Busy as err:
        return go(next_url, str(err), request)
    return go(f"/wait/{job.id}")


# --- middleware: sessions, login, body size, CSRF failures ---


class Guard(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        wb = bench(request)
        if wb.hosts and request.headers.get("host", "") not in wb.hosts:
            return PlainTextResponse(
                "请用工作台启动时显示的地址访问（如 http://127.0.0.1:端口/）。", status_code=400
            )
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY:
            return PlainTextResponse("上传内容过大。", status_code=413)
        sid, s = wb.sessions.get(request.cookies.get(Sessions.COOKIE))
        request.state.session, request.state.sid = s, sid
        open_paths = ("/login", "/static/")
        if wb.require_login and not s.logged_in and not request.url.path.startswith(open_paths):
            response: Response = RedirectResponse("/login", status_code=303)
        else:
            response = await call_next(request)
        sid = getattr(request.state, "sid", sid)
        response.set_cookie(Sessions.COOKIE, sid, httponly=True, samesite="strict", path="/")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
        )
        return response


# --- login ---


async def login_page(request: Request) -> Response:
    return page(request, "login.html", error="")


async def login(request: Request) -> Response:
    wb = bench(request)
    form = await form_of(request)
    who = request.client.host if request.client else "?"
    if wb.limit.blocked(who):
        wb.audit("登录", f"拒绝：{who} 失败次数过多")
        return page(request, "login.html", status_code=429, error="登录失败次数过多，请 5 分钟后再试。")
    stored = read_password(wb.plan_dir)
    if stored is None or not verify_password(str(form.get("password") or ""), stored):
        wb.limit.failed(who)
        wb.audit("登录", f"失败：{who}")
        return page(request, "login.html", status_code=401, error="密码不正确。")
    sid, _ = wb.sessions.renew(request.state.sid)
    request.state.sid = sid
    wb.audit("登录", f"成功：{who}")
    return go("/")


async def logout(request: Request) -> Response:
    await form_of(request)
    session(request).logged_in = False
    return go("/login")


# --- 总览 ---


async def overview_page(request: Request) -> Response:
    from generators.app.status import overview

    wb = bench(request)
    view = await run_in_threadpool(overview, wb.plan_dir, wb.out_dir, wb.templates_dir)
    return page(request, "overview.html", view=view)


# --- 草稿 ---


def _rounds(wb: Workbench) -> list[str]:
    from generators.rounds import stored_rounds

    return stored_rounds(wb.plan_dir)


async def draft_page(request: Request) -> Response:
    wb = bench(request)
    has_plan = (wb.plan_dir / "meta.yaml").is_file()
    return page(request, "draft.html", review=None, upload="", rounds=_rounds(wb), has_plan=has_plan)


async def draft_new_year(request: Request) -> Response:
    wb = bench(request)
    form = await form_of(request)
    items = files_in(form, "draft")
    if not items or form.get("confirm") != "yes":
        return go("/draft", "请选择下一年度的草稿，并勾选确认归档。", request)
    try:
        suffix = uploads.suffix_of(items[0].filename or "", uploads.DRAFT_SUFFIXES)
        stored = uploads.store(wb.uploads / "drafts", await file_bytes(items[0]), suffix)
    except UserError as err:
        return go("/draft", str(err), request)

    def work(job: Job) -> Any:
        from generators.app.years import new_year

        job.say("正在归档今年的计划并读取新草稿……")
        turn, plan = new_year(stored, wb.plan_dir, wb.out_dir)
        if turn.report.problems:
            raise Refused("；".join(turn.report.problems[:5]) + "（什么都没有移动）")
        job.say(f"已归档到 {turn.archive}；新计划：{plan.meta.title if plan else ''}")
        return turn

    return start_job(request, "new-year", "开始新年度", "/roster", work)


async def draft_upload(request: Request) -> Response:
    from generators.app.draft_review import review_draft

    wb = bench(request)
    form = await form_of(request)
    items = files_in(form, "draft")
    if not items:
        return go("/draft", "请选择草稿文件（.docx 或 .txt）。", request)
    try:
        suffix = uploads.suffix_of(items[0].filename or "", uploads.DRAFT_SUFFIXES)
        stored = uploads.store(wb.uploads / "drafts", await file_bytes(items[0]), suffix)
    except UserError as err:
        return go("/draft", str(err), request)
    upload_id = stored.stem
    wb.drafts[upload_id] = stored
    review = await run_in_threadpool(review_draft, stored, wb.plan_dir)
    shown = f"草稿“{uploads.cleaned(items[0].filename or '') or '（无名）'}{suffix}”"
    review.problems = [line.replace(str(stored), shown) for line in review.problems]  # not the stored name
    wb.audit("上传草稿", f"{len(review.problems)} 处问题，{len(review.measures)} 项任务")
    return page(request, "draft.html", review=review, upload=upload_id, rounds=_rounds(wb))


async def draft_save(request: Request) -> Response:
    from generators.app.draft_review import save_draft

    wb = bench(request)
    form = await form_of(request)
    stored = wb.drafts.get(str(form.get("upload") or ""))
    if stored is None:
        return go("/draft", "找不到这份草稿，请重新上传。", request)
    name = str(form.get("round") or "").strip()[:40]
    try:
        done = await run_in_threadpool(save_draft, stored, wb.plan_dir)
    except (PlanError, UserError) as err:
        return go("/draft", "；".join(problem_lines(err)), request)
    if done.problems:
        return go("/draft", f"草稿有 {len(done.problems)} 处问题，计划数据未作任何修改。", request)
    stored_as = ""
    if name:
        from generators.app.years import store_round

        try:
            await run_in_threadpool(store_round, name, wb.plan_dir)
            stored_as = f"，并存为稿次“{name}”"
        except (PlanError, UserError) as err:
            session(request).notes.append("稿次未存下：" + "；".join(problem_lines(err)))
    wb.audit("保存草稿", f"稿次“{name or '未命名'}”：写入 {len(done.report.written)} 个文件")
    groups = done.groups
    tail = f"。请在名册中填写分组成员：{'、'.join(groups)}" if groups else ""
    return go("/roster" if groups else "/", f"草稿已保存为计划数据{stored_as}{tail}", request)


# --- 名册 ---


def _roster_page(request: Request, status_code: int = 200, **values: Any) -> Response:
    """The 名册 page: the basic facts form and the roster table (either as entered, with its problems)."""
    from generators.app.basics import FIELDS, read_basics
    from generators.app.roster import read_roster

    wb = bench(request)
    if _no_plan(wb):  # said as on the other pages, not as a roster problem
        if NO_PLAN not in session(request).notes:
            session(request).notes.append(NO_PLAN)
        values.update(roster=None, basics=None)
    try:
        if "roster" not in values:
            values["roster"] = read_roster(wb.plan_dir)
        if "basics" not in values:
            values["basics"] = read_basics(wb.plan_dir)
    except (UserError, OSError) as err:
        values.update(roster=None, basics=None, problems=problem_lines(err))
    values.setdefault("problems", [])
    values.setdefault("basics_problems", [])
    return page(
        request,
        "roster.html",
        status_code=status_code,
        categories=_categories(),
        fields=FIELDS,
        **values,
    )


async def roster_page(request: Request) -> Response:
    return _roster_page(request)


async def basics_save(request: Request) -> Response:
    from generators.app.basics import FIELDS, LISTS, Basics, save_basics

    wb = bench(request)
    form = await form_of(request)
    basics = Basics(
        {name: str(form.get(f"m_{name}") or "").strip() for name in FIELDS},
        {
            name: tuple(str(v).strip() for v in form.getlist(f"m_{name}"))
            for name in LISTS
            if form.getlist(f"m_{name}")
        },
        frozenset(str(v) for v in form.getlist("m_assumed") if str(v) in (*FIELDS, *LISTS)),
    )
    done = await run_in_threadpool(save_basics, wb.plan_dir, basics)
    if done.problems:
        wb.audit("保存基本信息", f"未保存：{len(done.problems)} 处问题")
        return _roster_page(request, 422, basics=basics, basics_problems=done.problems)
    wb.audit("保存基本信息", "写入 meta.yaml" if done.written else "无变化")
    return go("/roster", "基本信息已保存。" if done.written else "基本信息没有变化。", request)


def _categories() -> list[str]:
    from generators.model import Category

    return [c.value for c in Category]


def roster_from_form(form: FormData) -> Any:
    from generators.app.roster import GroupRow, LeaderRow, Roster, UnitRow

    def column(name: str) -> list[str]:
        return [str(v).strip() for v in form.getlist(name)]

    def flags(name: str, count: int) -> list[bool]:
        marked = set(column(name))
        return [str(i) in marked for i in range(count)]

    u = column("u_name")
    units = [
        UnitRow(n, f, c, a)
        for n, f, c, a in zip(u, column("u_full"), column("u_cat"), flags("u_assumed", len(u)), strict=False)
        if n
    ]
    g = column("g_name")
    groups = [
        GroupRow(
            n,
            r,
            tuple(m for m in members.replace("，", "、").replace(",", "、").split("、") if m.strip()),
            s,
            a,
        )
        for n, r, members, s, a in zip(
            g,
            column("g_role"),
            column("g_members"),
            column("g_same"),
            flags("g_assumed", len(g)),
            strict=False,
        )
        if n
    ]
    x = column("l_name")
    leaders = [
        LeaderRow(n, t, p, a)
        for n, t, p, a in zip(
            x, column("l_title"), column("l_portfolio"), flags("l_assumed", len(x)), strict=False
        )
        if n
    ]
    return Roster(tuple(units), tuple(groups), tuple(leaders))


async def roster_save(request: Request) -> Response:
    from generators.app.roster import save_roster

    wb = bench(request)
    form = await form_of(request)
    roster = roster_from_form(form)
    done = await run_in_threadpool(save_roster, wb.plan_dir, roster)
    if done.problems:
        wb.audit("保存名册", f"未保存：{len(done.problems)} 处问题")
        return _roster_page(request, 422, roster=roster, problems=done.problems)
    wb.audit("保存名册", f"写入 {len(done.written)} 个文件" if done.written else "无变化")
    return go("/roster", "名册已保存。" if done.written else "名册没有变化。", request)


async def roster_export(request: Request) -> Response:
    from generators.app.roster import read_roster, roster_xlsx

    wb = bench(request)
    data = roster_xlsx(read_roster(wb.plan_dir))
    return _download(data, "名册.xlsx")


async def roster_import(request: Request) -> Response:
    from generators.app.roster import roster_from_xlsx, save_roster

    wb = bench(request)
    form = await form_of(request)
    items = files_in(form, "roster")
    if not items:
        return go("/roster", "请选择名册文件（.xlsx）。", request)
    try:
        uploads.suffix_of(items[0].filename or "", uploads.ROSTER_SUFFIXES)
        roster = roster_from_xlsx(await file_bytes(items[0]), "名册.xlsx")
    except UserError as err:
        return go("/roster", str(err), request)
    done = await run_in_threadpool(save_roster, wb.plan_dir, roster)
    if done.problems:
        return _roster_page(request, 422, roster=roster, problems=done.problems)
    wb.audit("导入名册", f"写入 {len(done.written)} 个文件" if done.written else "无变化")
    return go("/roster", "名册已导入。" if done.written else "导入的名册与现有名册相同，未作修改。", request)


# --- 文件 ---


def _file_lists(wb: Workbench) -> dict[str, Any]:
    """What the 文件 page shows of the manifest: the lists by kind and by unit as HTML (a city's 10,000
    files are 20,000 links: rendered once per manifest, not on every visit), the packages, previews."""
    entries = manifest(wb)
    by_kind: dict[str, list[dict]] = {}
    by_unit: dict[str, list[dict]] = {}
    for e in entries:
        by_kind.setdefault(e["kind"], []).append(e)
        if e.get("unit"):
            by_unit.setdefault(e["unit"], []).append(e)
    html = wb.env.get_template("files_lists.html").render(
        by_kind=by_kind, by_unit=by_unit, kinds=KIND_NAMES, quote=quote
    )
    return {
        "file_lists": Markup(html),  # noqa: S704 — rendered by the autoescaping environment above
        "packages": [e for e in entries if e["kind"] == "package"],
        "lists": [e for e in entries if e["kind"] == "distribution-list"],
        "previews": [e for e in entries if e["kind"] == "pdf" and not e.get("unit")][:12],
        "proof": [e for e in entries if e["kind"] == "proof"],
    }


async def files_page(request: Request) -> Response:
    from generators.app.memo import kept

    wb = bench(request)
    shown = kept(f"files {wb.out_dir}", [wb.out_dir / "manifest.json"], lambda: _file_lists(wb))
    return page(request, "files.html", last=wb.jobs.last, **shown)


def _build(wb: Workbench) -> Any:
    def work(job: Job) -> Any:
        from generators.app.plan_ops import build

        job.say("正在检查计划数据并生成文件……")
        done = build(wb.plan_dir, wb.out_dir, wb.templates_dir)
        job.say(
            f"完成：共 {len(done.result.entries)} 个文件，写入 {len(done.written)} 个，删除 {len(done.removed)} 个。"
        )
        return done

    return work


async def files_build(request: Request) -> Response:
    await form_of(request)
    return start_job(request, "build", "生成全部文件", "/files", _build(bench(request)))


async def files_pdf(request: Request) -> Response:
    wb = bench(request)
    await form_of(request)

    def work(job: Job) -> Any:
        from generators.app.pdf import pdf

        def started(total: int) -> None:
            job.total = total

        def step(name: str) -> None:
            job.done += 1
            job.say(f"已转换 {job.done}/{job.total}")

        done = pdf(
            wb.plan_dir, wb.out_dir, wb.templates_dir, notify=job.say, on_start=started, on_progress=step
        )
        for hint in done.hints:
            job.say(hint)
        job.say(
            f"完成：{done.report.total} 个 PDF，转换 {len(done.report.converted)} 个，失败 {len(done.report.failed)} 个。"
        )
        return done

    return start_job(request, "pdf", "转为 PDF", "/files", work)


async def files_proof(request: Request) -> Response:
    wb = bench(request)
    await form_of(request)

    def work(job: Job) -> Any:
        from generators.app.proof import proof

        report = proof(wb.out_dir)
        job.say(f"校样：{report.documents} 份文件，{report.pages} 页。")
        return report

    return start_job(request, "proof", "生成校样", "/files", work)


async def files_pack(request: Request) -> Response:
    wb = bench(request)
    form = await form_of(request)
    unit = str(form.get("unit") or "").strip()

    def work(job: Job) -> Any:
        from generators.app.pack import pack

        job.say("正在打分发包……")
        done = pack(wb.plan_dir, wb.out_dir, wb.templates_dir, (unit,) if unit else ())
        job.say(f"分发包 {1 if unit else len(done.packages)} 个，写入 {len(done.written)} 个文件。")
        return done

    return start_job(request, "pack", f"打分发包{'：' + unit if unit else ''}", "/files", work)


async def files_lint(request: Request) -> Response:
    wb = bench(request)
    await form_of(request)

    def work(job: Job) -> Any:
        from generators.app.lint import lint

        done = lint(wb.plan_dir)
        job.say(f"校对提示 {len(done.findings)} 条。" if done.findings else "校对完毕，没有发现问题。")
        return done

    return start_job(request, "lint", "校对计划文字", "/files", work)


async def files_conform(request: Request) -> Response:
    wb = bench(request)
    await form_of(request)

    def work(job: Job) -> Any:
        from generators.app.conform import conform

        done = conform((), wb.out_dir, wb.templates_dir)
        job.say(f"共 {len(done.checks)} 项，不通过 {len(done.failed)} 项。")
        return done

    return start_job(request, "conform", "版式检查（GB/T 9704）", "/files", work)


def _download(data: bytes | Path, name: str, inline: bool = False) -> Response:
    media = mimetypes.guess_type(name)[0] or "application/octet-stream"
    body = data.read_bytes() if isinstance(data, Path) else data
    how = "inline" if inline else "attachment"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f"{how}; filename*=UTF-8''{quote(name)}"}
    )


def _listed(wb: Workbench, path: str) -> Path | None:
    """A path output/manifest.json lists (nothing else is ever served), inside output/."""
    from generators.output import contained

    if path not in {e["path"] for e in manifest(wb)} or not contained(wb.out_dir, path):
        return None
    target = wb.out_dir / path
    return target if target.is_file() else None


async def download(request: Request) -> Response:
    wb = bench(request)
    path = str(request.query_params.get("path") or "")
    target = _listed(wb, path)
    if target is None:
        return PlainTextResponse("没有这个文件。", status_code=404)
    return _download(target, target.name, inline=target.suffix == ".pdf" and "inline" in request.query_params)


async def preview(request: Request) -> Response:
    """The first page of a PDF the manifest lists, as a small PNG (pdftoppm)."""
    wb = bench(request)
    target = _listed(wb, str(request.query_params.get("path") or ""))
    if target is None or target.suffix != ".pdf" or shutil.which("pdftoppm") is None:
        return PlainTextResponse("没有预览。", status_code=404)

    def render() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "30",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(target),
                    f"{tmp}/p",
                ],
                check=True,
                capture_output=True,
                timeout=60,
            )
            return Path(tmp, "p.png").read_bytes()

    try:
        data = await run_in_threadpool(render)
    except (subprocess.SubprocessError, OSError):
        return PlainTextResponse("没有预览。", status_code=404)
    return Response(data, media_type="image/png")


# --- 回收 ---


NO_PLAN = "还没有计划：请先在“草稿”页上传意见草稿，建立今年的计划。"


def _no_plan(wb: Workbench) -> bool:
    """No plan yet (the 总览 says 还没有计划): the pages that consult the plan say so instead of failing."""
    return not (wb.plan_dir / "meta.yaml").is_file()


def _year(wb: Workbench) -> int | None:
    from generators.plan import load_plan

    try:
        return load_plan(wb.plan_dir).meta.year
    except (PlanError, PlanMissing):
        return None


def _cycle(wb: Workbench) -> Cycle:
    """The plan's 报送周期, to offer and name its periods (第一季度, 3月, 上半年); 季度 while the plan does not
    load (the 总览 page says why)."""
    from generators.plan import load_plan

    try:
        return Cycle(load_plan(wb.plan_dir).meta.cycle)
    except (PlanError, PlanMissing):
        return Cycle(CYCLE_DEFAULT)


async def collect_page(request: Request) -> Response:
    wb = bench(request)
    job = wb.jobs.last.get("collect")
    result = job.result if job and job.state == "done" else None
    if _no_plan(wb) and NO_PLAN not in session(request).notes:
        session(request).notes.append(NO_PLAN)
    return page(request, "collect.html", job=job, result=result, cycle=await run_in_threadpool(_cycle, wb))


async def collect_post(request: Request) -> Response:
    wb = bench(request)
    form = await form_of(request)
    cycle = await run_in_threadpool(_cycle, wb)
    try:
        quarter = int(str(form.get("quarter") or ""))
        if quarter not in cycle.periods:
            raise ValueError
    except ValueError:
        return go("/collect", "请选择报送期。", request)
    year = await run_in_threadpool(_year, wb)
    if year is None and _no_plan(wb):
        return go("/collect", NO_PLAN, request)
    if year is None:
        return go("/collect", "计划数据有问题，请先在总览页查看。", request)
    folder = wb.returns_folder(year, quarter)
    stored, refused = 0, []
    for item in files_in(form, "returns"):
        try:
            suffix = uploads.suffix_of(item.filename or "", uploads.FORM_SUFFIXES)
            uploads.store(folder, await file_bytes(item), suffix, uploads.cleaned(item.filename or ""))
            stored += 1
        except UserError as err:
            refused.append(str(err))
    for line in refused:
        session(request).notes.append(line)
    wb.audit(f"上传{cycle.name_of(quarter)}报表", f"接收 {stored} 个文件，拒收 {len(refused)} 个")

    def work(job: Job) -> Any:
        from generators.app.collect import collect

        job.say(f"正在检查 {folder.name} 中的报表……")
        done = collect(wb.plan_dir, wb.out_dir, wb.templates_dir, quarter, folder)
        if done.empty:
            raise Refused(done.empty, 1)
        if done.ledger_error:
            raise Refused(done.ledger_error)
        for line in collect_said(done, cycle):
            job.say(line)
        return done

    return start_job(request, "collect", f"回收{cycle.name_of(quarter)}报表", "/collect", work)


def collect_said(done: Any, cycle: Cycle) -> list[str]:
    """What a collect tells the page: the quarter's counts as the summary and the 通报 hold them (with what
    the ledger held before this upload), not this upload's alone."""
    from generators.app.collect import counts

    period = done.period
    lines = [counts(period, cycle.name_of(period.quarter))]
    if done.earlier:
        lines.append(
            f"台账中此前已记入本{cycle.unit}的 {len(done.earlier)} 个单位计为已报：{'、'.join(done.earlier)}"
        )
    return lines


def supervise_said(done: Any) -> str:
    return f"督办 {done.counts}。"


async def collect_withdraw(request: Request) -> Response:
    wb = bench(request)
    form = await form_of(request)
    unit = str(form.get("unit") or "").strip()
    quarter_text = str(form.get("quarter") or "")
    cycle = await run_in_threadpool(_cycle, wb)
    if _no_plan(wb):
        return go("/collect", NO_PLAN, request)
    if not unit or quarter_text not in [str(q) for q in cycle.periods]:
        return go("/collect", "请填写要撤回记录的单位并选择报送期。", request)
    quarter = int(quarter_text)

    def work(job: Job) -> Any:
        from generators.app.ledger import withdraw

        done = withdraw(wb.plan_dir, wb.out_dir, wb.templates_dir, unit, quarter)
        w = done.withdrawn
        job.say(
            f"已撤回 {w.unit} {cycle.name_of(w.quarter)}的报表 {w.file}：该单位本{cycle.unit}改为未报送，"
            "汇总和通报已重做。"
        )
        return done

    return start_job(request, "withdraw", f"撤回{unit}{cycle.name_of(quarter)}的记录", "/collect", work)


# --- 督办、年度 ---


async def supervise_page(request: Request) -> Response:
    wb = bench(request)
    job = wb.jobs.last.get("supervise")
    entries = [e for e in manifest(wb) if e["kind"] in ("supervision",)]
    return page(request, "supervise.html", job=job, entries=entries)


async def supervise_post(request: Request) -> Response:
    wb = bench(request)
    form = await form_of(request)
    quarter = int(str(form.get("quarter") or "0")) if str(form.get("quarter") or "").isdigit() else 0
    if quarter not in (1, 2, 3, 4):
        return go("/supervise", "请选择季度。", request)

    def work(job: Job) -> Any:
        from generators.app.ledger import supervise

        done = supervise(wb.plan_dir, wb.out_dir, wb.templates_dir, quarter)
        job.say(supervise_said(done))
        return done

    return start_job(request, "supervise", f"第{to_chinese(quarter)}季度督办", "/supervise", work)


async def year_page(request: Request) -> Response:
    wb = bench(request)
    entries = [e for e in manifest(wb) if e["kind"] in ("ledger", "ledger-record", "year-summary")]
    return page(request, "year.html", entries=entries, last=wb.jobs.last)


async def year_post(request: Request) -> Response:
    wb = bench(request)
    form = await form_of(request)
    what = str(form.get("what") or "")

    def work(job: Job) -> Any:
        from generators.app.ledger import ledger_workbook, year_summary

        if what == "ledger":
            done: Any = ledger_workbook(wb.plan_dir, wb.out_dir, wb.templates_dir)
            job.say(f"年度台账：{len(done.year.lines)} 行。")
        else:
            done = year_summary(wb.plan_dir, wb.out_dir, wb.templates_dir)
            job.say(f"年度完成情况：截至第{to_chinese(done.end.quarter)}季度，{len(done.end.lines)} 项。")
        return done

    title = "生成年度推进台账" if what == "ledger" else "生成年度完成情况报告"
    return start_job(request, "year", title, "/year", work)


# --- jobs ---


async def job_status(request: Request) -> Response:
    job = bench(request).jobs.get(request.path_params["job_id"])
    if job is None:
        return JSONResponse({"state": "missing"}, status_code=404)
    return JSONResponse(job.as_json())


async def wait_page(request: Request) -> Response:
    job = bench(request).jobs.get(request.path_params["job_id"])
    if job is None:
        return go("/")
    if job.state == "done":
        return go(job.next_url, f"{job.title}：完成。{job.lines[-1] if job.lines else ''}", request)
    if job.state == "failed":
        for line in job.lines:
            session(request).notes.append(line)
        return go(job.next_url, f"{job.title}：未完成。", request)
    return page(request, "wait.html", job=job)


async def csrf_refused(request: Request, exc: Exception) -> Response:
    bench(request).audit(f"{request.method} {request.url.path}", "拒绝：缺少或错误的 CSRF 令牌")
    return PlainTextResponse("请求被拒绝：表单已过期，请刷新页面后重试。", status_code=403)


HTTP_TEXT = {
    400: "请求无法读取。",
    404: "没有这个页面。",
    405: "这个地址不接受这种请求。",
    413: "上传内容过大。",
}


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such page, wrong method, unreadable form), in Chinese."""
    code = exc.status_code if isinstance(exc, HTTPException) else 400
    detail = exc.detail if isinstance(exc, HTTPException) and str(exc.detail).isascii() is False else ""
    return PlainTextResponse(detail or HTTP_TEXT.get(code, "请求无法处理。"), status_code=code)


async def failed(request: Request, exc: Exception) -> Response:
    """Any other failure: the Chinese lines the command line would print, never a traceback."""
    lines = problem_lines(exc)
    detail = internal_detail(exc)  # the log the office can send: the page never shows it (it is English)
    bench(request).audit(
        f"{request.method} {request.url.path}",
        "失败：" + " ".join(lines[-1:]) + (f"（详情：{detail}）" if detail else ""),
    )
    return page(request, "error.html", status_code=500, lines=lines)


def create_app(
    plan_dir: Path,
    out_dir: Path,
    templates_dir: Path,
    require_login: bool,
    hosts: frozenset[str] = frozenset(),
) -> Starlette:
    wb = Workbench(plan_dir, out_dir, templates_dir, require_login, hosts)
    routes = [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", overview_page),
        Route("/draft", draft_page, methods=["GET"]),
        Route("/draft/upload", draft_upload, methods=["POST"]),
        Route("/draft/save", draft_save, methods=["POST"]),
        Route("/draft/new-year", draft_new_year, methods=["POST"]),
        Route("/roster", roster_page, methods=["GET"]),
        Route("/roster", roster_save, methods=["POST"]),
        Route("/roster.xlsx", roster_export),
        Route("/basics", basics_save, methods=["POST"]),
        Route("/roster/import", roster_import, methods=["POST"]),
        Route("/files", files_page),
        Route("/files/build", files_build, methods=["POST"]),
        Route("/files/pdf", files_pdf, methods=["POST"]),
        Route("/files/proof", files_proof, methods=["POST"]),
        Route("/files/pack", files_pack, methods=["POST"]),
        Route("/files/lint", files_lint, methods=["POST"]),
        Route("/files/conform", files_conform, methods=["POST"]),
        Route("/download", download),
        Route("/preview", preview),
        Route("/collect", collect_page, methods=["GET"]),
        Route("/collect", collect_post, methods=["POST"]),
        Route("/collect/withdraw", collect_withdraw, methods=["POST"]),
        Route("/supervise", supervise_page, methods=["GET"]),
        Route("/supervise", supervise_post, methods=["POST"]),
        Route("/year", year_page, methods=["GET"]),
        Route("/year", year_post, methods=["POST"]),
        Route("/jobs/{job_id}", job_status),
        Route("/wait/{job_id}", wait_page),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard)],
        exception_handlers={CsrfRefused: csrf_refused, HTTPException: http_error, Exception: failed},
    )
    app.state.bench = wb
    wb.audit("启动工作台", "需要登录" if require_login else "仅本机访问")
    return app


def as_dict(value: Any) -> Any:
    return (
        dataclasses.asdict(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type)
        else value
    )
