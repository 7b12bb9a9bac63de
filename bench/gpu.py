"""The batch path on a CUDA machine, in one command of at most 8 minutes: articles/s, quotes/s, model tokens/s.

    .venv/bin/python bench/gpu.py                                  # CUDA: bf16, 16k-token passes, a worker a core
    .venv/bin/python bench/gpu.py --articles 20000 --json build/bench/gpu.json
    .venv/bin/python bench/gpu.py --smoke                          # the same steps on the CPU, tiny (a test runs it)

Steps, each bounded:

1. an archive of ``--articles`` generated articles (bench/make_archive.py, seed 7);
2. the scorer's own loop (:func:`quoteframe.batch.score.score`, without writing the rows):
   parse worker processes, one per core, while the main process labels each parsed chunk's
   quotes on the GPU in bf16, in passes of up to ``--pass-tokens`` padded tokens (16,384);
   prints articles/s and quotes/s of the whole run and of the run after the first chunk
   (when the workers have started);
3. model-only throughput: the held-out quotes, encoded once, in the same passes, forward
   passes only, for ``--model-seconds``; real tokens/s (padding not counted).

A run that would pass ``--max-seconds`` (default 420 s, 7 minutes) stops scoring early and says
so; its figures cover what was scored. The CPU header and the GPU come first; ``--json FILE``
keeps the figures with the machine.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.machine import add_json_option, cores, cpu_header, make_articles, write_json  # noqa: E402

SMOKE = {"articles": 24, "workers": 1, "chunk_size": 8, "model_seconds": 2.0}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    deadline = time.monotonic() + args.max_seconds
    print(cpu_header(), flush=True)
    device = pick_device(args.smoke)
    analyzer = load(args, device)
    classifier = analyzer.classifier
    print(f"device {device}, {classifier.precision}, passes of up to {classifier.max_pass_tokens:,} tokens "
          f"and {classifier.batch_size} quotes, {args.workers} parse workers", flush=True)
    scoring = run_scoring(args, analyzer, deadline)
    model = model_throughput(classifier, min(args.model_seconds, max(1.0, deadline - time.monotonic())))
    report(scoring, model)
    write_json(args.json, {"device": device, "precision": classifier.precision, "pass_tokens": classifier.max_pass_tokens,
                           "workers": args.workers, "smoke": args.smoke, "scoring": scoring, "model": model})
    return 0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=8000, help="generated articles to score (default 8,000)")
    p.add_argument("--workers", type=int, default=None, help="parse processes (default: one per core)")
    p.add_argument("--chunk-size", type=int, default=256, help="articles per chunk (default 256)")
    p.add_argument("--pass-tokens", type=int, default=16_384, help="most padded tokens in one forward pass (default 16,384)")
    p.add_argument("--batch-size", type=int, default=1024, help="most quotes in one forward pass (default 1,024)")
    p.add_argument("--precision", choices=("bf16", "fp32", "auto"), default="bf16", help="number format (default bf16)")
    p.add_argument("--model", metavar="DIR", help="model folder (default: the default model)")
    p.add_argument("--model-seconds", type=float, default=30.0, help="seconds of model-only passes (default 30)")
    p.add_argument("--max-seconds", type=float, default=420.0, help="stop scoring by then (default 420: 7 minutes)")
    p.add_argument("--smoke", action="store_true", help="on the CPU, tiny: checks that the command runs")
    add_json_option(p)
    args = p.parse_args(argv)
    if args.smoke:
        for key, value in SMOKE.items():
            if getattr(args, key) == p.get_default(key):
                setattr(args, key, value)
    if args.workers is None:
        args.workers = cores()
    return args


def pick_device(smoke: bool) -> str:
    import torch

    if smoke:
        return "cpu"
    if not torch.cuda.is_available():
        sys.exit("bench/gpu.py: no CUDA device here; run it on a GPU machine, or with --smoke on the CPU")
    return "cuda"


def load(args, device: str):
    """The Analyzer of the model, set up as the scorer sets it up, with the pass budget of ``--pass-tokens``."""
    from quoteframe.analyzer import load_analyzer
    from quoteframe.batch.score import ScoreConfig, prepare

    analyzer = prepare(load_analyzer(args.model, precision=args.precision, device=device),
                       ScoreConfig(chunk_size=args.chunk_size, workers=args.workers, batch_size=args.batch_size))
    analyzer.classifier.max_pass_tokens = args.pass_tokens
    return analyzer


# -- the batch path --------------------------------------------------------------------------
def run_scoring(args, analyzer, deadline: float) -> dict:
    """The scorer's own loop (:func:`quoteframe.batch.score.score` without the output files):
    worker processes parse chunks while this process labels each parsed chunk; stops at ``deadline``."""
    from quoteframe.batch.score import _chunked, _parse, _set_threads, finish_chunk
    from quoteframe.batch.sources import Article

    articles = [Article(n, a["id"], a["text"]) for n, a in enumerate(make_articles(args.articles, 7))]
    _set_threads(args.workers, labels=True)
    done = quotes = 0
    started = time.perf_counter()
    first = None  # (seconds, articles) when the first chunk was done: the workers' start-up is behind
    for _, parsed in _parse(_chunked(articles, args.chunk_size), analyzer, args.workers):
        rows, _ = finish_chunk(analyzer, parsed)
        done, quotes = done + len(parsed), quotes + len(rows)
        first = first or (time.perf_counter() - started, done, quotes)
        if time.monotonic() > deadline:
            break
    seconds = time.perf_counter() - started
    steady = seconds - first[0]
    return {"articles": done, "quotes": quotes, "seconds": round(seconds, 2),
            "articles_per_s": round(done / seconds, 2), "quotes_per_s": round(quotes / seconds, 1),
            "after_first_chunk": {"seconds": round(steady, 2),
                                  "articles_per_s": round((done - first[1]) / steady, 2) if steady > 0 else None,
                                  "quotes_per_s": round((quotes - first[2]) / steady, 1) if steady > 0 else None},
            "stopped_early": done < len(articles)}


# -- the model alone -------------------------------------------------------------------------
def model_throughput(classifier, seconds: float) -> dict:
    """Real tokens/s of forward passes over the held-out quotes, in the classifier's own passes."""
    import torch

    from quoteframe.classifier import length_groups
    from quoteframe.classifier.data import HELDOUT_DIR, read_labelled

    rows = read_labelled([HELDOUT_DIR])
    features = classifier.encoder.features(rows)
    device = next(classifier.model.parameters()).device
    groups = length_groups([len(f) for f in features], classifier.batch_size, max_tokens=classifier.max_pass_tokens)
    batches = [classifier.encoder.collate([features[i] for i in g]).to(device) for g in groups]
    real = sum(len(f) for f in features)
    padded = sum(b.inputs["attention_mask"].numel() for b in batches)
    with torch.inference_mode():
        for batch in batches:  # warm-up: kernels chosen, memory pooled
            classifier.model(batch)
        _sync(device)
        tokens, started = 0, time.perf_counter()
        while True:
            for batch in batches:
                classifier.model(batch)
            tokens += real
            _sync(device)
            if time.perf_counter() - started >= seconds:
                break
        elapsed = time.perf_counter() - started
    return {"quotes": len(rows), "passes": len(batches), "real_tokens": real, "padding": round(1 - real / padded, 4),
            "seconds": round(elapsed, 2), "tokens_per_s": round(tokens / elapsed)}


def _sync(device) -> None:
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize()


def report(scoring: dict, model: dict) -> None:
    early = " (stopped early: --max-seconds)" if scoring["stopped_early"] else ""
    steady = scoring["after_first_chunk"]
    print(f"batch path: {scoring['articles']:,} articles, {scoring['quotes']:,} quotes in {scoring['seconds']:.1f} s: "
          f"{scoring['articles_per_s']:,.1f} articles/s, {scoring['quotes_per_s']:,.1f} quotes/s{early}")
    if steady["articles_per_s"] is not None:
        print(f"            after the first chunk (workers started): {steady['articles_per_s']:,.1f} articles/s, "
              f"{steady['quotes_per_s']:,.1f} quotes/s")
    print(f"model only: {model['tokens_per_s']:,} tokens/s ({model['quotes']} held-out quotes, {model['real_tokens']:,} "
          f"tokens in {model['passes']} passes, padding {model['padding']:.1%})")


if __name__ == "__main__":
    sys.exit(main())
