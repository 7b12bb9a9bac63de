"""What the rules ask of a parsed article, computed once per article.

spaCy rebuilds ``doc.ents`` on every access, and ``span.ents`` rebuilds all
the doc's entities to filter them; ``for tok in doc`` makes a Python object
per token. The rules ask such questions per quote and per mention, which made
extraction quadratic in practice. A ``DocView`` answers them from arrays built
once, with the same answers.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterable

from spacy.tokens import Doc, Span, Token


class DocView:
    """Entities and token look-ups of one ``Doc``, which must not change afterwards.

    >>> # view = DocView(nlp("Putin said so."))
    >>> # [t.text for t in view.tokens_with(POS=("VERB", "AUX"))]
    >>> # ['said']
    """

    def __init__(self, doc: Doc):
        self.doc = doc
        self.ents: tuple[Span, ...] = tuple(doc.ents)
        self._ent_starts = [ent.start for ent in self.ents]
        self._columns: dict[str, list[str]] = {}

    def ents_within(self, span: Span) -> list[Span]:
        """``span.ents``: the entities from the span's start on that end inside it,
        up to the first that runs past its end (spaCy stops there too)."""
        out = []
        for ent in self.ents[bisect_left(self._ent_starts, span.start):]:
            if ent.end > span.end:
                break
            out.append(ent)
        return out

    def tokens_with(self, **wanted: Iterable[str]) -> list[Token]:
        """The tokens, in order, whose attributes have one of the wanted values,
        e.g. ``tokens_with(DEP=("nsubj",), POS=("NOUN", "PROPN"))``."""
        indices = None
        for attr, values in wanted.items():
            column, values = self._column(attr), set(values)
            hits = {i for i, value in enumerate(column) if value in values}
            indices = hits if indices is None else indices & hits
        return [self.doc[i] for i in sorted(indices or ())]

    def _column(self, attr: str) -> list[str]:
        """One string attribute (``POS``, ``DEP``, ``LOWER``...) of every token."""
        if attr not in self._columns:
            ids = self.doc.to_array(attr).tolist() if len(self.doc) else []
            strings = self.doc.vocab.strings
            names = {i: strings[i] for i in set(ids)}
            self._columns[attr] = [names[i] for i in ids]
        return self._columns[attr]
