"""`plandocs pdf`: bring output/pdf/ up to date with the documents output/manifest.json lists.

A PDF is remade only when its source's bytes changed since it was made: each pdf entry records the
sha256 of the source it was converted from (`source_sha256`), the converter setup (`converter`, the
font mapping) and its own size (`bytes`: a PDF deleted or edited since is remade). PDFs whose source left the manifest are removed; only paths the manifest lists are ever
deleted, and every path must resolve inside output/.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..guard import Inputs
from ..layout import load_layout
from ..model import Plan
from ..output import MANIFEST, Transaction, read_bytes_or_none, sha256, transaction
from .parity import imprint_on_even_page
from .pool import MAX_BATCH, Source, convert_many
from .soffice import FONTS_CONF, LibreOfficeMissing, converter_name, find_soffice
from .stable import stable_pdf
from .targets import PDF_KINDS, OutsideOutput, Target, inside, targets

ISSUE_KIND = "issue"  # the issued document: its 版记 page must come out even
PDF_KIND = "pdf"  # the manifest kind `plandocs pdf` owns
CONVERTER_VERSION = b"1"  # bump when a change in how PDFs are made should remake them all


class BadSelection(ValueError):
    """A path or kind on the command line that names nothing printable (exit code 2)."""


@dataclass
class PdfReport:
    total: int = 0  # PDFs in the selection
    converted: list[str] = field(default_factory=list)  # PDF paths made by LibreOffice this run
    joined: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source path, reason)
    seconds: float = 0.0
    sheets_without_rule: int = 0  # spreadsheets converted by --convert-to: their cells break lines anywhere


def converter_key() -> str:
    """Changes with the font mapping (the same .docx gives other PDFs under other fonts) and with the
    converter (only the UNO one prints spreadsheets with 避头尾)."""
    made_by = CONVERTER_VERSION + converter_name().encode("ascii")
    return hashlib.sha256(made_by + (read_bytes_or_none(FONTS_CONF) or b"")).hexdigest()[:16]


def select(
    all_targets: list[Target], out_dir: Path, paths: Iterable[str], kinds: Iterable[str]
) -> list[Target]:
    """The targets named by paths (a source, its PDF, or a folder of them; relative to output/ or to the
    current folder) or by kind; all of them when neither is given. A joined file brings its letters."""
    paths, kinds = list(paths), list(kinds)
    if not paths and not kinds:
        return all_targets
    unknown = [k for k in kinds if k not in PDF_KINDS]
    if unknown:
        raise BadSelection(f"未知的文件种类：{'、'.join(unknown)}（可选：{'、'.join(PDF_KINDS)}）")
    chosen = {t.pdf for t in all_targets if t.kind in kinds}
    for given in paths:
        relative = _relative(out_dir, given)
        hits = {
            t.pdf
            for t in all_targets
            if relative in (t.source, t.pdf)
            or t.source.startswith(relative + "/")
            or t.pdf.startswith(relative + "/")
        }
        if not hits:
            raise BadSelection(f"{given}：不是 {out_dir / MANIFEST} 中可转为 PDF 的文件或文件夹")
        chosen |= hits
    parts = {p for t in all_targets if t.pdf in chosen for p in t.parts}
    return [t for t in all_targets if t.pdf in chosen or t.source in parts]


def _relative(out_dir: Path, given: str) -> str:
    """A path given on the command line as a manifest path: output/letters/x.docx → letters/x.docx."""
    with contextlib.suppress(ValueError):
        return Path(given).resolve().relative_to(out_dir.resolve()).as_posix()
    return PurePosixPath(given).as_posix().strip("/")


def _intact(out_dir: Path, entry: dict) -> bool:
    """The PDF is still there at the size it was written (a stat, not a read: a no-op run stays fast)."""
    try:
        path = inside(out_dir, entry["path"])
    except OutsideOutput:
        return False
    return path.is_file() and path.stat().st_size == entry.get("bytes")


def convert_outputs(
    out_dir: Path,
    plan: Plan,
    *,
    paths: Iterable[str] = (),
    kinds: Iterable[str] = (),
    on_start: Callable[[int], None] = lambda count: None,
    on_progress: Callable[[str], None] = lambda name: None,
    batch_size: int = MAX_BATCH,
    letters_per_volume: int | None = None,
) -> PdfReport:
    """Convert what changed among the selected documents, join the letters, update the manifest.

    on_start(n) is called once with the number of files LibreOffice will convert; on_progress(path) as
    each is converted (from converter threads, one at a time). Raises BadSelection before anything is
    touched when a path or kind names nothing."""
    started = time.perf_counter()
    if letters_per_volume is None:
        letters_per_volume = load_layout().letters_per_volume
    with transaction(out_dir, frozenset({PDF_KIND}), inputs=Inputs.of(plan.directory)) as tx:
        everything = targets(tx.manifest, letters_per_volume)
        chosen = select(everything, out_dir, paths, kinds)
        run = _Run(tx, plan.meta.date, converter_key())
        report = PdfReport(total=len(chosen))
        try:
            run.update(chosen, report, on_start, on_progress, batch_size)
            if len(chosen) == len(everything):  # a full run: PDFs whose source is gone go too
                report.removed = run.remove_orphans({t.pdf for t in everything})
        finally:  # what was converted before a failure is kept: it took LibreOffice long enough
            run.commit(everything)
    report.seconds = time.perf_counter() - started
    return report


class _Run:
    """One `plandocs pdf` run over output/ (one output transaction): the old pdf entries, and the new ones
    as PDFs are staged."""

    def __init__(self, tx: Transaction, date: str, converter: str) -> None:
        self.tx, self.out_dir, self.date, self.converter = tx, tx.out_dir, date, converter
        self.old = {e["path"]: e for e in tx.entries if tx.owns(e)}
        self.entries = dict(self.old)  # pdf path → manifest entry, as it will be written

    def _current(self, target: Target, source_sha: str, parts_sha: str | None = None) -> bool:
        entry = self.old.get(target.pdf)
        return (
            entry is not None
            and entry.get("source") == target.source
            and entry.get("source_sha256") == source_sha
            and entry.get("converter") == self.converter
            and entry.get("parts_sha256") == parts_sha
            and (
                not target.joined or isinstance(entry.get("letters"), list)
            )  # made before letters were listed
            and _intact(self.out_dir, entry)
        )

    def _put(
        self,
        target: Target,
        data: bytes,
        source_sha: str,
        parts_sha: str | None = None,
        letters: list[dict] | None = None,
    ) -> None:
        entry: dict = {"kind": PDF_KIND, "path": target.pdf, "sha256": self.tx.put(target.pdf, data)}
        entry["bytes"] = len(data)
        entry["source"] = target.source
        for key in ("unit", "leader", "quarter"):
            if getattr(target, key) is not None:
                entry[key] = getattr(target, key)
        entry |= {"source_sha256": source_sha, "converter": self.converter}
        if parts_sha is not None:
            entry["parts_sha256"] = parts_sha
        if letters is not None:
            entry["letters"] = letters  # where each letter starts: conform checks its pages as one letter
        self.entries[target.pdf] = entry

    def update(
        self,
        chosen: list[Target],
        report: PdfReport,
        on_start: Callable[[int], None],
        on_progress: Callable[[str], None],
        batch_size: int,
    ) -> None:
        sources: dict[str, bytes] = {}
        for target in chosen:
            try:
                path = inside(self.out_dir, target.source)
                sources[target.source] = path.read_bytes()
            except OutsideOutput:
                report.failed.append((target.source, "路径不在输出目录内，已跳过"))
            except OSError:
                report.failed.append((target.source, "源文件不存在，请先运行 plandocs build"))
        parts = {p for t in chosen if t.joined for p in t.parts}
        todo = sorted(
            (
                t
                for t in chosen
                if not t.joined and t.source in sources and not self._current(t, sha256(sources[t.source]))
            ),
            key=lambda t: t.source not in parts,  # the letters first: the print file is joined meanwhile
        )
        by_source = {t.source: t for t in todo}
        on_start(len(todo))
        if todo and find_soffice() is None:
            raise LibreOfficeMissing
        report.unchanged = [t.pdf for t in chosen if not t.joined and t not in todo and t.source in sources]
        joins = [t for t in chosen if t.joined and t.source in sources]
        waiting = {t.pdf: {p for p in t.parts if p in by_source} for t in joins}  # letters to convert
        joined: set[str] = set()

        def join_ready(converted: str) -> None:
            for target in joins:
                waiting[target.pdf].discard(converted)
                if not waiting[target.pdf] and target.pdf not in joined:
                    joined.add(target.pdf)
                    self._join(target, sources[target.source], report)

        join_ready("")  # a print file none of whose letters is to convert is joined now
        work = [Source(t.source, sources[t.source]) for t in todo]
        if work:
            from .join import pdf_problem  # pypdf: only when there is something to check
        if converter_name() != "uno":  # said once by the command: python3-uno is missing
            report.sheets_without_rule = sum(1 for t in todo if t.source.lower().endswith(".xlsx"))
        for result in convert_many(work, batch_size=batch_size, on_progress=on_progress):
            target = by_source[result.name]
            self._take(target, result.pdf, result.reason, sources[target.source], report, pdf_problem)
            join_ready(target.source)

    def _take(
        self,
        target: Target,
        made: bytes | None,
        reason: str,
        source: bytes,
        report: PdfReport,
        pdf_problem: Callable[[bytes], str | None],
    ) -> None:
        """Record one converted PDF (made in a stable form) or the reason it failed."""
        if made is None:
            report.failed.append((target.source, reason))
            return
        if problem := pdf_problem(made):  # checked before the manifest records it
            report.failed.append((target.source, f"LibreOffice 生成的 PDF {problem}，未记录"))
            return
        pdf = stable_pdf(made, source, self.date)
        if target.kind == ISSUE_KIND:  # LibreOffice ignores the even-page break before the 版记
            pdf = imprint_on_even_page(pdf)
        self._put(target, pdf, sha256(source))
        report.converted.append(target.pdf)

    def _join(self, target: Target, source: bytes, report: PdfReport) -> None:
        letters = {e["source"]: e for e in self.entries.values() if e.get("source") in target.parts}
        failed = {source for source, _ in report.failed}
        lacking = [
            p
            for p in target.parts
            if p in failed or p not in letters or letters[p].get("converter") != self.converter
        ]
        if lacking:
            report.failed.append((target.source, f"缺少分工函 PDF（{'、'.join(lacking)}），合订本未更新"))
            return
        shas = "".join(letters[p]["sha256"] for p in target.parts)
        parts_sha = hashlib.sha256(shas.encode("ascii")).hexdigest()
        if self._current(target, sha256(source), parts_sha):
            report.unchanged.append(target.pdf)
            return
        from .join import first_pages, join_letters, page_count  # pypdf: only when there is something to join

        pdfs = [(letters[p].get("unit", p), self.tx.read(letters[p]["path"])) for p in target.parts]
        counts = [page_count(data) for _, data in pdfs]
        placed = [
            {"unit": unit, "source": part, "first_page": first, "pages": count}
            for (unit, _), part, first, count in zip(
                pdfs, target.parts, first_pages(counts), counts, strict=True
            )
        ]
        self._put(target, join_letters(pdfs), sha256(source), parts_sha, placed)
        report.joined.append(target.pdf)

    def remove_orphans(self, wanted: set[str]) -> list[str]:
        """Drop the PDFs whose document is no longer there: the commit deletes their files (paths inside
        output/ only)."""
        removed = [p for p in self.entries if p not in wanted]
        for path in removed:
            del self.entries[path]
        return removed

    def commit(self, everything: list[Target]) -> None:
        """Every entry but the pdf ones as it was; the pdf entries in target order, then any others kept."""
        order = [t.pdf for t in everything if t.pdf in self.entries]
        pdfs = [self.entries[p] for p in order] + [e for p, e in self.entries.items() if p not in set(order)]
        self.tx.commit(pdfs, owned_last=True)
