"""`quoteframe report`: who says what about whom, over an archive scored by `quoteframe score`.

Reads the scored rows (``quoteframe.batch.rows``) and writes CSV tables, PNG
charts and one HTML page into a folder:

=================  ==============================================================
frame_shares.csv   per speaker actor: quotes and the share of each frame
ties.csv           frame × speaker actor × target: "who blames whom", long form
tie_quotes.csv     the quotes behind ties.csv: one row per quote with a target
top_speakers.csv   speakers by number of quotes, their actor, frame and articles
trends.csv         quotes per frame per day/week/month (only with a date column)
blame_ties.png     heatmap speaker actor × target for one frame (``blame`` if any)
frame_shares.png   stacked bars of frame shares for the top actors
trends.png         quotes per frame over time (only with a date column)
index.html         the page that shows all of the above, in one file; each tie
                   opens to its quotes, highlighted in their sentences
=================  ==============================================================

The package, in the order a report is made: ``read`` (scored files to clean
rows), ``tables`` (the counts), ``evidence`` (the quotes behind each tie),
``charts`` (the PNGs), ``page`` and ``templates/index.html`` (the page);
``command`` is the argparse face of the CLI.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from quoteframe.errors import InputError, QuoteframeError
from quoteframe.report.charts import write_charts
from quoteframe.report.evidence import collect
from quoteframe.report.page import shown_ties, write_page
from quoteframe.report.read import UNKNOWN_ACTOR, load_quotes
from quoteframe.report.tables import Tables, build_tables, day

OUTPUTS = ("frame_shares.csv", "ties.csv", "tie_quotes.csv", "top_speakers.csv", "trends.csv",
           "blame_ties.png", "frame_shares.png", "trends.png", "index.html")

__all__ = ["OUTPUTS", "Tables", "write_report"]


def write_report(scored: Path, out: Path, top: int = 15, frame: str | None = None,
                 confident_only: bool = False) -> dict[str, Any]:
    """Write the report of a scored archive into ``out``; a summary of what was written.

    ``top`` limits the actors/targets in the charts and the rows of the page's
    tables (the CSV files are complete). ``frame`` picks the heatmap's frame
    (default: ``blame``, else the frame with the most targeted quotes). ``confident_only``
    leaves out the frame and target of quotes flagged ``low_confidence`` (they count as
    unlabelled): in the tables, the tie quotes and the charts alike.

    For example::

        summary = write_report(Path("scored.parquet"), Path("report"))
        summary["quotes"], summary["files"][-1]  # (1234, 'report/index.html')
    """
    if top < 1:
        raise InputError(f"top must be at least 1, got {top}")
    scored, out = Path(scored), Path(out)
    df, date_column = load_quotes(scored, confident_only)
    tables = build_tables(df, date_column, frame)
    del df
    out = _prepare_out(out)
    files = _write_csvs(tables, out)
    evidence = collect(scored, out, tables, shown_ties(tables, top), date_column, confident_only)
    files += ["tie_quotes.csv", *write_charts(tables, out, top)]
    files.append(write_page(tables, out, top, files, scored, evidence, confident_only))
    _remove_stale(out, files)
    return _summary(tables, out, files)


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
        "first_date": day(tables.dates.get("first")), "last_date": day(tables.dates.get("last")),
    }


