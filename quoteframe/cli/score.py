"""`quoteframe score`: thin over :func:`quoteframe.batch.score.score` (or the Ray engine)."""
from __future__ import annotations

import sys
from pathlib import Path

from quoteframe.batch.score import ScoreConfig
from quoteframe.cli.options import add_model_options, make_analyzer
from quoteframe.flags import DefaultsHelpFormatter, add_dataclass_arguments, config_from_args


def add_parser(sub) -> None:
    p = sub.add_parser(
        "score", help="batch-score an archive into one row per quote (Parquet or JSON Lines)",
        description="Score an archive: a folder of .txt files, .jsonl, .csv or .parquet (gzip accepted) with "
                    "'id' and 'text' columns, other columns kept as metadata. Writes one row per quote to OUTPUT "
                    "(.parquet or .jsonl) and bad articles to NAME.errors.jsonl beside it. Streams with flat memory; "
                    "rerun the same command after a crash and it resumes where it stopped.",
        formatter_class=DefaultsHelpFormatter)
    p.add_argument("input", metavar="INPUT", help="archive: folder of .txt, .jsonl[.gz], .csv[.gz], .parquet")
    p.add_argument("--out", required=True, metavar="OUTPUT", help="output file: .parquet or .jsonl")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local: processes on this machine; ray: Ray actors, here or on a cluster (pip install 'quoteframe[ray]')")
    p.add_argument("--ray-address", metavar="HOST:PORT", default=None,
                   help="Ray cluster to join: its head's address and port (default: $RAY_ADDRESS, else Ray on this "
                        "machine); its token comes from $RAY_AUTH_TOKEN, $RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token")
    p.add_argument("--ray-node-ip", metavar="IP", default=None,
                   help="this node's address in the cluster (default: the one this machine uses to reach the head)")
    p.add_argument("--id-column", default="id", help="column with the article id")
    p.add_argument("--text-column", default="text", help="column with the article text")
    add_dataclass_arguments(p, ScoreConfig, only=("chunk_size", "workers", "batch_size", "max_chars", "labels", "restart"))
    add_model_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from quoteframe.batch.output import RunFolder
    from quoteframe.batch.sources import open_archive

    output = Path(args.out)
    open_archive(args.input, id_column=args.id_column, text_column=args.text_column)  # fail before loading a model
    if output.exists() and not RunFolder(output).folder.exists() and not args.restart:
        print(f"{output} is already scored; nothing to do (--restart scores it again)", file=sys.stderr)
        return 0
    if args.engine == "ray":  # join before the model loads: a bad address or token fails in seconds
        from quoteframe.batch.ray_cluster import start_ray

        start_ray(args.ray_address, args.ray_node_ip)
    config = config_from_args(ScoreConfig, args)
    analyzer = make_analyzer(args, classify=config.labels)
    summary = _engine(args)(args.input, output, config=config, analyzer=analyzer,
                            id_column=args.id_column, text_column=args.text_column)
    _report(summary)
    return 0


def _engine(args):
    if args.engine == "ray":
        from functools import partial

        from quoteframe.batch.ray_engine import score_with_ray

        return partial(score_with_ray, address=args.ray_address, node_ip=args.ray_node_ip, model_dir=args.model)
    from quoteframe.batch.score import score

    return score


def _report(summary) -> None:
    resumed = f", {summary.resumed_chunks} chunk(s) done before" if summary.resumed_chunks else ""
    print(f"scored {summary.articles:,} articles in {summary.seconds:.1f}s "
          f"({summary.articles_per_second:.1f} articles/s{resumed}): {summary.quotes:,} quotes → {summary.output}; "
          f"{summary.errors:,} bad article(s) → {summary.errors_file}", file=sys.stderr)
