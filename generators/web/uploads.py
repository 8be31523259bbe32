"""Uploads are limited in size and count and stored under generated names: a client's file name never
becomes a path. Returned forms keep a cleaned trace of their name (letters, digits and CJK only) after a
generated number, because collect may match a unit by the file name."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from generators.app.common import Refused

MAX_FILE_BYTES = 20 * 1024 * 1024  # one upload
MAX_FILES = 300  # one request
DRAFT_SUFFIXES = (".docx", ".txt", ".doc", ".wps", ".odt")  # the last three read through LibreOffice
FORM_SUFFIXES = (".xlsx",)
ROSTER_SUFFIXES = (".xlsx",)


def suffix_of(client_name: str, allowed: tuple[str, ...]) -> str:
    """The allowed suffix the client's name ends with (its only part that matters), else refused."""
    name = (client_name or "").replace("\\", "/").rsplit("/", 1)[-1].lower()
    for suffix in allowed:
        if name.endswith(suffix):
            return suffix
    raise Refused(f"文件“{cleaned(client_name) or '（无名）'}”不是 {'、'.join(allowed)} 文件，未接收")


def cleaned(client_name: str, limit: int = 40) -> str:
    """Letters, digits and CJK of the name's last component, without its suffix: never a path."""
    base = (client_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return re.sub(r"[^\w\u4e00-\u9fff]", "", stem, flags=re.UNICODE).replace("_", "")[:limit]


def store(folder: Path, data: bytes, suffix: str, trace: str = "") -> Path:
    """Write the bytes under a generated name in folder (made when missing)."""
    if len(data) > MAX_FILE_BYTES:
        raise Refused(
            f"文件过大（{len(data) // 1024 // 1024} MB），单个文件不超过 {MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(4) + (f"-{trace}" if trace else "") + suffix
    path = folder / name
    with path.open("xb") as out:  # never over an existing file
        out.write(data)
    return path
