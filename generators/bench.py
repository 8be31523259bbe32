"""`make bench`: the build against a naive docxtpl/openpyxl loop, a no-op rebuild, and city scale.

    .venv/bin/python -m generators.bench [--plan plan] [--sizes 1000 2000] [--measures 400]

(a) naive: the frozen baseline (generators/bench_naive.py, the same loop every release), against
(b) `plandocs build --clean` in the same process, in pairs (a, b, a, b …, --rounds): the median of the
    pairs' ratios is speedup_vs_naive; (c) the same build again (nothing to do);
(d) synthetic city-scale plans (tools/make_city_plan.py), each built in its own process so that its
    peak memory is its own (the largest of that process and its workers);
(e) `make pdf` on (b)'s output, `plandocs pdf` then `plandocs proof` as it runs them (each in its own
    process): every document converted and the 校样 made, then again with nothing to do (pdf_full_s,
    pdf_noop_s; skipped without LibreOffice);
(f) the year at city scale: four quarters of synthetic returns from every unit of the largest plan
    (generators/ledger/synthetic.py, not timed) collected and recorded in the ledger, then the year
    workbook built — in its own process, timed together, with its peak memory;
(g) whole processes as the office runs them — build --clean, build with nothing changed, --help, check —
    taken in turn, --rounds times, medians, and the clean build's peak memory (its largest process);
(h) the workbench (generators/bench_serve.py): every page of a real `plandocs serve` on 127.0.0.1
    requested --requests times, for the seed plan and the largest city plan.
Ends with the lines the issues ask for: speedup_vs_naive, naive_s, noop_fraction, scale_units_per_s,
scale_peak_rss_mb, pdf_full_s, pdf_noop_s, build_clean_s, build_noop_s, help_s, check_s,
build_clean_peak_mb, serve_p95_ms, serve_city_p95_ms, ledger_s (and ledger_peak_rss_mb). Timings depend on the machine and its load: compare
ratios taken in one run, and medians.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from generators import bench_serve
from generators.bench_naive import naive

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
CITY_TOOL = ROOT / "tools" / "make_city_plan.py"


def timed(action: Callable[[], T]) -> tuple[float, T]:
    gc.collect()  # each phase starts without the garbage of the one before
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def build_child(plan_dir: Path, out: Path) -> None:
    """Run in a subprocess: one build, then its time and peak RSS (this process or any worker) as JSON."""
    from generators.pipeline import build

    seconds, result = timed(lambda: build(plan_dir, out, clean=True))
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,  # workers, reaped when the pool closed
    )
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "files": result.rendered}))


def ledger_child(plan_dir: Path, work: Path) -> None:
    """Run in a subprocess: returns for Q1–Q4 written (untimed), then collect + record each quarter and
    build the year workbook (timed); prints seconds and peak RSS as JSON."""
    from generators.collect import COLLECTED_KINDS, collect, summary_artifacts
    from generators.collect.tally import Tally
    from generators.formspec import FormsLayout
    from generators.layout import load_layout
    from generators.ledger.record import record
    from generators.ledger.spec import LedgerLayout
    from generators.ledger.store import LedgerPaths, load
    from generators.ledger.synthetic import write_returns
    from generators.ledger.workbook import render_workbooks
    from generators.ledger.year import Year
    from generators.output import write_output
    from generators.plan import load_plan
    from generators.views import Views

    plan, layout = load_plan(plan_dir), load_layout()
    views, spec = Views(plan), FormsLayout.of(layout)
    returns = sum(write_returns(plan, views, spec, q, work / f"returns{q}") for q in (1, 2, 3, 4))
    paths = LedgerPaths.beside(plan_dir, plan.meta.year)

    phases = {"read_check": 0.0, "summary": 0.0, "record": 0.0, "workbook": 0.0}
    peaks = dict.fromkeys(phases, 0.0)  # the process's peak RSS (MB) when the phase last ended

    def phase(name: str, action: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = action()
        phases[name] += time.perf_counter() - started
        peaks[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return result

    def year() -> int:
        for q in (1, 2, 3, 4):
            collection = phase("read_check", partial(collect, plan, views, layout, q, work / f"returns{q}"))
            tally = phase("summary", partial(Tally, views, spec, collection))  # shared, as collect does
            artifacts = phase("summary", partial(summary_artifacts, plan, views, layout, collection, tally))
            phase("summary", partial(write_output, work / f"out{q}", plan, artifacts, COLLECTED_KINDS))
            phase("record", partial(record, paths, plan, views, spec, collection, tally))
            del collection, artifacts, tally
        ledger = LedgerLayout.of(layout)
        printed, kept = phase(
            "workbook", lambda: render_workbooks(Year(load(paths), plan, views, spec, ledger), layout)
        )
        (work / "ledger.xlsx").write_bytes(printed.data)
        (work / "ledger-record.xlsx").write_bytes(kept.data)
        return len(load(paths).entries)

    seconds, rows = timed(year)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = {
        "seconds": seconds,
        "peak_mb": peak_kb / 1024,
        "returns": returns,
        "rows": rows,
        "phases": phases,
        "peaks": peaks,
    }
    print(json.dumps(report))


# Started straight from the bench, a child would report the bench's own peak as its own (see _LAUNCHER):
# this small process in between starts it instead, and passes its output and exit code on.
_HOP = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"


def _city_child(units: int, measures: int, plan_dir: Path, *child: str) -> dict:
    """A city plan made in plan_dir, then `python -m generators.bench <child…>` run on it in a fresh
    process (its own peak RSS); returns the JSON report it prints last."""
    subprocess.run(
        [sys.executable, str(CITY_TOOL), str(plan_dir), "--units", str(units), "--measures", str(measures)],
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    run = subprocess.run(
        [sys.executable, "-c", _HOP, sys.executable, "-m", "generators.bench", *child],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def ledger_year(units: int, measures: int, work: Path) -> dict:
    plan_dir = work / f"year{units}" / "plan"
    return _city_child(units, measures, plan_dir, "--ledger-child", str(plan_dir), str(plan_dir.parent))


def city(units: int, measures: int, work: Path) -> dict:
    plan_dir, out = work / f"plan{units}", work / f"out{units}"
    return {"units": units, **_city_child(units, measures, plan_dir, "--child", str(plan_dir), str(out))}


def pdf_run(plan_dir: Path, out: Path) -> float:
    """Seconds for the whole of `make pdf` over out, run as it runs it: `plandocs pdf`, then
    `plandocs proof` (the 校样), each in its own process."""
    started = time.perf_counter()
    for command in (["pdf", "--plan", str(plan_dir)], ["proof"]):
        subprocess.run(
            [sys.executable, "-m", "generators", *command, "--out", str(out)],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    return time.perf_counter() - started


# Runs one command and prints its seconds and peak RSS. A process started straight from the bench would
# carry the bench's own peak: Linux keeps the parent's high-water mark across fork and exec (the bench
# holds some 80 MB by then, the build peaks at 65: it printed 81.7). This small launcher is that parent.
_LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - started
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "seconds": seconds, "peak_kb": usage.ru_maxrss}))
"""


def whole_process(*arguments: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB, the largest of the process and its workers) of one `plandocs ARGUMENTS` as
    the office runs it: a fresh process, start-up included."""
    command = [sys.executable, "-m", "generators", *arguments]
    # wait4 in the launcher: this child's own rusage (its peak covers the workers it reaped)
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *command], cwd=ROOT, capture_output=True, text=True, check=True
    )
    report = json.loads(done.stdout)
    if report["code"] != 0:
        raise subprocess.CalledProcessError(report["code"], command)
    return report["seconds"], report["peak_kb"] / 1024


def process_figures(plan_dir: Path, out: Path, rounds: int) -> tuple[dict[str, float], float]:
    """Medians over `rounds` of whole-process runs, taken in turn (clean build, no-op build, --help, check)
    so that a drift in the machine's speed touches each figure alike; and the clean build's median peak
    RSS in MB."""
    folders = ("--plan", str(plan_dir), "--out", str(out))
    runs: dict[str, list[float]] = {"build_clean_s": [], "build_noop_s": [], "help_s": [], "check_s": []}
    peaks = []
    for _ in range(rounds):
        seconds, peak = whole_process("build", "--clean", *folders)
        runs["build_clean_s"].append(seconds)
        peaks.append(peak)
        runs["build_noop_s"].append(whole_process("build", *folders)[0])
        runs["help_s"].append(whole_process("--help")[0])
        runs["check_s"].append(whole_process("check", "--plan", str(plan_dir))[0])
    return {name: statistics.median(values) for name, values in runs.items()}, statistics.median(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=Path, default=ROOT / "plan")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--measures", type=int, default=400)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ledger-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ledger-only", action="store_true", help="只测 (e) 年度台账")
    parser.add_argument("--rounds", type=int, default=3, help="成对测量的轮数（取中位数）")
    parser.add_argument("--requests", type=int, default=10, help="工作台每个页面请求的次数")
    args = parser.parse_args()
    if args.child:
        build_child(*args.child)
        return
    if args.ledger_child:
        ledger_child(*args.ledger_child)
        return
    if args.ledger_only:
        with tempfile.TemporaryDirectory(prefix="plandocs-bench-") as tmp:
            report_ledger(ledger_year(max(args.sizes), args.measures, Path(tmp)))
        return

    from generators.pdf import find_soffice
    from generators.pipeline import build

    with tempfile.TemporaryDirectory(prefix="plandocs-bench-") as tmp:
        work = Path(tmp)
        for name in ("naive", "build"):
            (work / name).mkdir()
        # (a) against (b) in pairs, naive then build, round after round: the ratio of each pair, the median
        pairs = []
        for _ in range(max(1, args.rounds)):
            naive_s, count = timed(lambda: naive(args.plan, work / "naive"))
            build_s, result = timed(lambda: build(args.plan, work / "build", clean=True))
            pairs.append((naive_s, build_s))
        naive_s = statistics.median(n for n, _ in pairs)
        build_s = statistics.median(b for _, b in pairs)
        speedup = statistics.median(n / b for n, b in pairs)
        noop_s, again = timed(lambda: build(args.plan, work / "build"))
        print(f"{'':<30}{'files':>8}{'seconds':>10}")
        for label, files, seconds in (
            ("(a) naive docxtpl + openpyxl", count, naive_s),
            ("(b) plandocs build --clean", result.rendered, build_s),
            ("(c) no-op rebuild", again.rendered, noop_s),
        ):
            print(f"{label:<30}{files:>8}{seconds:>10.3f}")
        print(f"\n(d) city scale: {args.measures} measures, one process per size, {os.cpu_count()} cores")
        print(f"{'units':>8}{'files':>8}{'seconds':>10}{'units/s':>10}{'peak RSS MB':>14}")
        scale = [city(units, args.measures, work) for units in args.sizes]
        for row in scale:
            per_s = row["units"] / row["seconds"]
            print(
                f"{row['units']:>8}{row['files']:>8}{row['seconds']:>10.2f}{per_s:>10.1f}{row['peak_mb']:>14.0f}"
            )
        if len(scale) >= 2:
            first, last = scale[0], scale[-1]
            print(
                f"units ×{last['units'] / first['units']:.2f} → time ×{last['seconds'] / first['seconds']:.2f}"
                " (equal when the build grows linearly)"
            )
        pdf_times = None
        if find_soffice() is not None:
            pdf_times = pdf_run(args.plan, work / "build"), pdf_run(args.plan, work / "build")
            print(f"\n(e) make pdf (pdf + proof): full {pdf_times[0]:.1f} s, no-op {pdf_times[1]:.2f} s")
        else:
            print("\n(e) make pdf: skipped, LibreOffice (soffice) not installed")
        print(f"\n(g) whole processes, median of {args.rounds} rounds taken in turn")
        figures, clean_peak_mb = process_figures(args.plan, work / "process", args.rounds)
        for name, seconds in figures.items():
            print(f"    {name[:-2]:<14}{seconds:>8.2f} s")
        print(
            f"    build --clean peak RSS {clean_peak_mb:.1f} MB (the largest process: the build or a worker)"
        )
        print(f"\n(h) the workbench: each page requested {args.requests} times (plandocs serve, 127.0.0.1)")
        serve_seed = bench_serve.report(
            "seed", bench_serve.serve_pages(ROOT, args.plan, work / "build", args.requests)
        )
        largest_plan = work / f"plan{max(args.sizes)}"
        serve_city = bench_serve.report(
            f"city {max(args.sizes)} units",
            bench_serve.serve_pages(ROOT, largest_plan, work / f"out{max(args.sizes)}", args.requests),
        )
        year = ledger_year(max(args.sizes), args.measures, work)
    largest = scale[-1]
    print(f"speedup_vs_naive={speedup:.2f}  (median of {len(pairs)} paired ratios)")
    print(f"naive_s={naive_s:.2f}")
    print(f"noop_fraction={noop_s / build_s:.4f}")
    print(f"scale_units_per_s={largest['units'] / largest['seconds']:.1f}")
    print(f"scale_peak_rss_mb={max(row['peak_mb'] for row in scale):.0f}")
    if pdf_times:
        print(f"pdf_full_s={pdf_times[0]:.1f}")
        print(f"pdf_noop_s={pdf_times[1]:.2f}")
    for name, seconds in figures.items():
        print(f"{name}={seconds:.2f}")
    print(f"build_clean_peak_mb={clean_peak_mb:.1f}")
    print(f"serve_p95_ms={serve_seed:.0f}")
    print(f"serve_city_p95_ms={serve_city:.0f}")
    report_ledger(year)


def report_ledger(year: dict) -> None:
    print(
        f"(f) the year: {year['returns']} returns over four quarters collected and recorded "
        f"({year['rows']} ledger rows), year workbook built"
    )
    peaks = year.get("peaks", {})
    print(
        "    "
        + ", ".join(
            f"{name} {seconds:.1f} s (peak {peaks.get(name, 0):.0f} MB)"
            for name, seconds in year["phases"].items()
        )
    )
    print(f"ledger_s={year['seconds']:.1f}")
    print(f"ledger_peak_rss_mb={year['peak_mb']:.0f}")


if __name__ == "__main__":
    main()
