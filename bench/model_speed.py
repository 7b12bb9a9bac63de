"""The classifier's speed against the FP32 FLOP bound of this machine's CPU.

    .venv/bin/python bench/model_speed.py                              # fp32, bf16 and int8, 2 threads
    .venv/bin/python bench/model_speed.py --threads 1 --batch-size 16 --seconds 20

Prints:

- the encoder's FLOPs per token, counted from its config.json: 2 FLOPs per
  multiply-add of the Q, K, V, attention-output and two feed-forward matrices,
  plus the attention scores (QK^T) and context (AV) over the mean input length;
- the CPU's FP32 peak = cores x GHz x FLOPs/cycle, with FLOPs/cycle = FP32 lanes
  of the widest vector flag in /proc/cpuinfo (avx512f 16, avx/avx2 8, sse 4)
  x 2 when it has FMA x 2 FMA units (an assumption: true of most x86 cores
  since Haswell and Zen; said again where the core is known to differ);
- model-only tokens/s (real tokens, padding not counted; the forward pass of
  encoder and heads on batches already encoded) on the held-out labelled
  quotes, for fp32, bf16 weights and int8, with the percent of that bound; and the time to
  label one article's quotes (``Classifier.classify`` of its ``article_records``: encoding, forward
  passes, decoding), for the seed articles joined into one when they are there.

Variants run in turns (``--rounds``), so that a busy machine slows them alike;
the figures are medians over the rounds. Timings on a shared machine are noisy:
read them with the load average printed beside them. The CPU header (model and
the flags that decide bf16 and int8 speed) comes first; ``--json FILE`` keeps
the figures with the machine.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import add_json_option, cpu_header, write_json  # noqa: E402
SEEDS = [REPO.parent / "shared" / "seeds", Path("/work/shared/seeds")]
FMA_UNITS = 2  # assumed: two FMA pipes a core
LANES = (("avx512f", 16), ("avx2", 8), ("avx", 8), ("sse", 4))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(cpu_header())
    import torch

    torch.set_num_threads(args.threads)
    from quoteframe.classifier import Classifier
    from quoteframe.classifier.data import HELDOUT_DIR, read_labelled

    models = {name: Classifier.load(args.model, precision=name, device="cpu") for name in args.variants}
    for clf in models.values():
        clf.batch_size = args.batch_size
    first = next(iter(models.values()))
    rows = read_labelled([HELDOUT_DIR])
    batches = encode_batches(first, rows, args.batch_size)
    real = sum(int(b.inputs["attention_mask"].sum()) for b in batches)
    mean_len = real / len(rows)
    flops = flops_per_token(first.model.encoder.config, mean_len)
    cpu = cpu_peak()
    print_setup(args, flops, cpu, rows, batches, first)
    speeds = measure_speed(models, batches, real, args)
    article = measure_article(models, args)
    print_results(speeds, article, flops, cpu, args)
    write_json(args.json, {
        "threads": args.threads, "batch_size": args.batch_size, "flops_per_token": flops["total"],
        "fp32_bound_tokens_per_s": round(cpu.gflops * 1e9 / flops["total"]),
        "tokens_per_s": {name: round(statistics.median(values)) for name, values in speeds.items()},
        "tokens_per_s_rounds": {name: [round(v) for v in values] for name, values in speeds.items()},
        "article_ms": {name: round(1000 * statistics.median(t), 1) for name, t in (article or {}).get("times", {}).items()},
    })
    return 0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", metavar="DIR", help="model folder (default: the default model)")
    p.add_argument("--threads", type=int, default=2, help="torch threads (default 2)")
    p.add_argument("--batch-size", type=int, default=32, help="most quotes in one forward pass (default 32)")
    p.add_argument("--seconds", type=float, default=6.0, help="seconds of forward passes per variant and round (default 6)")
    p.add_argument("--rounds", type=int, default=3, help="turns of all variants (default 3)")
    p.add_argument("--variants", nargs="+", choices=("fp32", "bf16", "int8"), default=["fp32", "bf16", "int8"])
    p.add_argument("--article", nargs="*", metavar="TXT",
                   help="article text files joined into one for the labelling time (default: the shared seeds)")
    add_json_option(p)
    return p.parse_args(argv)


# -- what the model and the CPU can do ------------------------------------------------
def flops_per_token(config, seq_len: float) -> dict[str, float]:
    """FP32 FLOPs for one token through the encoder, from its config (2 FLOPs a multiply-add)."""
    h, i, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    matmul = 2 * (4 * h * h + 2 * h * i)        # Q, K, V, attention output; FFN up and down
    attention = 2 * 2 * seq_len * h            # scores QK^T and context AV, all heads together
    return {"matmul": layers * matmul, "attention": layers * attention, "total": layers * (matmul + attention),
            "hidden": h, "intermediate": i, "layers": layers, "heads": config.num_attention_heads, "seq_len": seq_len}


@dataclass
class CpuPeak:
    name: str
    cores: int
    ghz: float
    ghz_source: str
    lanes: int
    lanes_flag: str
    fma: bool
    note: str | None

    @property
    def flops_per_cycle(self) -> int:
        return self.lanes * (2 if self.fma else 1) * FMA_UNITS

    @property
    def gflops(self) -> float:
        return self.cores * self.ghz * self.flops_per_cycle


def cpu_peak() -> CpuPeak:
    info = _cpuinfo()
    flags = set(info.get("flags", "").split())
    flag, lanes = next(((f, n) for f, n in LANES if f in flags), ("none", 1))
    ghz, source = _ghz(info)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return CpuPeak(info.get("model name", "unknown"), cores, ghz, source, lanes, flag, "fma" in flags, _core_note(info, lanes))


def _cpuinfo() -> dict[str, str]:
    info: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    return info


def _ghz(info: dict[str, str]) -> tuple[float, str]:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        m = re.search(r"CPU max MHz:\s*([\d.]+)", lscpu)
        if m and float(m.group(1)) > 0:
            return float(m.group(1)) / 1000, "lscpu CPU max MHz"
    except (OSError, subprocess.SubprocessError):
        pass
    if "cpu MHz" in info:
        return float(info["cpu MHz"]) / 1000, "/proc/cpuinfo cpu MHz"
    return 1.0, "unknown (1 GHz assumed)"


def _core_note(info: dict[str, str], lanes: int) -> str | None:
    family, model = int(info.get("cpu family", 0) or 0), int(info.get("model", 0) or 0)
    if info.get("vendor_id") == "AuthenticAMD" and family == 23 and model < 0x30 and lanes == 8:
        return ("this is a Zen/Zen+ core (family 23, model %d): it runs each 256-bit AVX2 operation as two 128-bit "
                "halves, so its real FP32 peak is half the bound above (%d FLOPs/cycle)" % (model, lanes * FMA_UNITS))
    return None


# -- measuring ----------------------------------------------------------------------------
def encode_batches(clf, rows, batch_size: int) -> list:
    """The held-out quotes as the Classifier batches them: encoded once, length groups, no padding beyond each group's longest."""
    from quoteframe.classifier import length_groups

    features = clf.encoder.features(rows)
    return [clf.encoder.collate([features[i] for i in g]) for g in length_groups([len(f) for f in features], batch_size)]


def legacy_padding(clf, rows, batch_size: int) -> float:
    """The padding share of the batching before length groups: sorted by characters, padded to a multiple of 32."""
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]["text"]) + len(rows[i].get("context") or ""))
    real = total = 0
    for at in range(0, len(order), batch_size):
        mask = clf.encoder.encode([rows[i] for i in order[at : at + batch_size]]).inputs["attention_mask"]
        real, total = real + int(mask.sum()), total + mask.numel()
    return 1 - real / total


def measure_speed(models: dict, batches: list, real: int, args) -> dict[str, list[float]]:
    import torch

    speeds: dict[str, list[float]] = {name: [] for name in models}
    with torch.inference_mode():
        for clf in models.values():  # warm-up
            for batch in batches:
                clf.model(batch)
        for _ in range(args.rounds):
            for name, clf in models.items():
                tokens, started = 0, time.perf_counter()
                while time.perf_counter() - started < args.seconds:
                    for batch in batches:
                        clf.model(batch)
                    tokens += real
                speeds[name].append(tokens / (time.perf_counter() - started))
    return speeds


def measure_article(models: dict, args) -> dict[str, tuple[int, int, list[float]]] | None:
    """``{variant: (quotes, tokens, seconds per labelling)}`` for the article, or ``None`` without one."""
    paths = [Path(p) for p in args.article] if args.article else next(
        (sorted(s.glob("*.txt")) for s in SEEDS if s.is_dir()), [])
    if not paths:
        return None
    from quoteframe.analyzer import Analyzer

    text = "\n\n".join(p.read_text(encoding="utf-8") for p in paths)
    quotes = Analyzer(classifier=None).analyze(text, id="bench").quotes
    if not quotes:
        return None
    first = next(iter(models.values()))
    from quoteframe.classifier import quote_context

    tokens = sum(len(f) for f in first.encoder.features([{"text": q.text, "context": quote_context(text, q),
                                                          "speaker_actor": q.speaker.actor} for q in quotes]))
    times: dict[str, list[float]] = {name: [] for name in models}
    for clf in models.values():
        clf.classify(clf.article_records([(quotes, text)]))
    for _ in range(max(5, 5 * args.rounds)):
        for name, clf in models.items():
            started = time.perf_counter()
            clf.classify(clf.article_records([(quotes, text)]))
            times[name].append(time.perf_counter() - started)
    return {"words": len(text.split()), "quotes": len(quotes), "tokens": tokens, "times": times}


# -- reporting ------------------------------------------------------------------------------
def print_setup(args, flops, cpu: CpuPeak, rows, batches, clf) -> None:
    padded = sum(b.inputs["attention_mask"].numel() for b in batches)
    real = sum(int(b.inputs["attention_mask"].sum()) for b in batches)
    print(f"model    {clf.folder}  (hidden {flops['hidden']}, {flops['layers']} layers, "
          f"intermediate {flops['intermediate']}, {flops['heads']} heads)")
    print(f"FLOPs    {flops['total'] / 1e6:.2f} M per token = {flops['matmul'] / 1e6:.2f} M matmuls "
          f"[{flops['layers']} x 2 x (4 x {flops['hidden']}^2 + 2 x {flops['hidden']} x {flops['intermediate']})] "
          f"+ {flops['attention'] / 1e6:.2f} M attention [{flops['layers']} x 4 x {flops['seq_len']:.1f} tokens x {flops['hidden']}]")
    print(f"CPU      {cpu.name}: {cpu.cores} cores x {cpu.ghz:.2f} GHz ({cpu.ghz_source}) x {cpu.flops_per_cycle} FLOPs/cycle "
          f"[{cpu.lanes} FP32 lanes ({cpu.lanes_flag}) x {2 if cpu.fma else 1} ({'FMA' if cpu.fma else 'no FMA'}) "
          f"x {FMA_UNITS} FMA units (assumed)] = {cpu.gflops:.1f} GFLOP/s FP32 peak")
    if cpu.note:
        print(f"         note: {cpu.note}: {cpu.gflops / 2:.1f} GFLOP/s")
    print(f"bound    {cpu.gflops * 1e9 / flops['total']:,.0f} tokens/s at the FP32 peak")
    print(f"data     {len(rows)} held-out quotes, {real:,} tokens ({real / len(rows):.1f} a quote) in {len(batches)} passes "
          f"of <= {args.batch_size}; padding {1 - real / padded:.1%} "
          f"(before length groups: {legacy_padding(clf, rows, args.batch_size):.1%})")
    print(f"threads  {args.threads}; load average before: {_load()}")


def print_results(speeds, article, flops, cpu: CpuPeak, args) -> None:
    bound = cpu.gflops * 1e9 / flops["total"]
    print(f"\nmodel-only throughput (median of {args.rounds} rounds of {args.seconds:.0f} s)")
    for name, values in speeds.items():
        tps = statistics.median(values)
        line = (f"  {name:5s} {tps:8,.0f} tokens/s  {tps * flops['total'] / 1e9:6.1f} GFLOP/s  "
                f"{tps / bound:6.1%} of the FP32 bound")
        if cpu.note:
            line += f" ({2 * tps / bound:.1%} of the Zen-aware bound)"
        print(line + f"   rounds: {', '.join(f'{v:,.0f}' for v in values)}")
    if article:
        print(f"\nlabelling one article ({article['words']} words, {article['quotes']} quotes, {article['tokens']} tokens): "
              "Classifier.classify of an article's records, median (min)")
        for name, values in article["times"].items():
            print(f"  {name:5s} {1000 * statistics.median(values):7.1f} ms  ({1000 * min(values):.1f} ms)")
    print(f"\nload average after: {_load()}")


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
