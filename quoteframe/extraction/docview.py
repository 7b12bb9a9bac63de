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


def whole_person_names(doc: Doc, titles: Iterable[str] = (), person_titles: Iterable[str] = (),
                       gazetteer=None) -> None:
    """Take a person's given names into their entity where the small model tagged the surname
    alone, as it often does with names it has not seen ("ministry spokesperson Nikorndej
    Balankura": "Balankura"). A capitalised proper noun that the parse makes part of the name
    (compound) and that is no title ("Minister", "Gen") joins it, at most two. A name of two
    words or more is left as tagged: what comes before it is more often a title the lexicon
    does not list ("Harbour Master Tomas Vik").

    The surname that the tagged names lead to (compound) joins them too: "Moussa Amadou
    Djibo" where the model tagged "Moussa Amadou".

    A title and two or more capitalised names tagged as an organisation are a person too
    ("General Sylvain Ekenge"), the title left out, so that "he" can refer to them. So is the
    surname of a person named in full elsewhere in the article, described and made a subject
    ("the left-wing Petro suggested"), where the tagger read it alone as a place or a body,
    unless ``gazetteer`` knows it as a place. A title with a department and the name after it
    run into one organisation ("Secretary of Defense Lloyd Austin") gives the name; a country's
    adjective the tagger read as a person ("the Moldovan presidential election") is none."""
    titles, person_titles = frozenset(titles), frozenset(person_titles)
    ents, changed = list(doc.ents), False
    for n, ent in enumerate(ents):
        if ent.label_ == "ORG" and len(ent) >= 3 and ent[0].lower_ in person_titles \
                and all(t.pos_ == "PROPN" and t.text.istitle() and t.lower_ not in titles for t in ent[1:]):
            ents[n], changed = Span(doc, ent.start + 1, ent.end, label="PERSON"), True
            continue
        if ent.label_ == "ORG" and ent.start >= 2 and doc[ent.start - 1].lower_ == "of" \
                and doc[ent.start - 2].lower_ in person_titles:
            name = _closing_names(ent, titles)
            if name is not None:  # "Secretary of Defense Lloyd Austin", tagged "Defense Lloyd Austin"
                ents[n], changed = name, True
                continue
        if ent.label_ in _ODD_LABELS:
            name = _titled_name(ent, person_titles, titles)
            if name is not None:  # "Azerbaijani MP Rasim Musabekov", tagged as a law
                ents[n], changed = name, True
                continue
        if ent.label_ == "PERSON" and ent.end < len(doc) and ent.root.dep_ == "compound" \
                and ent.root.head.i == ent.end and _untagged_name(doc[ent.end], titles):
            # "General Moussa Amadou Djibo said", tagged "Moussa Amadou": the surname the names lead to
            ent = ents[n] = Span(doc, ent.start, ent.end + 1, label="PERSON")
            changed = True
        if ent.label_ != "PERSON" or len(ent) > 1:
            continue
        start = ent.start
        while start > max(0, ent.start - 2):
            tok = doc[start - 1]
            if tok.pos_ != "PROPN" or tok.dep_ != "compound" or not ent.start <= tok.head.i < ent.end \
                    or not tok.text.istitle() or tok.ent_type_ or tok.lower_.rstrip(".") in titles:
                break
            start -= 1
        if start < ent.start:
            ents[n], changed = Span(doc, start, ent.end, label="PERSON"), True
    surnames = {ent[-1].text for ent in ents if ent.label_ == "PERSON" and len(ent) >= 2}
    for n, ent in enumerate(ents):
        if ent.label_ == "PERSON" and len(ent) == 1 and gazetteer is not None \
                and _demonym_modifier(ent, gazetteer, titles | person_titles):
            # "the Moldovan presidential election": a country's adjective the tagger read as a person
            ents[n], changed = Span(doc, ent.start, ent.end, label="NORP"), True
            continue
        if ent.label_ in ("GPE", "LOC", "NORP", "ORG") and len(ent) == 1 and ent.text in surnames \
                and ent[0].pos_ == "PROPN" and ent.root.dep_ == "nsubj" and _described_by_the(ent) \
                and (gazetteer is None or not _names_a_place(gazetteer, ent.text)):
            # "Colombian President Gustavo Petro", then "the left-wing Petro suggested": the person
            ents[n], changed = Span(doc, ent.start, ent.end, label="PERSON"), True
    if changed:
        doc.ents = ents


def _demonym_modifier(ent: Span, gazetteer, roles: frozenset[str]) -> bool:
    """Whether a one-word "person" modifies a common noun that is no person's role, and names a
    country: "Moldovan" of "the Moldovan presidential election", "Nigerien" of "the Nigerien
    government" (not "Putin" of "Putin spokesman Dmitry Peskov")."""
    tok = ent[0]
    head = tok.head
    if tok.dep_ not in ("nmod", "compound", "amod") or head.i <= tok.i or head.pos_ != "NOUN" or head.lower_ in roles:
        return False
    actor = gazetteer.actor(tok.text)
    return actor is not None and actor != tok.text and gazetteer.kind(actor) == "country"


def _described_by_the(ent: Span) -> bool:
    """ "the left-wing Petro", "the veteran Petro": "the" and a few words of description before the name."""
    doc, i = ent.doc, ent.start - 1
    while i >= max(0, ent.start - 4) and (doc[i].pos_ in ("ADJ", "NOUN", "ADV") or doc[i].text == "-"):
        i -= 1
    return 0 <= i < ent.start - 1 and doc[i].lower_ == "the"


def _names_a_place(gazetteer, name: str) -> bool:
    """Whether a one-word name is a place the gazetteer knows: a country or capital, a province, a town."""
    return gazetteer.actor(name) is not None or gazetteer.region(name) is not None or gazetteer.town(name) is not None


# Labels the small model gives some titled names of people it has not seen
_ODD_LABELS = frozenset({"LAW", "WORK_OF_ART", "PRODUCT", "EVENT", "FAC", "LANGUAGE"})


def _titled_name(ent: Span, person_titles: frozenset[str], titles: frozenset[str]) -> Span | None:
    """The person's name in an entity made of capitalised words, a person's title and two or
    more names after it ("Azerbaijani MP Rasim Musabekov"): the names, as a PERSON span."""
    if not all(t.text[:1].isupper() and t.pos_ in ("PROPN", "ADJ") for t in ent):
        return None
    return name_after_title(ent, person_titles, titles)


def name_after_title(span: Span, person_titles: Iterable[str], titles: Iterable[str] = ()) -> Span | None:
    """The two or more capitalised proper nouns after the last person's title in ``span``, where
    they end it, as a PERSON span: "Rasim Musabekov" in "Azerbaijani MP Rasim Musabekov", "Hikmat
    Hajiyev" in "ministry spokesperson Hikmat Hajiyev"; else None."""
    title = max((t.i for t in span if t.lower_.rstrip(".") in person_titles), default=None)
    names = span.doc[title + 1 : span.end] if title is not None else ()
    if len(names) < 2 or not all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in titles
                                 for t in names):
        return None
    return Span(span.doc, title + 1, span.end, label="PERSON")


def _closing_names(ent: Span, titles: frozenset[str]) -> Span | None:
    """The person's name that closes an entity the tagger ran on from an office's department
    ("Defense Lloyd Austin" of "Secretary of Defense Lloyd Austin"): the entity's root and the
    names the parse joins to it just before it, two or more, after at least one word of the
    department; as a PERSON span, else None."""
    doc, root = ent.doc, ent.root
    if root.i != ent.end - 1:
        return None
    start = root.i
    while start - 1 > ent.start and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == root.i:
        start -= 1
    names, department = doc[start : ent.end], doc[ent.start : start]
    if root.dep_ == "pobj" or not any(t.dep_ == "pobj" for t in department) \
            or not all(t.pos_ == "PROPN" and t.text.istitle() for t in department):
        return None  # "a commander of the Revolutionary Guards": the body itself
    if len(names) < 2 or not all(_untagged_name(t, titles) or t.ent_type_ == "ORG" and t.pos_ == "PROPN"
                                 and t.text.istitle() and t.lower_ not in titles for t in names):
        return None
    return Span(doc, start, ent.end, label="PERSON")


def _untagged_name(tok, titles: frozenset[str]) -> bool:
    return tok.pos_ == "PROPN" and tok.text.istitle() and not tok.ent_type_ and tok.lower_.rstrip(".") not in titles


def actor_beside_name(gazetteer, text: str, name: str) -> str | None:
    """The actor ``text`` names outside the person's ``name`` it holds: "Lisa O. Monaco" and
    "Jordan Peterson" name no country, "Peruvian President Ana Ruiz" names Peru. A leader the
    gazetteer lists by name ("Vladimir Putin") keeps their country.

    >>> from quoteframe.actors import default_gazetteer
    >>> actor_beside_name(default_gazetteer(), "Lisa O. Monaco said", "Lisa O. Monaco") is None
    True
    >>> actor_beside_name(default_gazetteer(), "Peruvian President Ana Ruiz", "Ana Ruiz")
    'Peru'
    """
    own = gazetteer.actor(name) if len(name.split()) >= 2 else None
    actor = gazetteer.actor(text)
    if own is not None and own not in name.split() \
            and (actor is None or gazetteer.kind(actor) not in ("bloc", "organisation")):
        # "great Kremlin friend Igor Dodon": a leader the gazetteer knows keeps their own state,
        # but not in a bloc's office ("European Council President Donald Tusk" speaks for the EU)
        return own
    if actor is None or actor not in name.split() or len(name.split()) < 2:
        return actor
    return gazetteer.actor(text.replace(name, " "))


def names_a_person(gazetteer, ent: Span) -> bool:
    """Whether a PERSON entity names a person: the small model tags a country in a list as one
    ("Burkina Faso, Mali, and Niger said").

    >>> from quoteframe.actors import default_gazetteer
    >>> from spacy.tokens import Doc
    >>> from spacy.vocab import Vocab
    >>> doc = Doc(Vocab(), words=["Mali", "and", "Ana", "Ruiz"])
    >>> names_a_person(default_gazetteer(), Span(doc, 0, 1, label="PERSON"))
    False
    >>> names_a_person(default_gazetteer(), Span(doc, 2, 4, label="PERSON"))
    True
    """
    return ent.label_ == "PERSON" and gazetteer.actor(ent.text) != ent.text
