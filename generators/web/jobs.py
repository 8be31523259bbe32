"""Long steps (build, PDF, pack, collect, supervise, the year's documents) run in a background thread, one
at a time, while the page polls their status: the page never freezes and two steps never interleave (the
output transaction's lock also keeps a web build and a command-line build apart)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generators.app.common import failure, internal_detail


@dataclass
class Job:
    id: str
    title: str
    next_url: str  # where the page goes when the job is over
    state: str = "running"  # running / done / failed
    lines: list[str] = field(default_factory=list)  # what it says as it goes, and its failure
    done: int = 0
    total: int = 0
    result: Any = None
    started: float = field(default_factory=time.monotonic)

    def say(self, line: str) -> None:
        self.lines.append(line)

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "state": self.state,
            "lines": self.lines[-20:],
            "done": self.done,
            "total": self.total,
            "next": self.next_url,
            "seconds": round(time.monotonic() - self.started, 1),
        }


class Busy(Exception):
    """Another step is still running."""


class Jobs:
    def __init__(self, audit: Callable[[str, str], None] = lambda action, result: None) -> None:
        self.by_id: dict[str, Job] = {}
        self.running: Job | None = None
        self.lock = threading.Lock()
        self.audit = audit
        self.last: dict[str, Job] = {}  # the latest finished job of each kind (the pages show its result)

    def start(self, kind: str, title: str, next_url: str, work: Callable[[Job], Any]) -> Job:
        with self.lock:
            if self.running is not None and self.running.state == "running":
                raise Busy(f"“{self.running.title}”正在进行，请等它完成后再试。")
            job = Job(secrets.token_urlsafe(12), title, next_url)
            self.by_id[job.id] = self.running = job
        threading.Thread(target=self._run, args=(kind, job, work), daemon=True).start()
        return job

    def _run(self, kind: str, job: Job, work: Callable[[Job], Any]) -> None:
        detail = None
        try:
            job.result = work(job)
            job.state = "done"
        except BaseException as err:  # noqa: BLE001 - every failure becomes the Chinese lines the CLI prints
            lines, _ = failure(err)
            job.lines.extend(lines)
            job.state = "failed"
            detail = internal_detail(err)
        self.last[kind] = job
        result = "完成" if job.state == "done" else "失败：" + " ".join(job.lines[-1:])
        self.audit(job.title, result + (f"（详情：{detail}）" if detail else ""))  # the log, not the page

    def get(self, job_id: str) -> Job | None:
        return self.by_id.get(job_id)
