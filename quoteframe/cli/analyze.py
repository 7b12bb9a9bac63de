"""`quoteframe analyze`: one analysis object (API.md) per article, as JSON Lines on stdout."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Iterator, Sequence

from quoteframe.cli.options import EXIT_ERROR, EXIT_OK, add_model_options, error, make_analyzer
from quoteframe.errors import QuoteframeError


def add_parser(sub) -> None:
    p = sub.add_parser("analyze", help="find quotes, speakers and actors; JSON Lines on stdout",
                       description="Analyse articles: one analysis object (API.md) per input, as JSON Lines on stdout.")
    p.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 .txt files, or - for standard input")
    p.add_argument("--no-labels", action="store_true",
                   help="quotes, speakers and actors only: skip the frame/target/stance model (much faster on CPU)")
    add_model_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    analyzer = make_analyzer(args, classify=not args.no_labels)
    problems: list[str] = []
    started, count = time.perf_counter(), 0
    # articles are labelled in chunks, their quotes sharing model calls; a bad input is reported
    # and skipped before it reaches a chunk
    for analysis in analyzer.analyze_many(good_inputs(args.files, analyzer, problems)):
        sys.stdout.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
        count += 1
    elapsed = time.perf_counter() - started
    if count and sys.stderr.isatty():
        print(f"analysed {count} article(s) in {elapsed:.1f}s ({count / elapsed:.1f} articles/s)", file=sys.stderr)
    return EXIT_ERROR if problems else EXIT_OK


def good_inputs(files: Sequence[str], analyzer, problems: list[str]) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of the inputs the Analyzer accepts; each other one's problem is said and kept."""
    for article_id, text, problem in read_inputs(files):
        if problem is None:
            try:
                analyzer.check(text, article_id)
            except QuoteframeError as err:
                problem = str(err)
        if problem is None:
            yield article_id, text
        else:
            problems.append(problem)
            error(problem)


def read_inputs(files: Sequence[str]) -> Iterator[tuple[str, str | None, str | None]]:
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
