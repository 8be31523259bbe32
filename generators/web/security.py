"""Passwords (scrypt hashes beside plan/), login rate limiting, sessions with a CSRF token each."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PASSWORD_FILE = ".plandocs-password"  # beside plan/: one line, scrypt$n$r$p$salt$hash
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
LOGIN_TRIES, LOGIN_WINDOW = 5, 300.0  # failed logins allowed per address per window (seconds)


def password_path(plan_dir: Path) -> Path:
    return Path(plan_dir).resolve().parent / PASSWORD_FILE


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **SCRYPT)
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.strip().split("$")
        if kind != "scrypt":
            return False
        found = hashlib.scrypt(
            password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(found.hex(), digest)


def read_password(plan_dir: Path) -> str | None:
    path = password_path(plan_dir)
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None


def write_password(plan_dir: Path, password: str) -> Path:
    from generators.output import atomic_write

    path = password_path(plan_dir)
    atomic_write(path, (hash_password(password) + "\n").encode("utf-8"))
    path.chmod(0o600)
    return path


class RateLimit:
    """At most LOGIN_TRIES failed logins per client address within LOGIN_WINDOW seconds."""

    def __init__(self, tries: int = LOGIN_TRIES, window: float = LOGIN_WINDOW) -> None:
        self.tries, self.window = tries, window
        self.failures: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    def _recent(self, who: str, now: float) -> list[float]:
        kept = [t for t in self.failures.get(who, []) if now - t < self.window]
        self.failures[who] = kept
        return kept

    def blocked(self, who: str) -> bool:
        with self.lock:
            return len(self._recent(who, time.monotonic())) >= self.tries

    def failed(self, who: str) -> None:
        with self.lock:
            self._recent(who, time.monotonic()).append(time.monotonic())


@dataclass
class Session:
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    logged_in: bool = False
    notes: list[str] = field(default_factory=list)  # messages shown once on the next page


class Sessions:
    COOKIE = "plandocs_session"

    def __init__(self) -> None:
        self.by_id: dict[str, Session] = {}
        self.lock = threading.Lock()

    def get(self, sid: str | None) -> tuple[str, Session]:
        with self.lock:
            if sid and sid in self.by_id:
                return sid, self.by_id[sid]
            sid = secrets.token_urlsafe(32)
            self.by_id[sid] = Session()
            return sid, self.by_id[sid]

    def renew(self, sid: str) -> tuple[str, Session]:
        """A new id after login (a session id known before login is worth nothing after it)."""
        with self.lock:
            old = self.by_id.pop(sid, Session())
            new_id = secrets.token_urlsafe(32)
            self.by_id[new_id] = Session(logged_in=True, notes=old.notes)
            return new_id, self.by_id[new_id]


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given), expected)
