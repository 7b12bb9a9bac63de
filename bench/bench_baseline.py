"""quoteframe's batch path against a naive baseline, in one run, on the same articles.

    .venv/bin/python bench/bench_baseline.py                 # 60 articles of bench/make_archive.py
    .venv/bin/python bench/bench_baseline.py --articles 200

- **naive**: what a user gluing tools together writes: spaCy's stock pipeline
  (every component on, no table components) called on each article on its
  own, the same quote rules, then a Hugging Face ``Pipeline`` call per quote
  with the same model (a ``transformers.Pipeline`` around quoteframe's model:
  one quote, one forward pass).
- **quoteframe**: ``quoteframe score`` on the same articles as an archive:
  parse worker processes, the rule tables, quotes labelled in shared passes of
  similar length.

Both find (nearly) the same quotes; the script checks that the labels agree and
prints articles/s for each and their ratio. The naive side runs the model in
fp32; quoteframe runs it in ``--precision`` (default auto: bf16 or int8 where
this CPU and the model folder's check allow, else fp32), so the agreement is
also that of the precision with fp32. The CPU header comes first; ``--json
FILE`` keeps the figures with the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.machine import add_json_option, cpu_header, make_articles, write_json  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(cpu_header())
    articles = make_articles(args.articles, args.seed)
    words = sum(len(a["text"].split()) for a in articles)
    print(f"{len(articles)} articles, {words / len(articles):.0f} words on average, {os.cpu_count()} cores")
    naive_s, naive_labels = run_naive(articles, args.model, args.naive_threads)
    ours_s, our_labels, precision = run_quoteframe(articles, args.model, args.precision)
    agree, shared = agreement(naive_labels, our_labels)
    n = len(articles)
    print(f"naive baseline : {n / naive_s:6.2f} articles/s  ({naive_s:.1f} s, {len(naive_labels)} quotes, fp32)")
    print(f"quoteframe     : {n / ours_s:6.2f} articles/s  ({ours_s:.1f} s, {len(our_labels)} quotes, {precision})")
    print(f"ratio          : {naive_s / ours_s:6.2f}x   (same primary frame on {agree:.1%} of the {shared} quotes "
          "both found)")
    write_json(args.json, {
        "articles": n, "words_per_article": round(words / n, 1), "precision": precision,
        "naive_threads": args.naive_threads or os.cpu_count(),
        "naive": {"seconds": round(naive_s, 2), "articles_per_s": round(n / naive_s, 3), "quotes": len(naive_labels)},
        "quoteframe": {"seconds": round(ours_s, 2), "articles_per_s": round(n / ours_s, 3), "quotes": len(our_labels)},
        "ratio": round(naive_s / ours_s, 3), "same_primary_frame": round(agree, 4), "quotes_both_found": shared})
    return 0


def agreement(naive: list[tuple], ours: list[tuple]) -> tuple[float, int]:
    """The share of the quotes both sides found (same article and span) given the same primary frame.

    The naive side parses with spaCy's stock pipeline, quoteframe only the paragraphs that can
    hold a quote (with other matrix kernels), so a rare quote is found by one side only."""
    theirs = {tuple(key): frame for *key, frame in naive}
    shared = [(theirs[tuple(key)], frame) for *key, frame in ours if tuple(key) in theirs]
    return sum(a == b for a, b in shared) / max(1, len(shared)), len(shared)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=60)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--model", metavar="DIR", help="model folder (default: the default model)")
    p.add_argument("--precision", choices=("auto", "fp32", "bf16", "int8"), default="auto",
                   help="quoteframe's number format (default auto; the naive baseline runs fp32)")
    p.add_argument("--naive-threads", type=int, metavar="N",
                   help="torch threads of the naive side (default: every core; on a machine shared with other "
                        "jobs, one thread keeps its one-quote calls from waiting on each other)")
    add_json_option(p)
    return p.parse_args(argv)


# -- the naive baseline ---------------------------------------------------------------------------
def quote_pipeline(classifier):
    """A Hugging Face ``Pipeline`` over quoteframe's model: one labelled-quote record in, its labels out."""
    from transformers import Pipeline

    class QuotePipeline(Pipeline):
        def _sanitize_parameters(self, **kwargs):
            return {}, {}, {}

        def preprocess(self, record):
            return {"batch": classifier.encoder.encode([record], given_targets=False), "record": record}

        def _forward(self, inputs):
            return {"out": classifier.model(inputs["batch"]), **inputs}

        def postprocess(self, outputs):
            return classifier._decode(outputs["batch"], outputs["out"], [outputs["record"]])[0]

    # the pipeline holds the Hugging Face encoder; _forward runs the whole model (encoder and heads)
    return QuotePipeline(model=classifier.model.encoder, tokenizer=classifier.tokenizer, device=-1)


def run_naive(articles: list[dict], model: str | None, threads: int | None) -> tuple[float, list[tuple]]:
    import spacy
    import torch

    from quoteframe.actors import Gazetteer
    from quoteframe.analyzer import Analyzer, _counterparts
    from quoteframe.classifier import Classifier
    from quoteframe.extraction.extractor import Extractor
    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.nlp import DEFAULT_SPACY_MODELS, load_spacy

    torch.set_num_threads(threads or os.cpu_count() or 1)
    nlp = spacy.load(DEFAULT_SPACY_MODELS[0])  # stock pipeline: every component as shipped
    load_spacy()
    nlp.add_pipe("quoteframe_paragraphs", before="parser")
    lexicon = default_lexicon()
    extractor, gazetteer = Extractor(lexicon), Gazetteer.load(())
    classifier = Classifier.load(model, precision="fp32")
    pipe = quote_pipeline(classifier)
    labels = []
    started = time.perf_counter()
    for article in articles:
        text = article["text"]
        parties: dict[str, str] = {}
        quotes = Analyzer._quotes(nlp(text), 0, text, extractor, lexicon, gazetteer, parties)
        # what the model reads of each quote, built as quoteframe builds it (context, sentence before, sides)
        records = classifier.article_records([(quotes, text, parties, _counterparts(quotes, lexicon, gazetteer, parties))])
        for q, record in zip(quotes, records):
            labels.append((article["id"], q.start, q.end, pipe(record)["frame"]))
    return time.perf_counter() - started, labels


# -- quoteframe's batch path ----------------------------------------------------------------------
def run_quoteframe(articles: list[dict], model: str | None, precision: str) -> tuple[float, list[tuple], str]:
    from quoteframe.analyzer import load_analyzer
    from quoteframe.batch.score import ScoreConfig, score

    analyzer = load_analyzer(model, precision=precision)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "articles.jsonl"
        archive.write_text("".join(json.dumps(a) + "\n" for a in articles))
        out = Path(tmp) / "scored.jsonl"
        started = time.perf_counter()
        score(archive, out, config=ScoreConfig(progress=False, chunk_size=16), analyzer=analyzer)
        seconds = time.perf_counter() - started
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        labels = [(r["article_id"], r["start"], r["end"], r["frame"]) for r in rows]
    return seconds, labels, analyzer.classifier.precision


if __name__ == "__main__":
    sys.exit(main())
