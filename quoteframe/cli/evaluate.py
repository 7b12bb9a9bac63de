"""`quoteframe evaluate`: score the analyzer against gold annotations, or the model against gold labels."""
from __future__ import annotations

import json
import time
from pathlib import Path

from quoteframe.cli.options import EXIT_OK, add_model_options, make_analyzer, note, progress
from quoteframe.errors import QuoteframeError
from quoteframe.version import __version__


def add_parser(sub) -> None:
    p = sub.add_parser("evaluate", help="score the analyzer against gold annotations",
                       description="Run the analyzer on DIR's NAME.txt files (or read its saved output with "
                                   "--predictions) and score it against NAME.gold.jsonl, with the figures of "
                                   "the dev set's README, or against a PolNeAR split folder (BRAT .ann files).")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--gold", metavar="DIR", help="folder of NAME.txt + NAME.gold.jsonl, or a PolNeAR split folder")
    what.add_argument("--labels", metavar="FILE", nargs="+",
                      help="labelled-quote files or folders (LABELS.md), or folders of gold articles (NAME.txt + NAME.gold.jsonl): score the model's frame, target and stance")
    p.add_argument("--predictions", metavar="FILE.jsonl",
                   help="with --gold: score this saved `quoteframe analyze` output instead of running the analyzer")
    p.add_argument("--no-labels", action="store_true",
                   help="with --gold: run without the frame/target/stance model (label figures: not measured)")
    p.add_argument("--speech-only", action="store_true", help="score speech attributions only (PolNeAR also marks beliefs)")
    p.add_argument("--json", metavar="FILE", help="also write the metrics as JSON")
    p.add_argument("--limit", type=int, metavar="N", help="evaluate the first N articles only")
    add_model_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    if args.labels:
        _only_with_gold(args)
        return _evaluate_labels(args)
    from quoteframe.evaluation.gold import is_polnear_split, read_gold

    polnear = is_polnear_split(args.gold)
    if args.speech_only and not polnear:
        raise QuoteframeError(f"--speech-only is for PolNeAR split folders; {args.gold} holds gold articles, "
                              "scored over all their required quotes: drop --speech-only")
    gold = read_gold(args.gold)
    if args.limit:
        gold = gold[: args.limit]
    started = time.perf_counter()
    pairs = _saved_pairs(args, gold) if args.predictions else _analysed_pairs(args, gold)
    elapsed = time.perf_counter() - started
    metrics, report = _polnear_metrics(args, pairs) if polnear else _article_metrics(args, pairs)
    print(report)
    if not args.predictions:
        metrics["seconds"] = round(elapsed, 2)
        metrics["articles_per_second"] = round(len(gold) / elapsed, 2) if elapsed else None
        print(f"{len(gold)} articles in {elapsed:.1f}s ({metrics['articles_per_second']} articles/s)")
    _write_json(args, metrics)
    return EXIT_OK


def _only_with_gold(args) -> None:
    for flag, value in (("--predictions", args.predictions), ("--no-labels", args.no_labels)):
        if value:
            raise QuoteframeError(f"{flag} goes with --gold DIR, not with --labels")


def _analysed_pairs(args, gold) -> list[tuple]:
    """(gold article, analysis dict) pairs from running the analyzer on the gold texts."""
    # the classifier is loaded only when the gold has labels to score it on
    labelled = not args.no_labels and any(q.labelled for a in gold for q in a.quotes)
    analyzer = make_analyzer(args, classify=labelled)
    # the bar counts analysed articles: the analyzer reads its input a chunk ahead of them
    analyses = progress(analyzer.analyze_many((a.id, a.text) for a in gold), "analysing", total=len(gold))
    return [(article, analysis.to_dict()) for article, analysis in zip(gold, analyses)]


def _saved_pairs(args, gold) -> list[tuple]:
    """(gold article, analysis dict or None) pairs from a saved `analyze` output."""
    from quoteframe.evaluation.predictions import pair_predictions, read_predictions

    pairs = pair_predictions(gold, read_predictions(args.predictions))
    missing = [article.id for article, analysis in pairs if analysis is None]
    if missing:
        note(f"{args.predictions} has no analysis for {len(missing)} of {len(gold)} article(s) "
             f"({', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}): scored as finding no quotes")
    return pairs


def _polnear_metrics(args, pairs) -> tuple[dict, str]:
    from quoteframe.evaluation.metrics import evaluate, format_report, join_continued_quotes

    # PolNeAR marks '"A," she said. "B."' as one attribution, quoteframe as two quotes
    pairs = [(article, join_continued_quotes(analysis, article.text)) for article, analysis in pairs]
    metrics = evaluate(pairs, speech_only=args.speech_only)
    title = f"quoteframe {__version__} on {args.gold}" + (" (speech only)" if args.speech_only else "")
    return metrics, format_report(metrics, title=title)


def _article_metrics(args, pairs) -> tuple[dict, str]:
    from quoteframe.evaluation.articles import format_article_report, score_articles

    metrics = score_articles(pairs, labelled=False if args.no_labels else None)
    source = f"{args.predictions} on {args.gold}" if args.predictions else f"quoteframe {__version__} on {args.gold}"
    return metrics, format_article_report(metrics, title=source)


def _evaluate_labels(args) -> int:
    from quoteframe.classifier.articles import read_quotes
    from quoteframe.classifier.metrics import by_conflict, format_by_conflict, format_label_report, label_metrics

    analyzer = make_analyzer(args)
    classifier = analyzer.classifier
    # gold-article folders are read as the model reads articles: with its own context window and gazetteer
    rows = read_quotes(args.labels, int(classifier.section.get("context_sentences_before", 0)),
                       actors=analyzer.config.actor_files)
    if args.limit:
        rows = rows[: args.limit]
    unknown = sorted({r["frame"] for r in rows} - set(classifier.labels))
    if unknown:
        raise QuoteframeError(f"the gold uses frame(s) the model does not know: {', '.join(unknown)} "
                              f"(the model's labels: {', '.join(classifier.labels)})")
    started = time.perf_counter()
    pred = []
    for start in progress(range(0, len(rows), 256), "classifying", unit="chunk"):
        pred.extend(classifier.classify(rows[start : start + 256]))
    metrics = label_metrics(rows, pred, classifier.labels)
    metrics["seconds"] = round(time.perf_counter() - started, 2)
    metrics["by_conflict"] = by_conflict(rows, pred, classifier.labels)
    print(format_label_report(metrics, title=f"{classifier.info()['name']} on {' '.join(args.labels)}"))
    if metrics["by_conflict"]:
        print(format_by_conflict(metrics["by_conflict"]))
    _write_json(args, metrics)
    return EXIT_OK


def _write_json(args, metrics: dict) -> None:
    if args.json:
        Path(args.json).write_text(json.dumps(metrics, indent=2, ensure_ascii=False), "utf-8")
