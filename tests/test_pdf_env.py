"""The converters' environment: our fontconfig file always, tcmalloc for LibreOffice when the machine has it."""

from __future__ import annotations

import os

import pytest

from generators.pdf import soffice


def test_libreoffice_gets_tcmalloc_when_the_machine_has_it(monkeypatch, tmp_path):
    library = tmp_path / soffice.TCMALLOC
    library.write_bytes(b"")
    monkeypatch.setattr(soffice, "LIBRARY_FOLDERS", ("/nonexistent", str(tmp_path)))
    monkeypatch.delenv("PLANDOCS_MALLOC", raising=False)
    monkeypatch.setenv("LD_PRELOAD", "/opt/other.so")
    env = soffice.converter_env()
    assert env["LD_PRELOAD"] == f"/opt/other.so:{library}"  # the caller's own preload kept, first
    assert env["FONTCONFIG_FILE"] == str(soffice.FONTS_CONF)
    monkeypatch.setenv("PLANDOCS_MALLOC", "system")
    assert soffice.converter_env()["LD_PRELOAD"] == "/opt/other.so"


def test_without_tcmalloc_the_environment_is_the_callers(monkeypatch):
    monkeypatch.setattr(soffice, "LIBRARY_FOLDERS", ("/nonexistent",))
    monkeypatch.delenv("LD_PRELOAD", raising=False)
    env = soffice.converter_env()
    assert "LD_PRELOAD" not in env
    assert {k: v for k, v in env.items() if k != "FONTCONFIG_FILE"} == dict(os.environ)


@pytest.mark.skipif(soffice.fast_malloc() is None, reason="tcmalloc not installed")
def test_the_library_named_is_a_real_file():
    assert os.path.isfile(str(soffice.fast_malloc()))
