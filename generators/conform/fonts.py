"""Which embedded PDF font a 公文 font name should become, as our fonts/fonts.conf resolves it."""

from __future__ import annotations

import functools
import os
import re
import subprocess

from ..pdf.soffice import FONTS_CONF

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_CJK_REGION = re.compile(r"cjk(sc|tc|jp|kr|hk)")


@functools.cache
def resolved_face(font_name: str) -> str:
    """PostScript name of the face fontconfig picks for font_name with our aliases, "" if unknown."""
    try:
        result = subprocess.run(
            ["fc-match", "-f", "%{postscriptname}", font_name],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)},
        )
    except (OSError, subprocess.CalledProcessError):
        return ""
    return result.stdout.strip()


def face_key(name: str) -> str:
    """Compare faces across naming variants: drop the subset tag, the Noto CJK region (LibreOffice names
    the embedded face after the collection's first member) and the vertical-kana suffix."""
    key = re.sub(r"[^a-z0-9]", "", _SUBSET.sub("", name).lower())
    return _CJK_REGION.sub("cjk", key).removesuffix("vkana")


def same_face(pdf_font: str, font_name: str) -> bool:
    expected = resolved_face(font_name)
    return bool(expected) and face_key(pdf_font) == face_key(expected)


def short_name(pdf_font: str) -> str:
    return _SUBSET.sub("", pdf_font)
