"""Many files through few LibreOffice processes: start-up (~1.5 s) dominates a single conversion.

The files are dealt into batches of similar total size, at least one per converter; each batch is one
`soffice --convert-to pdf` call with its own profile. A batch that crashes or hangs loses only the files
after the one it stopped at: that one is retried alone, the rest as a new batch, so one bad document is
reported by name and every other still gets its PDF.
"""

from __future__ import annotations

import math
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import soffice
from .soffice import BatchOutcome, run_soffice

PARALLEL = 2  # converters at once (the machines have 2 cores)
MAX_BATCH = 80  # files per soffice call at most
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
    batches carry about the same number of bytes."""
    count = max(min(workers, len(sources)), math.ceil(len(sources) / max(1, batch_size)))
    batches: list[list[Source]] = [[] for _ in range(count)]
    loads = [0] * count
    for source in sorted(sources, key=lambda s: -len(s.data)):
        lightest = min((i for i in range(count) if len(batches[i]) < batch_size), key=loads.__getitem__)
        batches[lightest].append(source)
        loads[lightest] += len(source.data)
    return [b for b in batches if b]


def convert_many(
    sources: list[Source],
    *,
    batch_size: int = MAX_BATCH,
    workers: int = PARALLEL,
    idle_timeout_s: float | None = None,
    on_progress: Callable[[str], None] = lambda name: None,
) -> Iterator[Converted]:
    """Yield every source's outcome (in this thread, as batches finish). on_progress(name) is called from
    the converter threads, one at a time, when LibreOffice reports a file."""
    lock = threading.Lock()
    idle = soffice.IDLE_TIMEOUT_S if idle_timeout_s is None else idle_timeout_s

    reported: set[str] = set()

    def progress(name: str) -> None:
        with lock:
            if name not in reported:  # a file retried after a crash is counted once
                reported.add(name)
                on_progress(name)

    with (
        tempfile.TemporaryDirectory(prefix="plandocs-pdf-") as work,
        ThreadPoolExecutor(max_workers=workers) as pool,
    ):
        numbers = iter(range(1_000_000))

        def submit(batch: list[Source]) -> Future:
            folder = Path(work) / str(next(numbers))
            return pool.submit(run_batch, batch, folder, idle, progress)

        running = {submit(batch): batch for batch in deal(sources, batch_size, workers)}
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                batch = running.pop(future)
                made, outcome = future.result()
                yield from (Converted(s.name, made[s.name]) for s in batch if s.name in made)
                missing = [s for s in batch if s.name not in made]
                if not missing:
                    continue
                if outcome.problem is None or len(batch) == 1:  # it was tried and failed on its own
                    reason = outcome.problem or UNREADABLE
                    yield from (Converted(s.name, None, reason) for s in missing)
                    continue
                # Crash or hang: the first missing file stopped the batch; the others were never tried.
                running[submit(missing[:1])] = missing[:1]
                if missing[1:]:
                    running[submit(missing[1:])] = missing[1:]


def run_batch(
    batch: list[Source], folder: Path, idle_timeout_s: float, progress: Callable[[str], None]
) -> tuple[dict[str, bytes], BatchOutcome]:
    """One soffice call over copies named 00000.docx, 00001.xlsx …: distinct stems whatever the sources'
    names (LibreOffice's PDF does not depend on the file name: measured byte-identical)."""
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
        copies, outbox, idle_timeout_s=idle_timeout_s, on_converted=lambda copy: progress(names[copy])
    )
    return {names[copy]: pdf.read_bytes() for copy, pdf in outcome.pdfs.items()}, outcome
