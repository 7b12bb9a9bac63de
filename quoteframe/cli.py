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
    _add_evaluate(sub)
    return parser


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="DIR", help="classifier model folder (default: the bundled default model, once built)")
    p.add_argument("--spacy-model", metavar="NAME", help="spaCy pipeline name or path (default: the bundled small English model)")
    p.add_argument("--cues", metavar="TOML", action="append", default=[], help="extra cue-word file (see quoteframe/data/cues.toml)")
    p.add_argument("--actors", metavar="TOML", action="append", default=[], help="extra actor gazetteer file (see quoteframe/data/actors.toml)")


def _add_analyze(sub) -> None:
    p = sub.add_parser("analyze", help="find quotes, speakers and actors; JSON Lines on stdout",
                       description="Analyse articles: one analysis object (API.md) per input, as JSON Lines on stdout.")
    p.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 .txt files, or - for standard input")
    _common(p)
    p.set_defaults(run=run_analyze)


def _add_evaluate(sub) -> None:
    p = sub.add_parser("evaluate", help="score the analyzer against gold annotations",
                       description="Run the analyzer on DIR's NAME.txt files and score it against NAME.gold.jsonl, "
                                   "or against a PolNeAR split folder (BRAT .ann files).")
    p.add_argument("--gold", required=True, metavar="DIR", help="folder of NAME.txt + NAME.gold.jsonl, or a PolNeAR split folder")
    p.add_argument("--speech-only", action="store_true", help="score speech attributions only (PolNeAR also marks beliefs)")
    p.add_argument("--json", metavar="FILE", help="also write the metrics as JSON")
    p.add_argument("--limit", type=int, metavar="N", help="evaluate the first N articles only")
    _common(p)
    p.set_defaults(run=run_evaluate)


def make_analyzer(args):
    from quoteframe.analyzer import Analyzer, AnalyzerConfig

    config = AnalyzerConfig(spacy_model=args.spacy_model, cue_files=args.cues, actor_files=args.actors)
    return Analyzer(config)


# -- analyze -------------------------------------------------------------------
def run_analyze(args) -> int:
    analyzer = make_analyzer(args)
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


# -- evaluate -------------------------------------------------------------------
def run_evaluate(args) -> int:
    from quoteframe.evaluation.gold import read_gold
    from quoteframe.evaluation.metrics import evaluate, format_report

    gold = read_gold(args.gold)
    if args.limit:
        gold = gold[: args.limit]
    analyzer = make_analyzer(args)
    pairs = []
    started = time.perf_counter()
    for article, analysis in zip(gold, analyzer.analyze_many((a.id, a.text) for a in _progress(gold, "analysing"))):
        pairs.append((article, analysis.to_dict()))
    elapsed = time.perf_counter() - started
    metrics = evaluate(pairs, speech_only=args.speech_only)
    metrics["seconds"] = round(elapsed, 2)
    metrics["articles_per_second"] = round(len(gold) / elapsed, 2) if elapsed else None
    title = f"quoteframe {__version__} on {args.gold}" + (" (speech only)" if args.speech_only else "")
    print(format_report(metrics, title=title))
    print(f"{len(gold)} articles in {elapsed:.1f}s ({metrics['articles_per_second']} articles/s)")
    if args.json:
        Path(args.json).write_text(json.dumps(metrics, indent=2, ensure_ascii=False), "utf-8")
    return EXIT_OK


def _progress(items, desc: str):
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="article", file=sys.stderr, disable=len(items) < 5)


def _error(message: str) -> None:
    print(f"quoteframe: error: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
