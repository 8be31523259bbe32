"""Running LibreOffice headless: one throw-away user profile per converter, a timeout, our font aliases."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parents[2] / "fonts" / "fonts.conf"
# What a Debian/Ubuntu machine needs (FandolFang comes out of texlive-lang-chinese: see docs/pdf.md).
DEBIAN_PACKAGES = (
    "libreoffice-writer-nogui",
    "libreoffice-calc-nogui",
    "fonts-noto-cjk",
    "fonts-arphic-gkai00mp",
    "fonts-liberation",
    "poppler-utils",
)


class LibreOfficeMissing(Exception):
    def __str__(self) -> str:
        return (
            "未找到 LibreOffice（soffice 命令），无法生成 PDF。请安装：\n"
            f"  sudo apt-get install {' '.join(DEBIAN_PACKAGES)}\n"
            "仿宋字体 FandolFang 的安装方法见 docs/pdf.md（.ci/run 中有同样的步骤）。"
        )


class ConversionFailed(RuntimeError):
    """LibreOffice did not produce every PDF of a batch (crash, timeout, unreadable input)."""


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def converter_env() -> dict[str, str]:
    """The caller's environment with our fontconfig file, which maps 仿宋_GB2312 etc. to free fonts."""
    return {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}


def convert_batch(
    sources: Sequence[Path],
    out_dir: Path,
    *,
    timeout_s: float,
    on_converted: Callable[[], None] = lambda: None,
) -> list[Path]:
    """Convert files (with distinct stems) to out_dir/<stem>.pdf in one LibreOffice process; return the PDFs.

    Each call gets a fresh profile: two soffice processes sharing one profile block or crash each other."""
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing
    with tempfile.TemporaryDirectory(prefix="plandocs-lo-profile-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *(str(s) for s in sources),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=converter_env(),
            text=True,
            errors="replace",
            start_new_session=True,  # so a timeout can end soffice and the helpers it starts
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout_s, kill)
        timer.start()
        output: list[str] = []
        try:
            assert process.stdout is not None
            for line in process.stdout:
                output.append(line)
                if line.startswith("convert "):
                    on_converted()
            process.wait()
        finally:
            timer.cancel()
    pdfs = [out_dir / f"{s.stem}.pdf" for s in sources]
    missing = [s.name for s, pdf in zip(sources, pdfs, strict=True) if not pdf.exists()]
    if timed_out.is_set() or missing:
        reason = f"超时（{timeout_s:.0f} 秒）" if timed_out.is_set() else f"退出码 {process.returncode}"
        raise ConversionFailed(
            f"LibreOffice 转换失败（{reason}），未生成：{'、'.join(missing)}\n{''.join(output[-10:])}"
        )
    return pdfs
