"""Running LibreOffice headless: one throw-away user profile per converter, a timeout, our font aliases."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
    "python3-uno",  # the UNO converter: spreadsheets printed with 避头尾 (uno_convert.py)
    "libtcmalloc-minimal4",  # optional: LibreOffice converts ~8 % faster with it (converter_env)
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
    """The caller's environment with our fontconfig file, which maps 仿宋_GB2312 etc. to free fonts, and
    with tcmalloc for LibreOffice when the machine has it."""
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    if (faster := fast_malloc()) is not None:
        env["LD_PRELOAD"] = ":".join(filter(None, [env.get("LD_PRELOAD", ""), faster]))
    return env


# LibreOffice spends a quarter of a conversion allocating and freeing memory (perf): with gperftools'
# tcmalloc it takes ×0.91 the CPU and ×0.92 the time (208 forms, farm-bench, paired), and every PDF comes
# out byte for byte the same (sha256 of all 275 seed PDFs compared). Where it is missing, nothing changes.
TCMALLOC = "libtcmalloc_minimal.so.4"
LIBRARY_FOLDERS = ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib")


def fast_malloc() -> str | None:
    """The tcmalloc library's path, or None (or when PLANDOCS_MALLOC=system asks for the system's)."""
    if os.environ.get("PLANDOCS_MALLOC") == "system":
        return None
    return next((f"{d}/{TCMALLOC}" for d in LIBRARY_FOLDERS if os.path.isfile(f"{d}/{TCMALLOC}")), None)


UNO_WORKER = Path(__file__).with_name("uno_convert.py")
CONVERTER_SETTING = "PLANDOCS_CONVERTER"  # "soffice": the plain --convert-to converter even when UNO is there


def uno_python() -> str | None:
    """A python that can import LibreOffice's `uno` (Debian's python3-uno is built for the system python3;
    LibreOffice's own builds bring theirs), or None: then PDFs are made by `soffice --convert-to`, and
    spreadsheets print without 避头尾 in their cells (see uno_convert.py)."""
    soffice = find_soffice()
    if soffice is None or os.environ.get(CONVERTER_SETTING) == "soffice":
        return None
    return _python_with_uno(os.path.realpath(soffice))


@functools.cache
def _python_with_uno(soffice: str) -> str | None:
    bundled = Path(soffice).parent / "python"
    for candidate in ("/usr/bin/python3", str(bundled)):
        if not os.access(candidate, os.X_OK):
            continue
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            probe = subprocess.run(
                [candidate, "-I", "-c", "import uno"],
                capture_output=True,
                timeout=30,
                env=_system_python_env(),
            )
            if probe.returncode == 0:
                return candidate
    return None


def converter_name() -> str:
    """Which converter makes the PDFs: recorded in the manifest, so a change of converter remakes them."""
    return "uno" if uno_python() else "soffice"


def _system_python_env() -> dict[str, str]:
    """converter_env without what points a python at plandocs' own environment."""
    env = converter_env()
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def _command(soffice: str, profile: str, sources: Sequence[Path], out_dir: Path) -> tuple[list[str], dict]:
    """The converter process: the UNO worker when a python with uno is there, else soffice --convert-to."""
    python = uno_python()
    if python is not None:
        pipe = f"plandocs{os.getpid()}x{uuid.uuid4().hex[:12]}"
        env = _system_python_env() | {"PLANDOCS_SOFFICE": soffice}
        return [python, "-I", str(UNO_WORKER), profile, pipe, str(out_dir), *map(str, sources)], env
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        *(str(s) for s in sources),
    ]
    return command, converter_env()


# A converter that reports no new file ("convert … -> …") for this long is taken to hang: LibreOffice
# reports each file as it goes, and the slowest document here (the opinion) takes a few seconds. Other
# output does not count as progress (a converter that keeps printing warnings still hangs), and a batch
# never runs longer than one such period per file and one more, whatever it prints.
IDLE_TIMEOUT_S = 120.0


@dataclass
class BatchOutcome:
    """What one LibreOffice process made: the PDF of each source it converted, and why it stopped early."""

    pdfs: dict[Path, Path] = field(default_factory=dict)  # source → its PDF in out_dir
    problem: str | None = None  # timeout or abnormal exit, in Chinese; None when it ended normally
    log: str = ""


def run_soffice(
    sources: Sequence[Path],
    out_dir: Path,
    *,
    idle_timeout_s: float = IDLE_TIMEOUT_S,
    on_converted: Callable[[Path], None] = lambda source: None,
    on_done: Callable[[Path, Path], None] = lambda source, pdf: None,
) -> BatchOutcome:
    """Convert files (with distinct stems) to out_dir/<stem>.pdf in one LibreOffice process.

    on_converted(source) is called when LibreOffice reports a file (it reports it as it starts writing
    it); on_done(source, pdf) once its PDF is complete: when LibreOffice reports the next file (it
    converts one after the other) or has ended, so the caller can use each PDF while the rest convert.
    Never raises for a bad document, a crash or a hang: the outcome lists what was made. Each call gets a
    fresh profile: two soffice processes sharing one profile block or crash each other."""
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing
    by_name = {str(s): s for s in sources}
    with tempfile.TemporaryDirectory(prefix="plandocs-lo-profile-") as profile:
        command, env = _command(soffice, Path(profile).as_uri(), sources, out_dir)
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            text=True,
            errors="replace",
            start_new_session=True,  # so a timeout can end soffice and the helpers it starts
        )
        with _RUNNING_LOCK:
            _RUNNING.add(process.pid)
        total_s = idle_timeout_s * (len(sources) + 1)
        watchdog = _Watchdog(process.pid, idle_timeout_s, total_s)
        output: list[str] = []
        seen: set[Path] = set()
        done: set[Path] = set()

        def finished(source: Path) -> None:
            pdf = out_dir / f"{source.stem}.pdf"
            if source not in done and pdf.is_file() and pdf.stat().st_size > 0:
                done.add(source)
                on_done(source, pdf)

        previous: Path | None = None
        try:
            assert process.stdout is not None
            for line in process.stdout:
                output.append(line)
                del output[:-10]  # (a converter printing without end must not fill the memory)
                if line.startswith("convert ") and " -> " in line:
                    source = by_name.get(line[len("convert ") :].split(" -> ", 1)[0])
                    if source is not None and source not in seen:
                        seen.add(source)
                        watchdog.reset()  # progress: a file it had not reported yet
                        if previous is not None:  # it has moved on: the previous file is written
                            finished(previous)
                        previous = source
                        on_converted(source)
            process.wait()
        finally:
            watchdog.stop()
            with _RUNNING_LOCK:
                _RUNNING.discard(process.pid)
    outcome = BatchOutcome(log="".join(output[-10:]))
    for source in sources:
        pdf = out_dir / f"{source.stem}.pdf"
        if pdf.is_file() and pdf.stat().st_size > 0:
            outcome.pdfs[source] = pdf
            finished(source)
    if watchdog.fired == "total":
        outcome.problem = f"超时（{total_s:.0f} 秒内未转换完）"
    elif watchdog.fired:
        outcome.problem = f"超时（{idle_timeout_s:.0f} 秒无进展）"
    elif process.returncode != 0:
        outcome.problem = f"LibreOffice 异常退出（退出码 {process.returncode}）"
    return outcome


# The converters running now (their process groups), so an interrupted command ends them at once instead
# of waiting for their batches (Ctrl-C took up to a whole `plandocs pdf` before it answered).
_RUNNING: set[int] = set()
_RUNNING_LOCK = threading.Lock()


def stop_all() -> None:
    """End every running converter and what it started (LibreOffice)."""
    with _RUNNING_LOCK:
        pids = list(_RUNNING)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


class _Watchdog:
    """Kills the converter's process group when it has made no progress for too long (reset), or when
    it has run for `total` seconds in all. `fired` says which: "" (not), "idle" or "total"."""

    def __init__(self, pid: int, seconds: float, total: float) -> None:
        self.pid, self.seconds, self.fired = pid, seconds, ""
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._deadline = threading.Timer(total, self._fire, args=("total",))
        self._deadline.daemon = True
        self._deadline.start()
        self.reset()

    def _fire(self, why: str = "idle") -> None:
        self.fired = self.fired or why
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)

    def reset(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.seconds, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def stop(self) -> None:
        with self._lock:
            self._deadline.cancel()
            if self._timer is not None:
                self._timer.cancel()


def convert_batch(
    sources: Sequence[Path],
    out_dir: Path,
    *,
    timeout_s: float = IDLE_TIMEOUT_S,
    on_converted: Callable[[], None] = lambda: None,
) -> list[Path]:
    """run_soffice for callers that need every PDF (conform): raises ConversionFailed if one is missing."""
    outcome = run_soffice(sources, out_dir, idle_timeout_s=timeout_s, on_converted=lambda _: on_converted())
    missing = [s.name for s in sources if s not in outcome.pdfs]
    if missing:
        reason = outcome.problem or "LibreOffice 未能打开"
        raise ConversionFailed(
            f"LibreOffice 转换失败（{reason}），未生成：{'、'.join(missing)}\n{outcome.log}"
        )
    return [outcome.pdfs[s] for s in sources]
