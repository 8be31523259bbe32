"""Same document → same PDF bytes: LibreOffice stamps the clock, a file ID and a checksum over both.

Both are rewritten in place with values of the same length, so the cross-reference offsets stay valid."""

from __future__ import annotations

import hashlib
import re

_CREATION_DATE = re.compile(rb"/CreationDate\(D:(\d{14})")
_FILE_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]{32})")


def stable_pdf(pdf: bytes, source: bytes, date_iso: str) -> bytes:
    """Creation date := the document date (yyyy-mm-dd, midnight); file ID and checksum := MD5 of the source."""
    stamp = (date_iso.replace("-", "") + "000000").encode("ascii")
    digest = hashlib.md5(source, usedforsecurity=False).hexdigest().upper().encode("ascii")

    def fixed_id(match: re.Match[bytes]) -> bytes:
        text = match.group(0)
        return text.replace(match.group(1), digest).replace(match.group(2), digest)

    pdf = _CREATION_DATE.sub(lambda m: m.group(0).replace(m.group(1), stamp), pdf)
    pdf = _CHECKSUM.sub(lambda m: m.group(0).replace(m.group(1), digest), pdf)
    return _FILE_ID.sub(fixed_id, pdf)
