"""`quoteframe`: one console script, thin over the Analyzer.

Bad input ends with one clear line on stderr and a non-zero exit, never a
traceback; good articles in the same run are still written.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Iterator, Sequence

from quoteframe import __version__
from quoteframe.errors import QuoteframeError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except QuoteframeError as err:
        _error(str(err))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quoteframe",
        description="Who is quoted in news articles, for which side they speak, and how they frame things.",
    )
    parser.add_argument("--version", action="version", version=f"quoteframe {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_analyze(sub)
    _add_classify(sub)
    _add_train(sub)
    _add_evaluate(sub)
    from quoteframe.batch.cli import add_score_parser
    from quoteframe.report.command import add_report_parser
    from service.cli import add_serve_parser

    add_score_parser(sub)
    add_report_parser(sub)

    add_serve_parser(sub)
    return parser


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="DIR", help="classifier model folder (default: the bundled default model, once built)")
    p.add_argument("--spacy-model", metavar="NAME", help="spaCy pipeline name or path (default: the bundled small English model)")
    p.add_argument("--cues", metavar="TOML", action="append", default=[], help="extra cue-word file (see quoteframe/data/cues.toml)")
    p.add_argument("--actors", metavar="TOML", action="append", default=[], help="extra actor gazetteer file (see quoteframe/data/actors.toml)")
    p.add_argument("--int8", action=argparse.BooleanOptionalAction, default=None,
                   help="int8 weights in the classifier's encoder (CPU only; default: the measured default, see README)")


def _add_analyze(sub) -> None:
    p = sub.add_parser("analyze", help="find quotes, speakers and actors; JSON Lines on stdout",
                       description="Analyse articles: one analysis object (API.md) per input, as JSON Lines on stdout.")
    p.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 .txt files, or - for standard input")
    p.add_argument("--no-labels", action="store_true",
                   help="quotes, speakers and actors only: skip the frame/target/stance model (much faster on CPU)")
    _common(p)
    p.set_defaults(run=run_analyze)


def _add_evaluate(sub) -> None:
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
    _common(p)
    p.set_defaults(run=run_evaluate)


def make_analyzer(args, classify: bool = True):
    from quoteframe.analyzer import Analyzer, AnalyzerConfig

    config = AnalyzerConfig(spacy_model=args.spacy_model, cue_files=args.cues, actor_files=args.actors)
    classifier = load_classifier(args) if classify else None
    return Analyzer(config, classifier=classifier)


def load_classifier(args):
    """The model of ``--model``, or the default model (built on first use when missing)."""
    from quoteframe.actors import Gazetteer
    from quoteframe.classifier import Classifier, default_model_dir

    gazetteer = Gazetteer.load(getattr(args, "actors", ()) or ())
    if args.model is None and not (default_model_dir() / "config.json").exists():
        _note(f"the default model is not built yet: building it now in {default_model_dir()} (a few minutes, once)")
        build_default_model()
    return Classifier.load(args.model, gazetteer=gazetteer, int8=getattr(args, "int8", None))


def build_default_model(force: bool = False) -> bool:
    """Train the default model from the bundled data unless it is there; True when it was built."""
    from quoteframe.classifier import default_model_dir

    if not force and (default_model_dir() / "config.json").exists():
        return False
    from training.train import default_args, train

    train(default_args())
    return True


# -- analyze -------------------------------------------------------------------
def run_analyze(args) -> int:
    analyzer = make_analyzer(args, classify=not args.no_labels)
    failures = 0
    started, count = time.perf_counter(), 0
    for article_id, text, problem in _read_inputs(args.files):
        if problem is None:
            try:
                analysis = analyzer.analyze(text, id=article_id)
            except QuoteframeError as err:
                problem = str(err)
            else:
                sys.stdout.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
                count += 1
        if problem is not None:
            failures += 1
            _error(problem)
    elapsed = time.perf_counter() - started
    if count and sys.stderr.isatty():
        print(f"analysed {count} article(s) in {elapsed:.1f}s ({count / elapsed:.1f} articles/s)", file=sys.stderr)
    return EXIT_ERROR if failures else EXIT_OK


def _read_inputs(files: Sequence[str]) -> Iterator[tuple[str, str | None, str | None]]:
    """(id, text, problem) per input; problem is one line saying what is wrong."""
    for name in files:
        if name == "-":
            data = sys.stdin.buffer.read()
            yield "stdin", *_decode(data, "standard input")
            continue
        path = Path(name)
        if path.is_dir():
            yield path.name, None, f"{name}: is a folder; pass its .txt files (e.g. {name}/*.txt)"
            continue
        try:
            data = path.read_bytes()
        except OSError as err:
            yield path.stem, None, f"{name}: cannot read the file ({err.strerror or err})"
            continue
        yield path.stem, *_decode(data, name)


def _decode(data: bytes, where: str) -> tuple[str | None, str | None]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, f"{where}: not UTF-8 text (bad byte at offset {err.start}); convert it to UTF-8 first"
    if not text.strip():
        return None, f"{where}: the text is empty"
    return text, None


# -- classify -------------------------------------------------------------------
def _add_classify(sub) -> None:
    p = sub.add_parser("classify", help="frame, target and stance of already-extracted quotes",
                       description="Label quotes given in LABELS.md's format (text, optional context, speaker, "
                                   "speaker_actor): one JSON object a line on stdout.")
    p.add_argument("files", nargs="+", metavar="FILE.jsonl", help="labelled-quote files (JSON Lines; .gz accepted)")
    p.add_argument("--batch-size", type=_positive, default=64, metavar="N", help="quotes per model call (default 64)")
    _common(p)
    p.set_defaults(run=run_classify)


def run_classify(args) -> int:
    from quoteframe.classifier.data import read_labelled

    rows = read_labelled(args.files, require_labels=False)
    classifier = load_classifier(args)
    classifier.batch_size = args.batch_size
    for start in _progress(range(0, len(rows), 1024), "classifying", unit="chunk"):
        chunk = rows[start : start + 1024]
        for row, result in zip(chunk, classifier.classify(chunk)):
            sys.stdout.write(json.dumps({"text": row["text"], **result}, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return EXIT_OK


# -- train ------------------------------------------------------------------------
def _add_train(sub) -> None:
    from training.train import TrainArgs

    d = TrainArgs()
    p = sub.add_parser("train", help="fine-tune a frame/target/stance model on labelled quotes",
                       description="Fine-tune a model on labelled quotes (LABELS.md's format; the label set comes "
                                   "from the data) and write a model folder.")
    p.add_argument("--data", nargs="+", metavar="FILE", help="labelled-quote files or folders, or folders of gold articles (NAME.txt + NAME.gold.jsonl) whose quotes are read as the pipeline reads them (default: the bundled training data)")
    p.add_argument("--default", action="store_true",
                   help="build the default model from the bundled data if it is missing (what the set-up command runs)")
    p.add_argument("--force", action="store_true", help="with --default: rebuild even if it exists")
    p.add_argument("--base-model", metavar="NAME", help="Hugging Face encoder name or folder (default: bundled all-MiniLM-L6-v2)")
    p.add_argument("--out", metavar="DIR", default=d.out, help=f"model folder to write (default {d.out})")
    p.add_argument("--epochs", type=_positive, default=d.epochs, help=f"default {d.epochs}")
    p.add_argument("--seed", type=int, default=d.seed, help=f"default {d.seed}")
    p.add_argument("--max-train-samples", type=_positive, metavar="N", help="train on at most N quotes")
    p.add_argument("--eval-split", type=float, default=d.eval_split, metavar="FRACTION",
                   help=f"share of the data kept to choose the best epoch (default {d.eval_split})")
    p.add_argument("--heldout", nargs="+", default=[], metavar="FILE", help="test files scored once at the end, never used for choosing")
    p.add_argument("--feedback", metavar="DB", help="also train on the corrections stored by the REST service (SQLite path or URL)")
    p.add_argument("--batch-size", type=_positive, default=d.batch_size, help=f"default {d.batch_size}")
    p.add_argument("--learning-rate", type=float, default=d.learning_rate, help=f"default {d.learning_rate}")
    p.add_argument("--freeze-layers", type=int, default=d.freeze_layers, metavar="N",
                   help=f"keep the bottom N encoder layers fixed (faster; default {d.freeze_layers})")
    p.add_argument("--max-length", type=_positive, default=d.max_length, help=f"tokens per quote (default {d.max_length})")
    p.add_argument("--context-dropout", type=_fraction, default=d.context_dropout, metavar="FRACTION",
                   help="share of training quotes shown without their context sentence, so the model reads the "
                        f"quote itself (default {d.context_dropout})")
    p.add_argument("--context-sentences", type=int, choices=range(0, 4), default=d.context_sentences_before,
                   metavar="N", help="sentences before the quote's own that the model reads, in articles "
                                     f"(0-3; default {d.context_sentences_before})")
    p.set_defaults(run=run_train)


def run_train(args) -> int:
    from training.train import TrainArgs, default_args, train

    if args.default:
        built = build_default_model(force=args.force)
        if not built:
            from quoteframe.classifier import default_model_dir

            _note(f"the default model is already built in {default_model_dir()} (use --force to rebuild)")
        return EXIT_OK
    extra = []
    if args.feedback:
        extra = _read_feedback(args.feedback)
    base = default_args()
    targs = TrainArgs(
        data=args.data or base.data, base_model=args.base_model, out=args.out, epochs=args.epochs, seed=args.seed,
        max_train_samples=args.max_train_samples, eval_split=args.eval_split, heldout=args.heldout,
        batch_size=args.batch_size, learning_rate=args.learning_rate, freeze_layers=args.freeze_layers,
        max_length=args.max_length, context_dropout=args.context_dropout,
        context_sentences_before=args.context_sentences,
    )
    train(targs, extra_rows=extra)
    return EXIT_OK


def _read_feedback(db: str) -> list[dict]:
    try:
        from service.feedback import read_feedback
    except ImportError as err:
        raise QuoteframeError(f"--feedback needs the service extra ({err})") from None
    rows = read_feedback(db)
    _note(f"{len(rows)} corrected quote(s) from {db}")
    return rows


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {number}")
    return number


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value!r}") from None
    if not 0.0 <= number < 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 up to (not including) 1, got {number}")
    return number


# -- evaluate -------------------------------------------------------------------
def run_evaluate(args) -> int:
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
    if args.json:
        Path(args.json).write_text(json.dumps(metrics, indent=2, ensure_ascii=False), "utf-8")
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
    analyses = analyzer.analyze_many((a.id, a.text) for a in _progress(gold, "analysing"))
    return [(article, analysis.to_dict()) for article, analysis in zip(gold, analyses)]


def _saved_pairs(args, gold) -> list[tuple]:
    """(gold article, analysis dict or None) pairs from a saved `analyze` output."""
    from quoteframe.evaluation.predictions import pair_predictions, read_predictions

    pairs = pair_predictions(gold, read_predictions(args.predictions))
    missing = [article.id for article, analysis in pairs if analysis is None]
    if missing:
        _note(f"{args.predictions} has no analysis for {len(missing)} of {len(gold)} article(s) "
              f"({', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}): scored as finding no quotes")
    return pairs


def _polnear_metrics(args, pairs) -> tuple[dict, str]:
    from quoteframe.evaluation.metrics import evaluate, format_report

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

    classifier = load_classifier(args)
    # gold-article folders are read as the model reads articles: with its own context window
    rows = read_quotes(args.labels, int(classifier.section.get("context_sentences_before", 0)))
    if args.limit:
        rows = rows[: args.limit]
    unknown = sorted({r["frame"] for r in rows} - set(classifier.labels))
    if unknown:
        raise QuoteframeError(f"the gold uses frame(s) the model does not know: {', '.join(unknown)} "
                              f"(the model's labels: {', '.join(classifier.labels)})")
    started = time.perf_counter()
    pred = []
    for start in _progress(range(0, len(rows), 256), "classifying", unit="chunk"):
        pred.extend(classifier.classify(rows[start : start + 256]))
    metrics = label_metrics(rows, pred, classifier.labels)
    metrics["seconds"] = round(time.perf_counter() - started, 2)
    metrics["by_conflict"] = by_conflict(rows, pred, classifier.labels)
    print(format_label_report(metrics, title=f"{classifier.info()['name']} on {' '.join(args.labels)}"))
    if metrics["by_conflict"]:
        print(format_by_conflict(metrics["by_conflict"]))
    if args.json:
        Path(args.json).write_text(json.dumps(metrics, indent=2, ensure_ascii=False), "utf-8")
    return EXIT_OK


def _progress(items, desc: str, unit: str = "article"):
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit=unit, file=sys.stderr, disable=len(items) < 5)


def _note(message: str) -> None:
    print(f"quoteframe: {message}", file=sys.stderr)


def _error(message: str) -> None:
    print(f"quoteframe: error: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
