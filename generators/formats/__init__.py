"""The formats kit: low-level file-format plumbing that the renderers build on, kept apart from them.

Each module here knows one file format (or one library's way of writing it), not what a document says:
what goes in is bytes, XML, Jinja contexts or workbooks, what comes out is bytes. Where a module relies on
a library's internals, its docstring names the private members it touches and what breaks if they change,
and a test holds its output byte for byte against the library's own public way (tests/test_fast_writers.py).
The library versions are pinned in pyproject.toml; a version bump must keep those tests green.
Renderers leave these internals to the kit (tests/test_layering.py).

- zipwriter: the reproducible zip (fixed dates, stable member order) every .docx/.xlsx is written as.
  Depends on: the standard library only (zipfile's layout, zlib's deflate at level 6).
- docx_fast: a docxtpl template prepared once, each document rendered straight to .docx bytes.
  Depends on: docxtpl 0.20.2, python-docx 1.2.0, Jinja2 3.1.6, lxml 6.1.3 (private members: see module).
- docx_sections: a rendered body's empty last section dropped. Depends on: lxml 6.1.3.
- xlsx_bytes: an openpyxl workbook as reproducible .xlsx bytes, no data text written as a formula.
  Depends on: openpyxl 3.1.5 (ExcelWriter, Worksheet._cells).
- xlsx_stamp: copies of one openpyxl-written workbook with pieces of its XML rewritten as openpyxl
  writes them. Depends on: openpyxl 3.1.5 (the shape of its XML; no private member).
- xlsx: the one workbook helper: named cell-style combinations applied fast (StyleCache), the print setup
  read from templates/layout.yaml (PrintSetup: paper, margins, fit or scale, repeated titles, footer),
  document properties, and the sizes openpyxl leaves to the reader (column widths in Excel's units, row
  heights from the text). Depends on: openpyxl 3.1.5 (cell._style, wb._fonts, wb._named_styles).
"""
