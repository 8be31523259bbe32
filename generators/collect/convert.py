"""A return saved as .xls, .et or .ods, converted to .xlsx by LibreOffice when it is installed (and a
draft saved as .doc, .wps or .odt to .docx, for the importer: `converted`).

The returned file is copied into a temporary folder and only the copy is converted: the original is never
opened by LibreOffice (which would write a lock file beside it) and never modified.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path

from generators.errors import os_reason
from generators.pdf.soffice import converter_env, find_soffice

CONVERT_SECONDS = 120  # one form converts in a few seconds; a hung LibreOffice must not stop collect


class NotConverted(Exception):
    """LibreOffice is missing or could not convert the file; the message says why, in Chinese."""


def to_xlsx(data: bytes, suffix: str) -> bytes:
    """The .xlsx LibreOffice makes of a spreadsheet's bytes (suffix tells it the format)."""
    return converted(data, suffix, "xlsx")


def converted(data: bytes, suffix: str, target: str) -> bytes:
    """The file LibreOffice makes of data (suffix tells it the format) in the format target (xlsx, docx)."""
    soffice = find_soffice()
    if soffice is None:
        raise NotConverted("本机未安装 LibreOffice，无法自动转换")
    with tempfile.TemporaryDirectory(prefix="plandocs-collect-") as temp:
        folder = Path(temp)
        source = folder / f"return{suffix}"
        source.write_bytes(data)
        out = folder / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=converter_env(),
                start_new_session=True,  # so a timeout ends soffice and the helpers it starts
            )
        except OSError as err:
            raise NotConverted(f"无法运行 LibreOffice（{os_reason(err)}）") from err
        try:
            process.wait(timeout=CONVERT_SECONDS)
        except subprocess.TimeoutExpired as err:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise NotConverted(f"LibreOffice 转换超时（{CONVERT_SECONDS} 秒）") from err
        made = out / f"return.{target}"
        if not made.is_file():
            raise NotConverted("LibreOffice 无法转换此文件")
        return made.read_bytes()
