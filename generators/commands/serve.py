"""`plandocs serve`: the web workbench on 127.0.0.1 (another address only with a password), and
`plandocs serve --set-password`."""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path

import click

from generators.commands.common import BAD_INPUT, FAILED, Command, out_option, plan_option, templates_option

DEFAULT_PORT = 8765
MIN_PASSWORD = 8


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; port 0 (or the default port taken) gives a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for tried in (port, 0) if port == DEFAULT_PORT else (port,):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, tried))
        except OSError as err:
            sock.close()
            if tried == 0 or port != DEFAULT_PORT:
                click.echo(
                    f"无法在 {host}:{port} 上启动工作台（{err.strerror}）：请换一个端口（--port）。", err=True
                )
                sys.exit(FAILED)
            continue
        sock.listen(64)
        return sock
    raise AssertionError("unreachable")


@click.command(cls=Command)
@plan_option
@out_option
@templates_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="地址",
    help="监听地址；本机以外的地址须先设置密码",
)
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    metavar="端口",
    help="端口；0 为任一空闲端口",
)
@click.option(
    "--set-password", is_flag=True, help="设置（或更换）工作台登录密码，保存在 plan/ 旁（scrypt 散列）"
)
@click.option("--open", "open_browser", is_flag=True, help="启动后在浏览器中打开工作台")
def serve(
    plan_dir: Path,
    out_dir: Path,
    templates_dir: Path,
    host: str,
    port: int,
    set_password: bool,
    open_browser: bool,
) -> None:
    """启动网页工作台：在浏览器中完成草稿、名册、生成、分发、回收、督办和年度总结。"""
    from generators.web.security import read_password, write_password

    if set_password:
        password = click.prompt("新密码", hide_input=True, confirmation_prompt="再输入一次", err=True)
        if len(password) < MIN_PASSWORD:
            click.echo(f"密码至少 {MIN_PASSWORD} 个字符，未设置。", err=True)
            sys.exit(BAD_INPUT)
        path = write_password(plan_dir, password)
        click.echo(f"已设置工作台密码（{path}）。")
        return
    has_password = read_password(plan_dir) is not None
    if not _loopback(host) and not has_password:
        click.echo(
            f"不能在 {host} 上启动：本机以外的电脑也能访问这个地址，须先用 plandocs serve --set-password 设置密码。",
            err=True,
        )
        sys.exit(BAD_INPUT)
    import uvicorn

    from generators.web.server import create_app

    sock = _listen(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    loopback = _loopback(host)
    hosts = (
        frozenset(f"{name}:{bound}" for name in (shown, "127.0.0.1", "localhost", "[::1]"))
        if loopback
        else frozenset()
    )
    app = create_app(plan_dir, out_dir, templates_dir, require_login=has_password, hosts=hosts)
    click.echo(f"plandocs 工作台：http://{shown}:{bound}/ （按 Ctrl+C 停止）", err=False)
    sys.stdout.flush()
    if open_browser:
        import webbrowser

        webbrowser.open(f"http://{shown}:{bound}/")
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
    click.echo("工作台已停止。")
