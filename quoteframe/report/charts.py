"""The report's PNG charts, drawn with matplotlib from :class:`~quoteframe.report.tables.Tables`.

Each chart is a Figure of its own, rendered by the Agg canvas on save: no
global pyplot state, no GUI backend.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from quoteframe.report.read import UNLABELLED
from quoteframe.report.tables import Tables

OTHER = "(other)"
MAX_LINES = 10  # frames drawn as separate lines in trends.png; the rest are summed as (other)


def write_charts(tables: Tables, out: Path, top: int) -> list[str]:
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
