"""A real `plandocs serve` in a subprocess on an ephemeral loopback port, a Chromium driven by Playwright
(Debian's /usr/bin/chromium: no browser download), and plain HTTP for what a browser would not send."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SHOTS = os.environ.get("PLANDOCS_SCREENSHOTS")  # a folder (docs/img) to keep the page screenshots in


def need_browser():
    """The browser tests run wherever CI runs (.ci/run installs chromium); elsewhere they skip without it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright 未安装")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} 不存在：.ci/run 应已安装 chromium")
        pytest.skip("chromium 未安装")
    return sync_playwright


class Server:
    def __init__(self, project: Path, *args: str) -> None:
        self.project = project
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generators", "serve", "--port", "0", *args],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not found:
            self.proc.kill()
            raise AssertionError(
                f"serve did not start: {line!r} {self.proc.stderr.read() if self.proc.stderr else ''}"
            )
        self.url = f"http://127.0.0.1:{found.group(1)}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def project_with(tmp: Path, plan: bool) -> Path:
    """A project folder: templates/ always, plan/ (the repository's) when asked."""
    shutil.copytree(ROOT / "templates", tmp / "templates")
    if plan:
        shutil.copytree(ROOT / "plan", tmp / "plan")
    return tmp


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """Plain HTTP with a cookie jar and no redirects followed: what a script, not a browser, sends."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(
        self, path: str, data: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict, str]:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode("utf-8", "replace")

    def csrf(self, path: str = "/") -> str:
        _, _, html = self.request(path)
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, dict, str]:
        data = urllib.parse.urlencode(fields).encode()
        return self.request(path, data, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_files(self, path: str, fields: dict[str, str], files: list[tuple[str, str, bytes]]):
        boundary = uuid.uuid4().hex
        body = b""
        for name, value in fields.items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, filename, data in files:
            body += (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n"
                ).encode()
                + data
                + b"\r\n"
            )
        body += f"--{boundary}--\r\n".encode()
        return self.request(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def shot(page, tmp: Path, name: str) -> Path:
    """A screenshot of the page (kept in $PLANDOCS_SCREENSHOTS too): small PNGs, the top of the page."""
    target = tmp / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 5000  # a blank page is a few hundred bytes
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        keep(target, Path(SHOTS) / target.name)
    return target


def keep(shot_png: Path, target: Path) -> None:
    """The docs' copy in 256 colours (a third of the size, same look); a plain copy without Pillow."""
    try:
        from PIL import Image
    except ImportError:
        shutil.copy(shot_png, target)
        return
    with Image.open(shot_png) as image:
        image.convert("RGB").quantize(colors=256).save(target, optimize=True)
