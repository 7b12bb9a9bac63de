"""Shared fixtures: one Analyzer for the whole session (spaCy loads once).

``quotes_of(text)`` analyses an article and returns its quotes, checking on
the way the one invariant every quote must keep (API.md): its text is the
article's characters from ``start`` to ``end``.

``tiny_model`` is a random-weight model folder (``tiny_model.py``): the real
classifier code, where the model's accuracy is not what a test is about;
``actors_model`` a model trained with an extra ``--actors`` file.

``generated_articles`` are a dozen articles from ``bench/make_archive.py``
(news-style, made up, so they may live in the repo's tests).

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
from tests.tiny_model import make_tiny_model, train_with_actors

REPO = Path(__file__).resolve().parents[1]
_SEED_PLACES = (REPO.parent / "shared" / "seeds", Path("/work/shared/seeds"))
SEEDS: Path | None = next((p for p in _SEED_PLACES if p.is_dir()), None)
SEEDS_MISSING = "shared seeds folder not found (looked in ../shared/seeds beside the repo and /work/shared/seeds)"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """The default Analyzer, built once and reused by every test."""
    return Analyzer()


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A random-weight model folder with a real tokenizer (``tiny_model.py``), built once."""
    return make_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture(scope="session")
def actors_model(tmp_path_factory) -> tuple[Path, Path]:
    """``(model folder, actor file)``: a model trained with an extra ``--actors`` file (a short real
    training run, once a session)."""
    return train_with_actors(tmp_path_factory.mktemp("actors-model"))


@pytest.fixture(scope="session")
def generated_articles() -> list[dict]:
    """12 articles of ``bench/make_archive.py`` (seed 17): dicts with ``id`` and ``text``."""
    import importlib.util
    import itertools
    import sys

    spec = importlib.util.spec_from_file_location("make_archive", REPO / "bench" / "make_archive.py")
    module = sys.modules.setdefault("make_archive", importlib.util.module_from_spec(spec))
    if not hasattr(module, "generate"):
        spec.loader.exec_module(module)  # registered first: dataclasses look their module up by name
    return list(itertools.islice(module.generate(12, seed=17), 12))


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
