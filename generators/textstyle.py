"""A text file's style on disk, kept when plandocs rewrites it: a UTF-8 BOM at the start and CRLF line
endings (how Windows editors save). import and lint --fix change the words, never every line's ending."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class TextStyle:
    bom: bool = False
    crlf: bool = False

    @classmethod
    def of(cls, data: bytes) -> TextStyle:
        """The style of a file's bytes: CRLF when its lines end so (every line, or most of them)."""
        crlf = data.count(b"\r\n")
        return cls(bom=data.startswith(BOM), crlf=crlf > 0 and crlf * 2 >= data.count(b"\n"))

    def encode(self, text: str) -> bytes:
        """Text (read with universal newlines, a BOM read as U+FEFF or not) as bytes in this style."""
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return (BOM if self.bom else b"") + text.encode("utf-8")

    def restyle(self, path: Path) -> None:
        """Rewrite a UTF-8 file in this style (a file that is not UTF-8 is left as it is)."""
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return
        styled = self.encode(text)
        if styled != data:
            path.write_bytes(styled)
