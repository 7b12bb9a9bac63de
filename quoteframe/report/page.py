"""``index.html``: the report's one page, rendered from ``templates/index.html`` with jinja2.

Autoescaping is on: names and quote text from the archive are text, never
markup. The page is one self-contained file that opens offline: the charts
are embedded as ``data:`` URIs (the PNG files beside it are the same
images), there is no script, font or other request, and the quotes behind
each tie sit in ``<details>`` elements that open on a click. The CSV links
lead to the complete tables beside the page.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quoteframe.report.evidence import Evidence
from quoteframe.report.read import UNKNOWN_ACTOR
from quoteframe.report.tables import TIE_KEYS, Tables, day

TEMPLATE = "index.html"


@dataclass
class Tie:
    """A tie as the page shows it: its anchor, its words and the quotes behind it."""

    id: str
    words: str
    total: int
    quotes: list[Evidence] = field(default_factory=list)


def shown_ties(tables: Tables, top: int) -> list[tuple[str, str, str]]:
    """The ties (frame, speaker actor, target) the page lists: the heatmap frame's ``top`` and the
    ``top`` first rows of the table of all ties."""
    return [tuple(r) for r in tables.ties.loc[_shown_rows(tables, top), TIE_KEYS].itertuples(index=False)]


def write_page(tables: Tables, out: Path, top: int, files: list[str], scored: Path,
               evidence: dict[tuple, list[Evidence]], confident_only: bool = False) -> str:
    """Render the page into ``out/index.html``; its file name."""
    page = render(page_context(tables, out, top, files, scored, evidence, confident_only))
    (out / "index.html").write_text(page, encoding="utf-8")
    return "index.html"


def render(context: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("quoteframe.report"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env.get_template(TEMPLATE).render(context)


def page_context(tables: Tables, out: Path, top: int, files: list[str], scored: Path,
                 evidence: dict[tuple, list[Evidence]], confident_only: bool) -> dict[str, Any]:
    """Everything the template shows, as plain values."""
    ties = _ties(tables, top, evidence)
    listed = [ties[i] for i in _heatmap_rows(tables, top).index]
    in_table = [ties[i] for i in tables.ties.head(top).index]
    return {
        "title": scored.name, "scored": str(scored), "confident_only": confident_only,
        "summary": summary_sentence(tables),
        "ties_frame": tables.ties_frame, "ties_note": tables.ties_note, "listed_ties": listed,
        "heatmap": _chart(out, "blame_ties.png", files),
        "shares_chart": _chart(out, "frame_shares.png", files),
        "shares": _table("frame_shares.csv", _percent(tables.shares), top),
        "ties": _table("ties.csv", _percent(tables.ties, ["share_of_actor_quotes"]), top,
                       links=[t.id for t in in_table]),
        "other_ties": [t for t in in_table if t.id not in {s.id for s in listed}],
        "speakers": _table("top_speakers.csv", tables.speakers, top),
        "period": tables.period,
        "trends": _table("trends.csv", tables.trends, top) if tables.trends is not None else None,
        "trends_chart": _chart(out, "trends.png", files),
    }


def _heatmap_rows(tables: Tables, top: int):
    return tables.ties[tables.ties["frame"] == tables.ties_frame].head(top)


def _shown_rows(tables: Tables, top: int):
    """The rows of ties.csv listed on the page, in the heatmap's list or the table of all ties."""
    return _heatmap_rows(tables, top).index.union(tables.ties.head(top).index, sort=False)


def _ties(tables: Tables, top: int, evidence: dict[tuple, list[Evidence]]) -> dict[int, Tie]:
    """The shown ties by their row in ties.csv (their anchor is ``tie-ROW``)."""
    out = {}
    for i in _shown_rows(tables, top):
        r = tables.ties.loc[i]
        key = tuple(r[k] for k in TIE_KEYS)
        out[i] = Tie(f"tie-{i}", f"{r.speaker_actor} → {r.target}: {_n(r.quotes, f'{r.frame} quote')}",
                     int(r.quotes), evidence.get(key, []))
    return out


def _chart(out: Path, name: str, files: list[str]) -> dict[str, str] | None:
    """The chart embedded as a data: URI (the page stands alone), or None when it was not drawn."""
    if name not in files:
        return None
    data = base64.b64encode((out / name).read_bytes()).decode("ascii")
    return {"name": name, "src": f"data:image/png;base64,{data}"}


def _table(csv: str, table, top: int, links: list[str] | None = None) -> dict[str, Any]:
    """The first ``top`` rows of a table as text cells, and what the note under its title says."""
    shown = table.head(top)
    return {"csv": csv, "shown": len(shown), "total": len(table), "columns": list(shown.columns),
            "rows": [["" if v != v or v is None else str(v) for v in row] for row in shown.itertuples(index=False)],
            "links": links}


def _percent(table, columns: list[str] | None = None):
    """A copy for display with share columns as percentages (all float columns by default)."""
    shown = table.copy()
    for column in columns or [c for c in shown.columns if shown[c].dtype.kind == "f"]:
        shown[column] = shown[column].map(lambda v: f"{v:.1%}")
    return shown


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
    return (f"Dates run from {day(tables.dates['first'])} to {day(tables.dates['last'])} "
            f"(column '{tables.dates['column']}'{note}).")
