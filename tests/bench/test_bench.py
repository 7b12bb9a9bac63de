"""The benchmark commands: the CPU header they print first, their --json output, and the GPU
benchmark's CPU smoke run (the figures are the benchmarks' business; here: that they come out)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.machine import cpu_header, machine
from tests.conftest import REPO


def test_the_header_names_the_cpu_and_the_flags_that_decide_speed():
    m = machine()
    assert m["cores"] >= 1 and m["cpu"]
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        flags = set(next(line for line in cpuinfo.read_text().splitlines() if line.startswith("flags")).split())
        assert set(m["flags"]) <= flags
        assert ("avx2" in m["flags"]) == ("avx2" in flags)
    header = cpu_header()
    assert header.startswith(f"CPU: {m['cpu']}") and "flags:" in header


@pytest.mark.slow
def test_gpu_benchmark_smoke_runs_the_batch_path_on_the_cpu(tmp_path):
    out = tmp_path / "gpu.json"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "gpu.py"), "--smoke", "--articles", "10",
                           "--model-seconds", "1", "--json", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("CPU: ")
    figures = json.loads(out.read_text())
    assert figures["device"] == "cpu" and figures["precision"] == "bf16" and figures["pass_tokens"] >= 16_384
    assert figures["scoring"]["articles"] == 10 and figures["scoring"]["quotes"] > 0
    assert figures["scoring"]["articles_per_s"] > 0 and figures["model"]["tokens_per_s"] > 0
    assert figures["machine"]["cpu"] == machine()["cpu"]


def test_gpu_benchmark_without_cuda_says_so(monkeypatch):
    import torch

    from bench import gpu

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(SystemExit) as stop:
        gpu.pick_device(smoke=False)
    assert "no CUDA device" in str(stop.value) and "--smoke" in str(stop.value)
    assert gpu.pick_device(smoke=True) == "cpu"


def test_renamed_heldout_scores_the_quotes_as_written_and_renamed(tmp_path):
    from training.train import build_default_model

    build_default_model()  # the set-up command builds it; this only builds it when missing
    rows = [
        {"text": "Chilean patrol boats rammed our trawler and Santiago must answer for it", "speaker_actor": "Peru",
         "frame": "blame", "target": "Chile", "stance": "against"},
        {"text": "the talks with Lima will resume next month in a spirit of good faith", "speaker_actor": "Chile",
         "frame": "de-escalation"},
        {"text": "the crew had been fishing illegally inside Peruvian waters, as the Peruvian navy claims, is false",
         "speaker_actor": "Chile", "frame": "denial", "target": "Peru", "stance": "against"},
    ]
    labels = tmp_path / "quotes.jsonl"
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows))
    done = subprocess.run([sys.executable, str(REPO / "bench" / "renamed_heldout.py"), "--labels", str(labels),
                           "--renamings", "2"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("3 quotes of ")
    scored = [line.split() for line in lines if line.startswith(("as written", "renamed (")) and "differ" not in line]
    assert [s[0] for s in scored] == ["as", "renamed", "renamed"]
    # four figures a row, each a share
    assert all(len(s[-4:]) == 4 and all(0.0 <= float(x) <= 1.0 for x in s[-4:]) for s in scored)
    assert sum("frames differ from the quotes as written" in line for line in lines) == 2
