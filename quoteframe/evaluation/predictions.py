"""Saved ``quoteframe analyze`` output, read back and paired with gold articles.

``quoteframe evaluate --gold DIR --predictions FILE.jsonl`` scores analyses
made earlier instead of running the analyzer again.
"""
from __future__ import annotations

from pathlib import Path

from quoteframe.errors import InputError
from quoteframe.evaluation.gold import GoldArticle
from quoteframe.jsonl import read_json_lines


class PredictionsError(InputError):
    """A predictions file that cannot be read; the message names the file, line and fix."""


def read_predictions(path: str | Path) -> list[dict]:
    """The analysis objects of a JSON Lines file, one per non-blank line.

    For example::

        analyses = read_predictions("pred.jsonl")
    """
    lines = read_json_lines(path, PredictionsError, expect="an analysis object of `quoteframe analyze`",
                            hint=f"write one with `quoteframe analyze DIR/*.txt > {path}`")
    return [_analysis(record, f"{path}:{number}") for number, record in lines]


def _analysis(record: dict, where: str) -> dict:
    if not isinstance(record.get("quotes", []), list):
        raise PredictionsError(f"{where}: expected an analysis object with a 'quotes' list, "
                               "as `quoteframe analyze` writes")
    return record


def pair_predictions(articles: list[GoldArticle], analyses: list[dict]) -> list[tuple[GoldArticle, dict | None]]:
    """Each gold article with its analysis, or ``None`` (scored as no quotes found).

    An analysis belongs to the article its ``id`` names (``d01``, ``d01.txt``
    or a path ending in it); an analysis whose id names no article takes the
    article at its own position, as the reference scorer does. A later
    analysis for the same article replaces an earlier one.

    >>> pair_predictions([GoldArticle("d01", "", [])], [{"id": "dir/d01.txt", "quotes": []}])[0][1]["id"]
    'dir/d01.txt'
    """
    names = [article.id for article in articles]
    by_name: dict[str, dict] = {}
    for position, analysis in enumerate(analyses):
        name = _named_article(str(analysis.get("id") or ""), names)
        if name is None and position < len(names):
            name = names[position]
        if name is not None:
            by_name[name] = analysis
    return [(article, by_name.get(article.id)) for article in articles]


def _named_article(pid: str, names: list[str]) -> str | None:
    if not pid:
        return None
    return next((n for n in names if pid == n or Path(pid).stem == n or pid.endswith(n + ".txt")), None)

