"""The formats kit: low-level file-format plumbing that the renderers build on, kept apart from them.

Each module here knows one file format (or one library's way of writing it) and nothing about plans:
what goes in is bytes, XML, Jinja contexts or workbooks, what comes out is bytes. Where a module relies on
a library's internals, its docstring names the private members it touches and what breaks if they change,
and a test holds its output byte for byte against the library's own public way (tests/test_fast_writers.py).
The library versions are pinned in pyproject.toml; a version bump must keep those tests green.

- zipwriter: the reproducible zip (fixed dates, stable member order) every .docx/.xlsx is written as.
  Depends on: the standard library only (zipfile's layout, zlib's deflate at level 6).
"""
