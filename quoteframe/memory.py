"""Handing freed heap memory back to the system (glibc only; a no-op elsewhere).

Forward passes allocate tensors of ever-different shapes (each pass is padded to its own longest
quote). glibc keeps the freed pieces in its arenas, which fragment, so a long scoring run's
resident memory creeps up though nothing is alive. ``malloc_trim(0)`` returns the free pages.
Measured on 1,500 quotes labelled 300 at a time on one thread: trimmed only after each call, peak
memory rose 225-238 MiB above the model's; trimmed after each pass too, 72 MiB, at the same speed.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import sys


def release_freed_memory() -> None:
    """Return freed heap pages to the system; cheap (a walk of the free lists)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _load_libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _load_libc()
