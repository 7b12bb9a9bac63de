"""`quoteframe serve`: the service describes its own flags (``python -m service`` has the same); this wires them in."""
from __future__ import annotations

from service.cli import add_serve_parser


def add_parser(sub) -> None:
    add_serve_parser(sub)
