"""Fixed thresholds for the C allocator (glibc malloc) of the hub's long-running processes: the API, the
workers and the scheduler call `fix_malloc_thresholds` before they start serving.

glibc serves a block larger than its mmap threshold (128 KiB at start) from a mapping of its own, returned to
the system when the block is freed. By default that threshold is dynamic: freeing such a block raises it to
the block's size (up to 32 MiB), and the heap's trim threshold to twice that. Once the first upload part,
search answer or extracted text of a few MiB has been freed, every later buffer up to that size comes from
the heap instead, and the holes these buffers leave between longer-lived blocks stay resident. Under the load
(`make load`: 1-5 MiB uploads) this made the API processes grow ~1.3 MiB/min and the ingest worker
~5 MiB/min while their Python objects did not grow (tracemalloc flat, the allocator's free-but-kept bytes
growing). MALLOC_ARENA_MAX does not help: the holes are in every arena. Setting the thresholds (setting
either one turns the dynamic adjustment off) keeps large buffers in their own mappings, returned as soon as
they are freed.

Why 1 MiB and not glibc's initial 128 KiB: a mapping's pages are faulted in afresh at every use, which on
this project's machines costs ~1.6 ms per MiB written (a heap block reused: ~0.07 ms). Search answers and
MongoDB batches of a few hundred KiB come with most requests; they stay on the heap, where blocks of similar
sizes reuse each other's space. Document bytes, texts and upload parts (MiBs, a few per upload) are mapped.
Both sizes kept the load's processes flat (`make load`, 10 minutes at 20 requests/s).

Only on glibc; elsewhere (musl, macOS) nothing is changed. PANTAU_MALLOC_MMAP_THRESHOLD_BYTES = 0 leaves
glibc's dynamic default.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import platform

log = logging.getLogger(__name__)

# mallopt parameters (glibc's malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
# glibc refuses an mmap threshold above HEAP_MAX (32 MiB on 64-bit).
MAX_MMAP_THRESHOLD = 32 * 1024 * 1024


def _glibc() -> ctypes.CDLL | None:
    if platform.libc_ver()[0] != "glibc":
        return None
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name else None


def fix_malloc_thresholds(mmap_threshold: int) -> bool:
    """Blocks of `mmap_threshold` bytes or more get mappings of their own, and free memory at the top of a
    heap beyond as much is given back, from now on and in processes forked after (Celery's pool children).
    False when nothing was changed: 0, or not glibc."""
    if mmap_threshold <= 0:
        return False
    if mmap_threshold > MAX_MMAP_THRESHOLD:
        raise ValueError(f"the mmap threshold must be at most {MAX_MMAP_THRESHOLD} bytes")
    libc = _glibc()
    if libc is None:
        return False
    fixed = bool(libc.mallopt(M_MMAP_THRESHOLD, mmap_threshold)) and bool(
        libc.mallopt(M_TRIM_THRESHOLD, mmap_threshold)
    )
    if not fixed:
        log.warning("malloc thresholds not fixed: mallopt refused %d", mmap_threshold)
    return fixed
