"""Convert documents to PDF through one LibreOffice kept running, over UNO (run by a python that has `uno`).

    python3 uno_convert.py PROFILE_URL PIPE_NAME OUT_DIR SOURCE...

Run as a script by the system python (Debian's python3-uno), never imported by plandocs: it sees only the
standard library and `uno`. It speaks as `soffice --convert-to pdf` does — one line
"convert SOURCE -> OUT_DIR/STEM.pdf using filter : …" as it starts each file, an "Error: …" line for a
file LibreOffice cannot open — so one reader (soffice.run_soffice) serves both converters.

Why UNO and not --convert-to alone: LibreOffice Calc applies its forbidden-characters rule (避头尾: no line
starting with 、，。）, none ending with （) in a cell only when the cell style says so, and an .xlsx cannot
say it (OOXML has no such attribute). Here every cell style of a spreadsheet gets ParaIsForbiddenRules
before the export, so tables print as typeset tables; text documents are exported as they are. The one
LibreOffice start-up per batch is also all that is paid (no second process per call).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

CONNECT_TIMEOUT_S = 60.0  # LibreOffice takes 1–3 s to accept; a cold disk more
NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE: no links are followed
SPREADSHEET = "com.sun.star.sheet.SpreadsheetDocument"
FILTERS = {True: "calc_pdf_Export", False: "writer_pdf_Export"}


def prop(name: str, value: object) -> PropertyValue:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def connect(pipe: str, office: subprocess.Popen) -> Any:
    """The running LibreOffice's desktop, once it accepts on the pipe."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_TIMEOUT_S
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:  # NoConnectException until it listens
            if office.poll() is not None or time.monotonic() > deadline:
                print("Error: LibreOffice did not start", flush=True)
                sys.exit(3)
            time.sleep(0.05)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def forbid_breaks(doc: Any) -> None:
    """Every cell style applies 避头尾. The sheets are unprotected first (a style of a protected workbook
    cannot change): only this in-memory copy is touched, and no password is ever set on plandocs' files."""
    if doc.isProtected():
        doc.unprotect("")
    for sheet in doc.Sheets:
        if sheet.isProtected():
            sheet.unprotect("")
    styles = doc.StyleFamilies.getByName("CellStyles")
    for name in styles.ElementNames:
        styles.getByName(name).ParaIsForbiddenRules = True


def convert(desktop: Any, source: str, out_dir: str, office_gone: Callable[[], bool]) -> None:
    stem = os.path.splitext(os.path.basename(source))[0]
    target = os.path.join(out_dir, f"{stem}.pdf")
    load = (prop("Hidden", True), prop("MacroExecutionMode", NEVER_EXECUTE), prop("UpdateDocMode", NO_UPDATE))
    try:
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, load
        )
    except Exception:
        if office_gone():
            raise
        doc = None
    if doc is None:
        print("Error: source file could not be loaded", flush=True)
        return
    try:
        calc = doc.supportsService(SPREADSHEET)
        print(f"convert {source} -> {target} using filter : {FILTERS[calc]}", flush=True)
        if calc:
            try:
                forbid_breaks(doc)
            except Exception:  # (a password on a sheet): printed as it is; conform's 避头尾 rule will say so
                print("Warning: forbidden-characters rule not applied", flush=True)
        url = uno.systemPathToFileUrl(os.path.abspath(target))
        try:
            doc.storeToURL(url, (prop("FilterName", FILTERS[calc]),))
        except Exception:
            if office_gone():
                raise
            print("Error: export failed", flush=True)  # no PDF: the caller reports this file
    finally:
        try:
            doc.close(True)
        except Exception:
            if office_gone():
                raise


def main(profile: str, pipe: str, out_dir: str, sources: list[str]) -> int:
    office = subprocess.Popen(
        [
            os.environ.get("PLANDOCS_SOFFICE", "soffice"),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        desktop = connect(pipe, office)
        for source in sources:
            convert(desktop, source, out_dir, lambda: office.poll() is not None)
        with contextlib.suppress(Exception):  # the bridge goes down as it quits
            desktop.terminate()
        office.wait(timeout=30)
        return 0
    except Exception as error:  # LibreOffice crashed or went away: the caller retries the rest
        print(f"Error: {type(error).__name__}", flush=True)
        return 3
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))
