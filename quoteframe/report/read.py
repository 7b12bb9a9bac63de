"""Reading scored rows (``quoteframe.batch.rows``) for the report: only the columns it needs.

Two readers share the file handling. :func:`load_quotes` reads the small
columns of every row as categories, so that millions of quotes fit in memory;
:func:`iter_quotes` streams chosen columns (the quote text and its sentence,
for the evidence behind the ties) in chunks, so that they never have to.
Both clean the rows the same way: blank text is missing, an unknown actor and
an unlabelled frame are named, and ``confident_only`` drops the frame and
target of rows flagged ``low_confidence``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from quoteframe.errors import InputError
from quoteframe.jsonl import read_json_lines

COLUMNS = ("article_id", "speaker_name", "speaker_actor", "frame", "target")
REQUIRED = ("frame", "speaker_actor")
DATE_NAMES = ("date", "published", "published_at", "pubdate", "timestamp")
UNKNOWN_ACTOR = "(unknown)"
UNLABELLED = "(unlabelled)"
FLAG = "low_confidence"  # a row's label is under the model's confidence threshold
JSONL_CHUNK = 200_000
STREAM_CHUNK = 25_000  # rows a chunk in iter_quotes: their text and sentences take ~10 MB, not a chunk of hundreds
HINT = "pass the output of `quoteframe score` (.parquet, .jsonl or .jsonl.gz, or a folder of them)"


# -- reading -----------------------------------------------------------------------------
def load_quotes(scored: Path, confident_only: bool = False):
    """The report's columns of every scored row, cleaned; and the date column's name or None.
    With ``confident_only``, rows flagged ``low_confidence`` lose their frame and target.

    Raises InputError for a missing path, a file of another kind, a table
    without ``frame``/``speaker_actor`` columns, or an archive with no quotes.
    """
    parts = [_categorical(_confident(part) if confident_only else part)
             for path in scored_files(scored) for part in _read_file(path) if len(part)]
    if not parts:
        raise InputError(f"{scored}: the archive holds no quotes (0 rows); nothing to report. "
                         f"Check that `quoteframe score` found quotes in the articles")
    df = _concat(parts)
    return _name_missing(df), _date_column(df)


def iter_quotes(scored: Path, extra: tuple[str, ...], confident_only: bool = False) -> Iterator:
    """The scored rows again, in chunks of at most ``STREAM_CHUNK``: the report's columns, cleaned as
    :func:`load_quotes` cleans them, and the ``extra`` columns (all missing where a file lacks one).

    A second pass over the files, for columns too big to hold for every row (the quote's text).
    """
    for path in scored_files(scored):
        for part in _read_file(path, extra, stream=True):
            if len(part):
                yield _cleaned(part, extra, confident_only)


def _cleaned(part, extra: tuple[str, ...], confident_only: bool):
    part = _categorical(_confident(part) if confident_only else part)
    for column in extra:
        if column not in part.columns:
            part[column] = None
    return _named(part)


def scored_files(scored: Path) -> list[Path]:
    """The scored files of a path: the file itself, or a folder's .parquet/.jsonl/.jsonl.gz files.

    >>> scored_files(Path("no/such/file.parquet"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    quoteframe.errors.InputError: no/such/file.parquet: no such file or folder; pass the output of ...
    """
    if scored.is_dir():
        files = sorted(p for p in scored.iterdir() if p.is_file() and _kind(p))
        if not files:
            raise InputError(f"{scored}: the folder holds no .parquet, .jsonl or .jsonl.gz files; {HINT}")
        return files
    if not scored.exists():
        raise InputError(f"{scored}: no such file or folder; {HINT}")
    if not _kind(scored):
        raise InputError(f"{scored}: not a scored file (expected .parquet, .jsonl or .jsonl.gz); {HINT}")
    return [scored]


def _kind(path: Path) -> str | None:
    """'parquet' or 'jsonl' by the file name, else None.

    >>> [_kind(Path(n)) for n in ("a.parquet", "a.JSONL", "a.jsonl.gz", "a.csv", "a.json.gz")]
    ['parquet', 'jsonl', 'jsonl', None, None]
    """
    name = path.name.lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".jsonl", ".jsonl.gz")):
        return "jsonl"
    return None


def _read_file(path: Path, extra: tuple[str, ...] = (), stream: bool = False) -> Iterator:
    """The report's columns (and ``extra``) of one scored file, as DataFrames: all rows at once
    (JSON Lines: in chunks of ``JSONL_CHUNK``), or with ``stream`` in chunks of ``STREAM_CHUNK``."""
    if _kind(path) == "parquet":
        return _stream_parquet(path, extra) if stream else iter([_read_parquet(path)])
    return _read_jsonl(path, extra, STREAM_CHUNK if stream else JSONL_CHUNK)


def _wanted(names, extra: tuple[str, ...] = ()) -> list[str]:
    """The columns to read among ``names``: the report's columns, the low-confidence flag, any date column
    and the ``extra`` ones.

    >>> _wanted(["article_id", "text", "Date", "frame", "speaker_actor", "frames", "low_confidence"])
    ['article_id', 'Date', 'frame', 'speaker_actor', 'low_confidence']
    >>> _wanted(["article_id", "text", "frame", "speaker_actor"], extra=("text",))
    ['article_id', 'text', 'frame', 'speaker_actor']
    """
    return [n for n in names if n in COLUMNS or n == FLAG or n.lower() in DATE_NAMES or n in extra]


def _confident(part):
    """``part`` without the frame and target of its rows flagged low-confidence."""
    if FLAG in part.columns:
        flagged = part[FLAG].fillna(False).astype(bool)
        part.loc[flagged, ["frame", "target"]] = None
    return part


def _require(names, path: Path) -> None:
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        found = ", ".join(list(names)[:12]) or "none"
        raise InputError(f"{path}: no {' or '.join(repr(c) for c in missing)} column (columns found: {found}); "
                         f"this does not look like scored quotes; {HINT}")


def _read_parquet(path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
        _require(names, path)
        wanted = _wanted(names)
        # strings as dictionaries: they arrive as categories, never as one string object a row
        text = [n for n in wanted if pa.types.is_string(pf.schema_arrow.field(n).type)
                or pa.types.is_large_string(pf.schema_arrow.field(n).type)]
        table = pq.read_table(path, columns=wanted, read_dictionary=text)
    except (pa.ArrowException, OSError) as err:
        raise InputError(f"{path}: not a readable Parquet file ({err}); {HINT}") from None
    return table.to_pandas()


def _stream_parquet(path: Path, extra: tuple[str, ...]) -> Iterator:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        _require(pf.schema_arrow.names, path)
        for batch in pf.iter_batches(batch_size=STREAM_CHUNK, columns=_wanted(pf.schema_arrow.names, extra)):
            yield batch.to_pandas()
    except (pa.ArrowException, OSError) as err:
        raise InputError(f"{path}: not a readable Parquet file ({err}); {HINT}") from None


def _read_jsonl(path: Path, extra: tuple[str, ...] = (), chunk: int = JSONL_CHUNK) -> Iterator:
    """DataFrames of the report's columns (and ``extra``), in chunks, streaming the lines."""
    import pandas as pd

    rows: dict[str, list] = {}
    seen: set[str] = set()
    count = 0
    for _number, obj in read_json_lines(path, InputError, expect="one scored quote (a JSON object)", hint=HINT):
        if not rows:
            rows = {k: [] for k in dict.fromkeys([*COLUMNS, *_wanted(obj, extra), *DATE_NAMES])}
        seen.update(k for k in rows if k in obj)
        for key, values in rows.items():
            values.append(obj.get(key))
        count += 1
        if count % chunk == 0:
            _require(seen, path)
            yield pd.DataFrame({k: v for k, v in rows.items() if k in seen})
            rows = {k: [] for k in rows}
    if count % chunk or not count:
        if count:
            _require(seen, path)
        yield pd.DataFrame({k: v for k, v in rows.items() if k in seen})


def _date_column(df) -> str | None:
    """The first date-like column (DATE_NAMES order) that holds any value."""
    by_lower = {c.lower(): c for c in df.columns if c.lower() in DATE_NAMES and df[c].notna().any()}
    return next((by_lower[n] for n in DATE_NAMES if n in by_lower), None)


def _categorical(part):
    """The report's text columns of one part as categories, blanks as missing, absent ones all missing.

    Categories take a few bytes a row where strings take dozens: millions of quotes stay small.
    """
    import pandas as pd

    for column in COLUMNS:
        if column not in part.columns:
            part[column] = pd.Categorical([None] * len(part), categories=pd.Index([], dtype=object))
        part[column] = _text(part[column])
    return part


def _text(series):
    """A column as categories of strings, blank strings as missing.

    >>> import pandas as pd
    >>> _text(pd.Series(["Poland", "  ", None, 3], dtype=object)).tolist()
    ['Poland', nan, nan, '3']
    """
    import pandas as pd

    if not isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype("category")
    categories = series.cat.categories
    if len(categories) and pd.api.types.infer_dtype(categories, skipna=True) != "string":
        series = series.astype("str").astype("category")  # numbers or mixed values from JSON
        categories = series.cat.categories
    blank = categories[categories.astype("str").str.strip() == ""]
    return series.cat.remove_categories(blank) if len(blank) else series


def _concat(parts):
    """One table of all parts, each text column one category set (pd.concat would fall back to objects)."""
    import pandas as pd

    if len(parts) == 1:
        return parts[0]
    for column in COLUMNS:
        categories = parts[0][column].cat.categories
        for part in parts[1:]:
            categories = categories.union(part[column].cat.categories)
        for part in parts:
            part[column] = part[column].cat.set_categories(categories)
    return pd.concat(parts, ignore_index=True)


def _name_missing(df):
    """Unknown actors and unlabelled frames named, so that they count; InputError with no frame at all."""
    if df["frame"].isna().all():
        raise InputError("the scored quotes have no frame labels (every 'frame' is empty); "
                         "score the archive with a classifier model (not --no-labels) and report again")
    return _named(df)


def _named(df):
    """Unknown actors and unlabelled frames named, so that they count."""
    df["frame"] = _fill(df["frame"], UNLABELLED)
    df["speaker_actor"] = _fill(df["speaker_actor"], UNKNOWN_ACTOR)
    return df


def _fill(series, value: str):
    if not series.isna().any():
        return series
    if value not in series.cat.categories:
        series = series.cat.add_categories([value])
    return series.fillna(value)
