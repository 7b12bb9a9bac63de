"""One output row per quote: the analysis object flattened for tables (API.md "Batch scoring").

A row holds the article's id, the article's metadata columns, and every field
of the quote, with the speaker's fields flattened to ``speaker_name``,
``speaker_actor``, …. ``frames`` (a score per label) is kept as a JSON string,
so that every row of every archive has the same Parquet schema.

The last two columns are not quote fields of the analysis object: ``sentence``
is the sentence the quote stands in (cut to ``SNIPPET_CHARS`` either side of
it) and ``sentence_start`` its offset in the article, so that
``sentence[start - sentence_start : end - sentence_start] == text``. The
report shows them as the evidence behind a tie; the article text itself is not
kept. Rows of older runs lack them (the report then shows the quote alone).
"""
from __future__ import annotations

import json
import re
from typing import Any

from quoteframe.schema import Analysis

ID = "article_id"
QUOTE_FIELDS = (
    "quote_index", "text", "start", "end", "kind", "cue",
    "speaker_name", "speaker_mention", "speaker_actor", "speaker_start", "speaker_end", "speaker_via",
    "frame", "frame_score", "frames", "target", "stance", "stance_score", "tag", "low_confidence",
    "sentence", "sentence_start",
)
RESERVED = frozenset((ID, *QUOTE_FIELDS))
META_PREFIX = "article_"
SNIPPET_CHARS = 200  # of the sentence on each side of the quote: room for its attribution, never a whole story
_SENTENCE_END = re.compile(r"(?<=[.!?…])([”\"’']?)\s+|\n+")  # group 1: a closing quote mark, kept


def meta_name(column: str) -> str:
    """The row column of an article metadata column: its own name unless a quote field has it."""
    return META_PREFIX + column if column in RESERVED else column


def quote_rows(analysis: Analysis, meta: dict[str, Any] | None = None,
               text: str | None = None) -> list[dict[str, Any]]:
    """The rows of one analysed article, in quote order; with the article's ``text``, each quote's sentence.

    >>> from quoteframe.schema import Quote, Speaker
    >>> a = Analysis("a1", {}, [Quote("We stay", 1, 8, "direct", "said", Speaker("Anna Nowak", actor="Poland"))])
    >>> row = quote_rows(a, {"date": "2021-11-09", "text": "ignored"})[0]
    >>> (row["article_id"], row["date"], row["speaker_actor"], row["quote_index"], row["sentence"])
    ('a1', '2021-11-09', 'Poland', 0, None)
    >>> quote_rows(a, text="'We stay,' she said. Talks went on.")[0]["sentence"]
    "'We stay,' she said."
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
        row["sentence"], row["sentence_start"] = quote_sentence(text, q.start, q.end) if text else (None, None)
        rows.append(row)
    return rows


def quote_sentence(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence(s) that the quote ``text[start:end]`` stands in, and where they start.

    At most ``SNIPPET_CHARS`` either side of the quote are kept, cut at a space.
    The result is a slice of ``text``, so the quote's offsets still point into it.

    >>> text = "Talks failed. Kaya said the move was reckless. Troops massed."
    >>> quote_sentence(text, 24, 45)
    ('Kaya said the move was reckless.', 14)
    >>> quote_sentence('“We stay.” He said so. Then', 1, 9)
    ('“We stay.”', 0)
    """
    left, right = max(0, start - SNIPPET_CHARS), min(len(text), end + SNIPPET_CHARS)
    begin = left if not left or " " not in text[left:start] else text.index(" ", left, start) + 1
    for m in _SENTENCE_END.finditer(text, left, start):
        begin = m.end()
    m = _SENTENCE_END.search(text, end, right)
    if m:
        finish = m.start() + len(m.group(1) or "")
    else:
        finish = right if right == len(text) else max(end, text.rfind(" ", end, right))
    return text[begin:finish], begin
