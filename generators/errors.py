"""Failures the user can act on: each carries one Chinese line saying what is wrong and what to do, and the
exit code the command ends with (mapped in one place: generators/commands/common.py, Group.invoke)."""

from __future__ import annotations

import errno

BAD_INPUT = 2  # a plan (or other input) that cannot be used
FAILED = 1  # the environment (output/, templates, disk) stopped the command


# An OS error's own text (strerror) is English: these say it in Chinese, any other by its number.
_OS_REASONS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘只读",
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘配额已满",
    errno.EFBIG: "文件超过了系统允许的大小（磁盘格式或 ulimit -f 的限制）",
    errno.ENOENT: "找不到该文件或文件夹",
    errno.EEXIST: "这里已有一个同名的文件",
    errno.EISDIR: "这里是一个文件夹",
    errno.ENOTDIR: "路径中有一个文件占了文件夹的位置",
    errno.EXDEV: "不在同一个磁盘上",
    errno.EBUSY: "正被其他程序占用",
    errno.ETXTBSY: "正被其他程序占用",
    errno.EIO: "磁盘读写出错",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.ELOOP: "链接层层相套",
    errno.ENAMETOOLONG: "文件名过长",
}


def os_reason(err: OSError) -> str:
    """Why an OS call failed, in Chinese (never the English strerror)."""
    return _OS_REASONS.get(err.errno or 0, f"系统错误号 {err.errno}")


def as_os_error(err: BaseException) -> OSError | None:
    """lxml's SerialisationError (openpyxl writing its temporary file onto a full disk or past ulimit -f) is
    an OS error that names itself only in its text (IO_EFBIG, IO_ENOSPC); it cannot even be pickled back
    from a build's worker process."""
    if type(err).__name__ != "SerialisationError" or not type(err).__module__.startswith("lxml"):
        return None
    number = getattr(errno, str(err).removeprefix("IO_"), errno.EIO)
    return OSError(number, "")


class UserError(Exception):
    exit_code = FAILED


class PlanMissing(UserError):
    """The plan folder is not there (a command run from the wrong folder): one line, not every missing key."""

    exit_code = BAD_INPUT


class BuildLocked(UserError):
    """Another build holds output/."""


class UnsafePath(UserError):
    """A path from the manifest or a name from plan/ would leave output/."""


class OutputDamaged(UserError):
    """output/ is not what a build left there: a bad manifest, a file where a folder should be."""


class TemplateBroken(UserError):
    """A template or templates/layout.yaml cannot be used."""
