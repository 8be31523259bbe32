"""What every command shares: exit codes, the plan/out/templates options, and a Chinese-speaking click."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from generators import click_zh
from generators.errors import BAD_INPUT, FAILED

if TYPE_CHECKING:
    from generators.plan import PlanError

__all__ = ["BAD_INPUT", "FAILED"]

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
            from generators.app.common import failure  # the plan stack only when a command has failed

            lines, code = failure(err)
            for line in lines:
                click.echo(line, err=True)
            ctx.exit(code)


def fail_on_plan(err: PlanError) -> NoReturn:
    from generators.app.common import failure

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
