"""`quoteframe report`: who says what about whom, over an archive scored by `quoteframe score`.

Reads only the small columns of the scored rows (``quoteframe.batch.rows``):
``article_id``, ``speaker_name``, ``speaker_actor``, ``frame``, ``target`` and
a date column when there is one, so that millions of quotes fit in memory.
Writes CSV tables, PNG charts and one HTML page into a folder:

=================  ==============================================================
frame_shares.csv   per speaker actor: quotes and the share of each frame
ties.csv           frame × speaker actor × target: "who blames whom", long form
top_speakers.csv   speakers by number of quotes, their actor, frame and articles
trends.csv         quotes per frame per day/week/month (only with a date column)
blame_ties.png     heatmap speaker actor × target for one frame (``blame`` if any)
frame_shares.png   stacked bars of frame shares for the top actors
trends.png         quotes per frame over time (only with a date column)
index.html         the page that shows all of the above
=================  ==============================================================

The label set is data (LABELS.md): frames are whatever the archive holds.
``blame`` is only the preferred frame of the heatmap; without it the frame
with the most targeted quotes is shown, and the chart says so.
"""
from __future__ import annotations

import argparse
import gzip
import html
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from quoteframe.errors import InputError, QuoteframeError
from quoteframe.flags import positive_int

COLUMNS = ("article_id", "speaker_name", "speaker_actor", "frame", "target")
REQUIRED = ("frame", "speaker_actor")
DATE_NAMES = ("date", "published", "published_at", "pubdate", "timestamp")
UNKNOWN_ACTOR = "(unknown)"
UNLABELLED = "(unlabelled)"
FLAG = "low_confidence"  # a row's label is under the model's confidence threshold
OTHER = "(other)"
PREFERRED_TIES_FRAME = "blame"
OUTPUTS = ("frame_shares.csv", "ties.csv", "top_speakers.csv", "trends.csv",
           "blame_ties.png", "frame_shares.png", "trends.png", "index.html")
MAX_LINES = 10  # frames drawn as separate lines in trends.png; the rest are summed as (other)
JSONL_CHUNK = 200_000
HINT = "pass the output of `quoteframe score` (.parquet, .jsonl or .jsonl.gz, or a folder of them)"


@dataclass
class Tables:
    """Everything the report shows, computed once from the quote rows."""

    quotes: int
    articles: int | None
    frames: list[str]
    shares: Any  # DataFrame
    ties: Any
    speakers: Any
    ties_frame: str | None = None
    ties_note: str = ""
    trends: Any = None
    period: str | None = None
    dates: dict[str, Any] = field(default_factory=dict)
    no_speaker: int = 0


# -- public entry points ---------------------------------------------------------------
def write_report(scored: Path, out: Path, top: int = 15, frame: str | None = None,
                 confident_only: bool = False) -> dict[str, Any]:
    """Write the report of a scored archive into ``out``; a summary of what was written.

    ``top`` limits the actors/targets in the charts and the rows of the page's
    tables (the CSV files are complete). ``frame`` picks the heatmap's frame
    (default: ``blame``, else the frame with the most targeted quotes). ``confident_only``
    leaves out the frame and target of quotes flagged ``low_confidence`` (they count as
    unlabelled).

    >>> summary = write_report(Path("scored.parquet"), Path("report"))   # doctest: +SKIP
    >>> summary["quotes"], summary["files"][-1]                          # doctest: +SKIP
    (1234, 'report/index.html')
    """
    if top < 1:
        raise InputError(f"top must be at least 1, got {top}")
    df, date_column = load_quotes(Path(scored), confident_only)
    tables = build_tables(df, date_column, frame)
    del df
    out = _prepare_out(Path(out))
    files = _write_csvs(tables, out) + _write_charts(tables, out, top)
    files.append(_write_html(tables, out, top, files, Path(scored)))
    _remove_stale(out, files)
    return _summary(tables, out, files)


def add_report_parser(sub) -> argparse.ArgumentParser:
    """Add the ``report`` command to an argparse subparsers object.

    >>> parser = argparse.ArgumentParser(prog="quoteframe")
    >>> _ = add_report_parser(parser.add_subparsers())
    >>> args = parser.parse_args(["report", "scored.parquet", "--out", "rep"])
    >>> (args.scored, args.out, args.top, args.run is run_report)
    ('scored.parquet', 'rep', 15, True)
    """
    p = sub.add_parser("report", help="who says what about whom: tables, charts and a web page from scored quotes",
                       description="Summarise an archive scored by `quoteframe score`: frame shares per speaker actor, "
                                   "who blames whom, top speakers and trends over time, as CSV, PNG and index.html.")
    p.add_argument("scored", metavar="SCORED", help="scored quotes: .parquet, .jsonl or .jsonl.gz, or a folder of them")
    p.add_argument("--out", metavar="DIR", required=True, help="folder to write the report into (created if missing)")
    p.add_argument("--top", type=positive_int, default=15, metavar="N",
                   help="actors/targets in the charts and rows in the page's tables (default 15)")
    p.add_argument("--frame", metavar="LABEL",
                   help="frame of the who-about-whom heatmap "
                        "(default: blame, else the frame with most targeted quotes)")
    p.add_argument("--confident-only", action="store_true",
                   help="leave out the labels flagged low_confidence (frame_score under the model's threshold): "
                        "such quotes count as unlabelled")
    p.set_defaults(run=run_report)
    return p


def run_report(args) -> int:
    """The ``report`` command: write the report, say where it went; the exit code."""
    summary = write_report(Path(args.scored), Path(args.out), top=args.top, frame=getattr(args, "frame", None),
                           confident_only=getattr(args, "confident_only", False))
    print(f"quoteframe: report on {summary['quotes']:,} quotes written to {summary['index']}", file=sys.stderr)
    return 0


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


def _read_file(path: Path) -> list:
    """The report's columns of one scored file, as DataFrames."""
    if _kind(path) == "parquet":
        return [_read_parquet(path)]
    return list(_read_jsonl(path))


def _wanted(names) -> list[str]:
    """The columns to read among ``names``: the report's columns, the low-confidence flag and any date column.

    >>> _wanted(["article_id", "text", "Date", "frame", "speaker_actor", "frames", "low_confidence"])
    ['article_id', 'Date', 'frame', 'speaker_actor', 'low_confidence']
    """
    return [n for n in names if n in COLUMNS or n == FLAG or n.lower() in DATE_NAMES]


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


def _read_jsonl(path: Path) -> Iterator:
    """DataFrames of the report's columns, in chunks, streaming the lines."""
    import pandas as pd

    rows: dict[str, list] = {}
    seen: set[str] = set()
    count = 0
    for number, obj in _json_lines(path):
        if not rows:
            rows = {k: [] for k in dict.fromkeys([*COLUMNS, *_wanted(obj), *DATE_NAMES])}
        seen.update(k for k in rows if k in obj)
        for key, values in rows.items():
            values.append(obj.get(key))
        count += 1
        if count % JSONL_CHUNK == 0:
            _require(seen, path)
            yield pd.DataFrame({k: v for k, v in rows.items() if k in seen})
            rows = {k: [] for k in rows}
    if count % JSONL_CHUNK or not count:
        if count:
            _require(seen, path)
        yield pd.DataFrame({k: v for k, v in rows.items() if k in seen})


def _json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) per non-blank line; InputError naming the line when it is not an object."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    yield number, _parse_line(line, path, number)
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (bad byte at offset {err.start}); {HINT}") from None
    except (OSError, EOFError) as err:
        raise InputError(f"{path}: cannot read the file ({err}); {HINT}") from None


def _parse_line(line: str, path: Path, number: int) -> dict:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(f"{path} line {number}: not valid JSON ({err.msg}); {HINT}") from None
    if not isinstance(obj, dict):
        raise InputError(f"{path} line {number}: expected a JSON object (one scored quote), "
                         f"got {type(obj).__name__}; {HINT}")
    return obj


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
    df["frame"] = _fill(df["frame"], UNLABELLED)
    df["speaker_actor"] = _fill(df["speaker_actor"], UNKNOWN_ACTOR)
    return df


def _fill(series, value: str):
    if not series.isna().any():
        return series
    if value not in series.cat.categories:
        series = series.cat.add_categories([value])
    return series.fillna(value)


def _plain(table, columns):
    """A small result table with text columns as plain strings (no category surprises downstream)."""
    for column in columns:
        table[column] = table[column].astype("str")
    return table


# -- tables ------------------------------------------------------------------------------
def build_tables(df, date_column: str | None = None, frame: str | None = None) -> Tables:
    """The report's tables from cleaned quote rows (see ``load_quotes``)."""
    frames = df["frame"].value_counts()
    frames = frames[frames > 0]
    frames.index = frames.index.astype("str")
    frames = frames.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    tables = Tables(
        quotes=len(df), articles=int(df["article_id"].nunique()) if df["article_id"].notna().any() else None,
        frames=list(frames.index), shares=frame_shares(df, list(frames.index)), ties=ties(df),
        speakers=top_speakers(df), no_speaker=int(df["speaker_name"].isna().sum()),
    )
    tables.ties_frame, tables.ties_note = choose_ties_frame(tables.ties, tables.frames, frame)
    if date_column:
        _add_trends(tables, df, date_column)
    return tables


def frame_shares(df, frames: list[str]):
    """Per speaker actor (most quotes first): quotes, then the share of each frame.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"speaker_actor": ["A", "A", "B"], "frame": ["x", "y", "x"]})
    >>> frame_shares(df, ["x", "y"]).to_dict("records")
    [{'speaker_actor': 'A', 'quotes': 2, 'x': 0.5, 'y': 0.5}, {'speaker_actor': 'B', 'quotes': 1, 'x': 1.0, 'y': 0.0}]
    """
    counts = df.groupby(["speaker_actor", "frame"], observed=True).size().unstack("frame", fill_value=0)
    counts.index = counts.index.astype("str")
    counts.columns = counts.columns.astype("str")
    counts = counts.reindex(columns=frames, fill_value=0)
    totals = counts.sum(axis=1)
    shares = counts.div(totals, axis=0)
    shares.insert(0, "quotes", totals)
    shares = shares.sort_index().sort_values("quotes", ascending=False, kind="stable")
    shares.columns.name = None
    return shares.rename_axis("speaker_actor").reset_index()


def ties(df):
    """Quotes per (frame, speaker actor, target), most first; only quotes with a target.

    ``share_of_actor_quotes`` is the tie's share of all the actor's quotes.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"frame": ["blame", "blame", "neutral"], "speaker_actor": ["Belarus"] * 3,
    ...                    "target": ["Poland", "Poland", None]})
    >>> _ = ties(df).to_dict("records")
    >>> [(r["speaker_actor"], r["target"], r["quotes"], round(r["share_of_actor_quotes"], 2)) for r in _]
    [('Belarus', 'Poland', 2, 0.67)]
    """
    keys = ["frame", "speaker_actor", "target"]
    per_actor = df.groupby("speaker_actor", observed=True).size()
    per_actor.index = per_actor.index.astype("str")
    out = df[df["target"].notna()].groupby(keys, observed=True).size().rename("quotes").reset_index()
    out = _plain(out, keys)
    out["share_of_actor_quotes"] = out["quotes"] / per_actor.reindex(out["speaker_actor"]).to_numpy(dtype=float)
    out = out.sort_values(["quotes", *keys], ascending=[False, True, True, True], kind="stable")
    return out.reset_index(drop=True)


def top_speakers(df):
    """Named speakers by quotes: their most common actor and frame, and in how many articles they speak.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"speaker_name": ["Ann", "Ann", "Bo", None], "speaker_actor": ["P", "P", "B", "B"],
    ...                    "frame": ["x", "x", "y", "y"], "article_id": ["a1", "a2", "a1", "a1"]})
    >>> top_speakers(df).to_dict("records")[0]
    {'speaker_name': 'Ann', 'speaker_actor': 'P', 'quotes': 2, 'most_common_frame': 'x', 'articles': 2}
    """
    import pandas as pd

    named = df.loc[df["speaker_name"].notna(), ["speaker_name", "speaker_actor", "frame", "article_id"]]
    grouped = named.groupby("speaker_name", observed=True)
    sizes = grouped.size()
    out = pd.DataFrame({"quotes": sizes.to_numpy(), "articles": grouped["article_id"].nunique().to_numpy()},
                       index=pd.Index(sizes.index.astype("str"), name="speaker_name"))
    out["speaker_actor"] = _mode(named, "speaker_actor")
    out["most_common_frame"] = _mode(named, "frame")
    out = out.sort_index().sort_values("quotes", ascending=False, kind="stable").reset_index()
    return out[["speaker_name", "speaker_actor", "quotes", "most_common_frame", "articles"]]


def _mode(named, column: str):
    """Per speaker, the most common value of ``column`` (ties: alphabetical)."""
    counts = named.groupby(["speaker_name", column], observed=True).size().rename("n").reset_index()
    counts = _plain(counts, ["speaker_name", column])
    counts = counts.sort_values(["speaker_name", "n", column], ascending=[True, False, True], kind="stable")
    return counts.drop_duplicates("speaker_name").set_index("speaker_name")[column]


def choose_ties_frame(ties_table, frames: list[str], requested: str | None) -> tuple[str | None, str]:
    """The heatmap's frame and a note when it is not the preferred one.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"frame": ["threat", "deception", "threat"], "quotes": [1, 3, 1]})
    >>> choose_ties_frame(t, ["threat", "deception"], None)
    ('deception', 'no "blame" frame in this label set: showing "deception", the frame with most targeted quotes')
    """
    if requested is not None:
        if requested not in frames:
            raise InputError(f"frame {requested!r} is not in this archive; frames found: {', '.join(frames)}")
        return requested, ""
    if PREFERRED_TIES_FRAME in frames:
        return PREFERRED_TIES_FRAME, ""
    if not len(ties_table):
        return None, "no quote has a target"
    best = ties_table.groupby("frame", observed=True)["quotes"].sum().sort_index().idxmax()
    return best, (f'no "{PREFERRED_TIES_FRAME}" frame in this label set: '
                  f'showing "{best}", the frame with most targeted quotes')


def _add_trends(tables: Tables, df, date_column: str) -> None:
    """Fill ``tables.trends`` (quotes per frame per period) and the date facts."""
    dates = parse_dates(df[date_column])
    valid = dates.notna()
    tables.dates = {"column": date_column, "skipped": int((~valid).sum())}
    if not valid.any():
        return
    tables.dates.update(first=dates[valid].min(), last=dates[valid].max())
    tables.period = choose_period(tables.dates["first"], tables.dates["last"])
    tables.trends = trends(df.loc[valid, "frame"], dates[valid], tables.period, tables.frames)


def parse_dates(values):
    """Dates of a column, leniently: ISO strings, other formats, epoch numbers; NaT when unparseable.

    Each distinct value is parsed once (an archive repeats each article's date).

    >>> import pandas as pd
    >>> parse_dates(pd.Series(["2021-11-09", "Nov 10, 2021", "soon", None])).dt.strftime("%Y-%m-%d").tolist()
    ['2021-11-09', '2021-11-10', nan, nan]
    """
    import numpy as np
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values):
        return _naive_utc(values)
    codes, uniques = pd.factorize(values)
    parsed = _parse_unique(pd.Series(np.asarray(uniques, dtype=object)).infer_objects())
    result = pd.Series(parsed.to_numpy()[codes], index=values.index, dtype="datetime64[ns]")
    return result.mask(codes < 0)


def _parse_unique(uniques):
    import pandas as pd

    if pd.api.types.is_numeric_dtype(uniques):
        unit = "ms" if uniques.abs().max() > 1e11 else "s"
        return _naive_utc(pd.to_datetime(uniques, unit=unit, errors="coerce", utc=True))
    text = uniques.astype(str)
    parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
    rest = parsed.isna()
    if rest.any():
        parsed[rest] = pd.to_datetime(text[rest], format="mixed", errors="coerce", utc=True)
    return _naive_utc(parsed)


def _naive_utc(values):
    """Datetimes in UTC without a time zone, in nanoseconds."""
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    return values.astype("datetime64[ns]")


def choose_period(first, last) -> str:
    """'day' up to two months of dates, 'week' up to two years, else 'month'.

    >>> import pandas as pd
    >>> [choose_period(pd.Timestamp("2021-01-01"), pd.Timestamp(d)) for d in ("2021-02-01", "2021-09-01", "2024-01-01")]
    ['day', 'week', 'month']
    """
    days = (last - first).days
    return "day" if days <= 62 else "week" if days <= 731 else "month"


def trends(frames, dates, period: str, order: list[str]):
    """Quotes per frame per period (every period from first to last, empty ones as 0) and in all.

    >>> import pandas as pd
    >>> t = trends(pd.Series(["x", "y", "x"]), pd.Series(pd.to_datetime(["2021-11-01", "2021-11-03", "2021-11-03"])),
    ...            "day", ["x", "y"])
    >>> list(t.columns), [tuple(r) for r in t.itertuples(index=False)]
    (['period_start', 'x', 'y', 'quotes'], [('2021-11-01', 1, 0, 1), ('2021-11-02', 0, 0, 0), ('2021-11-03', 1, 1, 2)])
    """
    import pandas as pd

    freq = {"day": "D", "week": "W-SUN", "month": "M"}[period]
    periods = dates.dt.to_period(freq)
    counts = pd.DataFrame({"period": periods, "frame": frames}).groupby(["period", "frame"], observed=True).size()
    counts = counts.unstack("frame", fill_value=0)
    counts.columns = counts.columns.astype("str")
    counts = counts.reindex(columns=order, fill_value=0)
    full = pd.period_range(periods.min(), periods.max(), freq=freq)
    counts = counts.reindex(full, fill_value=0)
    counts["quotes"] = counts.sum(axis=1)
    counts.index = counts.index.start_time.strftime("%Y-%m-%d")
    counts.columns.name = None
    return counts.rename_axis("period_start").reset_index()


# -- writing -----------------------------------------------------------------------------
def _prepare_out(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; pass a folder for --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise QuoteframeError(f"{out}: cannot create the report folder ({err.strerror or err}); "
                              f"choose another --out") from None
    return out


def _write_csvs(tables: Tables, out: Path) -> list[str]:
    named = {"frame_shares.csv": tables.shares, "ties.csv": tables.ties, "top_speakers.csv": tables.speakers,
             "trends.csv": tables.trends}
    written = []
    for name, table in named.items():
        if table is not None:
            table.to_csv(out / name, index=False, float_format="%.4f")
            written.append(name)
    return written


def _remove_stale(out: Path, written: list[str]) -> None:
    """Delete report files of an earlier run that this run did not write (e.g. trends without dates)."""
    for name in OUTPUTS:
        if name not in written and (out / name).is_file():
            (out / name).unlink()


def _summary(tables: Tables, out: Path, files: list[str]) -> dict[str, Any]:
    return {
        "out": str(out), "index": str(out / "index.html"), "files": [str(out / f) for f in files],
        "quotes": tables.quotes, "articles": tables.articles,
        "actors": int((tables.shares["speaker_actor"] != UNKNOWN_ACTOR).sum()),
        "frames": tables.frames, "ties_frame": tables.ties_frame, "ties_note": tables.ties_note,
        "date_column": tables.dates.get("column"), "period": tables.period,
        "first_date": _day(tables.dates.get("first")), "last_date": _day(tables.dates.get("last")),
    }


def _day(value) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%d")


# -- charts ------------------------------------------------------------------------------
def _write_charts(tables: Tables, out: Path, top: int) -> list[str]:
    """Draw the PNGs; a Figure of its own per chart, so no global pyplot state or backend changes."""
    colours = frame_colours(tables.frames)
    written = []
    if tables.ties_frame is not None and (tables.ties["frame"] == tables.ties_frame).any():
        _save(ties_heatmap(tables, top), out / "blame_ties.png")
        written.append("blame_ties.png")
    _save(shares_chart(tables, top, colours), out / "frame_shares.png")
    written.append("frame_shares.png")
    if tables.trends is not None and len(tables.trends) > 1:  # one period is no trend: a lone dot per frame
        _save(trends_chart(tables, colours), out / "trends.png")
        written.append("trends.png")
    return written


def _save(fig, path: Path) -> None:
    # Figure.savefig renders with the Agg canvas: nothing to set up and no GUI backend needed
    fig.savefig(path, dpi=110, bbox_inches="tight", facecolor="white")


def frame_colours(frames: list[str]) -> dict[str, Any]:
    """One colour per frame, stable within a report (frames in order of frequency).

    >>> frame_colours(["a"])["a"] == frame_colours(["a", "b"])["a"] != frame_colours(["a", "b"])["b"]
    True
    """
    import matplotlib

    palette = matplotlib.colormaps["tab10" if len(frames) <= 10 else "tab20"].colors
    colours = {f: palette[i % len(palette)] for i, f in enumerate(frames)}
    colours[OTHER] = (0.6, 0.6, 0.6)
    colours[UNLABELLED] = (0.8, 0.8, 0.8)
    return colours


def _short(label: str, width: int = 26) -> str:
    """A label cut to ``width`` characters.

    >>> _short("International Committee of the Red Cross", 20)
    'International Commi…'
    """
    return label if len(label) <= width else label[: width - 1] + "…"


def ties_heatmap(tables: Tables, top: int):
    """Heatmap of speaker actor (rows) × target (columns) for the ties frame, counts in the cells."""
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    matrix, n_actors, n_targets = _tie_matrix(tables.ties, tables.ties_frame, top)
    rows, cols = matrix.shape
    fig = Figure(figsize=(max(6.0, 2.8 + 0.62 * cols), max(3.2, 1.9 + 0.42 * rows)))
    ax = fig.add_subplot()
    values = matrix.to_numpy()
    image = ax.imshow(np.ma.masked_equal(values, 0), cmap="YlOrRd", vmin=0, vmax=max(1, values.max()),
                      aspect="auto")
    ax.set_facecolor("#f7f7f7")
    _annotate(ax, values)
    ax.set_xticks(range(cols), [_short(c, 20) for c in matrix.columns], rotation=40, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(rows), [_short(r) for r in matrix.index])
    ax.set_xlabel("target (whom the quote is about)")
    ax.set_ylabel("speaker actor")
    ax.set_xticks(np.arange(-0.5, cols), minor=True)
    ax.set_yticks(np.arange(-0.5, rows), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    bar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
    bar.set_label(f'"{tables.ties_frame}" quotes')
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    ax.set_title(_heatmap_title(tables, rows, cols, n_actors, n_targets), fontsize=11, loc="left")
    return fig


def _tie_matrix(ties_table, frame: str, top: int):
    """Counts actor × target of one frame, limited to the top actors and targets; and their full numbers."""
    chosen = ties_table[ties_table["frame"] == frame]
    matrix = chosen.pivot_table(index="speaker_actor", columns="target", values="quotes", aggfunc="sum",
                                fill_value=0, observed=True)
    actors = matrix.sum(axis=1).sort_index().sort_values(ascending=False, kind="stable").index[:top]
    targets = matrix.sum(axis=0).sort_index().sort_values(ascending=False, kind="stable").index[:top]
    return matrix.loc[actors, targets], len(matrix.index), len(matrix.columns)


def _annotate(ax, values) -> None:
    peak = max(1, values.max())
    for (r, c), v in _nonzero(values):
        ax.text(c, r, _compact(v), ha="center", va="center", fontsize=9,
                color="white" if v > 0.6 * peak else "black")


def _compact(count: int) -> str:
    """A count short enough for a heatmap cell.

    >>> [_compact(n) for n in (7, 3586, 12345, 2_500_000)]
    ['7', '3,586', '12.3k', '2.5M']
    """
    if count < 10_000:
        return f"{count:,}"
    if count < 1_000_000:
        return f"{count / 1000:.1f}k".replace(".0k", "k")
    return f"{count / 1_000_000:.1f}M".replace(".0M", "M")


def _nonzero(values):
    return (((r, c), int(values[r, c])) for r in range(values.shape[0]) for c in range(values.shape[1]) if values[r, c])


def _heatmap_title(tables: Tables, rows: int, cols: int, n_actors: int, n_targets: int) -> str:
    title = f'Who says what about whom: "{tables.ties_frame}" quotes, speaker actor → target'
    if tables.ties_note:
        title += f"\n({tables.ties_note})"
    if rows < n_actors or cols < n_targets:
        title += f"\ntop {rows} of {n_actors} speaker actors, top {cols} of {n_targets} targets"
    return title


def shares_chart(tables: Tables, top: int, colours: dict):
    """Stacked horizontal bars: each top actor's quotes split by frame, with its number of quotes."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    shares = tables.shares.head(top)
    n = len(shares)
    fig = Figure(figsize=(10, max(2.8, 1.9 + 0.42 * n)))
    ax = fig.add_subplot()
    labels = [_short(a) for a in shares["speaker_actor"]]
    left = [0.0] * n
    for frame in tables.frames:
        widths = shares[frame].tolist()
        ax.barh(labels, widths, left=left, color=colours[frame], label=frame, edgecolor="white", linewidth=0.5)
        _label_segments(ax, left, widths, colours[frame])
        left = [l + w for l, w in zip(left, widths)]
    for y, count in enumerate(shares["quotes"]):
        ax.text(1.01, y, f"{count:,}", va="center", fontsize=9, transform=ax.get_yaxis_transform())
    ax.text(1.01, 1.0, "quotes", fontsize=9, transform=ax.transAxes, va="bottom")
    _style_shares_axes(ax, n, len(tables.shares), PercentFormatter(1.0))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=min(len(tables.frames), 5), frameon=False)
    return fig


def _label_segments(ax, left: list[float], widths: list[float], colour) -> None:
    ink = _ink(colour)
    for y, (x, w) in enumerate(zip(left, widths)):
        if w >= 0.07:
            ax.text(x + w / 2, y, f"{w:.0%}", ha="center", va="center", fontsize=8, color=ink)


def _ink(colour) -> str:
    """Black or white, whichever reads better on ``colour`` (an RGB tuple).

    >>> _ink((1.0, 1.0, 0.8)), _ink((0.1, 0.2, 0.5))
    ('black', 'white')
    """
    r, g, b = colour[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.6 else "white"


def _style_shares_axes(ax, shown: int, total: int, formatter) -> None:
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(formatter)
    ax.invert_yaxis()
    ax.set_xlabel("share of the actor's quotes")
    ax.spines[["top", "right"]].set_visible(False)
    more = f" (top {shown} of {total} by number of quotes)" if shown < total else ""
    ax.set_title(f"Frames per speaker actor{more}", fontsize=11, loc="left")


def trends_chart(tables: Tables, colours: dict):
    """Small multiples: one panel per frame (the smallest summed as '(other)'), quotes per period.

    One panel a frame, on shared axes, stays readable where eight crossing
    lines on one axis do not.
    """
    import pandas as pd
    from matplotlib.figure import Figure

    table = _trend_lines(tables.trends, tables.frames)
    x = pd.to_datetime(table["period_start"]).to_numpy()
    panels = list(table.columns[1:])
    ncols = min(4, len(panels))
    nrows = -(-len(panels) // ncols)
    fig = Figure(figsize=(3.1 * ncols + 0.8, 2.1 * nrows + 1.0), layout="constrained")
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
    for ax, frame in zip(axes, panels):
        _trend_panel(ax, x, table[frame].to_numpy(), frame, colours[frame], marker=len(table) <= 40)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    _style_trend_axes(axes, ncols, len(panels))
    fig.supylabel(f"quotes per {tables.period}", fontsize=10)
    span = f"{table['period_start'].iloc[0]} to {table['period_start'].iloc[-1]}"
    fig.suptitle(f"Quotes per frame per {tables.period}, {span} (dates from column '{tables.dates['column']}')",
                 fontsize=11, x=0.01, ha="left")
    return fig


def _trend_panel(ax, x, y, frame: str, colour, marker: bool) -> None:
    ax.fill_between(x, y, color=colour, alpha=0.25, linewidth=0, step=None)
    ax.plot(x, y, color=colour, linewidth=1.6, marker="o" if marker else None, markersize=2.5)
    ax.set_title(frame, fontsize=10, loc="left", fontweight="bold")


def _style_trend_axes(axes, ncols: int, shown: int) -> None:
    from matplotlib.dates import MONTHLY, AutoDateLocator, ConciseDateFormatter
    from matplotlib.ticker import MaxNLocator

    locator = AutoDateLocator(minticks=3, maxticks=6)
    locator.intervald[MONTHLY] = [1, 2, 3, 4, 6, 12]  # else 2-3 years of dates find no interval (and warn)
    axes[0].xaxis.set_major_locator(locator)
    axes[0].xaxis.set_major_formatter(ConciseDateFormatter(locator, show_offset=False))
    axes[0].yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    axes[0].set_ylim(bottom=0)
    for i, ax in enumerate(axes[:shown]):
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", alpha=0.3)
        # shared x: the last panel of each column carries the dates, even when the grid is not full
        ax.tick_params(axis="x", labelbottom=i + ncols >= shown, labelsize=8)
        ax.tick_params(axis="y", labelsize=8)


def _trend_lines(table, frames: list[str]):
    """The period column and one column per drawn line: the top frames, the rest as '(other)'."""
    if len(frames) <= MAX_LINES:
        return table[["period_start", *frames]]
    kept = frames[: MAX_LINES - 1]
    lines = table[["period_start", *kept]].copy()
    lines[OTHER] = table[frames[MAX_LINES - 1 :]].sum(axis=1)
    return lines


# -- page --------------------------------------------------------------------------------
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;font-size:.9em;margin:.5em 0}th,td{padding:.25em .7em;border-bottom:1px solid #eee;
text-align:left}th{background:#f4f4f4}img{max-width:100%;height:auto;
border:1px solid #eee}.note{color:#666;font-size:.9em}ul.ties li{margin:.15em 0}
"""


def _write_html(tables: Tables, out: Path, top: int, files: list[str], scored: Path) -> str:
    sections = [_summary_html(tables, scored), _ties_html(tables, top, files),
                _section("Frame shares per speaker actor", _chart_html("frame_shares.png", "frame shares", files),
                         _table_html("frame_shares.csv", _percent(tables.shares), top)),
                _section("All ties: frame, speaker actor, target", "",
                         _table_html("ties.csv", _percent(tables.ties, ["share_of_actor_quotes"]), top)),
                _section("Top speakers", "", _table_html("top_speakers.csv", tables.speakers, top))]
    if tables.trends is not None:
        chart = (_chart_html("trends.png", "quotes per frame over time", files)
                 or f'<p class="note">All dated quotes fall in one {tables.period}: no trend chart.</p>')
        sections.append(_section(f"Quotes per frame per {tables.period}", chart,
                                 _table_html("trends.csv", tables.trends, top)))
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>quoteframe report: {html.escape(scored.name)}</title>\n<style>{CSS}</style></head>\n<body>\n"
            f"<h1>Who says what about whom</h1>\n" + "\n".join(s for s in sections if s) + "\n</body></html>\n")
    (out / "index.html").write_text(page, encoding="utf-8")
    return "index.html"


def _section(title: str, *parts: str) -> str:
    return "\n".join([f"<h2>{html.escape(title)}</h2>", *(p for p in parts if p)])


def summary_sentence(tables: Tables) -> str:
    """The page's summary paragraph, as plain text."""
    articles = _n(tables.articles, "article") if tables.articles is not None else "an unknown number of articles"
    actors = int((tables.shares["speaker_actor"] != UNKNOWN_ACTOR).sum())
    unknown = tables.shares.loc[tables.shares["speaker_actor"] == UNKNOWN_ACTOR, "quotes"].sum()
    parts = [f"{_n(tables.quotes, 'quote')} from {articles}, spoken for {_n(actors, 'actor')}"
             + (f" ({_n(int(unknown), 'quote')} with no known actor)" if unknown else "") + "."]
    parts.append(_dates_sentence(tables))
    targeted = int(tables.ties["quotes"].sum())
    parts.append(f"{_n(targeted, 'quote')} ({targeted / tables.quotes:.0%}) name a target; "
                 f"{tables.no_speaker:,} have no speaker found.")
    top = tables.shares[tables.frames].mul(tables.shares["quotes"], axis=0).sum() / tables.quotes
    parts.append("Frames: " + ", ".join(f"{f} {top[f]:.0%}" for f in tables.frames[:8]) + ".")
    return " ".join(p for p in parts if p)


def _n(count: int, noun: str) -> str:
    """A count and its noun.

    >>> _n(1, "quote"), _n(12000, "quote")
    ('1 quote', '12,000 quotes')
    """
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _dates_sentence(tables: Tables) -> str:
    if not tables.dates:
        return "No date column (date, published, published_at, pubdate or timestamp), so no trends."
    if "first" not in tables.dates:
        return f"No value of the date column '{tables.dates['column']}' could be read as a date, so no trends."
    skipped = tables.dates["skipped"]
    note = f"; {_n(skipped, 'quote')} with an unreadable or missing date left out of the trends" if skipped else ""
    return (f"Dates run from {_day(tables.dates['first'])} to {_day(tables.dates['last'])} "
            f"(column '{tables.dates['column']}'{note}).")


def _summary_html(tables: Tables, scored: Path) -> str:
    return (f'<p class="note">Report on <code>{html.escape(str(scored))}</code></p>\n'
            f"<p>{html.escape(summary_sentence(tables))}</p>")


def tie_sentences(tables: Tables, top: int) -> list[str]:
    """The strongest ties of the heatmap's frame in words, e.g. 'Belarus → Poland: 2 blame quotes'."""
    chosen = tables.ties[tables.ties["frame"] == tables.ties_frame].head(top)
    return [f"{r.speaker_actor} → {r.target}: {_n(r.quotes, f'{r.frame} quote')}" for r in chosen.itertuples()]


def _ties_html(tables: Tables, top: int, files: list[str]) -> str:
    if tables.ties_frame is None:
        return _section("Ties: speaker actor → target", "<p>No quote in this archive names a target.</p>")
    frame = html.escape(tables.ties_frame)
    note = f'<p class="note">{html.escape(tables.ties_note)}.</p>' if tables.ties_note else ""
    items = "\n".join(f"<li>{html.escape(s)}</li>" for s in tie_sentences(tables, top))
    listing = f'<ul class="ties">\n{items}\n</ul>' if items else f"<p>No {frame} quote names a target.</p>"
    chart = _chart_html("blame_ties.png", f"{tables.ties_frame} quotes: speaker actor by target", files)
    return _section(f"“{tables.ties_frame}” ties: speaker actor → target", note, listing, chart)


def _chart_html(name: str, alt: str, files: list[str]) -> str:
    """The chart's <img> (a relative link beside index.html), or '' when it was not drawn."""
    return f'<p><img src="{name}" alt="{html.escape(alt)}"></p>' if name in files else ""


def _table_html(csv: str, table, top: int) -> str:
    shown = table.head(top)
    note = (f"first {len(shown):,} of {len(table):,} rows; " if len(shown) < len(table) else "") + \
        f'full table: <a href="{csv}">{csv}</a>'
    body = shown.to_html(index=False, border=0, na_rep="", escape=True) if len(shown) else "<p>No rows.</p>"
    return f'<p class="note">{note}</p>\n{body}'


def _percent(table, columns: list[str] | None = None):
    """A copy for display with share columns as percentages (all float columns by default)."""
    shown = table.copy()
    for column in columns or [c for c in shown.columns if shown[c].dtype.kind == "f"]:
        shown[column] = shown[column].map(lambda v: f"{v:.1%}")
    return shown
