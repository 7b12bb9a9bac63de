"""Where extraction time goes: tokeniser, each spaCy component and the quote rules, per article.

    .venv/bin/python bench/extraction_profile.py                     # 300 articles of bench/make_archive.py
    .venv/bin/python bench/extraction_profile.py --articles 100 --json build/bench/profile.json

Runs the full spaCy pipeline one step at a time on each article (the
tokeniser, then every enabled component in order, then the rules: quote
finding, speaker and side resolution) and charges each step the CPU time of
this process (``time.process_time``), so other programs on a shared machine
slow the figures less than wall time would. Prints milliseconds an article and
the share of each step, after the CPU header.

``--compare`` then runs the Analyzer's extraction both ways, every paragraph
parsed (``AnalyzerConfig(full_parse=True)``) and only those that can hold a
quote (the default), in alternating rounds on the same articles, batched as the
batch scorer batches them; it prints the CPU time an article of each and how
many articles came out identical (quotes, kinds, cues, speakers and sides).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as a parse worker has

from bench.machine import add_json_option, cpu_header, make_articles, write_json  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(cpu_header())
    articles = make_articles(args.articles, args.seed)
    times, words = profile(articles)
    figures = {"articles": len(articles), "words": words, "ms_per_article": report(times, len(articles), words)}
    if args.compare:
        figures["compare"] = compare(articles, args.rounds)
    write_json(args.json, figures)
    return 0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=300, help="articles of bench/make_archive.py (default 300)")
    p.add_argument("--seed", type=int, default=7, help="archive seed (default 7, as bench_score.py)")
    p.add_argument("--compare", action="store_true", help="also time full against selective parsing, and check their outputs agree")
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds of --compare (default 3)")
    add_json_option(p)
    return p.parse_args(argv)


def profile(articles: list[dict]) -> tuple[dict[str, float], int]:
    """CPU seconds per step over ``articles``, and their words."""
    from quoteframe.analyzer import Analyzer, AnalyzerConfig

    analyzer = Analyzer(AnalyzerConfig(full_parse=True))
    nlp, extractor, lexicon, gazetteer = analyzer._load()
    analyzer.analyze("“We are ready,” the minister said.")  # warm: tables and lazy imports
    steps = [(name, pipe) for name, pipe in nlp.pipeline]
    times = {"tokenizer": 0.0, **{name: 0.0 for name, _ in steps}, "rules": 0.0}
    words = 0
    for article in articles:
        text = article["text"]
        words += len(text.split())
        clock = time.process_time()
        doc = nlp.make_doc(text)
        clock = _charge(times, "tokenizer", clock)
        for name, pipe in steps:
            doc = pipe(doc)
            clock = _charge(times, name, clock)
        analyzer._quotes(doc, 0, text, extractor, lexicon, gazetteer, {})
        _charge(times, "rules", clock)
    return times, words


def _charge(times: dict[str, float], step: str, since: float) -> float:
    now = time.process_time()
    times[step] += now - since
    return now


def report(times: dict[str, float], articles: int, words: int) -> dict[str, float]:
    total = sum(times.values())
    print(f"{articles} articles, {words / articles:.0f} words on average: "
          f"{1000 * total / articles:.1f} ms of CPU an article ({articles / total:.2f} articles/s on one core)")
    print(f"{'step':24s} {'ms/article':>10s} {'share':>7s}")
    for step, seconds in times.items():
        print(f"{step:24s} {1000 * seconds / articles:10.1f} {seconds / total:7.1%}")
    return {step: round(1000 * seconds / articles, 2) for step, seconds in times.items()}


def compare(articles: list[dict], rounds: int) -> dict:
    """CPU ms an article of full and selective parsing (medians of alternating rounds), and agreement."""
    import statistics

    from quoteframe.analyzer import PARSE_BATCH, Analyzer, AnalyzerConfig

    ways = {"full": Analyzer(AnalyzerConfig(full_parse=True)), "selective": Analyzer()}
    pairs = [(a["id"], a["text"]) for a in articles]
    outputs, times = {}, {name: [] for name in ways}
    for name, analyzer in ways.items():  # warm-up, and the outputs to compare
        outputs[name] = [_essentials(a) for a, _ in analyzer.extract_many(pairs)]
    for _ in range(rounds):
        for name, analyzer in ways.items():
            clock = time.process_time()
            for _ in analyzer.extract_many(pairs):
                pass
            times[name].append(1000 * (time.process_time() - clock) / len(pairs))
    same = sum(a == b for a, b in zip(outputs["full"], outputs["selective"]))
    quotes = {name: sum(len(o) for o in out) for name, out in outputs.items()}
    ms = {name: round(statistics.median(values), 2) for name, values in times.items()}
    print(f"\nextraction, {len(pairs)} articles in batches of {PARSE_BATCH}, CPU ms an article (median of {rounds} rounds):")
    for name, values in times.items():
        print(f"  {name:10s} {ms[name]:7.1f}   rounds: {', '.join(f'{v:.1f}' for v in values)}   quotes: {quotes[name]}")
    print(f"  speed-up {ms['full'] / ms['selective']:.2f}x; identical output on {same} of {len(pairs)} articles")
    return {"ms_per_article": ms, "rounds": times, "quotes": quotes, "identical_articles": same,
            "speedup": round(ms["full"] / ms["selective"], 3)}


def _essentials(analysis) -> list[tuple]:
    return [(q.start, q.end, q.kind, q.cue, q.speaker.name, q.speaker.actor) for q in analysis.quotes]


if __name__ == "__main__":
    sys.exit(main())
