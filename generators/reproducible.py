"""Same inputs, same bytes: rewrite an OOXML zip with fixed timestamps and a stable member order."""

from __future__ import annotations

import io
import zipfile

# 1980-01-01 is the earliest date a zip can hold; any fixed date would do.
FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def normalize_zip(data: bytes) -> bytes:
    """Return the zip with every member dated FIXED_ZIP_DATE, [Content_Types].xml first, the rest sorted."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = src.namelist()
        ordered = [n for n in names if n == "[Content_Types].xml"] + sorted(
            n for n in names if n != "[Content_Types].xml"
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in ordered:
                info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()
