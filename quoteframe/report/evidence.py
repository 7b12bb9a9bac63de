"""The quotes behind each tie: ``tie_quotes.csv``, and the few of them that the page shows.

A tie is a row of ``ties.csv``: a frame, a speaker actor and a target. Its
quotes come from a second pass over the scored files (:func:`iter_quotes`),
chunk by chunk, so the text of millions of quotes is never held at once:
each targeted quote is appended to ``tie_quotes.csv`` as it passes (archive
order), and only the ``QUOTES_PER_TIE`` most confident quotes of each tie
on the page are kept, with the sentence they stand in.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quoteframe.report.read import FLAG, iter_quotes
from quoteframe.report.tables import TIE_KEYS, Tables, parse_dates

QUOTES_PER_TIE = 10
# columns of the scored rows the evidence needs beyond the report's own (rows.py names them)
EXTRA = ("quote_index", "text", "start", "end", "sentence", "sentence_start", "frame_score", FLAG)
CSV_COLUMNS = [*TIE_KEYS, "article_id", "quote_index", "date", "speaker_name", "frame_score", FLAG,
               "text", "sentence"]
NUMBERS = {"quote_index": "int64", "frame_score": "float64", FLAG: "bool"}


def _csv_schema():
    import pyarrow as pa

    return pa.schema([(c, pa.type_for_alias(NUMBERS.get(c, "string"))) for c in CSV_COLUMNS])


@dataclass
class Evidence:
    """One quote under a tie: its sentence in three parts (the quote is ``quote``), and its source."""

    before: str
    quote: str
    after: str
    speaker: str | None
    article_id: str | None
    date: str | None
    frame_score: float | None


def collect(scored: Path, out: Path, tables: Tables, shown: list[tuple[str, str, str]],
            date_column: str | None, confident_only: bool = False) -> dict[tuple, list[Evidence]]:
    """Write ``out/tie_quotes.csv``; the best quotes of each tie in ``shown`` (frame, actor, target).

    Best: highest ``frame_score`` first, then archive order. Rows are read with the same
    cleaning as the tables (``confident_only`` included), so the quotes add up to ties.csv.
    """
    import pyarrow as pa
    import pyarrow.csv as csv

    wanted = set(shown)
    best = None
    seen = 0
    columns = EXTRA + ((date_column,) if date_column else ())
    schema = _csv_schema()
    # Arrow's writer: a tenth of pandas' to_csv time for quotes with their sentences (0.17 s against 2.0 s
    # for 100,000 of them)
    with csv.CSVWriter(out / "tie_quotes.csv", schema, write_options=csv.WriteOptions(quoting_style="needed")) as w:
        for part in iter_quotes(scored, columns, confident_only):
            targeted = _tie_rows(part, date_column, seen)
            seen += len(part)
            w.write_table(pa.Table.from_pandas(targeted[CSV_COLUMNS], schema=schema, preserve_index=False))
            best = _keep_best(best, targeted[_on_page(targeted, wanted)])
    return _by_tie(best)


def _tie_rows(part, date_column: str | None, seen: int):
    """The chunk's quotes that name a target, as plain columns, with a date and their archive position."""
    import pandas as pd

    rows = part[part["target"].notna()].copy()
    for column in TIE_KEYS + ["article_id", "speaker_name", "text", "sentence"]:
        rows[column] = _text(rows[column])
    for column in ("quote_index", "start", "end", "sentence_start"):
        numbers = pd.to_numeric(rows[column], errors="coerce")
        rows[column] = numbers.where(numbers == numbers.round())  # a whole number or missing
    rows["frame_score"] = pd.to_numeric(rows["frame_score"], errors="coerce").round(4)
    rows[FLAG] = rows[FLAG].map(lambda v: None if _missing(v) else bool(v), na_action="ignore")
    rows["position"] = rows.index + seen
    rows["date"] = _days(rows[date_column]) if date_column else None
    return rows.reset_index(drop=True)


def _text(series):
    """A column as str or None, whatever the file held (a number where text belongs is written as text)."""
    import pandas as pd

    if pd.api.types.infer_dtype(series, skipna=True) not in ("string", "empty", "categorical"):
        series = series.map(str, na_action="ignore")
    return series.astype(object).where(series.notna(), None)


def _on_page(rows, wanted: set[tuple]):
    """A mask of the rows whose tie is one of ``wanted``."""
    import numpy as np

    return np.array([key in wanted for key in zip(*(rows[c] for c in TIE_KEYS))], dtype=bool)


def _days(values):
    """Dates as YYYY-MM-DD, None where a value cannot be read as one."""
    days = parse_dates(values.reset_index(drop=True)).dt.strftime("%Y-%m-%d")
    return days.astype(object).where(days.notna(), None).to_numpy()


def _keep_best(best, candidates):
    """The ``QUOTES_PER_TIE`` best rows per tie among the kept ones and a chunk's candidates."""
    import pandas as pd

    pool = candidates if best is None else pd.concat([best, candidates], ignore_index=True)
    pool = pool.sort_values(["frame_score", "position"], ascending=[False, True], na_position="last", kind="stable")
    return pool.groupby(TIE_KEYS, sort=False).head(QUOTES_PER_TIE)


def _by_tie(best) -> dict[tuple, list[Evidence]]:
    found: dict[tuple, list[Evidence]] = {}
    if best is None:
        return found
    for row in best.to_dict("records"):  # best first (see _keep_best)
        found.setdefault(tuple(row[k] for k in TIE_KEYS), []).append(_evidence(row))
    return found


def _evidence(row: dict) -> Evidence:
    before, quote, after = snippet(row["text"], row["start"], row["end"], row["sentence"], row["sentence_start"])
    known = {k: None if _missing(row[k]) else row[k] for k in ("speaker_name", "article_id", "date", "frame_score")}
    return Evidence(before, quote, after, speaker=known["speaker_name"], article_id=known["article_id"],
                    date=known["date"], frame_score=known["frame_score"])


def snippet(text, start, end, sentence, sentence_start) -> tuple[str, str, str]:
    """The sentence around a quote as (before, quote, after); the quote alone when the row has no
    sentence (scored before rows kept one) or its offsets do not point into it.

    >>> snippet("the move was reckless", 24, 45, "Kaya said the move was reckless.", 14)
    ('Kaya said ', 'the move was reckless', '.')
    >>> snippet("the move was reckless", 24, 45, None, None)
    ('', 'the move was reckless', '')
    """
    text = "" if _missing(text) else str(text)
    if _missing(sentence) or any(_missing(v) for v in (start, end, sentence_start)):
        return "", text, ""
    a, b = int(start) - int(sentence_start), int(end) - int(sentence_start)
    if not (0 <= a <= b <= len(sentence)) or sentence[a:b] != text:
        return "", text, ""
    return sentence[:a], text, sentence[b:]


def _missing(value) -> bool:
    return value is None or value != value  # None or NaN
