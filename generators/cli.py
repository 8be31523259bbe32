"""The plandocs command: thin click wrappers over the pipeline. Messages are in Chinese."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .commands.common import BAD_INPUT, Group, fail_on_plan, out_option, plan_option, templates_option
from .output import BuildLocked
from .plan import PlanError, load_plan


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """plandocs：由 plan/ 中的计划数据生成安全生产工作意见及全套配套文件。"""


def echo_proofreading(plan_dir: Path) -> None:
    """Proofreading warnings before a check or build: shown, never fatal."""
    from .lint import lint_plan

    findings = lint_plan(plan_dir)
    for finding in findings:
        click.echo(str(finding), err=True)
    if findings:
        click.echo(
            f"校对提示 {len(findings)} 条（不影响生成；确认后可用 plandocs lint --fix 类型 修改）。", err=True
        )


@main.command()
@plan_option
def check(plan_dir: Path) -> None:
    """只检查计划数据，报告全部问题。"""
    try:
        plan = load_plan(plan_dir)
    except PlanError as err:
        fail_on_plan(err)
    echo_proofreading(plan_dir)
    click.echo(
        f"{plan_dir}：检查通过。{len(plan.parts)} 个部分，{sum(len(p.sections) for p in plan.parts)} 节，"
        f"{len(plan.measures)} 条措施，"
        + (f"{len(plan.key_tasks)} 项重点任务，" if plan.has_annex else "无附件任务清单，")
        + f"{len(plan.units)} 个单位。"
    )
    _warn(plan)


def _warn(plan) -> None:
    """Non-fatal: dates of another year, and the 待核实 data still open."""
    from .plan.warnings import date_warnings, open_assumptions, unreached_measures

    for line in date_warnings(plan) + unreached_measures(plan):
        click.echo(f"警告：{line}", err=True)
    for line in open_assumptions(plan):
        click.echo(f"尚待核实：{line}", err=True)


@main.command()
@plan_option
@out_option
@templates_option
@click.option("--clean", is_flag=True, help="先清空输出目录再全部重新生成")
def build(plan_dir: Path, out_dir: Path, templates_dir: Path, clean: bool) -> None:
    """检查计划数据并生成 output/ 中的全部文件（只重新生成输入有变化的文件）。"""
    from .pipeline import build as run_build

    started = time.perf_counter()
    try:
        result = run_build(plan_dir, out_dir, templates_dir, clean=clean)
    except PlanError as err:
        fail_on_plan(err)
    except BuildLocked as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    echo_proofreading(plan_dir)
    report = result.report
    for path in report.written:
        click.echo(f"写入  {path}")
    for path in report.removed:
        click.echo(f"删除  {path}")
    for units, what in (
        (result.reprint_units, "分工函有变化、需重新印发的单位"),
        (result.new_letter_units, "新生成分工函的单位"),
        (result.withdrawn_units, "不再承担任务、分工函已删除的单位"),
    ):
        if units:
            click.echo(f"{what}（{len(units)} 个）：{'、'.join(units)}")
    click.echo(
        f"完成：共 {len(result.entries)} 个文件，重新生成 {result.rendered} 个，写入 {len(report.written)} 个，"
        f"未变 {len(report.unchanged)} 个，删除 {len(report.removed)} 个，用时 {time.perf_counter() - started:.2f} 秒。"
    )


@main.command()
@plan_option
@click.option(
    "--fix",
    "fix_kinds",
    multiple=True,
    metavar="类型",
    help="按确认的类型就地修改（可重复）：文号、半角标点、空格、重复标点、句末标点、年份",
)
def lint(plan_dir: Path, fix_kinds: tuple[str, ...]) -> None:
    """校对计划文字：文号格式、括号配对、半角标点、多余空格、重复标点、句末标点、年份。有提示时退出码为 1。"""
    from .lint import KINDS, FixError, apply_fixes, lint_plan

    unknown = [kind for kind in fix_kinds if kind not in KINDS]
    if unknown:
        click.echo(f"未知的提示类型“{unknown[0]}”，可用：{'、'.join(KINDS)}", err=True)
        sys.exit(BAD_INPUT)
    findings = lint_plan(plan_dir)
    if fix_kinds:
        try:
            fixed = apply_fixes(plan_dir, findings, set(fix_kinds))
        except FixError as err:
            click.echo(f"修改后计划数据无效，未修改任何文件：{err}", err=True)
            sys.exit(BAD_INPUT)
        for finding in fixed:
            click.echo(
                f"已修改  {finding.where.file}:{finding.where.line}:{finding.where.col}: "
                f"“{finding.fragment}”→“{finding.fix}”"
            )
        findings = lint_plan(plan_dir)
    for finding in findings:
        click.echo(str(finding))
    click.echo(f"校对提示 {len(findings)} 条。" if findings else "校对完毕，没有发现问题。")
    sys.exit(1 if findings else 0)


@main.command()
@click.argument("old", metavar="旧版")
@click.argument("new", required=False, metavar="[新版]")
@plan_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出，供程序读取")
@click.option(
    "--docx", "docx_path", metavar="文件", type=click.Path(path_type=Path), help="同时生成修改对照表（.docx）"
)
def diff(old: str, new: str | None, plan_dir: Path, as_json: bool, docx_path: Path | None) -> None:
    """比较两版计划：旧版、新版为计划目录或 git 版本（如 HEAD~1），新版缺省为 --plan 目录。"""
    from .diff import diff_plans
    from .diff.report import format_json, format_text
    from .diff.revision import RevisionError, load_side

    try:
        old_plan, old_label = load_side(old, plan_dir)
        new_plan, new_label = load_side(new, plan_dir)
    except PlanError as err:
        fail_on_plan(err)
    except RevisionError as err:
        click.echo(str(err), err=True)
        sys.exit(BAD_INPUT)
    result = diff_plans(old_plan, new_plan, old_label, new_label)
    click.echo(format_json(result) if as_json else format_text(result))
    if docx_path is not None:
        from .layout import load_layout
        from .output import atomic_write
        from .render.changes import document

        atomic_write(docx_path, document(result, old_plan, new_plan, load_layout()))
        click.echo(f"写入  {docx_path}", err=True)


draft_argument = click.argument(
    "draft", metavar="草稿", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


def _plan_dir_option(flag: str, name: str, help_text: str):
    path = click.Path(path_type=Path)
    return click.option(
        flag, name, metavar="目录", default="plan", show_default=True, type=path, help=help_text
    )


def _stop_on(problems: list[str], summary: str) -> None:
    """Every problem, then the summary, exit 2; nothing was written."""
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        click.echo(summary.format(count=len(problems)), err=True)
        sys.exit(BAD_INPUT)


@main.command("import")
@draft_argument
@_plan_dir_option("--into", "into", "写入的计划数据目录")
@click.option("--add-units", is_flag=True, help="把草稿中未登记的单位、区领导加入名册（标记 待核实）")
@click.option("--no-annex", is_flag=True, help="草稿没有附件任务清单时，从计划中删去附件（tasks.yaml）")
def import_draft(draft: Path, into: Path, add_units: bool, no_annex: bool) -> None:
    """把修改后的草稿（.docx 或 .txt）导入计划数据。"""
    from .importer import import_draft as run_import

    before = _year_of(into)
    report = run_import(draft, into, add_units, no_annex)
    _stop_on(report.problems, "草稿有 {count} 处无法导入，计划数据未作任何修改。")
    for path in report.written:
        click.echo(f"写入  {path}")
    for path in report.removed:
        click.echo(f"删除  {path}（草稿没有附件任务清单）")
    from .importer.registry import is_collective

    for name in report.added_units + report.added_leaders:
        kind = "分组，成员待填写" if name in report.added_units and is_collective(name) else "待核实"
        click.echo(f"新增  {name}（{kind}）")
    click.echo(f"导入完成：写入 {len(report.written)} 个文件，未变 {len(report.unchanged)} 个。")
    plan = load_plan(into)
    if before is not None and before != plan.meta.year:
        click.echo(
            f"警告：年度由 {before} 改为 {plan.meta.year}：草稿没有印出的发文机关、函件发出单位、联系人、"
            "成文日期和截止日期仍是原计划的，请逐项核对 meta.yaml",
            err=True,
        )
    _warn(plan)


def _year_of(plan_dir: Path) -> int | None:
    try:
        return load_plan(plan_dir).meta.year
    except PlanError:
        return None


@main.command("new")
@draft_argument
@_plan_dir_option("--dir", "target", "新建的计划数据目录（必须不存在或为空）")
def new_plan(draft: Path, target: Path) -> None:
    """由任一区、任一年度的草稿（.docx 或 .txt）新建计划数据目录。"""
    from .importer.newplan import new_plan as run_new
    from .importer.registry import is_collective

    report = run_new(draft, target)
    _stop_on(report.problems, "共 {count} 处问题，未建立计划目录。")
    for path in report.written:
        click.echo(f"写入  {path}")
    groups = [name for name in report.added_units if is_collective(name)]
    click.echo(
        f"已新建计划：{len(report.added_units) - len(groups)} 个单位、{len(groups)} 个分组（集合称谓，"
        f"成员待填写）、{len(report.added_leaders)} 位区领导，均标记待核实。"
    )
    if groups:
        click.echo(f"请在 {target / 'units.yaml'} 中填写这些分组的成员：{'、'.join(groups)}")
    _warn(load_plan(target))


def _register_form_commands() -> None:
    from .collect.commands import collect_command, forms_command

    main.add_command(forms_command)
    main.add_command(collect_command)
    from .ledger.commands import ledger_command, supervise_command, year_summary_command

    main.add_command(ledger_command)
    main.add_command(supervise_command)
    main.add_command(year_summary_command)


_register_form_commands()


@main.command()
@click.option(
    "--unit",
    "units",
    multiple=True,
    metavar="单位",
    help="只生成该单位（意见中的简称）的分工函，可重复；不写则全部生成",
)
@plan_option
@out_option
@templates_option
def letters(units: tuple[str, ...], plan_dir: Path, out_dir: Path, templates_dir: Path) -> None:
    """生成各单位的任务分工函（letters/）和合订打印本；其余文件不动。"""
    from .pipeline import build as run_build
    from .plan.problems import did_you_mean
    from .views import Views

    try:
        holders = Views(load_plan(plan_dir)).assignments
    except PlanError as err:
        fail_on_plan(err)
    for unit in units:
        if unit not in holders:
            click.echo(
                f"{plan_dir}/units.yaml：没有承担任务的单位“{unit}”{did_you_mean(unit, holders)}", err=True
            )
            sys.exit(BAD_INPUT)
    kinds = ("letter",) if units else ("letter", "letters-print")
    try:
        result = run_build(
            plan_dir,
            out_dir,
            templates_dir,
            select=lambda job: job.kind in kinds and (not units or job.unit in units),
        )
    except BuildLocked as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    for path in result.report.written:
        click.echo(f"写入  {path}")
    count = sum(1 for e in result.entries if e["kind"] == "letter" and (not units or e.get("unit") in units))
    click.echo(f"分工函 {count} 份，写入 {len(result.report.written)} 个文件。")
    if units:
        click.echo("合订打印本未重新生成；需要时运行 plandocs letters。")


@main.command()
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
    from .output import read_manifest
    from .pdf import BadSelection, LibreOfficeMissing, convert_outputs, find_soffice
    from .pipeline import build as run_build

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
            out_dir, plan, paths=paths, kinds=kinds, on_start=progress.start, on_progress=progress.step
        )
    except BadSelection as err:
        click.echo(str(err), err=True)
        sys.exit(BAD_INPUT)
    except (LibreOfficeMissing, BuildLocked, OSError) as err:
        progress.finish()
        click.echo(str(err), err=True)
        sys.exit(1)
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


@main.command()
@click.argument(
    "files", nargs=-1, metavar="[文件]...", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@out_option
def conform(files: tuple[Path, ...], out_dir: Path) -> None:
    """按 GB/T 9704-2012 检查版式（默认检查 output/ 中的意见正文及其 PDF，以及印发通知、印发件的 PDF）；有不合格项时退出码为 1。"""
    from .conform import NothingToCheck, check_file, check_issued, check_opinion, format_table
    from .layout import load_layout

    layout = load_layout()
    try:
        if files:
            checks = [c for path in files for c in check_file(path, layout, out_dir)]
            note = "检查 " + "、".join(map(str, files))
        else:
            checks, note = check_opinion(out_dir, layout)
            issued, paths = check_issued(out_dir, layout)
            checks += issued
            note += "".join(f"、{path}" for path in paths)
    except NothingToCheck as err:
        click.echo(str(err), err=True)
        sys.exit(BAD_INPUT)
    click.echo(note)
    click.echo(format_table(checks))
    failed = [c for c in checks if not c.passed]
    click.echo(f"共 {len(checks)} 项，不通过 {len(failed)} 项。")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
