"""The plandocs command line: click's wiring only. Each command lives in its own module under
generators/commands/ (collect, forms, ledger, supervise and year-summary with their packages)."""

from __future__ import annotations

import click

from generators.commands.build import build
from generators.commands.check import check
from generators.commands.collect import collect_command, forms_command
from generators.commands.common import Group
from generators.commands.conform import conform
from generators.commands.diff import diff
from generators.commands.drafts import import_draft, new_plan
from generators.commands.ledger import ledger_command, supervise_command, year_summary_command
from generators.commands.letters import letters
from generators.commands.lint import lint
from generators.commands.pack import pack
from generators.commands.pdf import pdf
from generators.commands.proof import proof
from generators.commands.serve import serve
from generators.commands.years import new_year, store_round


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """plandocs：由 plan/ 中的计划数据生成安全生产工作意见及全套配套文件。"""


for command in (
    check,
    build,
    lint,
    diff,
    import_draft,
    new_plan,
    new_year,
    store_round,
    forms_command,
    collect_command,
    ledger_command,
    supervise_command,
    year_summary_command,
    letters,
    pack,
    pdf,
    proof,
    conform,
    serve,
):
    main.add_command(command)


if __name__ == "__main__":
    main()
