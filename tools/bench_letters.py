"""Time rendering every 分工函 plus the print file: once in one process, once through the build's workers.

    .venv/bin/python tools/bench_letters.py

Not a test (timings depend on the machine and its load); the target is under 2 seconds.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generators.context import BuildContext  # noqa: E402
from generators.layout import load_layout  # noqa: E402
from generators.pipeline import build  # noqa: E402
from generators.plan import load_plan  # noqa: E402
from generators.render import letters  # noqa: E402
from generators.views import Views  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LETTER_KINDS = ("letter", "letters-print")


def main() -> None:
    plan = load_plan(ROOT / "plan")
    views, layout = Views(plan), load_layout()
    jobs = letters.jobs(BuildContext.of(plan, layout, views))
    started = time.perf_counter()
    for job in jobs:  # first pass: compiles each template once
        job.make()
    first = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    for job in jobs:
        job.make()
    warm, warm_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{len(jobs) - 1} 份分工函 + 合订本，单进程：首次 {first:.2f} 秒，模板已编译 {warm:.2f} 秒"
        f"（CPU {warm_cpu:.2f} 秒；机器繁忙时两者相差大）"
    )
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        build(ROOT / "plan", Path(out), select=lambda job: job.kind in LETTER_KINDS)
        print(f"plandocs letters（{os.cpu_count()} 核并行，含写盘）：{time.perf_counter() - started:.2f} 秒")


if __name__ == "__main__":
    main()
