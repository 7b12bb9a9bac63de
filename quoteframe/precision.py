"""The number format the classifier runs in, and how ``auto`` picks it.

- ``fp32``: float32 weights and arithmetic; runs everywhere, the reference.
- ``bf16``: bfloat16 weights (the whole model). Fast where the CPU multiplies bf16 natively
  (AMX, AVX-512 BF16) and on CUDA; emulated, and slow, elsewhere.
- ``int8``: int8 weights in the encoder's linear layers (torch dynamic quantisation; CPU
  only). Fast where the CPU has VNNI; activations are scaled per forward pass, so a
  quote's labels may depend on its batch-mates.
- ``auto`` (the default): the fastest format this machine runs natively (on CUDA bf16; on a
  CPU bf16 with AMX or AVX-512 BF16, else int8 with VNNI), but only one that the model
  folder has been checked for, else fp32.

The check (:func:`quoteframe.classifier.precision_check.check_precisions`) runs at ``quoteframe train`` time on the held-out
quotes and is recorded in the model folder's ``precision.json``: a format passes when its
frame macro-F1 is within :data:`MAX_F1_DROP` (0.5 points) of fp32's and it picks fp32's
primary frame for at least :data:`MIN_SAME_FRAME` (99%) of the quotes. A folder without
the record runs fp32 under ``auto``. For a folder trained before the check existed::

    python -m quoteframe.classifier.precision_check MODEL_DIR            # prints the check
    python -m quoteframe.classifier.precision_check MODEL_DIR --write    # and records it in the folder

>>> choose("auto", "cpu", checked={"bf16"}, flags={"avx2", "avx512_bf16"})
'bf16'
>>> choose("auto", "cpu", checked=set(), flags={"avx2", "avx512_bf16"})
'fp32'
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Collection, Sequence

from quoteframe.errors import ModelError

PRECISIONS = ("auto", "fp32", "bf16", "int8")
RECORD_FILE = "precision.json"
MAX_F1_DROP = 0.005   # frame macro-F1, as a fraction (0.5 points)
MIN_SAME_FRAME = 0.99
# CPU flags (/proc/cpuinfo) under which a format runs on native instructions
KERNEL_CACHE_ENTRIES = 64
NATIVE_FLAGS = {"bf16": ("amx_bf16", "avx512_bf16"), "int8": ("amx_int8", "avx512_vnni", "avx_vnni")}


# -- what this machine runs natively ---------------------------------------------------
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags from /proc/cpuinfo; empty where there is none (macOS, Windows)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("flags"):
                    return frozenset(line.partition(":")[2].split())
    except OSError:
        pass
    return frozenset()


def native_precisions(device: str, flags: Collection[str] | None = None) -> list[str]:
    """The faster-than-fp32 formats ``device`` runs natively, best first."""
    if device.startswith("cuda"):
        return ["bf16"]
    flags = cpu_flags() if flags is None else flags
    return [p for p in ("bf16", "int8") if any(f in flags for f in NATIVE_FLAGS[p])]


def choose(requested: str, device: str, checked: Collection[str], flags: Collection[str] | None = None) -> str:
    """The format to run: ``requested`` itself, or for ``auto`` the best native one in ``checked``."""
    if requested not in PRECISIONS:
        raise ModelError(f"unknown precision {requested!r}; use one of {', '.join(PRECISIONS)}")
    if requested == "int8" and not device.startswith("cpu"):
        raise ModelError(f"int8 weights run on the CPU only, not on {device}; use --precision bf16 or fp32")
    if requested != "auto":
        return requested
    return next((p for p in native_precisions(device, flags) if p in checked), "fp32")


def from_int8_flag(int8: bool | None, precision: str | None) -> str:
    """The precision of the deprecated ``--int8``/``--no-int8`` (``int8=True/False``), else ``precision``."""
    if int8 is None:
        return precision or "auto"
    if precision not in (None, "auto"):
        raise ModelError("give --precision or the older --int8/--no-int8, not both")
    return "int8" if int8 else "fp32"


def add_precision_option(parser) -> None:
    """``--precision`` (and the older ``--int8``/``--no-int8``) on a command that runs the model."""
    import argparse

    parser.add_argument("--precision", choices=PRECISIONS, default=None,
                        help="number format of the classifier: auto (default) picks bf16 or int8 where this CPU "
                             "runs it natively and the model folder was checked for it (precision.json), else "
                             "fp32; bf16 on CUDA")
    parser.add_argument("--int8", action=argparse.BooleanOptionalAction, default=None,
                        help=argparse.SUPPRESS)  # deprecated: --precision int8 / fp32


def bound_kernel_caches() -> None:
    """Keep oneDNN's caches of compiled kernels small (unless the environment sets them).

    bf16 on the CPU runs through oneDNN, which compiles and caches kernels per matrix shape,
    in ideep's cache and its own (1,024 entries each by default). Every forward pass has
    its own shape, so a long labelled run grew by ~25 MiB per 300 quotes. With 64 entries
    memory stays flat (300-quote rounds of held-out quotes) and one article's 23 quotes took
    308 ms against 290 uncapped (16 entries: flat too, but 318 ms: a request's passes need more
    kernels than that). Both are read when oneDNN first runs, so this comes before the first
    forward pass."""
    import os

    for name in ("LRU_CACHE_CAPACITY", "ONEDNN_PRIMITIVE_CACHE_CAPACITY"):
        os.environ.setdefault(name, str(KERNEL_CACHE_ENTRIES))


# -- the model folder's record -------------------------------------------------------------
def read_record(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((Path(folder) / RECORD_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def checked_precisions(folder: Path) -> set[str]:
    """The formats the folder's record says passed the check (fp32 always does)."""
    record = read_record(folder)
    return {"fp32"} | {p for p, r in record.get("precisions", {}).items() if isinstance(r, dict) and r.get("passed")}


def write_record(folder: Path, record: dict[str, Any]) -> Path:
    path = Path(folder) / RECORD_FILE
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return path
