"""Training quotes with their countries renamed, so the model reads the words, not the names.

A model trained on a few dozen disputes learns which countries tend to accuse
and which tend to deny. On a dispute it has never seen, that prior is noise.
``CountryRenamer`` swaps every country of a quote for another one, the same
way in the quote, its context, its side, its target and the article's
parties: "Poland" becomes "Chile", "Polish" becomes "Chilean". Training shows a
share of its quotes renamed so in each epoch (``quoteframe train --rename-countries``).

For example::

    renamer = CountryRenamer(default_gazetteer())
    renamer.rename({"text": "Polish guards pushed them back", "speaker_actor": "Belarus",
                    "target": "Poland"}, random.Random(0))
    # {"text": "Serbian guards pushed them back", "speaker_actor": "Philippines", "target": "Serbia"}
"""
from __future__ import annotations

import random

# a country's record fields that hold prose, and those that hold actor names
_PROSE = ("text", "context", "before")
_ONE_ACTOR = ("speaker_actor", "target", "adversary", "counterpart")
_ACTOR_LISTS = ("target_alts", "salience", "groups")
# countries this populous or more stand in for others: names a news reader knows
_MIN_POPULATION = 2_000_000


class CountryRenamer:
    """Renames the countries of labelled-quote records with ``gazetteer``'s names and demonyms."""

    def __init__(self, gazetteer):
        from countryinfo import CountryInfo

        self.gazetteer = gazetteer
        self.demonyms: dict[str, str] = {}
        for info in CountryInfo.all().values():
            name, demonym = info.get("name"), info.get("demonym")
            actor = gazetteer.canonical(name) if name else None
            # only where the gazetteer reads the demonym back as the same country
            if (actor and demonym and gazetteer.kind(actor) == "country" and gazetteer.canonical(demonym) == actor
                    and int(info.get("population") or 0) >= _MIN_POPULATION):
                self.demonyms.setdefault(actor, demonym)
        self.pool = sorted(self.demonyms)

    def rename(self, row: dict, rng: random.Random) -> dict:
        """A copy of ``row`` with each of its countries renamed (``row`` itself when it names none)."""
        found = {k: self.gazetteer.find(row[k]) for k in _PROSE if row.get(k)}
        countries = {m.actor for mentions in found.values() for m in mentions if m.actor in self.demonyms}
        countries.update(row[k] for k in ("speaker_actor", "target") if row.get(k) in self.demonyms)
        if not countries:
            return row
        others = [c for c in self.pool if c not in countries]
        new = dict(zip(sorted(countries), rng.sample(others, len(countries))))
        out = dict(row)
        for k, mentions in found.items():
            pieces, last = [], 0
            for m in mentions:
                if m.actor in new:
                    pieces += [row[k][last:m.start], self._form(m.text, m.actor, new[m.actor])]
                    last = m.end
            out[k] = "".join(pieces) + row[k][last:]
        for k in _ONE_ACTOR:
            if row.get(k) in new:
                out[k] = new[row[k]]
        for k in _ACTOR_LISTS:
            if row.get(k):
                out[k] = [new.get(a, a) for a in row[k]]
        return out

    def _form(self, text: str, actor: str, other: str) -> str:
        """``other`` in the form ``text`` names ``actor``: demonym for demonym ("Polish" ->
        "Chilean", "Poles" -> "Chileans"), name for name ("Poland's" -> "Chile's"); a capital,
        leader or institution ("Warsaw", "the Kremlin") becomes the plain name."""
        demonym, theirs = self.demonyms[actor], self.demonyms[other]
        if text == demonym:
            return theirs
        if text == demonym + "s":
            return theirs + "s"
        if text.startswith(actor):
            return other + text[len(actor):]
        return other
