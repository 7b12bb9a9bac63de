"""One output row per quote: the analysis object flattened for tables (API.md "Batch scoring").

A row holds the article's id, the article's metadata columns, and every field
of the quote, with the speaker's fields flattened to ``speaker_name``,
``speaker_actor``, …. ``frames`` (a score per label) is kept as a JSON string,
so that every row of every archive has the same Parquet schema.
"""
from __future__ import annotations

import json
from typing import Any

from quoteframe.schema import Analysis

ID = "article_id"
QUOTE_FIELDS = (
    "quote_index", "text", "start", "end", "kind", "cue",
    "speaker_name", "speaker_mention", "speaker_actor", "speaker_start", "speaker_end", "speaker_via",
    "frame", "frame_score", "frames", "target", "stance", "stance_score", "tag", "low_confidence",
)
RESERVED = frozenset((ID, *QUOTE_FIELDS))
META_PREFIX = "article_"


def meta_name(column: str) -> str:
    """The row column of an article metadata column: its own name unless a quote field has it."""
    return META_PREFIX + column if column in RESERVED else column


def quote_rows(analysis: Analysis, meta: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of one analysed article, in quote order.

    >>> from quoteframe.schema import Quote, Speaker
    >>> a = Analysis("a1", {}, [Quote("We stay", 1, 8, "direct", "said", Speaker("Anna Nowak", actor="Poland"))])
    >>> row = quote_rows(a, {"date": "2021-11-09", "text": "ignored"})[0]
    >>> (row["article_id"], row["date"], row["speaker_actor"], row["quote_index"])
    ('a1', '2021-11-09', 'Poland', 0)
    """
    meta = {meta_name(k): v for k, v in (meta or {}).items() if k not in ("id", "text")}
    rows = []
    for i, q in enumerate(analysis.quotes):
        s = q.speaker
        row = {ID: analysis.id, **meta, "quote_index": i,
               "text": q.text, "start": q.start, "end": q.end, "kind": q.kind, "cue": q.cue,
               "speaker_name": s.name, "speaker_mention": s.mention, "speaker_actor": s.actor,
               "speaker_start": s.start, "speaker_end": s.end, "speaker_via": s.via,
               "frame": q.frame, "frame_score": q.frame_score,
               "frames": json.dumps(q.frames, sort_keys=True) if q.frames is not None else None,
               "target": q.target, "stance": q.stance, "stance_score": q.stance_score, "tag": q.tag,
               "low_confidence": q.low_confidence}
        rows.append(row)
    return rows
