"""The workbench's audit log: ledger/工作台日志.csv (time, action, result), UTF-8 with a BOM so Excel opens
it, every cell formula-safe by the ledger's own escape (generators/ledger/store.py: a cell starting
= + - @ tab CR or ' is written with a leading apostrophe)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from pathlib import Path

HEADER = ("时间", "操作", "结果")
LOG_NAME = "工作台日志.csv"
_lock = threading.Lock()


def safe_cell(value: object) -> str:
    from generators.ledger.store import escape

    return escape(str(value).replace("\r", " ").replace("\n", " "))


def log_path(plan_dir: Path) -> Path:
    from generators.ledger.store import LEDGER_DIR

    return Path(plan_dir).resolve().parent / LEDGER_DIR / LOG_NAME


def record(plan_dir: Path, action: str, result: str) -> None:
    path = log_path(plan_dir)
    row = io.StringIO()
    writer = csv.writer(row, lineterminator="\r\n")
    with _lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = not path.exists() or path.stat().st_size == 0
        if fresh:
            writer.writerow(HEADER)
        when = dt.datetime.now().isoformat(timespec="seconds")
        writer.writerow([safe_cell(when), safe_cell(action), safe_cell(result)])
        with path.open("a", encoding="utf-8-sig" if fresh else "utf-8", newline="") as out:
            out.write(row.getvalue())
