"""`quoteframe report`: the report module describes its own flags; this wires them in."""
from __future__ import annotations

from quoteframe.report.command import add_report_parser


def add_parser(sub) -> None:
    add_report_parser(sub)
