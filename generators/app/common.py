"""What the operations share: the one failure class they raise for input they refuse, and plan loading."""

from __future__ import annotations

import errno

from generators.errors import BAD_INPUT, FAILED, UserError, as_os_error, os_reason
from generators.filenames import escaped
from generators.periods import Cycle
from generators.plan import PlanError

__all__ = ["BAD_INPUT", "INTERRUPTED", "Refused", "check_period", "failure"]
INTERRUPTED = 130


class Refused(UserError):
    """An operation refused its input (or found its environment unusable): one Chinese line and the exit
    code the command line ends with (BAD_INPUT unless told)."""

    def __init__(self, message: str, exit_code: int = BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def failure(err: BaseException) -> tuple[list[str], int]:
    """Every failure a command can end in → the lines to print and the exit code: the one place they map."""
    if isinstance(err, PlanError):
        lines = [str(problem) for problem in err.problems]
        return [*lines, f"计划数据有 {len(err.problems)} 处问题，未生成任何文件。"], BAD_INPUT
    if isinstance(err, UserError):  # (paths and names in it: a control character forges no line)
        return [escaped(str(err))], err.exit_code
    if isinstance(err, OSError):
        return [escaped(_os_message(err))], FAILED
    if as_os_error(err):  # lxml's: a full disk or ulimit -f while openpyxl writes
        return [escaped(_os_message(as_os_error(err) or OSError()))], FAILED
    if isinstance(err, MemoryError):
        return ["内存不足，命令已停止：请关闭其他程序后重新运行。"], FAILED
    if isinstance(err, KeyboardInterrupt):
        return ["已中断。"], INTERRUPTED
    return [f"内部错误（{_where_raised(err)}），命令未完成：请把这一行和所用的 plan/ 报告给维护者。"], FAILED


def internal_detail(err: BaseException) -> str | None:
    """An unexpected failure's class and text, for the workbench's log (ledger/工作台日志.csv, which the office
    can send to the maintainers); None for the failures `failure` says in Chinese. Never shown to the user:
    it is English."""
    lines, _ = failure(err)
    if not lines[-1].startswith("内部错误"):
        return None
    return f"{type(err).__name__}: {err}"[:500]


def _where_raised(err: BaseException) -> str:
    """Where in plandocs the failure was raised (the innermost frame of ours): a file and a line the
    maintainers can find, and no English exception text (the user's output never carries it)."""
    import traceback
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent
    found = "位置不明"
    for frame in traceback.extract_tb(err.__traceback__):
        path = Path(frame.filename)
        if path.is_relative_to(package):
            found = f"{path.relative_to(package.parent).as_posix()}:{frame.lineno}"
    return found


def _os_message(err: OSError) -> str:
    where = err.filename or "文件"
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间不足，无法写入 {where}：请腾出空间后重新运行（输出目录中已有的文件未改动）。"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有权限写入 {where}（只读或权限不足）：请检查该文件或文件夹的权限后重新运行。"
    if err.errno == errno.ENOTDIR:
        return f"{where} 的路径上有一个文件占着文件夹的位置：请移走它后重新运行。"
    if err.errno == errno.EISDIR:
        return f"{where} 是一个文件夹，这里应是文件：请移走它后重新运行。"
    if err.errno == errno.ENOENT:
        return f"找不到 {where}：请检查路径后重新运行。"
    if err.errno == errno.ENAMETOOLONG:
        return f"文件名过长：{where}。请缩短 plan/ 中的名称（plandocs check 会指出）。"
    if err.errno == errno.EFBIG:
        return f"无法写入 {where}：{os_reason(err)}，请解除限制后重新运行（输出目录中已有的文件未改动）。"
    return f"无法读写 {where}（{os_reason(err)}）：请检查后重新运行。"


def check_period(cycle: Cycle, period: int) -> None:
    """--quarter N names a period of the plan's 报送周期: 1–4 quarters, 1–12 months or 1–2 half years."""
    if not 1 <= period <= cycle.count:
        raise Refused(
            f"计划的报送周期为{cycle.name}（meta.yaml 报送周期），第 {period} 期不存在：应为 1–{cycle.count}"
        )
