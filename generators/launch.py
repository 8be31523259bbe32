"""The program's entry (the `plandocs` command and `python -m generators`): a Ctrl-C at any moment, even while
Python is still importing the commands, ends with one line and exit 130, never a traceback."""

from __future__ import annotations

import sys

INTERRUPTED = 130


def run() -> None:
    try:
        from .cli import main

        main(prog_name="plandocs")
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        raise SystemExit(INTERRUPTED) from None
