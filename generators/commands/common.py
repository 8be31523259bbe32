"""What every command shares: exit codes, the plan/out/templates options, and a Chinese-speaking click."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generators import click_zh
from generators.plan import PlanError

BAD_INPUT = 2  # exit code for a plan (or other input) that cannot be used

click_zh.install()


class Command(click.Command):
    """A click command whose usage line reads 用法：plandocs build [选项]."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class Group(click.Group):
    command_class = Command

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)


def fail_on_plan(err: PlanError) -> None:
    for problem in err.problems:
        click.echo(str(problem), err=True)
    click.echo(f"计划数据有 {len(err.problems)} 处问题，未生成任何文件。", err=True)
    sys.exit(BAD_INPUT)


plan_option = click.option(
    "--plan",
    "plan_dir",
    default="plan",
    show_default=True,
    metavar="目录",
    type=click.Path(path_type=Path),
    help="计划数据目录",
)
out_option = click.option(
    "--out",
    "out_dir",
    default="output",
    show_default=True,
    metavar="目录",
    type=click.Path(path_type=Path),
    help="输出目录",
)
templates_option = click.option(
    "--templates",
    "templates_dir",
    default="templates",
    show_default=True,
    metavar="目录",
    type=click.Path(path_type=Path),
    help="模板目录",
)
