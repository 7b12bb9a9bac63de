"""`quoteframe`: one console script, thin over the Analyzer.

Each command lives in its own module of this package (``add_parser(sub)`` and
``run(args)``); the options they share are in :mod:`quoteframe.cli.options`.
The arrows point one way: the CLI imports the library, never the reverse.

Bad input ends with one clear line on stderr and a non-zero exit, never a
traceback; good articles in the same run are still written.
"""
from __future__ import annotations

import argparse
from typing import Sequence

from quoteframe.version import __version__
from quoteframe.cli import analyze, classify, evaluate, report, score, serve, train
from quoteframe.cli.options import EXIT_ERROR, EXIT_OK, EXIT_USAGE, error
from quoteframe.errors import QuoteframeError

COMMANDS = (analyze, classify, train, evaluate, score, report, serve)  # in the order of --help


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except QuoteframeError as err:
        error(str(err))
        return getattr(err, "exit_code", EXIT_ERROR)  # a set-up error (a cluster, a model folder) is a usage error (2)
    except KeyboardInterrupt:
        error("interrupted")
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
    for command in COMMANDS:
        command.add_parser(sub)
    return parser
