"""`python -m service [--host] [--port] [--model] ...`: the same as `quoteframe serve`."""
from __future__ import annotations

import argparse
import sys

from quoteframe.errors import QuoteframeError
from service.cli import add_serve_arguments


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service", description="Start the quoteframe REST service.")
    add_serve_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except QuoteframeError as err:
        print(f"quoteframe: error: {err}", file=sys.stderr)
        return getattr(err, "exit_code", 1)  # a set-up error (a model folder, an open host) is a usage error


if __name__ == "__main__":
    sys.exit(main())
