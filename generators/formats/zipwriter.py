"""Same inputs, same bytes: write an OOXML zip with fixed timestamps and a stable member order.

In: the members (name → bytes, or a Deflated compressed once for members many files share).
Out: the zip bytes; [Content_Types].xml first (Office wants it there), the rest sorted by name, every
member dated FIXED_ZIP_DATE, mode 0600, deflated at level 6. Invariant: the bytes are exactly those
Python's zipfile writes for the same members (tests/test_fast_writers.py), so a .docx or .xlsx is the
same file whichever path made it. Touches no private member; depends on zlib's deflate output at
level 6, which is stable within a zlib version (a different zlib could change bytes, not validity).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

# 1980-01-01 is the earliest date a zip can hold; any fixed date would do.
FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
CONTENT_TYPES = "[Content_Types].xml"


def normalize_zip(data: bytes) -> bytes:
    """Return the zip with every member dated FIXED_ZIP_DATE, [Content_Types].xml first, the rest sorted."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return zip_members({name: src.read(name) for name in src.namelist()})


@dataclass(frozen=True)
class Deflated:
    """A member compressed once, for the parts every document of a template shares."""

    data: bytes
    compressed: bytes
    crc: int

    @classmethod
    def of(cls, data: bytes) -> Deflated:
        # zipfile's own stream for a deflated member at level 6: raw deflate, one write, one flush.
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return cls(data, compressor.compress(data) + compressor.flush(), zlib.crc32(data))


_DOS_DATE = (FIXED_ZIP_DATE[0] - 1980) << 9 | FIXED_ZIP_DATE[1] << 5 | FIXED_ZIP_DATE[2]
_DOS_TIME = FIXED_ZIP_DATE[3] << 11 | FIXED_ZIP_DATE[4] << 5 | FIXED_ZIP_DATE[5] // 2
_VERSION, _UNIX, _DEFLATED, _UTF8_NAME = 20, 3, 8, 0x800
_EXTERNAL_ATTR = 0o600 << 16


def zip_members(members: Mapping[str, bytes | Deflated]) -> bytes:
    """A reproducible zip of these members: [Content_Types].xml first, the rest sorted, fixed dates.

    The bytes are those zipfile writes for ZipInfo(name, FIXED_ZIP_DATE), deflate level 6, mode 0600
    (tests/test_fast_writers.py compares them); written here so shared members are compressed once."""
    ordered = [n for n in members if n == CONTENT_TYPES] + sorted(n for n in members if n != CONTENT_TYPES)
    out, central = [], []
    offset = 0
    for name in ordered:
        member = members[name]
        if not isinstance(member, Deflated):
            member = Deflated.of(member)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        sizes = (member.crc, len(member.compressed), len(member.data), len(encoded))
        out += [
            struct.pack(
                "<4s2B4HL2L2H", b"PK\003\004", _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE, *sizes, 0
            ),
            encoded,
            member.compressed,
        ]
        central += [
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\001\002",
                _VERSION,
                _UNIX,
                _VERSION,
                0,
                flags,
                _DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                *sizes,
                0,
                0,
                0,
                0,
                _EXTERNAL_ATTR,
                offset,
            ),
            encoded,
        ]
        offset += 30 + len(encoded) + len(member.compressed)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, len(ordered), len(ordered), len(directory), offset, 0)
    return b"".join(out) + directory + end
