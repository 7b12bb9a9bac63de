"""The per-article table that both evaluation reports end with."""
from __future__ import annotations

from typing import Any, Callable, Sequence

# (header, width, gap before the column, the cell of a row)
Column = tuple[str, int, str, Callable[[dict[str, Any]], Any]]


def worst_articles(title: str, rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> list[str]:
    """``title`` over a table of ``rows`` (already sorted and cut): the article id, then ``columns``.

    >>> print("\\n".join(worst_articles("Worst 1", [{"id": "a1", "fn": 3}], [("fn", 3, " ", lambda r: r["fn"])])))
    Worst 1
      article   fn
      a1         3
    """
    if not rows:
        return []
    width = max(len("article"), *(len(r["id"]) for r in rows))
    header = f"  {'article':<{width}} " + "".join(f"{gap}{name:>{w}}" for name, w, gap, _cell in columns)
    body = [f"  {r['id']:<{width}} " + "".join(f"{gap}{cell(r):>{w}}" for _name, w, gap, cell in columns)
            for r in rows]
    return [title, header, *body]
