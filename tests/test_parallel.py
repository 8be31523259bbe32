"""The build's worker processes: every job rendered exactly once, in any interleaving of the workers; the
same files and sha256s as one process; a failing job stops the build with its own error; and the
workers keep to runs, so a template or a quarter is prepared by one worker, not by each."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators import parallel
from generators.artifact import Job
from generators.parallel import claim, render_jobs, render_order, runs
from generators.staging import Staging


def _job(index: int, templates: tuple = (), kind: str = "letter", quarter: int | None = None) -> Job:
    data = f"第{index}份".encode()
    return Job(kind, f"files/{index:03d}.docx", {"n": index}, templates, lambda: data, quarter=quarter)


@settings(max_examples=200, deadline=None)
@given(
    count=st.integers(0, 300),
    workers=st.integers(1, 6),
    chunk=st.integers(1, 40),
    seed=st.integers(0, 10_000),
)
def test_every_index_is_claimed_exactly_once_whoever_asks_when(count, workers, chunk, seed):
    bounds = [bound for run in runs(count, workers) for bound in run]
    asking = random.Random(seed)
    claimed: list[int] = []
    active = list(range(workers))
    while active:
        own = asking.choice(active)
        piece = claim(bounds, own, chunk)
        if piece is None:
            active.remove(own)
            continue
        assert 0 < piece[1] - piece[0] <= chunk
        claimed.extend(range(*piece))
    assert sorted(claimed) == list(range(count))


def test_two_workers_start_at_opposite_ends_and_meet():
    bounds = [bound for run in runs(10, 2) for bound in run]
    assert claim(bounds, 0, 2) == (0, 2)  # the even run from its front
    assert claim(bounds, 1, 2) == (8, 10)  # the odd run from its back
    for _ in range(2):
        claim(bounds, 1, 2)
    assert claim(bounds, 1, 2) == (3, 5)  # its own run done: worker 1 takes the far end of run 0
    assert claim(bounds, 0, 2) == (2, 3)  # where worker 0 was going on
    assert claim(bounds, 0, 2) is None and claim(bounds, 1, 2) is None


def test_render_order_puts_the_biggest_jobs_group_first_and_keeps_the_rest_in_order():
    jobs = [
        _job(0, kind="opinion"),
        _job(1, kind="letter"),
        _job(2, kind="letter"),
        _job(3, kind="form", quarter=1),
        _job(4, kind="form", quarter=2),
        _job(5, kind="letter"),
    ]
    assert render_order(jobs, [5, 1, 9, 4, 4, 1]) == [1, 2, 5, 0, 3, 4]
    assert render_order(jobs, [5, 1, 1, 4, 8, 1]) == [4, 0, 1, 2, 3, 5]
    assert render_order([], []) == []


@pytest.mark.parametrize("workers", [2, 3])
def test_workers_stage_the_same_files_and_sha256s_as_one_process(tmp_path, workers):
    jobs = [_job(i) for i in range(parallel.PARALLEL_FROM + 37)]
    sizes = [len(job.make()) for job in jobs]
    together = Staging(tmp_path / "together")
    shas = render_jobs(jobs, sizes, together, workers)
    alone = Staging(tmp_path / "alone")
    assert shas == render_jobs(jobs, sizes, alone, 1)
    assert shas == [hashlib.sha256(job.make()).hexdigest() for job in jobs]
    staged = {p.relative_to(together.new): p.read_bytes() for p in together.new.rglob("*") if p.is_file()}
    assert staged == {Path(job.path): job.make() for job in jobs}


def _fails() -> bytes:
    raise ValueError("模板坏了")


def test_a_failing_job_stops_the_workers_with_its_own_error(tmp_path):
    jobs = [_job(i) for i in range(60)]
    jobs[41] = Job("letter", "files/041.docx", {}, (), _fails)
    with pytest.raises(ValueError, match="模板坏了"):
        render_jobs(jobs, [1] * len(jobs), Staging(tmp_path / "out"), 2)
    assert not parallel._SHARED  # nothing left behind for the next build's workers


def _by_process(index: int, template: str) -> Job:
    return Job(
        "letter", f"files/{index:03d}.txt", {}, (template,), lambda: f"{template} {os.getpid()}".encode()
    )


def test_a_template_is_prepared_by_one_worker_at_most_two(tmp_path):
    """Two templates' jobs, two workers: the runs meet once, so at most one template is met by both
    workers (3 template-process pairs; a pool's map in small chunks gave each worker both: 4)."""
    jobs = [_by_process(i, "a.docx" if i < 40 else "b.docx") for i in range(80)]
    staging = Staging(tmp_path / "out")
    render_jobs(jobs, [1] * 80, staging, 2)
    met = {(staging.new / job.path).read_text() for job in jobs}
    assert len({pair.split()[1] for pair in met}) in (1, 2) and len(met) <= 3, met
