"""The ``report`` command's arguments: thin over :func:`quoteframe.report.write_report`.

It imports nothing of the CLI: the CLI adds this parser to its own.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quoteframe.flags import positive_int
from quoteframe.report import write_report


def add_report_parser(sub) -> argparse.ArgumentParser:
    """Add the ``report`` command to an argparse subparsers object.

    >>> parser = argparse.ArgumentParser(prog="quoteframe")
    >>> _ = add_report_parser(parser.add_subparsers())
    >>> args = parser.parse_args(["report", "scored.parquet", "--out", "rep"])
    >>> (args.scored, args.out, args.top, args.run is run_report)
    ('scored.parquet', 'rep', 15, True)
    """
    p = sub.add_parser("report", help="who says what about whom: tables, charts and a web page from scored quotes",
                       description="Summarise an archive scored by `quoteframe score`: frame shares per speaker actor, "
                                   "who blames whom with the quotes behind each tie, top speakers and trends over time, "
                                   "as CSV, PNG and one self-contained index.html.")
    p.add_argument("scored", metavar="SCORED", help="scored quotes: .parquet, .jsonl or .jsonl.gz, or a folder of them")
    p.add_argument("--out", metavar="DIR", required=True, help="folder to write the report into (created if missing)")
    p.add_argument("--top", type=positive_int, default=15, metavar="N",
                   help="actors/targets in the charts and rows in the page's tables (default 15)")
    p.add_argument("--frame", metavar="LABEL",
                   help="frame of the who-about-whom heatmap "
                        "(default: blame, else the frame with most targeted quotes)")
    p.add_argument("--confident-only", action="store_true",
                   help="leave out the labels flagged low_confidence (frame_score under the model's threshold): "
                        "such quotes count as unlabelled in the tables, tie quotes and charts")
    p.set_defaults(run=run_report)
    return p


def run_report(args) -> int:
    """The ``report`` command: write the report, say where it went; the exit code."""
    summary = write_report(Path(args.scored), Path(args.out), top=args.top, frame=getattr(args, "frame", None),
                           confident_only=getattr(args, "confident_only", False))
    print(f"quoteframe: report on {summary['quotes']:,} quotes written to {summary['index']}", file=sys.stderr)
    return 0

