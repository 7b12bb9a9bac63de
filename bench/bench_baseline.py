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

Both produce the same quotes; the script checks that the labels agree and
prints articles/s for each and their ratio.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    articles = make_articles(args.articles, args.seed)
    words = sum(len(a["text"].split()) for a in articles)
    print(f"{len(articles)} articles, {words / len(articles):.0f} words on average, {os.cpu_count()} cores")
    naive_s, naive_labels = run_naive(articles)
    ours_s, our_labels = run_quoteframe(articles)
    agree = sum(a == b for a, b in zip(naive_labels, our_labels)) / max(1, len(naive_labels))
    n = len(articles)
    print(f"naive baseline : {n / naive_s:6.2f} articles/s  ({naive_s:.1f} s, {len(naive_labels)} quotes)")
    print(f"quoteframe     : {n / ours_s:6.2f} articles/s  ({ours_s:.1f} s, {len(our_labels)} quotes)")
    print(f"ratio          : {naive_s / ours_s:6.2f}x   (same primary frame on {agree:.1%} of quotes)")
    return 0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=60)
    p.add_argument("--seed", type=int, default=11)
    return p.parse_args(argv)


def make_articles(n: int, seed: int) -> list[dict]:
    spec = importlib.util.spec_from_file_location("make_archive", REPO / "bench" / "make_archive.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_archive"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return [{"id": a["id"], "text": a["text"]} for a in module.generate(n, seed)]


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


def run_naive(articles: list[dict]) -> tuple[float, list[str]]:
    import spacy
    import torch

    from quoteframe.actors import Gazetteer
    from quoteframe.analyzer import Analyzer
    from quoteframe.classifier import Classifier, quote_context
    from quoteframe.extraction.extractor import Extractor
    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.nlp import DEFAULT_SPACY_MODELS, load_spacy

    torch.set_num_threads(os.cpu_count() or 1)
    nlp = spacy.load(DEFAULT_SPACY_MODELS[0])  # stock pipeline: every component as shipped
    load_spacy()
    nlp.add_pipe("quoteframe_paragraphs", before="parser")
    lexicon = default_lexicon()
    extractor, gazetteer = Extractor(lexicon), Gazetteer.load(())
    classifier = Classifier.load(int8=False)
    pipe = quote_pipeline(classifier)
    labels = []
    started = time.perf_counter()
    for article in articles:
        text = article["text"]
        quotes = Analyzer._quotes(nlp(text), 0, text, extractor, lexicon, gazetteer)
        for q in quotes:
            record = {"text": q.text, "context": quote_context(text, q), "speaker": q.speaker.name,
                      "speaker_actor": q.speaker.actor}
            labels.append(pipe(record)["frame"])
    return time.perf_counter() - started, labels


# -- quoteframe's batch path ----------------------------------------------------------------------
def run_quoteframe(articles: list[dict]) -> tuple[float, list[str]]:
    from quoteframe.analyzer import load_analyzer
    from quoteframe.batch.score import ScoreConfig, score

    analyzer = load_analyzer()
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "articles.jsonl"
        archive.write_text("".join(json.dumps(a) + "\n" for a in articles))
        out = Path(tmp) / "scored.jsonl"
        started = time.perf_counter()
        score(archive, out, config=ScoreConfig(progress=False, chunk_size=16), analyzer=analyzer)
        seconds = time.perf_counter() - started
        labels = [json.loads(line)["frame"] for line in out.read_text().splitlines()]
    return seconds, labels


if __name__ == "__main__":
    sys.exit(main())
