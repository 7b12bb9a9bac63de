"""Load test of the REST service on loopback: p50/p99 latency and throughput at 1 and 8 clients.

    .venv/bin/python bench/bench_service.py                  # starts `python -m service` itself
    .venv/bin/python bench/bench_service.py --url http://127.0.0.1:8000 --clients 1 8 32
    .venv/bin/python bench/bench_service.py --joined --clients 1          # the two seeds as one ~750-word article
    .venv/bin/python bench/bench_service.py --soak 300 --clients 8        # 5 minutes: errors and memory growth
    .venv/bin/python bench/bench_service.py --joined --clients 1 --json build/bench/service.json

Each client posts articles to POST /v1/analyze back to back (a closed loop)
for ``--requests`` requests per level, after a warm-up. Articles are the
shared seed articles (``../shared/seeds/*.txt``) when present, else a built-in
one. Only loopback addresses are accepted; every loop is bounded in count
and time. The server's own count of shared forward passes (micro-batches)
is read from /metrics. ``--soak S`` runs the last concurrency level for S
seconds and reports the server's resident memory after the warm-up and at
the end (the server this script starts; read from /proc).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import add_json_option, cpu_header, write_json  # noqa: E402
SEEDS = [REPO.parent / "shared" / "seeds", Path("/work/shared/seeds")]
FALLBACK = ("Belarusian border guards said on Tuesday that Polish forces had pushed migrants back across the border. "
            "“They have been deceived,” Polish police said. “It is Poland's fault,” Belarusian leader "
            "Alexander Lukashenko said on Monday. The EU said it would send aid to the camps.")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(cpu_header())
    articles = load_articles()
    if args.joined:
        articles = ["\n\n".join(articles)]
    print(f"{len(articles)} article(s), {sum(map(len, articles)) // len(articles):,} characters on average")
    server = None
    url = args.url
    if url is None:
        server, url = start_server(args.port)
    try:
        wait_ready(url)
        if args.soak:
            return soak(url, articles, args.clients[-1], args.soak, server, args.json)
        rows = [asyncio.run(run_level(url, articles, clients, args.requests, args.max_seconds))
                for clients in args.clients]
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    print_table(rows)
    write_json(args.json, {"joined": args.joined, "levels": rows})
    return 0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="a running server on loopback (default: start one)")
    p.add_argument("--port", type=int, default=8765, help="port for the server this script starts")
    p.add_argument("--clients", type=int, nargs="+", default=[1, 8], help="concurrency levels (default 1 8)")
    p.add_argument("--requests", type=int, default=64, help="requests per level (default 64)")
    p.add_argument("--max-seconds", type=float, default=120, help="stop a level after this long (default 120)")
    p.add_argument("--joined", action="store_true", help="post the seed articles joined into one article")
    p.add_argument("--soak", type=float, metavar="SECONDS", help="run the last --clients level this long; report errors and memory")
    add_json_option(p)
    args = p.parse_args(argv)
    if args.url and urlparse(args.url).hostname not in LOOPBACK:
        p.error("--url must be a loopback address (127.0.0.1, localhost or [::1])")
    return args


def load_articles() -> list[str]:
    folder = next((s for s in SEEDS if s.is_dir()), None)
    texts = [p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))] if folder else []
    return texts or [FALLBACK]


def start_server(port: int) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, QUOTEFRAME_FEEDBACK_DB=str(REPO / "build" / "bench-feedback.db"))
    server = subprocess.Popen([sys.executable, "-m", "service", "--port", str(port), "--log-level", "warning"],
                              cwd=REPO, env=env)
    return server, f"http://127.0.0.1:{port}"


def wait_ready(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} was not ready within {timeout:.0f} s")


async def run_level(url: str, articles: list[str], clients: int, requests: int, max_seconds: float) -> dict:
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(max_connections=clients)) as c:
        for text in articles[:2]:  # warm-up
            (await c.post("/v1/analyze", json={"text": text})).raise_for_status()
        passes_before = await forward_passes(c)
        latencies: list[float] = []
        quotes = errors = 0
        next_request = iter(range(requests))
        deadline = time.monotonic() + max_seconds

        async def client() -> None:
            nonlocal quotes, errors
            for i in next_request:
                if time.monotonic() > deadline:
                    return
                started = time.perf_counter()
                r = await c.post("/v1/analyze", json={"text": articles[i % len(articles)], "id": str(i)})
                latencies.append(time.perf_counter() - started)
                if r.status_code == 200:
                    quotes += len(r.json()["quotes"])
                else:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*[client() for _ in range(clients)])
        elapsed = time.perf_counter() - started
        passes = await forward_passes(c) - passes_before
    latencies.sort()
    return {"clients": clients, "requests": len(latencies), "errors": errors,
            "p50_ms": 1000 * statistics.median(latencies), "p99_ms": 1000 * percentile(latencies, 0.99),
            "rps": len(latencies) / elapsed, "quotes_s": quotes / elapsed,
            "per_pass": (len(latencies) / passes) if passes else float("nan")}


def soak(url: str, articles: list[str], clients: int, seconds: float, server, json_path=None) -> int:
    """``clients`` closed loops for ``seconds``: requests, errors, p50/p99 and the server's memory growth."""
    asyncio.run(run_level(url, articles, clients, 4 * clients, 120))  # warm-up: every buffer sized once
    before = server_rss_mib(server)
    samples, done = [], threading.Event()

    def sample() -> None:  # the server's memory every 30 s, to see a trend and not two points
        while not done.wait(30):
            samples.append(server_rss_mib(server))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    row = asyncio.run(run_level(url, articles, clients, 10**9, seconds))
    done.set()
    sampler.join()
    after = server_rss_mib(server)
    print_table([row])
    if before and after:
        print(f"server resident memory: {before:,.0f} MiB after warm-up, {after:,.0f} MiB after "
              f"{seconds:.0f} s ({100 * (after - before) / before:+.1f}%)")
        print("every 30 s (MiB):", " ".join(f"{m:,.0f}" for m in samples if m))
    write_json(json_path, {"soak_seconds": seconds, "level": row, "rss_mib_after_warm_up": before, "rss_mib_at_end": after,
                           "rss_mib_every_30_s": [m for m in samples if m]})
    return 1 if row["errors"] else 0


def server_rss_mib(server) -> float | None:
    if server is None:
        return None
    status = Path(f"/proc/{server.pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


async def forward_passes(c: httpx.AsyncClient) -> int:
    text = (await c.get("/metrics")).text
    for line in text.splitlines():
        if line.startswith('quoteframe_forward_pass_items_count{step="label"}'):
            return int(float(line.rsplit(" ", 1)[1]))
    return 0


def percentile(sorted_values: list[float], q: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def print_table(rows: list[dict]) -> None:
    heads = ("clients", 7), ("requests", 8), ("errors", 6), ("p50 ms", 8), ("p99 ms", 8), ("req/s", 7), \
        ("quotes/s", 9), ("req/pass", 8)
    print(" ".join(f"{name:>{width}}" for name, width in heads))
    for r in rows:
        print(f"{r['clients']:>7} {r['requests']:>8} {r['errors']:>6} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} "
              f"{r['rps']:>7.2f} {r['quotes_s']:>9.1f} {r['per_pass']:>8.2f}")


if __name__ == "__main__":
    sys.exit(main())
