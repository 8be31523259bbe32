"""What the operations share: the one failure class they raise for input they refuse, and plan loading."""

from __future__ import annotations

from generators.errors import BAD_INPUT, UserError

__all__ = ["BAD_INPUT", "Refused"]


class Refused(UserError):
    """An operation refused its input (or found its environment unusable): one Chinese line and the exit
    code the command line ends with (BAD_INPUT unless told)."""

    def __init__(self, message: str, exit_code: int = BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code
