"""The analysis object of API.md, as plain dataclasses.

Every adapter (CLI, REST, batch scorer) serialises these with ``to_dict``;
none builds the JSON shape by hand.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Speaker:
    """Who a quote is attributed to.

    ``name`` is the fullest name of the source in the article, ``mention`` the
    words that attribute this quote (``"He"``), ``start``/``end`` the mention's
    character offsets, ``via`` the outer source of a nested attribution.
    """

    name: str | None = None
    mention: str | None = None
    actor: str | None = None
    start: int | None = None
    end: int | None = None
    via: str | None = None


@dataclass
class Quote:
    """One quote: its span in the article, kind, cue, speaker and labels."""

    text: str
    start: int
    end: int
    kind: str
    cue: str | None = None
    speaker: Speaker = field(default_factory=Speaker)
    frame: str | None = None
    frame_score: float | None = None
    frames: dict[str, float] | None = None
    target: str | None = None
    stance: str | None = None
    stance_score: float | None = None
    tag: str | None = None
    # frame_score under the model's low-confidence threshold (its card: low_confidence_below)
    low_confidence: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Analysis:
    """The analysis of one article: its id, the model used and its quotes."""

    id: str | None
    model: dict[str, Any]
    quotes: list[Quote]
    # the article's open-set parties (alias -> party), for the classifier's target candidates;
    # not part of the analysis object
    parties: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # quote index -> the other party of a reciprocal accusation ("X and Y accused each other"),
    # which is that quote's target (LABELS.md); not part of the analysis object either
    counterparts: dict[int, str] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "model": self.model, "quotes": [q.to_dict() for q in self.quotes]}
