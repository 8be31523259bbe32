"""What check, build, import and new print beside their result: proofreading hints, dates of another year, open 待核实 data. Never fatal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from generators.app.notes import PlanNotes


def echo_proofreading(findings: list) -> None:
    """Proofreading warnings before a check or build: shown, never fatal."""
    for finding in findings:
        click.echo(str(finding), err=True)
    if findings:
        click.echo(
            f"校对提示 {len(findings)} 条（不影响生成；确认后可用 plandocs lint --fix 类型 修改）。", err=True
        )


def echo_open(notes: PlanNotes) -> None:
    """Non-fatal: dates of another year, and the 待核实 data still open."""
    for line in notes.warnings:
        click.echo(f"警告：{line}", err=True)
    for line in notes.open_items:
        click.echo(f"尚待核实：{line}", err=True)
