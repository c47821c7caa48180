"""hub.allocator: once the malloc thresholds are fixed, a multi-MiB buffer freed does not send the buffers
after it onto the heap (where their holes stay resident); the long-running commands fix them at start."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hub.allocator import MAX_MMAP_THRESHOLD, fix_malloc_thresholds
from hub.settings import Settings, SettingsError, load_settings
from tests.test_settings import environment  # noqa: F401  (fixture)

# Run in a child process: the thresholds are process-wide, and the dynamic one moves only upward.
PROBE = """
import ctypes, sys
from hub.allocator import fix_malloc_thresholds

class Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
        "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Mallinfo2
if sys.argv[1] == "fixed":
    assert fix_malloc_thresholds(int(sys.argv[2]))
big = bytearray(8 * 2**20)  # mapped; freeing it raises glibc's dynamic threshold to 8 MiB
del big
before = libc.mallinfo2().hblkhd
buffers = [bytearray(2 * 2**20) for _ in range(4)]
print(libc.mallinfo2().hblkhd - before)
"""


def _mapped_after_a_large_free(mode: str) -> int:
    threshold = str(Settings.model_fields["malloc_mmap_threshold_bytes"].default)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode, threshold], capture_output=True, text=True, timeout=60, check=True
    )
    return int(done.stdout.strip())


def test_fixed_thresholds_keep_large_buffers_in_their_own_mappings() -> None:
    # glibc's default: after the 8 MiB buffer, 2 MiB buffers come from the heap (nothing newly mapped).
    assert _mapped_after_a_large_free("default") == 0
    # With the setting's default threshold, each is mapped.
    assert _mapped_after_a_large_free("fixed") >= 4 * 2 * 2**20


def test_zero_leaves_the_allocator_alone_and_too_large_is_refused() -> None:
    assert fix_malloc_thresholds(0) is False
    with pytest.raises(ValueError, match="at most"):
        fix_malloc_thresholds(MAX_MMAP_THRESHOLD + 1)


def test_the_setting_defaults_to_1_mib_and_refuses_a_negative_size(
    environment: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    assert load_settings().malloc_mmap_threshold_bytes == 1024 * 1024
    environment.setenv("PANTAU_MALLOC_MMAP_THRESHOLD_BYTES", "-1")
    with pytest.raises(SettingsError, match="PANTAU_MALLOC_MMAP_THRESHOLD_BYTES"):
        load_settings()
