"""Batch-scoring benchmark: articles/s, quotes/s and peak resident memory of `quoteframe score`.

    .venv/bin/python bench/bench_score.py --articles 10000           # makes the archive if missing
    .venv/bin/python bench/bench_score.py --articles 2000 --no-labels --workers 2

Runs ``quoteframe score`` on an archive from bench/make_archive.py (seed 7)
as a child process and samples, twice a second, the resident memory of the
whole process tree (the scorer and its parse workers) and how many articles
are committed (the rows parts). It prints the peak memory reached by each
checkpoint (``--checkpoints``, default 2,000 and the whole archive), so a flat
profile shows as equal peaks, and the growth from the first checkpoint to the
end; then the run's articles/s and quotes/s. The CPU header comes first;
``--json FILE`` keeps the figures with the machine. ``--precision`` is passed
on to the scorer (default: its own, auto).

    .venv/bin/python bench/bench_score.py --articles 10000 --checkpoints 2000 --json build/bench/memory.json
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import add_json_option, cpu_header, write_json  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(cpu_header(), flush=True)
    archive = args.archive or ensure_archive(args.articles)
    out = args.out or REPO / "build" / "bench" / f"scored-{args.articles}.parquet"
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "quoteframe.cli", "score", str(archive), "--out", str(out), "--restart",
               "--chunk-size", str(args.chunk_size), *(["--workers", str(args.workers)] if args.workers is not None else []),
               *(["--no-labels"] if args.no_labels else []),
               *(["--precision", args.precision] if args.precision else [])]
    print("running:", " ".join(command[2:]), flush=True)
    cpu_before = _children_cpu()
    samples, stderr, wall = run_sampled(command, out, args.chunk_size)
    figures = report(samples, stderr, wall, sorted(set(args.checkpoints + [args.articles])))
    figures["cpu_seconds"] = round(_children_cpu() - cpu_before, 1)
    # CPU time is what a busy, shared machine disturbs least: compare runs by it there
    print(f"CPU time of the scorer and its workers: {figures['cpu_seconds']:.1f} s, "
          f"{1000 * figures['cpu_seconds'] / max(1, figures['articles']):.1f} ms an article")
    write_json(args.json, {"labels": not args.no_labels, "precision": args.precision or "auto", **figures})
    return 0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=10_000, help="archive size (bench/make_archive.py, seed 7)")
    p.add_argument("--archive", type=Path, help="score this archive instead")
    p.add_argument("--out", type=Path, help="output file (default build/bench/scored-N.parquet)")
    p.add_argument("--workers", type=int, help="parse processes (default: quoteframe's)")
    p.add_argument("--chunk-size", type=int, default=128)
    p.add_argument("--no-labels", action="store_true", help="extraction only")
    p.add_argument("--checkpoints", type=int, nargs="*", default=[2_000], help="articles at which to report peak memory")
    p.add_argument("--precision", choices=("auto", "fp32", "bf16", "int8"), help="the scorer's --precision (default: its own)")
    add_json_option(p)
    return p.parse_args(argv)


def _children_cpu() -> float:
    """User + system CPU seconds of the finished child processes and theirs (the parse workers)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ensure_archive(n: int) -> Path:
    path = REPO / "build" / "archive" / f"articles-{n}.jsonl.gz"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(REPO / "bench" / "make_archive.py"), "--articles", str(n),
                        "--seed", "7", "--out", str(path)], check=True)
    return path


def run_sampled(command, out: Path, chunk_size: int):
    """Run ``command``; (seconds, committed articles, tree RSS in MiB) twice a second."""
    parts = out.with_name(out.name + ".parts")
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
    samples = []
    import threading

    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    while proc.poll() is None:
        committed = len(list(parts.glob("rows-*"))) * chunk_size if parts.exists() else None
        samples.append((time.perf_counter() - started, committed, tree_rss_mib(proc.pid)))
        time.sleep(0.5)
    reader.join(timeout=5)
    if proc.returncode:
        sys.exit("".join(lines[-20:]) + f"\nscore failed with exit code {proc.returncode}")
    return samples, "".join(lines), time.perf_counter() - started


def tree_rss_mib(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = open(f"/proc/{entry}/stat").read()
            status = open(f"/proc/{entry}/status").read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
        m = re.search(r"VmRSS:\s+(\d+) kB", status)
        rss[int(entry)] = int(m.group(1)) if m else 0
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total / 1024


def report(samples, stderr: str, wall: float, checkpoints: list[int]) -> dict:
    summary = re.search(r"scored ([\d,]+) articles in ([\d.]+)s .*?: ([\d,]+) quotes", stderr)
    if not summary:
        sys.exit("no summary line from quoteframe score:\n" + stderr[-2000:])
    articles, seconds, quotes = int(summary[1].replace(",", "")), float(summary[2]), int(summary[3].replace(",", ""))
    print(f"articles: {articles:,}   quotes: {quotes:,}   scoring time: {seconds:.1f}s   wall with start-up: {wall:.1f}s")
    print(f"throughput: {articles / seconds:.2f} articles/s   {quotes / seconds:.1f} quotes/s")
    peaks = {}
    for checkpoint in checkpoints:
        seen = [rss for _, committed, rss in samples if committed is None or committed <= checkpoint]
        if seen and checkpoint <= articles:
            peaks[checkpoint] = round(max(seen), 1)
            print(f"peak resident memory up to {checkpoint:,} articles: {max(seen):,.0f} MiB")
    growth = None
    if len(peaks) > 1:
        first, last = min(peaks), max(peaks)
        growth = round(100 * (peaks[last] - peaks[first]) / peaks[first], 2)
        print(f"memory growth from {first:,} to {last:,} articles: {growth:+.1f}% (flat: within 5%)")
    figures = {"articles": articles, "quotes": quotes, "seconds": seconds,
               "articles_per_s": round(articles / seconds, 3), "quotes_per_s": round(quotes / seconds, 2),
               "peak_rss_mib": round(max(r for *_, r in samples), 1),
               "peak_rss_mib_by_articles": peaks, "memory_growth_percent": growth}
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    sys.exit(main())
