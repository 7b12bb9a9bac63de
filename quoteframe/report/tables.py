"""The report's tables, computed once from the cleaned quote rows of :mod:`quoteframe.report.read`.

The label set is data (LABELS.md): frames are whatever the archive holds.
``blame`` is only the preferred frame of the heatmap; without it the frame
with the most targeted quotes is shown, and the chart says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quoteframe.errors import InputError

PREFERRED_TIES_FRAME = "blame"
TIE_KEYS = ["frame", "speaker_actor", "target"]


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
    keys = TIE_KEYS
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


def _plain(table, columns):
    """A small result table with text columns as plain strings (no category surprises downstream)."""
    for column in columns:
        table[column] = table[column].astype("str")
    return table


def day(value) -> str | None:
    """A timestamp as YYYY-MM-DD (None stays None)."""
    return None if value is None else value.strftime("%Y-%m-%d")
