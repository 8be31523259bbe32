"""make bench's memory figures measure the command, not the bench that starts it: Linux hands a parent's
high-water mark to a child across fork and exec, so a command started straight from a bench holding
200 MB would report 200 MB, whatever it used itself."""

from __future__ import annotations

import subprocess
import sys

import pytest

from generators.bench import _HOP, whole_process

OWN_PEAK = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"


@pytest.fixture
def heavy_bench():
    ballast = bytearray(200 * 1024 * 1024)
    ballast[::4096] = b"\1" * len(ballast[::4096])  # touched: resident, not just reserved
    yield ballast


def test_the_inheritance_is_real(heavy_bench):
    """Without a process in between, the child reports the bench's 200 MB (what the fixes guard against)."""
    reported = int(subprocess.run([sys.executable, "-c", OWN_PEAK], capture_output=True, text=True).stdout)
    assert reported >= 200


def test_a_commands_peak_memory_is_its_own(heavy_bench):
    seconds, peak_mb = whole_process("--help")  # about 16 MB
    assert 0 < seconds < 30
    assert 5 < peak_mb < 100


def test_a_child_started_through_the_hop_reports_its_own_peak(heavy_bench):
    """The city-scale and ledger children print their own peak: started through _HOP, it is theirs."""
    run = subprocess.run(
        [sys.executable, "-c", _HOP, sys.executable, "-c", OWN_PEAK], capture_output=True, text=True
    )
    assert run.returncode == 0
    assert 5 < int(run.stdout) < 100
