"""Many files through few LibreOffice processes: start-up (~1.5 s) dominates a single conversion.

The files are dealt into batches of similar total size, at least one per converter; each batch is one
`soffice --convert-to pdf` call with its own profile. A batch that crashes or hangs loses only the files
after the one it stopped at: that one is retried alone, the rest as a new batch, so one bad document is
reported by name and every other still gets its PDF.
"""

from __future__ import annotations

import math
import queue
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import soffice
from .soffice import BatchOutcome, run_soffice

PARALLEL = 2  # converters at once (the machines have 2 cores)
MAX_BATCH = 160  # files per soffice call at most
UNREADABLE = "LibreOffice 无法打开或转换此文件"


@dataclass(frozen=True)
class Source:
    name: str  # how it is reported (a manifest path)
    data: bytes  # the bytes converted: a copy, so the PDF is of exactly these bytes


@dataclass(frozen=True)
class Converted:
    name: str
    pdf: bytes | None  # None: failed
    reason: str = ""


def deal(sources: list[Source], batch_size: int, workers: int) -> list[list[Source]]:
    """Batches of at most batch_size files, at least `workers` of them, biggest files dealt first so the
    batches carry about the same number of bytes. Within a batch the files keep the order given (the
    caller puts first what it wants first: the letters the print file is joined from)."""
    count = max(min(workers, len(sources)), math.ceil(len(sources) / max(1, batch_size)))
    batches: list[list[int]] = [[] for _ in range(count)]
    loads = [0] * count
    for index in sorted(range(len(sources)), key=lambda i: -len(sources[i].data)):
        lightest = min((i for i in range(count) if len(batches[i]) < batch_size), key=loads.__getitem__)
        batches[lightest].append(index)
        loads[lightest] += len(sources[index].data)
    return [[sources[i] for i in sorted(b)] for b in batches if b]


def convert_many(
    sources: list[Source],
    *,
    batch_size: int = MAX_BATCH,
    workers: int = PARALLEL,
    idle_timeout_s: float | None = None,
    on_progress: Callable[[str], None] = lambda name: None,
) -> Iterator[Converted]:
    """Yield every source's outcome in this thread, each PDF as soon as LibreOffice has written it (the
    caller's work on it overlaps the conversion of the others). on_progress(name) is called from the
    converter threads, one at a time, when LibreOffice reports a file."""
    lock = threading.Lock()
    idle = soffice.IDLE_TIMEOUT_S if idle_timeout_s is None else idle_timeout_s

    reported: set[str] = set()

    def progress(name: str) -> None:
        with lock:
            if name not in reported:  # a file retried after a crash is counted once
                reported.add(name)
                on_progress(name)

    # What the converter threads hand over, in order: (name, PDF) for each file written, then (None, the
    # batch's future) when its process has ended.
    events: queue.Queue[tuple[str | None, object]] = queue.Queue()
    with (
        tempfile.TemporaryDirectory(prefix="plandocs-pdf-") as work,
        ThreadPoolExecutor(max_workers=workers) as pool,
    ):
        numbers = iter(range(1_000_000))
        running: dict[Future, list[Source]] = {}

        def submit(batch: list[Source]) -> None:
            folder = Path(work) / str(next(numbers))
            future = pool.submit(
                run_batch, batch, folder, idle, progress, lambda n, pdf: events.put((n, pdf))
            )
            running[future] = batch
            future.add_done_callback(lambda f: events.put((None, f)))

        for batch in deal(sources, batch_size, workers):
            submit(batch)
        try:
            yield from _outcomes(running, events, submit)
        except BaseException:
            soffice.stop_all()  # Ctrl-C, or the caller stopped: the converters end now, not after their batches
            raise


def _outcomes(
    running: dict[Future, list[Source]],
    events: queue.Queue[tuple[str | None, object]],
    submit: Callable[[list[Source]], None],
) -> Iterator[Converted]:
    """Each PDF as its converter hands it over; a batch that stopped early is dealt again."""
    while running:
        name, item = events.get()
        if name is not None:
            assert isinstance(item, bytes)
            yield Converted(name, item)
            continue
        assert isinstance(item, Future)
        batch = running.pop(item)
        made, outcome = item.result()
        missing = [s for s in batch if s.name not in made]
        if not missing:
            continue
        if outcome.problem is None or len(batch) == 1:  # it was tried and failed on its own
            reason = outcome.problem or UNREADABLE
            yield from (Converted(s.name, None, reason) for s in missing)
            continue
        # Crash or hang: the first missing file stopped the batch; the others were never tried.
        submit(missing[:1])
        if missing[1:]:
            submit(missing[1:])


def run_batch(
    batch: list[Source],
    folder: Path,
    idle_timeout_s: float,
    progress: Callable[[str], None],
    done: Callable[[str, bytes], None],
) -> tuple[set[str], BatchOutcome]:
    """One soffice call over copies named 00000.docx, 00001.xlsx …: distinct stems whatever the sources'
    names (LibreOffice's PDF does not depend on the file name: measured byte-identical). done(name, PDF)
    is called as each PDF is complete; the names of those made are returned with the outcome."""
    inbox, outbox = folder / "in", folder / "out"
    inbox.mkdir(parents=True)
    outbox.mkdir()
    copies = []
    for index, source in enumerate(batch):
        copy = inbox / f"{index:05d}{PurePosixPath(source.name).suffix.lower()}"
        copy.write_bytes(source.data)
        copies.append(copy)
    names = {copy: source.name for copy, source in zip(copies, batch, strict=True)}
    outcome = run_soffice(
        copies,
        outbox,
        idle_timeout_s=idle_timeout_s,
        on_converted=lambda copy: progress(names[copy]),
        on_done=lambda copy, pdf: done(names[copy], pdf.read_bytes()),
    )
    return {names[copy] for copy in outcome.pdfs}, outcome
