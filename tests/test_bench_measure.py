"""make bench's whole-process figures measure the command, not the bench that starts it."""

from __future__ import annotations

from generators.bench import whole_process


def test_a_commands_peak_memory_is_its_own_not_the_benchs():
    """Linux hands a parent's high-water mark to a child across fork and exec: started straight from a
    bench holding 200 MB, `plandocs --help` (about 16 MB) would report 200 MB."""
    ballast = bytearray(200 * 1024 * 1024)
    ballast[::4096] = b"\1" * len(ballast[::4096])  # touched: resident, not just reserved
    seconds, peak_mb = whole_process("--help")
    assert len(ballast) and 0 < seconds < 30
    assert 5 < peak_mb < 100
