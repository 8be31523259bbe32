"""What every command shares: exit codes, the plan/out/templates options, and a Chinese-speaking click."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from generators import click_zh
from generators.errors import BAD_INPUT, FAILED, UserError
from generators.plan import PlanError

__all__ = ["BAD_INPUT", "FAILED"]
INTERRUPTED = 130

click_zh.install()


class Command(click.Command):
    """A click command whose usage line reads 用法：plandocs build [选项]."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class Group(click.Group):
    """Runs its commands so that no traceback reaches the user: each failure is mapped by `failure`.
    PLANDOCS_DEBUG=1 shows the traceback instead (for developers)."""

    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except (Exception, KeyboardInterrupt) as err:
            if os.environ.get("PLANDOCS_DEBUG"):
                raise
            lines, code = failure(err)
            for line in lines:
                click.echo(line, err=True)
            ctx.exit(code)


def failure(err: BaseException) -> tuple[list[str], int]:
    """Every failure a command can end in → the lines to print and the exit code: the one place they map."""
    if isinstance(err, PlanError):
        lines = [str(problem) for problem in err.problems]
        return [*lines, f"计划数据有 {len(err.problems)} 处问题，未生成任何文件。"], BAD_INPUT
    if isinstance(err, UserError):
        return [str(err)], err.exit_code
    if isinstance(err, OSError):
        return [_os_message(err)], FAILED
    if isinstance(err, MemoryError):
        return ["内存不足，命令已停止：请关闭其他程序后重新运行。"], FAILED
    if isinstance(err, KeyboardInterrupt):
        return ["已中断。"], INTERRUPTED
    return [f"内部错误（{type(err).__name__}: {err}）：请把这一行和所用的 plan/ 报告给维护者。"], FAILED


def _os_message(err: OSError) -> str:
    where = err.filename or "文件"
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间不足，无法写入 {where}：请腾出空间后重新运行（输出目录中已有的文件未改动）。"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有权限写入 {where}（只读或权限不足）：请检查该文件或文件夹的权限后重新运行。"
    if err.errno == errno.ENOTDIR:
        return f"{where} 的路径上有一个文件占着文件夹的位置：请移走它（或运行 plandocs build --clean）后重新运行。"
    if err.errno == errno.EISDIR:
        return f"{where} 是一个文件夹，这里应是文件：请移走它（或运行 plandocs build --clean）后重新运行。"
    if err.errno == errno.ENOENT:
        return f"找不到 {where}：请检查路径后重新运行。"
    if err.errno == errno.ENAMETOOLONG:
        return f"文件名过长：{where}。请缩短 plan/ 中的名称（plandocs check 会指出）。"
    return f"无法读写 {where}（{err.strerror or err}）：请检查后重新运行。"


def fail_on_plan(err: PlanError) -> NoReturn:
    lines, code = failure(err)
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


def folder_option(
    flag: str, name: str, default: str, help_text: str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--flag 目录 with a default folder relative to where the command runs."""
    return click.option(
        flag,
        name,
        default=default,
        show_default=True,
        metavar="目录",
        type=click.Path(path_type=Path),
        help=help_text,
    )


plan_option = folder_option("--plan", "plan_dir", "plan", "计划数据目录")
out_option = folder_option("--out", "out_dir", "output", "输出目录")
templates_option = folder_option("--templates", "templates_dir", "templates", "模板目录")
