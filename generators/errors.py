"""Failures the user can act on: each carries one Chinese line saying what is wrong and what to do, and the
exit code the command ends with (mapped in one place: generators/commands/common.py, Group.invoke)."""

from __future__ import annotations

BAD_INPUT = 2  # a plan (or other input) that cannot be used
FAILED = 1  # the environment (output/, templates, disk) stopped the command


class UserError(Exception):
    exit_code = FAILED


class BuildLocked(UserError):
    """Another build holds output/."""


class UnsafePath(UserError):
    """A path from the manifest or a name from plan/ would leave output/."""


class OutputDamaged(UserError):
    """output/ is not what a build left there: a bad manifest, a file where a folder should be."""


class TemplateBroken(UserError):
    """A template or templates/layout.yaml cannot be used."""
