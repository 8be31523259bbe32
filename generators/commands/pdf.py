"""`plandocs pdf`: printable PDFs of output/, only what changed, with progress."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generators.commands.common import (
    BAD_INPUT,
    Command,
    fail_on_plan,
    failure,
    out_option,
    plan_option,
    templates_option,
)
from generators.errors import UserError
from generators.output import BuildLocked
from generators.plan import PlanError, load_plan


@click.command(cls=Command)
@click.argument("paths", nargs=-1, metavar="[路径]...")
@plan_option
@out_option
@templates_option
@click.option(
    "--kind", "kinds", multiple=True, metavar="种类", help="只转换这一种文件（可重复），如 letter、form"
)
def pdf(
    paths: tuple[str, ...], plan_dir: Path, out_dir: Path, templates_dir: Path, kinds: tuple[str, ...]
) -> None:
    """把 output/ 中要打印的文件转为 PDF（只转换有变化的）；可指定文件、文件夹或 --kind。

    分工函另合订一册，每单位一个书签。"""
    from generators.layout import load_layout
    from generators.output import read_manifest
    from generators.pdf import BadSelection, LibreOfficeMissing, convert_outputs, find_soffice
    from generators.pipeline import build as run_build

    if find_soffice() is None:
        click.echo(str(LibreOfficeMissing()), err=True)
        sys.exit(1)
    selecting = bool(paths or kinds)
    try:
        plan = load_plan(plan_dir)
        if selecting:
            if read_manifest(out_dir).get("plan", {}).get("hash") != plan.digest:
                click.echo(f"注意：{out_dir} 不是由当前计划数据生成的；需要时先运行 plandocs build。")
        else:
            # The build decides what is stale by its own key (plan, templates, code): a template edit
            # alone is seen too. Up to date, it returns at once without rendering anything.
            built = run_build(plan_dir, out_dir, templates_dir)
            if built.report.written or built.report.removed:
                click.echo(
                    f"先更新 {out_dir}：写入 {len(built.report.written)} 个，删除 {len(built.report.removed)} 个文件。"
                )
    except PlanError as err:
        fail_on_plan(err)
    except BuildLocked as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    progress = PdfProgress(sys.stdout.isatty())
    try:
        report = convert_outputs(
            out_dir,
            plan,
            paths=paths,
            kinds=kinds,
            on_start=progress.start,
            on_progress=progress.step,
            # The print volumes are split as the build split them: by the layout it was built with.
            letters_per_volume=load_layout(templates_dir / "layout.yaml").letters_per_volume,
        )
    except BadSelection as err:
        click.echo(str(err), err=True)
        sys.exit(BAD_INPUT)
    except LibreOfficeMissing as err:
        progress.finish()
        click.echo(str(err), err=True)
        sys.exit(1)
    except (UserError, OSError) as err:  # locked, damaged, read-only output/: one line from `failure`
        progress.finish()
        lines, code = failure(err)
        for line in lines:
            click.echo(line, err=True)
        sys.exit(code)
    progress.finish()
    for source, reason in report.failed:
        click.echo(f"转换失败：{source}：{reason}", err=True)
    click.echo(
        f"完成：{report.total} 个 PDF，转换 {len(report.converted)} 个，合订 {len(report.joined)} 个，"
        f"未变 {len(report.unchanged)} 个，删除 {len(report.removed)} 个，失败 {len(report.failed)} 个，"
        f"用时 {report.seconds:.1f} 秒。"
    )
    sys.exit(1 if report.failed else 0)


class PdfProgress:
    """ "已转换 N/M" lines when stdout is a pipe or a file; one line rewritten in place on a terminal."""

    def __init__(self, terminal: bool) -> None:
        self.terminal, self.done, self.total = terminal, 0, 0

    def start(self, total: int) -> None:
        self.total = total
        if total:
            click.echo(f"需转换 {total} 个文件。")

    def step(self, name: str) -> None:
        self.done += 1
        if self.terminal:
            click.echo(f"\r已转换 {self.done}/{self.total}", nl=False)
        else:
            click.echo(f"已转换 {self.done}/{self.total}  {name}")

    def finish(self) -> None:
        if self.terminal and self.done:
            click.echo()
