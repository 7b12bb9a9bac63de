"""What every benchmark prints first and writes with ``--json``: the machine it ran on.

Speed figures mean little without the CPU behind them (the same code ran 2.8x
faster in bf16 on a CPU with AMX than on one without), so each benchmark
prints :func:`cpu_header` before its figures and puts :func:`machine` beside
them in its ``--json`` file.

>>> "cpu" in machine() and "flags" in machine()
True
"""
from __future__ import annotations

import importlib.util
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# The flags that decide which precision and kernels run fast (quoteframe.precision reads the same ones).
SPEED_FLAGS = ("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx_vnni", "avx512_bf16",
               "amx_tile", "amx_bf16", "amx_int8")


def cpu_info() -> dict[str, str]:
    """The first processor's fields of /proc/cpuinfo (empty off Linux)."""
    info: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if not key.strip() and info:
                break  # the end of the first processor
            info.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    return info


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def machine() -> dict[str, Any]:
    """CPU model, the speed-relevant flags it has, cores, torch's kernel level and GPU, load average."""
    info = cpu_info()
    flags = set(info.get("flags", "").split())
    out: dict[str, Any] = {
        "cpu": info.get("model name") or platform.processor() or "unknown",
        "flags": [f for f in SPEED_FLAGS if f in flags],
        "cores": cores(),
        "python": platform.python_version(),
        "load_average": _load(),
    }
    try:
        import torch

        out["torch"] = torch.__version__
        out["torch_cpu_capability"] = torch.backends.cpu.get_cpu_capability()
        out["gpu"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except ImportError:  # pragma: no cover - torch is a dependency
        pass
    return out


def cpu_header() -> str:
    """One line to print before any figure: ``CPU: AMD EPYC (2 cores) flags: avx2 ... | torch AVX512 | load ...``."""
    m = machine()
    parts = [f"CPU: {m['cpu']} ({m['cores']} cores)", f"flags: {' '.join(m['flags']) or 'none of ' + ' '.join(SPEED_FLAGS[:3])}"]
    if "torch_cpu_capability" in m:
        parts.append(f"torch kernels: {m['torch_cpu_capability']}")
    if m.get("gpu"):
        parts.append(f"GPU: {m['gpu']}")
    parts.append(f"load average: {' '.join(f'{x:.2f}' for x in m['load_average'])}")
    return " | ".join(parts)


def add_json_option(parser) -> None:
    parser.add_argument("--json", metavar="FILE", type=Path, help="also write the figures, with the machine, as JSON")


def write_json(path: Path | None, figures: dict[str, Any]) -> None:
    """``{"machine": ..., "command": ..., **figures}`` to ``path`` (nothing without one)."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"machine": machine(), "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]), **figures}
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def make_articles(n: int, seed: int) -> list[dict]:
    """``n`` articles of bench/make_archive.py (``id``, ``text``), the same for the same seed."""
    spec = importlib.util.spec_from_file_location("make_archive", REPO / "bench" / "make_archive.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_archive"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return [{"id": a["id"], "text": a["text"]} for a in module.generate(n, seed)]


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []
