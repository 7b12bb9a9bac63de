"""Saved ``quoteframe analyze`` output, read back and paired with gold articles.

``quoteframe evaluate --gold DIR --predictions FILE.jsonl`` scores analyses
made earlier instead of running the analyzer again.
"""
from __future__ import annotations

import json
from pathlib import Path

from quoteframe.errors import InputError
from quoteframe.evaluation.gold import GoldArticle


class PredictionsError(InputError):
    """A predictions file that cannot be read; the message names the file, line and fix."""


def read_predictions(path: str | Path) -> list[dict]:
    """The analysis objects of a JSON Lines file, one per non-blank line.

    >>> analyses = read_predictions("pred.jsonl")  # doctest: +SKIP
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PredictionsError(f"{path}: no such file; write one with `quoteframe analyze DIR/*.txt > {path}`") from None
    except (OSError, UnicodeDecodeError) as err:
        raise PredictionsError(f"{path}: cannot read it as UTF-8 text ({err})") from None
    return [_analysis(line, path, lineno) for lineno, line in enumerate(text.splitlines(), 1) if line.strip()]


def _analysis(line: str, path: Path, lineno: int) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise PredictionsError(f"{path}:{lineno}: malformed JSON ({err.msg} at column {err.colno}); "
                               "each line must be one analysis object of `quoteframe analyze`") from None
    if not isinstance(record, dict) or not isinstance(record.get("quotes", []), list):
        raise PredictionsError(f"{path}:{lineno}: expected an analysis object with a 'quotes' list, "
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

