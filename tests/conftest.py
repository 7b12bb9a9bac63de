"""Shared fixtures: one Analyzer for the whole session (spaCy loads once).

``quotes_of(text)`` analyses an article and returns its quotes, checking on
the way the one invariant every quote must keep (API.md): its text is the
article's characters from ``start`` to ``end``.

``SEEDS`` is the shared folder of hand-labelled seed articles, beside the
checkout (``../shared/seeds``) or at ``/work/shared/seeds``; ``None`` when
neither exists, and the ``seeds`` fixture then skips with the reason.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from quoteframe.analyzer import Analyzer
from quoteframe.schema import Quote

REPO = Path(__file__).resolve().parents[1]
_SEED_PLACES = (REPO.parent / "shared" / "seeds", Path("/work/shared/seeds"))
SEEDS: Path | None = next((p for p in _SEED_PLACES if p.is_dir()), None)
SEEDS_MISSING = "shared seeds folder not found (looked in ../shared/seeds beside the repo and /work/shared/seeds)"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """The default Analyzer, built once and reused by every test."""
    return Analyzer()


@pytest.fixture(scope="session")
def quotes_of(analyzer: Analyzer) -> Callable[[str], list[Quote]]:
    """A function: article text -> its quotes, in article order."""

    def run(text: str) -> list[Quote]:
        quotes = analyzer.analyze(text, id="test").quotes
        for q in quotes:
            assert text[q.start : q.end] == q.text, f"offsets do not slice the quote: {q!r}"
        return quotes

    return run


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The shared seed folder (NAME.txt + NAME.gold.jsonl); skips when absent."""
    if SEEDS is None:
        pytest.skip(SEEDS_MISSING)
    return SEEDS
