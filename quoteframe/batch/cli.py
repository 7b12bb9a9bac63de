"""The `quoteframe score` command: thin over :func:`quoteframe.batch.score.score`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quoteframe.batch.score import MAX_CHARS, ScoreConfig


def add_score_parser(sub) -> None:
    from quoteframe.cli import _common, _positive

    p = sub.add_parser(
        "score", help="batch-score an archive into one row per quote (Parquet or JSON Lines)",
        description="Score an archive: a folder of .txt files, .jsonl, .csv or .parquet (gzip accepted) with "
                    "'id' and 'text' columns, other columns kept as metadata. Writes one row per quote to OUTPUT "
                    "(.parquet or .jsonl) and bad articles to NAME.errors.jsonl beside it. Streams with flat memory; "
                    "rerun the same command after a crash and it resumes where it stopped.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("input", metavar="INPUT", help="archive: folder of .txt, .jsonl[.gz], .csv[.gz], .parquet")
    p.add_argument("--out", required=True, metavar="OUTPUT", help="output file: .parquet or .jsonl")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local: processes on this machine; ray: a Ray Data pipeline (pip install 'quoteframe[ray]')")
    p.add_argument("--ray-address", metavar="ADDRESS", default=None,
                   help="Ray cluster to join (default: $RAY_ADDRESS, else a local Ray)")
    p.add_argument("--id-column", default="id", help="column with the article id")
    p.add_argument("--text-column", default="text", help="column with the article text")
    p.add_argument("--no-labels", action="store_true", help="quotes, speakers and actors only: skip the model")
    p.add_argument("--workers", type=int, default=None, help="parse processes (default: cores - 1 with the model, all cores without)")
    p.add_argument("--chunk-size", type=_positive, default=ScoreConfig.chunk_size, help="articles per committed part (the resume step)")
    p.add_argument("--batch-size", type=_positive, default=ScoreConfig.batch_size, help="quotes per model call")
    p.add_argument("--max-chars", type=_positive, default=MAX_CHARS, help="longer articles go to the errors file")
    p.add_argument("--restart", action="store_true", help="discard an unfinished run and start again")
    _common(p)
    p.set_defaults(run=run_score)


def run_score(args) -> int:
    from quoteframe.batch.output import RunFolder
    from quoteframe.batch.sources import open_archive
    from quoteframe.cli import make_analyzer

    output = Path(args.out)
    open_archive(args.input, id_column=args.id_column, text_column=args.text_column)  # fail before loading a model
    run = RunFolder(output)
    if output.exists() and not run.folder.exists() and not args.restart:
        print(f"{output} is already scored; nothing to do (--restart scores it again)", file=sys.stderr)
        return 0
    config = ScoreConfig(chunk_size=args.chunk_size, workers=args.workers, batch_size=args.batch_size,
                         max_chars=args.max_chars, labels=not args.no_labels, restart=args.restart)
    analyzer = make_analyzer(args, classify=config.labels)
    summary = _engine(args)(args.input, output, config=config, analyzer=analyzer,
                            id_column=args.id_column, text_column=args.text_column)
    _report(summary)
    return 0


def _engine(args):
    if args.engine == "ray":
        from functools import partial

        from quoteframe.batch.ray_engine import score_with_ray

        return partial(score_with_ray, address=args.ray_address, model_dir=args.model)
    from quoteframe.batch.score import score

    return score


def _report(summary) -> None:
    resumed = f", {summary.resumed_chunks} chunk(s) done before" if summary.resumed_chunks else ""
    print(f"scored {summary.articles:,} articles in {summary.seconds:.1f}s "
          f"({summary.articles_per_second:.1f} articles/s{resumed}): {summary.quotes:,} quotes → {summary.output}; "
          f"{summary.errors:,} bad article(s) → {summary.errors_file}", file=sys.stderr)
