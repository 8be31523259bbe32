"""The build's jobs rendered over worker processes, each worker keeping to one run of neighbouring jobs.

Neighbouring jobs share what is costly to prepare: a .docx template loaded and compiled (docx_fast), a
quarter's prototype form built with openpyxl (form_copies). Handed out in small chunks in turn, as a
pool's map does, every worker met every template and every quarter and prepared each one again: on the
seed, a quarter of the workers' time. Here the jobs are put in render order (render_order: the build's
order, where a template's or a quarter's jobs stand together, with the biggest document first, made
while a worker's memory holds the least), and that list is cut into one run per worker. Each worker
works through its own run, even-numbered ones from the front, odd ones from the back, so two workers
meet in the middle of the list instead of at every template. A worker whose run is done takes pieces
from the largest run left, at the end its owner is not working on: the load stays balanced, and a
template or quarter is prepared by one worker, at most two.

Jobs are closures over the model and compiled templates, which do not pickle: the workers are forked and
inherit them (_SHARED); only run numbers go out and (index, sha256) pairs come back.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from .artifact import Job
from .errors import as_os_error
from .staging import Staging

PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies
PARALLEL_FROM = 24  # below this many renders, starting workers costs more than it saves
CHUNKS_PER_WORKER = 8  # a run is claimed in about this many pieces: small enough to balance the load


@dataclass
class _Shared:
    """What the forked workers inherit: the jobs, the staging folder, and the runs' bounds in shared memory
    ([low, high) of run k at 2k, 2k+1), with the lock that guards them and a flag that stops every worker
    once one has failed."""

    jobs: list[Job]
    order: list[int]  # render_order
    staging: Staging
    bounds: Any  # multiprocessing RawArray of int
    lock: Any  # multiprocessing Lock
    failed: Any  # multiprocessing RawValue of bool
    chunk: int


_SHARED: list[_Shared] = []  # set before the workers fork, cleared after the pool is done


def render_order(jobs: list[Job], sizes: list[int]) -> list[int]:
    """The jobs' indices in the order to render them: the build's order (a template's or a quarter's jobs
    stand together), but the jobs prepared like the biggest one (same templates, kind and quarter) first,
    so the biggest document is made while a worker's memory holds the least."""
    if not jobs:
        return []
    biggest = jobs[max(range(len(jobs)), key=sizes.__getitem__)]
    first = (biggest.templates, biggest.kind, biggest.quarter)
    lead = [i for i, job in enumerate(jobs) if (job.templates, job.kind, job.quarter) == first]
    chosen = set(lead)
    return lead + [i for i in range(len(jobs)) if i not in chosen]


def runs(count: int, workers: int) -> list[tuple[int, int]]:
    """The job list [0, count) cut into `workers` contiguous runs, as even as can be."""
    return [(count * k // workers, count * (k + 1) // workers) for k in range(workers)]


def claim(bounds: Any, own: int, chunk: int) -> tuple[int, int] | None:
    """The next piece of work for the worker of run `own` (call it holding the lock): from its own run, at
    its end (the front for an even run, the back for an odd one), else from the largest run left, at the
    end its owner is not working on; None when nothing is left."""
    count = len(bounds) // 2
    k = own
    if bounds[2 * k] >= bounds[2 * k + 1]:
        k = max(range(count), key=lambda r: bounds[2 * r + 1] - bounds[2 * r])
        if bounds[2 * k] >= bounds[2 * k + 1]:
            return None
    low, high = bounds[2 * k], bounds[2 * k + 1]
    from_front = (k % 2 == 0) == (k == own)  # the owner's end, or the other one when taking from another
    if from_front:
        piece = (low, min(high, low + chunk))
        bounds[2 * k] = piece[1]
    else:
        piece = (max(low, high - chunk), high)
        bounds[2 * k + 1] = piece[0]
    return piece


def _work(own: int) -> list[tuple[int, str]]:
    """In a worker: render pieces of the render order into staging until none is left (or another worker
    failed); returns (index in the job list, sha256) pairs."""
    shared = _SHARED[0]
    done: list[tuple[int, str]] = []
    while True:
        with shared.lock:
            piece = None if shared.failed.value else claim(shared.bounds, own, shared.chunk)
        if piece is None:
            return done
        for index in shared.order[piece[0] : piece[1]]:
            job = shared.jobs[index]
            try:
                done.append((index, shared.staging.put(job.path, job.make())))
            except Exception as err:  # lxml's SerialisationError cannot travel back: its OSError can
                shared.failed.value = True
                raise (as_os_error(err) or err) from None


def _worker_init(lock_fd: int | None) -> None:
    """A worker dies with its build and drops its inherited copy of the build lock, so a killed build
    leaves neither a held lock nor a straggler writing into output/."""
    if lock_fd is not None:
        os.close(lock_fd)
    with contextlib.suppress(OSError, AttributeError):  # Linux only: elsewhere workers finish their chunk
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def render_jobs(
    jobs: list[Job], sizes: list[int], staging: Staging, workers: int, lock_fd: int | None = None
) -> list[str]:
    """Render jobs into staging, over several processes when worth it; returns their sha256s in the jobs'
    order. `sizes`: each job's inputs in bytes (fingerprint.Fingerprint.size), for the render order."""
    order = render_order(jobs, sizes)
    shas = [""] * len(jobs)
    if workers <= 1 or len(jobs) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        for index in order:
            shas[index] = staging.put(jobs[index].path, jobs[index].make())
        return shas
    context = multiprocessing.get_context("fork")
    bounds = context.RawArray("q", [bound for run in runs(len(jobs), workers) for bound in run])
    chunk = max(1, len(jobs) // (workers * CHUNKS_PER_WORKER))
    _SHARED[:] = [_Shared(jobs, order, staging, bounds, context.Lock(), context.RawValue("b", 0), chunk)]
    # What the workers inherit stays out of their garbage collector: it is never garbage there, and
    # scanning it would copy every page the collector touches into each worker.
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_worker_init, initargs=(lock_fd,)
        ) as pool:
            for future in [pool.submit(_work, own) for own in range(workers)]:
                for index, sha in future.result():
                    shas[index] = sha
        return shas
    finally:
        gc.unfreeze()
        _SHARED.clear()
