"""`make bench`'s workbench figure: every page of a real `plandocs serve` on 127.0.0.1, requested N times.

The server runs as the office starts it (its own process, loopback, no password); each GET page is
requested `times` times one after another, each request timed from sending to the last byte read. Out:
per page the median and p95 in milliseconds, and the p95 over all requests (serve_p95_ms).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# The workbench's pages (GET), as the navigation lists them.
PAGES = ("/", "/draft", "/roster", "/files", "/collect", "/supervise", "/year")
STARTUP_S = 120.0  # a city-scale plan is loaded before the address is printed


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def serve_pages(root: Path, plan_dir: Path, out_dir: Path, times: int = 10) -> dict[str, list[float]]:
    """Milliseconds of each request to each page of a workbench serving a copy of plan_dir (with the
    ledger/ beside it: the workbench writes its log there) and out_dir."""
    with tempfile.TemporaryDirectory(prefix="plandocs-bench-serve-") as tmp:
        copy = Path(tmp) / "plan"
        shutil.copytree(plan_dir, copy)
        if (plan_dir.parent / "ledger").is_dir():
            shutil.copytree(plan_dir.parent / "ledger", Path(tmp) / "ledger")
        return _timed_pages(root, copy, out_dir, times)


def _timed_pages(root: Path, plan_dir: Path, out_dir: Path, times: int) -> dict[str, list[float]]:
    server = subprocess.Popen(
        [sys.executable, "-m", "generators", "serve", "--plan", str(plan_dir), "--out", str(out_dir)]
        + ["--templates", str(root / "templates"), "--port", "0"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # "plandocs 工作台：http://127.0.0.1:PORT/ （按 Ctrl+C 停止）"
        if "http://" not in line:
            raise RuntimeError(f"plandocs serve did not start: {line!r}")
        base = line.split("http://", 1)[1].split("/", 1)[0]
        timings: dict[str, list[float]] = {}
        for page in PAGES:
            timings[page] = []
            for _ in range(times + 1):  # the first request of a page warms its caches: not counted
                started = time.perf_counter()
                with urllib.request.urlopen(f"http://{base}{page}", timeout=STARTUP_S) as response:
                    response.read()
                timings[page].append((time.perf_counter() - started) * 1000)
            timings[page] = timings[page][1:]
        return timings
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def report(label: str, timings: dict[str, list[float]]) -> float:
    """Print a page table; return the p95 over every request."""
    print(f"{label}: {'page':<12}{'median ms':>10}{'p95 ms':>10}")
    for page, values in timings.items():
        print(f"    {page:<12}{statistics.median(values):>10.0f}{_percentile(values, 0.95):>10.0f}")
    every = [v for values in timings.values() for v in values]
    return _percentile(every, 0.95)
