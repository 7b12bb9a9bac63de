"""Reciprocal accusations: "X and Y accused each other of Z" is two quotes (LABELS.md).

Both have Z's span; one is said by X (about Y), the other by Y (about X). The
extractor reads the sentence as one quote by "X and Y" whose content starts at
"each other"; this step cuts the content to what follows "of"/"for"/"over" and
gives each party its own quote. "The two sides accused each other" names the
parties the story has named most before it (with a gazetteer).
"""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from quoteframe.extraction.extractor import RawQuote
from quoteframe.extraction.sides import dateline_end

_RECIPROCAL = re.compile(r"(?:each other|one another)\b", re.I)
_CONTENT_PREPOSITIONS = ("of", "for", "over", "about")
# "the two sides", "both governments": a pair the story has already named
_PAIR_WORDS = frozenset(["two", "both"])
_PAIR_NOUNS = frozenset("sides neighbours neighbors countries governments nations capitals armies militaries "
                        "rivals states leaders delegations parties".split())
_ADDED_CLAUSE = re.compile(r",\s+(?:as|after|while|when|amid|following|before|days after|a day after)\b")


def split_reciprocal(quotes: list[RawQuote], doc: Doc, gazetteer=None) -> list[RawQuote]:
    """``quotes`` with each reciprocal one replaced by one quote per party, by start.

    >>> # "Chile and Peru accused each other of breaking the truce."
    >>> # -> 'breaking the truce' by "Chile", and 'breaking the truce' by "Peru"
    >>> # "Chile and Peru ... The two sides accused each other of ..." -> the same two quotes
    """
    text = doc.text  # spaCy rebuilds doc.text on each access: once per article, not per quote
    out: list[RawQuote] = []
    for q in quotes:
        out.extend(_split(q, doc, text, gazetteer) if _RECIPROCAL.match(text, q.start) else [q])
    return out


def _split(q: RawQuote, doc: Doc, text: str, gazetteer=None) -> list[RawQuote]:
    parties = _parties(q, doc, text)
    if parties is None and gazetteer is not None and _names_a_pair(q, doc):
        parties = _named_before(q, doc, text, gazetteer)
    start = _content_start(q, doc)
    if parties is None or start is None:
        return [q]
    end = _content_end(q, start, text)
    return [replace(q, start=start, end=end, speaker=span, appos=None, speaker_char=doc[span[0]].idx)
            for span in parties]


def _content_start(q: RawQuote, doc: Doc) -> int | None:
    """Where the content begins: after the first "of"/"for"/"over" that follows "each other"."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return None
    for tok in span[2:]:
        if tok.lower_ in _CONTENT_PREPOSITIONS and tok.i + 1 < span.end:
            return doc[tok.i + 1].idx
    return None


def _content_end(q: RawQuote, start: int, text: str) -> int:
    """The content ends before a clause the reporter adds: ", as ...", ", after ..."."""
    cut = _ADDED_CLAUSE.search(text, start, q.end)
    return cut.start() if cut else q.end


def _parties(q: RawQuote, doc: Doc, text: str) -> list[tuple[int, int]] | None:
    """The token spans of "X" and "Y" in the speaker mention "X and Y" (or, when the parse
    gave another subject, in the words right before the cue verb)."""
    i, j = q.speaker or (0, 0)
    if not any(t.lower_ in ("and", "&") for t in doc[i:j]) and q.cue is not None:
        verb = doc.char_span(q.cue[0], q.cue[1], alignment_mode="expand")
        j = i = verb.start if verb is not None else 0
        while i > 0 and (doc[i - 1].pos_ in ("PROPN", "ADJ", "DET", "PART") or doc[i - 1].lower_ in ("and", "&")):
            i -= 1
        while i < j and doc[i].pos_ == "DET":
            i += 1
    while i < j and doc[i].lower_ in ("both", "either"):
        i += 1  # "both Israel and Iran": the pair word is no part of the first party
    story = dateline_end(text)
    while i < j and doc[i].idx < story:
        i += 1  # "LIMA (Reuters) - Peru and Ecuador": the dateline is no party
    joins = [t.i for t in doc[i:j] if t.lower_ in ("and", "&")]
    if len(joins) != 1:
        return None
    k = joins[0]
    left, right = (i, k), (k + 1, j)
    return [left, right] if left[0] < left[1] and right[0] < right[1] else None


def _names_a_pair(q: RawQuote, doc: Doc) -> bool:
    """Whether the speaker is "the two sides", "both governments", "the two neighbours", "the
    parties to the conflict"."""
    if q.speaker is None or q.speaker[0] >= q.speaker[1]:
        return False
    span = doc[q.speaker[0] : q.speaker[1]]
    words = [t.lower_ for t in span]
    return span.root.lower_ in _PAIR_NOUNS and (any(w in _PAIR_WORDS for w in words) or words[0] == "the")


def _named_before(q: RawQuote, doc: Doc, text: str, gazetteer) -> list[tuple[int, int]] | None:
    """Token spans naming the two countries or blocs the story names most before the quote
    (the first named wins a tie), each at its last mention by name ("India", not "Indian")."""
    story = dateline_end(text)
    before = q.speaker_char if q.speaker_char is not None else q.start
    mentions = [m for m in gazetteer.find(text[story:before]) if gazetteer.kind(m.actor) in ("country", "bloc")]
    counts: dict[str, int] = {}
    for m in mentions:
        counts[m.actor] = counts.get(m.actor, 0) + 1
    pair = sorted(counts, key=lambda a: -counts[a])[:2]  # a dict keeps first-mention order: ties go to the first
    if len(pair) < 2:
        return None
    spans = []
    for actor in pair:
        named = [s for s in (doc.char_span(story + m.start, story + m.end, alignment_mode="expand")
                             for m in mentions if m.actor == actor) if s is not None]
        as_named = [s for s in named if s.text == actor]  # "Armenia", not "Armenian"
        by_name = [s for s in named if s.root.ent_type_ != "NORP" and s.root.pos_ == "PROPN"]
        if not named:
            return None
        span = (as_named or by_name or named)[-1]
        spans.append((span.start, span.end))
    return spans
