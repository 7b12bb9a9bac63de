"""The side each speaker speaks for, read from the whole article as a reader reads it.

A speaker's own mention often names no side ("the Foreign Ministry said",
"Reyes said", "its spokeswoman said"). A reader still knows it, from:

* the dateline: ``HANOI (Reuters) -`` places an unnamed ministry in Vietnam;
* a place phrase: ``In Ankara, a Foreign Ministry spokesman said``;
* a body named before: ``its spokeswoman``, ``the ministry``, ``government
  spokesman X`` after ``Mali's military government``;
* a title given once: ``Defence Secretary Ana Reyes of the Philippines`` ...
  ``Reyes said``, and every later ``she`` that resolves to her;
* where an official spoke: ``the spokeswoman said in Kigali``;
* a state body named once as a country's: ``Russia's watchdog Rosselkhoznadzor`` ...
  ``a Rosselkhoznadzor spokeswoman`` (state bodies are no parties of their own);
* for a private person, the group their description makes them part of where the
  story makes it a party (named in the headline or lede), else their country.

Parties the gazetteer does not know are sides too (LABELS.md): a named
organisation or armed group keeps its shortest proper name in the article
("Tabara" for "the Tabara Movement", "RSF" for "the Rapid Support
Forces, or RSF"). The words that mark a state body ("ministry", "spokesman")
are data: ``state_roles`` in ``cues.toml``.

>>> # sides = SideResolver(doc, gazetteer, lexicon, view)
>>> # sides.dateline                       # "TOKYO (Reuters) - ..."
>>> # 'Japan'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Doc, Span

from quoteframe.actors import NEIGHBOUR, deals_with
from quoteframe.extraction.docview import DocView, actor_beside_name, name_after_title, names_a_person
from quoteframe.extraction.lexicon import Lexicon
from quoteframe.extraction.marks import OPENERS, paragraph_bounds

# "ALGIERS (Reuters) -", "NICOSIA, Cyprus (AP) —", "LA PAZ, May 3 (AFP) -": a place in capitals,
# optionally its country or a date, optionally the agency, then a dash.
# words that make a province's name an office: "Belgorod governor", "Rakhine State spokesman",
# "the Alpes-Maritimes department", "Sindh's chief minister"
_REGION_OFFICE = re.compile(
    r"(?:['’]s)?\s+(?:province|provincial|region|regional|state|oblast|department|county|district|governorate|"
    r"prefecture|governor|administration|authorities|government|police|administrator|prefect|mayor|"
    r"officials?|spokes(?:man|woman|person)|council|chief|legislature|assembly)\b", re.IGNORECASE)
_OF_REGION = re.compile(r"\bof\s+(?:the\s+)?$")
# a capitalised word after a province's name makes it part of another name: "the Lake Authority",
# "the Coast Guard" (Lake and Coast are provinces too)
_NAME_GOES_ON = re.compile(r"\s+[A-Z][a-z]")
_DATELINE = re.compile(
    r"\s*(?P<city>[A-Z][A-Z.'’\- ]{1,40}?)"
    r"(?:,\s*(?P<region>[A-Z][\w.'’\- ]{1,40}?))?"
    r"(?:,?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
    r"(?:,\s*[A-Z]{2,8}(?=\s*[-—–]))?"  # an agency without brackets: "GEORGETOWN, Guyana, CMC –"
    # a hyphen ends it after a space or ")" only: "PORT-AU-PRINCE (AFP) -" is one city
    r"\s*(?:\([^()\n]{1,40}\))?\s*(?:(?<=[\s)])-{1,2}|[—–]{1,2})(?:\s|(?=[A-Z\"“]))"
)
# the colon form of South and Southeast Asian papers: "ISLAMABAD: ", "NEW DELHI, May 3: ", "(Phnom Penh): "
_COLON_DATELINE = re.compile(
    r"\s*(?:(?P<city>[A-Z][A-Z.'’\-]{2,}(?: [A-Z][A-Z.'’\-]+)*)(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"|\((?P<place>[A-Z][\w.'’\- ]{1,40}?)\)):\s"
)
# a city in title case only with a date and the agency: "Beijing, Nov. 14 (Jiji Press)–"
_TITLED_DATELINE = re.compile(
    r"\s*(?P<city>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*),\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*\([^()\n]{1,40}\)\s*(?:-{1,2}|[—–]{1,2})\s*"
)
# a date first, then the city in brackets: "May 30, 2020 (KHARTOUM) -" (Sudan Tribune and others)
_DATED_DATELINE = re.compile(
    r"\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}\s*\((?P<city>[A-Z][A-Z.'’\- ]{1,40}?)\)\s*(?:-{1,2}|[—–]{1,2})\s*"
)
# "Taipei: ", "New Delhi: " (Indian and other Asian outlets): a place the gazetteer knows, in title case
_TITLED_COLON_DATELINE = re.compile(r"\s*(?P<city>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}):\s")
_TITLED_COLON_MIN_WORDS = 20  # a story's first paragraph, longer than a headline
_DATELINE_LINES = 3  # a headline and a blank line may stand before it
# state-role words that only describe the office noun after them ("foreign ministry", "defense ministry")
_ROLE_MODIFIERS = frozenset({"foreign", "defence", "defense", "interior", "national", "federal", "state", "security",
                             "coast", "royal", "public", "joint", "general", "border", "central", "supreme",
                             "high", "air", "naval", "armed", "deputy", "vice", "senior", "prime"})
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]{1,9}$")
_POSSESSIVE_BODY = ("its", "their")
_POSSESSIVE_PERSON = ("his", "her")
# A journalist speaks for the press (LABELS.md's `media`), whichever outlet employs them
# (not a presenter or an anchor: "a presenter on the same channel", state television's, speaks for the state)
_JOURNALISTS = frozenset({"editor", "editors", "correspondent", "correspondents", "columnist", "columnists", "reporter"})
_LEFT_POS = ("PROPN", "NOUN", "ADJ", "PART", "DET", "NUM")
_LEFT_STOP = ("a", "an")
# Craft and weapons: the subjects of what a story reports, never of what someone says about it
_CRAFT = frozenset({"ship", "vessel", "boat", "warship", "frigate", "submarine", "aircraft", "plane", "jet",
                    "fighter", "bomber", "helicopter", "drone", "missile", "rocket", "shell", "tank", "trawler"})


@dataclass
class _Body:
    """A named body or person with a side, where it is mentioned."""

    position: int
    words: frozenset[str]
    actor: str
    subject: bool = False  # the subject of its sentence, or a speaker: what "its" refers to
    reported: bool = False  # the subject of reported speech without quotation marks ("X did Y, its ministry said")
    placed: bool = False  # a speaker whose side a place gave ("In Moscow, a spokeswoman said")
    main: bool = True  # a subject of its sentence's main verb, not of a clause inside ("for Britain to return")


def _match_dateline(line: str) -> tuple[str, str | None, int] | None:
    """A line's dateline as (place, country or region named with it, where it ends), or None."""
    match = _DATELINE.match(line)
    if match is not None and any(ch.isalpha() for ch in match["city"]):
        return match["city"].title(), match["region"], match.end()
    match = _DATED_DATELINE.match(line)
    if match is not None:
        return match["city"].title(), None, match.end()
    match = _COLON_DATELINE.match(line)
    if match is not None:
        return (match["city"] or "").title() or match["place"], None, match.end()
    match = _TITLED_DATELINE.match(line)
    if match is None and len(line.split()) > _TITLED_COLON_MIN_WORDS:  # not a "Trump: ..." headline
        match = _TITLED_COLON_DATELINE.match(line)
    if match is not None:
        return match["city"], None, match.end()
    return None


def dateline_end(text: str) -> int:
    """Where the dateline ends (0 when there is none): what lies before is no source."""
    offset = 0
    for line in text.split("\n", 8)[:8]:
        if line.strip():
            match = _match_dateline(line)
            if match is not None:
                return offset + match[2]
            if offset and len(line.split()) > 20:
                break  # past the headline: the first paragraph has no dateline
        offset += len(line) + 1
    return 0


def dateline_actor(text: str, gazetteer, capitals: dict[str, str] | None = None) -> str | None:
    """The country of the article's dateline, or None. ``capitals`` are more city -> country
    pairs the article allows (:func:`named_capitals`).

    >>> from quoteframe.actors import default_gazetteer
    >>> dateline_actor("Talks stall\\n\\nTOKYO (Reuters) - Japan said ...", default_gazetteer())
    'Japan'
    >>> dateline_actor("NICOSIA, Cyprus (AP) — Two frigates ...", default_gazetteer())
    'Cyprus'
    """
    lines = [line for line in text.split("\n", 8)[:8] if line.strip()][:_DATELINE_LINES]
    for line in lines:
        match = _match_dateline(line)
        if match is None:
            continue
        for place in (match[1], match[0]):
            actor = _dateline_country(gazetteer, place) or (capitals or {}).get(place or "")
            if actor is not None:
                return actor
    return None


def named_capitals(text: str, gazetteer) -> dict[str, str]:
    """The capitals too ambiguous for the gazetteer ("Georgetown", "Stanley", "Kingston") that
    stand for their country in this article: it names the country, and the capital stands
    alone wherever it occurs, never inside a longer name ("Georgetown University",
    "Stanley Johnson", "Mr Stanley").

    >>> from quoteframe.actors import default_gazetteer
    >>> named_capitals("Guyana said... Georgetown will not yield.", default_gazetteer())
    {'Georgetown': 'Guyana'}
    >>> named_capitals("Guyana said... Georgetown University hosts the talks.", default_gazetteer())
    {}
    """
    present = {c: country for c, country in gazetteer.held_back_capitals().items() if c in text or c.upper() in text}
    if not present:
        return {}
    named = {m.actor for m in gazetteer.find(text)}
    out = {}
    for capital, country in present.items():
        hits = list(re.finditer(rf"(?<![\w-]){re.escape(capital)}(?![\w-])", text))
        dateline = re.search(rf"(?m)^\s*{re.escape(capital.upper())}\b", text)  # "KINGSTON (Reuters) -"
        if country in named and (hits or dateline) and all(_stands_alone(text, m) for m in hits):
            out[capital] = country
    return out


_THE_BLOC = re.compile(r"(?<!\w)[Tt]he bloc(?!\w)")
_NEVER_THE_BLOC = frozenset(["UN", "the West"])  # never called "the bloc"


def bloc_meant(text: str, gazetteer) -> dict[str, str]:
    """"the bloc" -> the bloc it means in this article, where that is not the EU (the
    gazetteer's reading): the bloc the article names most, when it never names the EU
    otherwise. An article about ECOWAS's sanctions calls ECOWAS "the bloc"; one that names the
    EU and another bloc keeps the EU.

    >>> from quoteframe.actors import default_gazetteer
    >>> bloc_meant("ECOWAS imposed sanctions. The bloc said it would not back down.", default_gazetteer())
    {'the bloc': 'ECOWAS', 'The bloc': 'ECOWAS'}
    >>> bloc_meant("ECOWAS met. The European Union said the bloc would help.", default_gazetteer())
    {}
    >>> bloc_meant("The UN and the UN again and ECOWAS: the bloc", default_gazetteer())["the bloc"]
    'ECOWAS'
    """
    if not _THE_BLOC.search(text):
        return {}
    counts: dict[str, int] = {}
    for m in gazetteer.find(text):
        if _THE_BLOC.fullmatch(m.text) or gazetteer.kind(m.actor) != "bloc" or m.actor in _NEVER_THE_BLOC:
            continue
        counts[m.actor] = counts.get(m.actor, 0) + 1
    if not counts or "EU" in counts:  # the EU is the gazetteer's own "the bloc"
        return {}
    meant = max(counts, key=counts.get)  # ties: the first named (dicts keep order)
    return {"the bloc": meant, "The bloc": meant}


def _stands_alone(text: str, match: re.Match) -> bool:
    """Whether a name is not part of a longer one: no capitalised word right after it, and none
    right before it inside a sentence ("In Georgetown, ..." opens one)."""
    if re.match(r"[ \t]+(?:[A-Z][a-z]|[A-Z]{2,}\b)", text[match.end():]):
        return False
    before = re.search(r"(\S+)[ \t]+$", text[: match.start()])
    if before is None or not before.group(1)[:1].isupper():
        return True
    opens = re.search(r"(?:^|[.!?\n][\"”’')]*\s+)\S+[ \t]+$", text[: match.start()])
    return opens is not None and before.group(1) not in _TITLES_BEFORE_NAMES


_TITLES_BEFORE_NAMES = frozenset(["Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Sir", "Lord", "Lady"])


def _dateline_country(gazetteer, place: str | None) -> str | None:
    """A dateline's place as a country: a country or capital by its own name ("Cyprus", not
    the "British" in "British Columbia"), else the country of a province ("Ontario")."""
    if not place:
        return None
    actor = gazetteer.canonical(place)
    if actor is not None:
        # "BRUSSELS (Reuters) -" places the story with the EU; a bloc's seat, not a group's name
        return actor if gazetteer.kind(actor) in ("country", "bloc") else None
    return gazetteer.region(place)


def _country(gazetteer, place: str | None) -> str | None:
    """The country a place phrase is in: "Ankara", "the Turkish capital", "the northern
    British Columbia town of Mackenzie" (a province's name of several words before the
    demonym inside it: not the UK)."""
    if not place:
        return None
    words = place.split()
    for size in range(min(4, len(words)), 1, -1):  # one-word regions ("Zabol") are towns elsewhere
        for i in range(len(words) - size + 1):
            region = gazetteer.region(" ".join(words[i : i + size]))
            if region is not None and gazetteer.canonical(" ".join(words[i : i + size])) is None:
                return region
    actor = gazetteer.actor(place)  # the gazetteer knows names with and without their accents
    if actor is not None and gazetteer.kind(actor) == "country":
        return actor
    # "In Tampere, ...", "In the northern town of Zinder, ...": a town of known size
    return gazetteer.town(place.split(" of ")[-1]) if actor is None else None


def _region_around(gazetteer, text: str, mention) -> str | None:
    """The country of a province whose name holds a found mention: "British" in "British
    Columbia" is Canada's."""
    before = text[: mention.start].split()[-2:]
    after = text[mention.end :].split()[:2]
    for lead in range(len(before) + 1):
        for tail in range(len(after) + 1):
            if lead + tail == 0:
                continue
            words = before[len(before) - lead :] + [mention.text] + after[:tail]
            region = gazetteer.region(" ".join(w.strip(",.;:") for w in words))
            if region is not None:
                return region
    return None


_ROLE_HOLDER_CHARS = 600  # about two paragraphs


class SideResolver:
    """Sides of an article's speakers from the whole article (one per ``Doc``)."""

    def __init__(self, doc: Doc, gazetteer, lexicon: Lexicon, view: DocView | None = None):
        self.doc = doc
        self.text = doc.text  # spaCy rebuilds doc.text on each access: keep one copy
        self.view = view or DocView(doc)
        self.gaz = gazetteer
        self.lex = lexicon
        # "Georgetown" is Guyana's capital in an article about Guyana, a name elsewhere
        self.capitals = named_capitals(self.text, gazetteer)
        self._dateline = dateline_actor(self.text, gazetteer, self.capitals)
        self._after_dateline = dateline_end(self.text)
        self.story_start = self._after_dateline  # where the story begins, after any dateline
        self._person_words = {w.lower() for e in self.view.ents if names_a_person(gazetteer, e) for w in e.text.split()}
        self.state_bodies: dict[str, str] = {}  # a state body's names -> its country ("FSB" -> Russia)
        self.story_groups = self._lede_groups()  # groups the story makes parties: named in its headline or lede
        parties = {**self._open_parties(), **self.capitals, **bloc_meant(self.text, gazetteer)}
        self.parties = dict(sorted(parties.items(), key=lambda item: -len(item[0])))
        self.bodies: list[_Body] = []  # named bodies and people with a side, in order
        self.people: dict[str, str] = {}  # a person's words (lower-cased) -> side
        self._guesses: list[tuple[Span, _Body, list[str]]] = []  # sides read from the story around a name
        self._quoted: list[tuple[int, int]] = []  # the article's quotes, once known
        self._speakers: list[tuple[_Body, str, bool]] = []  # resolved speakers with a side: head word, named
        self._read_article()

    @cached_property  # read only for speakers the article does not name a side for
    def dateline(self) -> str | None:
        """The dateline's country, unless the story never names it while it names two other
        parties: "THE HAGUE (Reuters) - Mexico and Ecuador ..." is where a court or talks sit,
        not whose officials speak."""
        if self._dateline is None:
            return None
        named = {m.actor for m in self.gaz.find(self.text[self._after_dateline:])
                 if self.gaz.kind(m.actor) in ("country", "bloc")}
        return None if self._dateline not in named and len(named) >= 2 else self._dateline

    @property
    def home(self) -> str | None:
        """The dateline's country where people live there: a bloc's seat ("UNITED NATIONS
        (AP) -", "BRUSSELS (Reuters) -") is no one's home, and a legislator or a farmer who
        speaks there speaks for their own country."""
        side = self.dateline
        return side if side is not None and self.gaz.kind(side) == "country" else None

    # -- public -----------------------------------------------------------------
    def side(self, mention: Span, name: str | None, actor: str | None, person: bool = False,
             accused: str | None = None) -> str | None:
        """The side of a speaker: ``mention`` says it, ``name`` is its resolved name (``person``:
        a person's), ``actor`` what the mention alone gave (kept unless an open-set party is meant),
        ``accused`` the country the speaker's cue accuses ("accused India of ..."), if any."""
        described = not person and name and mention.root.pos_ == "PROPN" \
            and set(name.lower().split()) <= self._described_people
        person = person or bool(described)  # "Lidia Varela, a mother of three", where the tagger found no person
        side = self._own_side(mention, name, actor, person)
        if described and side is not None:
            for key in _person_keys(name):
                self.people.setdefault(key, side)  # "Osmonaliev said" later
        if accused is not None and side == accused and actor is None:
            side = self._accuser_side(mention, name, side)
        if person and side is not None and self.gaz.kind(side) == "group" and side not in self.story_groups:
            # "X, a rice farmer" where farmers are no party: X speaks for their country
            return self._home_country(mention) or self.home
        return side

    def _accuser_side(self, mention: Span, name: str | None, accused: str) -> str | None:
        """No one accuses their own side: "Prime Minister X accused India of violating Pakistan's
        sovereignty", in a story whose subject is India, is Pakistan's, the one other country the
        sentence names (the guess stands where it names no other: an opposition may accuse its
        own government)."""
        sent = mention.sent
        others = {_region_around(self.gaz, sent.text, m) or m.actor for m in self.gaz.find(sent.text)
                  if self.gaz.kind(m.actor) == "country"} - {accused}
        if len(others) != 1:
            return accused
        side = others.pop()
        for key in _person_keys(name) if name else ():
            if self.people.get(key) == accused:
                self.people[key] = side
        return side

    def _owning_person(self, mention: Span) -> str | None:
        """The side of a person the mention opens by name in the possessive, where the article
        gave that person a side: "Hovsepyan's Security Council secretary"."""
        first = mention[0]
        if first.dep_ != "poss" or first.pos_ != "PROPN" or len(mention) < 2:
            return None
        if first.lower_ not in self._person_words:
            return None
        if self.gaz.actor(first.text) == first.text:
            return None  # "Mali's Ministry of Foreign Affairs", where the tagger took "Mali" for a person
        if first.lower_ in self.people:
            return self.people[first.lower_]
        # a given name as the name of address ("Abiy's adviser" after "Abiy Ahmed"): the one
        # side of the people whose names hold it
        sides = {side for key, side in self.people.items() if first.lower_ in key.split()}
        return sides.pop() if len(sides) == 1 else None

    def _principal(self, mention: Span) -> str | None:
        """The side of the leader or body an aide serves: "a senior aide to President X", "an
        adviser to Malawi's president" (not an envoy's "to X": where they are posted)."""
        if mention.root.lemma_.lower() not in _AIDES:
            return None
        for prep in mention.root.rights:
            if prep.dep_ == "prep" and prep.lower_ in ("to", "of"):
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    served = self.doc[obj.left_edge.i : obj.right_edge.i + 1]
                    side = self.gaz.actor(served.text) or self.people.get(obj.lower_)
                    if side is not None:
                        return side
        return None

    def _home_country(self, mention: Span) -> str | None:
        """The one country a person's mention and its appositive name: "Afghan farmer X", "X, a
        farmer in the Ethiopian border town of Zalambessa"."""
        end = max([mention.end] + [c.right_edge.i + 1 for c in mention.root.rights if c.dep_ in ("appos", "relcl")])
        found = {m.actor for m in self.gaz.find(self.doc[mention.start : end].text) if self.gaz.kind(m.actor) == "country"}
        return found.pop() if len(found) == 1 else None

    def _home_town(self, mention: Span) -> str | None:
        """The country of the one town a person's description places them in: "X, a trader from
        Zinder", "X, who heads a traders' association in Tampere" (the gazetteer's towns; the
        small model tags a town it does not know as a one-word person)."""
        found = set()
        for part in [c for c in mention.root.rights if c.dep_ in ("appos", "relcl", "acl")]:
            for tok in part.subtree:
                if tok.dep_ == "pobj" and tok.pos_ == "PROPN" and tok.head.lower_ in ("in", "from", "near", "outside") \
                        and tok.ent_type_ not in ("DATE", "TIME", "ORG", "NORP") and not _full_name(tok):
                    words = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [tok]
                    country = self.gaz.town(self.doc[words[0].i : tok.i + 1].text)
                    if country is not None:
                        found.add(country)
        return found.pop() if len(found) == 1 else None

    def _own_side(self, mention: Span, name: str | None, actor: str | None, person: bool) -> str | None:
        owner = self._owning_person(mention)
        if owner is not None:
            self._remember_appositive_name(mention, name, owner)
            return owner  # "Hovsepyan's Security Council secretary", "Putin's spokesman": the person's side
        principal = self._principal(mention)
        if principal is not None:
            return principal  # "a top aide to President X", "an adviser to Malawi's president"
        if actor is not None and self.gaz.kind(actor) in ("bloc", "organisation"):
            if _THE_BLOC.search(mention.text):
                return self.party_of(mention.text) or actor  # ECOWAS in a story about ECOWAS
            return actor  # the UN, a named charity: the gazetteer knows them
        if _owner(mention) in _POSSESSIVE_BODY:
            body = self._reported_subject(mention) or self._last_body(mention.start_char, lambda b: b.subject)
            if body is not None:
                return body.actor  # "its spokeswoman in Bogota" speaks for the body, not the city
        if _owner(mention) in _POSSESSIVE_PERSON and actor is None:
            body = self._last_body(mention.start_char, lambda b: b.subject and b.words & self._person_words)
            if body is not None:
                return body.actor  # "His ministry said": the minister who spoke last
        if actor is None and mention.root.text in ("country", "nation") and mention[0].lower_ == "the":
            body = self._last_body(mention.start_char, lambda b: b.subject and self.gaz.kind(b.actor) == "country")
            if body is not None:
                return body.actor  # "Mali accused Algeria ... The West African country said"
        party = None if person else self.party_of(mention.text) or (self.party_of(name) if name else None)
        given = party or actor or self._state_body_of(mention.text)
        if given is not None:
            self._remember_titled_name(mention, given)
            self._remember_appositive_name(mention, name, given)
            return given
        if any(t.lower_ in _JOURNALISTS for t in mention) or (actor is None and _outlet(_names(mention.text)[0].split())):
            return "media"  # "Sky's foreign affairs editor X": a journalist the gazetteer's outlets do not name
        if name:
            remembered = self._person_side(name)
            if remembered is not None:
                return remembered
        described = self._described_mention(mention)
        side = self.gaz.actor(described.text) if described is not None else None
        if side is None and mention.root.pos_ == "PROPN":
            side = self._membership(mention)  # a name the parser did not tag as a person's
        if side is None and mention.root.pos_ == "PROPN" and (person or self._bare_name(mention)):
            # "Nigeria's delegation leader was more guarded. '...,' Ambassador X said" (not the dateline's)
            side = self._narrated_role_holder(mention)
        side = side if side is not None else self._context_side(described or mention)
        if side is None and described is None and mention.root.pos_ == "PROPN" \
                and (person or self._bare_name(mention)):
            side = self._role_holder(mention)
        if side is None and person:
            # where the article says a private person is from ("X, a trader from Zinder"), else where
            # the story meets them, as datelined; at a bloc's seat, its own officials only
            # ("BRUSSELS (Reuters) - ... Budget Commissioner X said")
            side = self._home_town(mention) or self.home or self._seat_official(described or mention)
        if side is not None and name and mention.root.pos_ == "PROPN" and mention.root.ent_type_ != "ORG" \
                and not any(t.lower_ in self.lex.state_roles for t in mention):
            for key in _person_keys(name):
                self.people.setdefault(key, side)  # "Indian PM Narendra Modi said" ... "Modi vowed"
        elif side is not None and mention.root.pos_ == "PROPN":
            self._remember_titled_name(mention, side)  # "Foreign Minister X Y said" (a dateline's side)
        return side

    def _remember_appositive_name(self, mention: Span, name: str | None, side: str) -> None:
        """Keep the side of the person an appositive names after a role: "Gabon's Minister of
        Petroleum, Sylvie Mboumba Nziengui, said" gives "Mboumba said" later its side."""
        if name and name not in mention.text and any(t.lower_ in self.lex.person_roles for t in mention):
            for key in _person_keys(name):
                self.people.setdefault(key, side)

    def _remember_titled_name(self, mention: Span, side: str) -> None:
        """Keep the side of the person a titled mention ends with, when the small model tagged
        the name elsewhere in the article but not here: "IEA Deputy Spokesperson Bilal Karimi"
        gives Karimi a side for "Karimi said" later."""
        words = []
        for tok in reversed(mention):
            if tok.pos_ != "PROPN" or not tok.text[:1].isupper() or tok.ent_type_ in ("ORG", "GPE", "NORP") \
                    or tok.lower_ in self.lex.role_nouns or tok.lower_ in self.lex.state_roles:
                break
            words.insert(0, tok.text)
        titled = len(words) >= 2 and mention[len(mention) - len(words) - 1].lower_ in self.lex.person_roles
        if not words or len(words) == len(mention) or not (words[-1].lower() in self._person_words or titled):
            return  # a name the model tagged elsewhere, or two words or more after "Minister"
        for key in _person_keys(" ".join(words)):
            self.people.setdefault(key, side)

    def _reported_subject(self, mention: Span) -> _Body | None:
        """The subject of the reported speech that ``mention`` closes, in its sentence: "Ecuador
        has expelled two Peruvian diplomats, its foreign ministry said" (Ecuador, not Peru)."""
        sent = mention.sent
        return next((b for b in self.bodies if b.reported and sent.start_char <= b.position < mention.start_char
                     and self._closes_quote_of(b.position, mention)), None)

    def _closes_quote_of(self, position: int, mention: Span) -> bool:
        """Whether the quote that holds ``position`` ends right before ``mention`` (", its ministry
        said"), not before another clause ("..., but an adviser to its president hinted")."""
        ends = [b for a, b in self._quoted if a <= position < b]
        return not ends or not self.text[max(ends) : mention.start_char].strip(" ,;—–-\"”’'")

    def _described_mention(self, mention: Span) -> Span | None:
        """The mention with the words just before it that describe it, when the parse left
        them out ("On Friday Indian PM Narendra Modi said": the mention is the name alone)."""
        start = mention.start
        while start > 0 and (self.doc[start - 1].pos_ in _LEFT_POS or self._known_acronym(self.doc[start - 1])) \
                and self.doc[start - 1].lower_ not in _LEFT_STOP and not self.doc[start - 1].is_sent_end:
            start -= 1
        if start < mention.start:
            return self.doc[start : mention.end]
        return self._role_after(mention)

    def _role_after(self, mention: Span) -> Span | None:
        """The name with the bare role set off after it, up to the cue the parse took the role for
        the subject of: '"...," Hua Chunying, foreign ministry spokesperson said' (no article, so
        the parse reads "spokesperson said" and leaves the name alone)."""
        doc, end = self.doc, mention.end
        if end + 2 >= len(doc) or doc[end].text != "," or doc[end + 1].lower_ in ("a", "an", "the", "who"):
            return None
        last = end + 1
        while last < min(len(doc), end + 6) and doc[last].is_alpha and doc[last].is_lower \
                and doc[last].lemma_.lower() not in self.lex.cue_verbs:
            last += 1
        if last == end + 1 or last >= len(doc) or doc[last].lemma_.lower() not in self.lex.cue_verbs:
            return None
        if doc[last - 1].lower_ not in self.lex.person_roles:
            return None
        return doc[mention.start : last]

    def know_quotes(self, spans: list[tuple[int, int]]) -> None:
        """What the article's quotes cover: a name inside a quote is what someone said, not a
        subject that "its" can refer to."""
        self._quoted = list(spans)
        for body in self.bodies:
            if body.subject and any(a <= body.position < b for a, b in spans):
                body.subject = False
                # no quotation mark opened earlier in its paragraph: reported, not quoted, speech
                opening = self.text[self.text.rfind("\n", 0, body.position) + 1 : body.position]
                body.reported = not any(mark in opening for mark in OPENERS)
        # what someone said is no longer the story's subject: "the ministry said Cambodian forces
        # attacked", then "spokesman X" speaks for the ministry's country, not Cambodia
        for ent, body, keys in self._guesses:
            side = self._context_side(self._window(ent))
            if side == body.actor:
                continue
            for key in keys:
                if self.people.get(key) == body.actor:
                    if side is None:  # the guess came from inside a quote ('"In other words, the US ..."')
                        del self.people[key]
                    else:
                        self.people[key] = side
            if side is None:
                self.bodies.remove(body)
            else:
                body.actor = side
        self._describe_unsided()

    def note_speaker(self, mention: Span, name: str | None, actor: str | None) -> None:
        """Remember a resolved speaker: later "its", "the official" may refer to it."""
        if actor is None:
            return
        words = frozenset(w.lower() for w in f"{mention.text} {name or ''}".split())
        verb = mention.root.head
        # "since Russia's Foreign Ministry announced ...": a speaker in a clause is not the story's subject
        main = mention.root.dep_ not in ("nsubj", "nsubjpass") \
            or verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
        body = _Body(mention.start_char, words, actor, subject=True, main=main,
                     placed=(self._place(mention) or self._spoke_in(mention)) == actor)
        self._speakers.append((body, mention.root.lower_, any(t.ent_type_ == "PERSON" for t in mention)))
        at = next((i for i, b in enumerate(self.bodies) if b.position > body.position), len(self.bodies))
        self.bodies.insert(at, body)

    def _state_body_of(self, phrase: str) -> str | None:
        """The country of a state body the phrase names by a name the article gave it before:
        "Rosselkhoznadzor", once "Russia's agricultural watchdog Rosselkhoznadzor"."""
        words = phrase.replace("’", "'").removesuffix("'s")
        for alias, country in self.state_bodies.items():
            if re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", words):
                return country
        return None

    def party_of(self, phrase: str | None) -> str | None:
        """The open-set party that ``phrase`` names ("the Polisario Front" -> "Polisario"), or None."""
        if not phrase:
            return None
        words = phrase.replace("’", "'").removesuffix("'s")
        for alias, party in self.parties.items():
            if re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", words):
                return party
        return None

    # -- reading the article once ---------------------------------------------------
    def _read_article(self) -> None:
        for ent in self._titled_people(_merged_people(self.view.ents)):
            if ent.label_ not in ("PERSON", "ORG", "NORP", "GPE") or ent.start_char < self._after_dateline:
                continue
            if ent.label_ == "PERSON" and not names_a_person(self.gaz, ent):
                ent = Span(ent.doc, ent.start, ent.end, label="GPE")
            side = self._entity_side(ent)
            guessed = side is None
            if guessed:  # only the story around says it: guessed again once the quotes are known
                side = self._context_side(self._window(ent))
            if side is None:
                continue
            words = frozenset(w.lower() for w in self._window(ent).text.split())
            subject = ent.root.dep_ in ("nsubj", "nsubjpass")
            verb = ent.root.head
            if ent.root.dep_ in ("poss", "compound", "amod") and ent.root.head.pos_ in ("NOUN", "PROPN"):
                head = ent.root.head  # "Mali's military government": a government with a side
                words |= {t.lower_ for t in self.doc[ent.end : head.i + 1]}
                subject = head.dep_ in ("nsubj", "nsubjpass")  # "Yemen's government welcomed it. Its minister"
                verb = head.head
                if subject and self.gaz.kind(self.gaz.actor(self.doc[ent.start : head.i + 1].text) or "") == "group":
                    subject = False  # "Afghan refugees must leave": refugees, not Afghanistan, do it
                if subject and head.lemma_.lower() in _CRAFT:
                    # "The two Chinese ships entered the waters. ... Chief Cabinet Secretary X said":
                    # a craft does what the story reports, and the official who speaks next answers it
                    subject = False
            else:
                words |= self._unparsed_office(ent)
            window = self._window(ent)
            body = _Body(ent.start_char, words, side, subject=subject,
                         main=verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT"),
                         placed=guessed and (self._place(window) or self._spoke_in(window)) == side)
            self.bodies.append(body)
            keys = []
            if ent.label_ == "PERSON" or self._named_after_role(ent):
                keys = [key for key in _person_keys(ent.text) if self.people.setdefault(key, side) == side]
            if guessed:
                self._guesses.append((ent, body, keys))

    def _titled_people(self, ents: list[Span]) -> list[Span]:
        """"led by Deputy Foreign Minister Ana Cecilia Brugal": the small model tags a surname it
        does not know as a place or an organisation, and leaves the given names out or makes them a
        person of their own. A name the gazetteer does not know, right after a person's title and
        any given names, or right after a person's name, is (the end of) the person."""
        doc, out = self.doc, []
        for ent in ents:
            if ent.label_ in ("GPE", "ORG", "NORP") and len(ent) <= 2 and self.gaz.actor(ent.text) is None \
                    and all(t.pos_ == "PROPN" and t.text.istitle() for t in ent):
                if out and out[-1].label_ == "PERSON" and out[-1].end == ent.start:
                    out[-1] = Span(doc, out[-1].start, ent.end, label="PERSON")  # "Paula Andrea" "Salcedo"
                    continue
                start = ent.start
                while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text.istitle() \
                        and not doc[start - 1].ent_type_ and doc[start - 1].lower_ not in self.lex.person_roles:
                    start -= 1
                if start > 0 and doc[start - 1].lower_ in self.lex.person_roles and doc[start - 1].text.istitle():
                    ent = Span(doc, start, ent.end, label="PERSON")
            out.append(ent)
        return out

    def _unparsed_appositive(self, ent: Span) -> str | None:
        """ "Ambassador X, the official spokesman for the Egyptian Ministry of Foreign Affairs, made
        statements": the one country of the office that the phrase between the commas gives the
        person, read from the words where the parse gives no appositive (a paragraph the selective
        parse left untagged, as it holds no cue, or a parse that took the phrase for the subject)."""
        doc = self.doc
        if ent.end + 2 >= len(doc) or doc[ent.end].text != "," \
                or doc[ent.end + 1].lower_ not in ("the", "a", "an"):
            return None
        end = ent.end + 1
        while end < min(len(doc), ent.end + 16) and doc[end].text not in (",", ".", ";") \
                and not doc[end].is_sent_start:
            end += 1
        if end >= len(doc) or doc[end].text != ",":
            return None  # no closing comma: no appositive, or a clause that goes on
        phrase = doc[ent.end + 1 : end]
        if not any(t.lower_ in self.lex.state_roles or t.lower_ in self.lex.person_roles for t in phrase):
            return None
        return self._one_country(self.gaz.find(phrase.text), phrase.text)

    def _one_country(self, found, text: str) -> str | None:
        """The one country among gazetteer matches in ``text``, not one it names as a neighbour
        ("... that borders Russia")."""
        countries = {m.actor for m in found if self.gaz.kind(m.actor) == "country"
                     and not NEIGHBOUR.search(text[:m.start])}
        return countries.pop() if len(countries) == 1 else None

    def _listed_office(self, ent: Span) -> str | None:
        """ "Ethiopia's Minister of Water, Irrigation, and Energy, X,": a name after an office whose
        title lists its portfolios, which the parse hangs on the last of them. The country that
        owns the title (just before its role word) is the person's side."""
        doc = self.doc
        if ent.start < 4 or doc[ent.start - 1].text != ",":
            return None
        for i in range(ent.start - 2, max(ent.start - 16, 0), -1):
            tok = doc[i]
            if tok.is_sent_start or tok.ent_type_ == "PERSON" or tok.text in (".", ";"):
                return None
            if tok.lower_ in self.lex.person_roles and tok.is_title:
                j = i - 1
                if doc[j].lower_ in ("'s", "’s"):
                    j -= 1
                actor = self.gaz.actor(doc[j].text) if j >= 0 else None
                return actor if actor is not None and self.gaz.kind(actor) == "country" else None
        return None

    def _unparsed_office(self, ent: Span) -> frozenset[str]:
        """ "spotted by Taiwan's defense ministry" in a paragraph the selective parse left untagged
        (it holds no cue): the office after the possessive, so "the ministry said" later is that one."""
        doc = self.doc
        if ent.end + 1 >= len(doc) or doc[ent.end].lower_ not in ("'s", "’s") or doc[ent.end].pos_:
            return frozenset()
        words = []
        for tok in doc[ent.end + 1 : ent.end + 4]:
            if not tok.is_alpha:
                break
            words.append(tok.lower_)
            if tok.lower_ in self.lex.state_roles and tok.lower_ not in _ROLE_MODIFIERS:
                return frozenset(words)
        return frozenset()

    def _describe_unsided(self) -> None:
        """'The Venezuelan leader also questioned ... "…," said Maduro': a sentence whose subject
        is "the <country's adjective> <role>" names the side of the one person in its paragraph
        whose side the article gives nowhere."""
        persons = [e for e in self.view.ents if e.label_ == "PERSON" and e.start_char >= self._after_dateline]
        roles = [t for t in self.view.tokens_with(DEP=("nsubj", "nsubjpass"))
                 if t.lemma_.lower() in self.lex.person_roles]
        if not persons or not roles:
            return
        for start, end in paragraph_bounds(self.text):
            unsided = {_person_keys(e.text)[-1] for e in persons
                       if start <= e.start_char < end and self._person_side(e.text) is None}
            if len(unsided) != 1:
                continue
            countries = {self._description_country(tok) for tok in roles if start <= tok.idx < end}
            countries.discard(None)
            if len(countries) == 1:
                surname, country = unsided.pop(), countries.pop()
                for e in persons:
                    if _person_keys(e.text)[-1] == surname:
                        for key in _person_keys(e.text):
                            self.people.setdefault(key, country)

    def _description_country(self, role) -> str | None:
        """The country of "the Venezuelan leader" (narration, not inside quotation marks)."""
        if not any(c.lower_ == "the" for c in role.lefts):
            return None
        before = self.text[role.sent.start_char : role.idx]
        if any(mark in before for mark in OPENERS):
            return None
        found = {self.gaz.actor(c.text) for c in role.lefts if c.dep_ in ("amod", "compound")}
        found = {a for a in found if a is not None and self.gaz.kind(a) == "country"}
        return found.pop() if len(found) == 1 else None

    def _entity_side(self, ent: Span) -> str | None:
        known = self.gaz.canonical(_names(ent.text)[0])
        if known is not None and self.gaz.kind(known) != "country":
            return known
        party = self.party_of(ent.text)
        if party is not None:
            return party
        state = self._state_body_of(ent.text)
        if state is not None:
            return state
        if ent.label_ in ("NORP", "GPE"):
            return self.gaz.actor(ent.text)
        described = self._window(ent)
        if described is None:
            actor = None
        elif ent.label_ == "PERSON":  # "Lisa O. Monaco" is no one from Monaco
            actor = actor_beside_name(self.gaz, described.text, ent.text)
        else:
            actor = self.gaz.actor(described.text)
        if actor is None and ent.label_ == "ORG":
            actor = self.gaz.actor(ent.text)
        if actor is None and ent.label_ == "PERSON":
            actor = self._unparsed_appositive(ent) or self._listed_office(ent) or self._home_town(ent)
        if actor is not None:
            return actor
        if ent.label_ == "PERSON" and self.people.get(ent.text.lower()) is not None:
            return self.people[ent.text.lower()]
        return self._membership(ent) if ent.label_ == "PERSON" else None

    def _lede_groups(self) -> frozenset[str]:
        """The groups named in the headline or the first sentence of the story: the parties
        among the groups ("Nicaragua holds four Costa Rican farmers"). A group named only
        later describes a witness ("said X, a rice farmer") rather than a side."""
        first = next((sent for sent in self.doc.sents if sent.end_char > self._after_dateline + 1), None)
        lede = self.text[: first.end_char] if first is not None else self.text
        return frozenset(m.actor for m in self.gaz.find(lede) if self.gaz.kind(m.actor) == "group")

    def _membership(self, ent: Span) -> str | None:
        """The group or organisation a person's description makes them part of: "X, who heads
        Basra's fishermen's association", "X, a member of the PKK's leadership", or the one
        country whose office it gives them. A place in it ("who works at a hotel in Delhi")
        says nothing of whom they speak for."""
        for clause in ent.root.rights:
            # "X, Minister of Communication and spokesperson, for the Congolese government": the
            # parse may hang the "for"/"of" phrase on the name rather than on the title
            description = clause.dep_ in ("appos", "relcl", "acl") \
                or (clause.dep_ == "prep" and clause.lower_ in ("for", "of"))
            if not description or clause.i < ent.end \
                    or any(c.dep_ in ("nsubjpass", "auxpass", "agent") for c in clause.children):
                continue  # "the government, which is backed by the LNA": no member of it
            text = self.doc[clause.left_edge.i : clause.right_edge.i + 1].text
            party = self.party_of(text)
            if party is not None:
                return party
            found = self.gaz.find(text)
            member = [m.actor for m in found if self.gaz.kind(m.actor) in ("group", "organisation")]
            if member:
                return member[0]
            office = any(t.lower_ in self.lex.state_roles or t.lemma_ == "represent" for t in clause.subtree)
            country = self._one_country(found, text) if office else None
            if country is not None:
                return country  # "X, who heads Tajikistan's border commission", "who represented Abkhazia"
        return None

    def _window(self, ent: Span) -> Span:
        """The entity with the words that describe it: "Somalia's Foreign Minister Abdirahman
        Farah", "Ana Reyes of the Philippines", "Halmi, Hungary's foreign minister,"."""
        doc = self.doc
        start = ent.start
        while start > 0:
            tok = doc[start - 1]
            untagged_title = not tok.pos_ and tok.is_title and not doc[start].is_sent_start
            if (tok.pos_ not in _LEFT_POS and not untagged_title and not self._known_acronym(tok)) \
                    or tok.lower_ in _LEFT_STOP \
                    or tok.ent_type_ == "PERSON":
                break  # an unparsed paragraph has no tags: "British Foreign Secretary" is its capitals
            start -= 1
        end = ent.end
        if end + 1 < len(doc) and doc[end].lower_ == "of":
            first = end + 2 if doc[end + 1].lower_ == "the" else end + 1
            last = first
            while last < len(doc) and doc[last].ent_type_ in ("GPE", "ORG", "NORP"):
                last += 1
            end = last if last > first else end
        if ent.root.dep_ == "appos" and ent.root.head.i < ent.start:
            start = min(start, ent.root.head.left_edge.i)  # "Its spokeswoman, Ana Lupu,"
        appos = next((c for c in ent.root.rights if c.dep_ == "appos" and c.i >= ent.end), None)
        if appos is not None:
            end = max(end, appos.right_edge.i + 1)
        while start < ent.start and doc[start].idx < self._after_dateline:
            start += 1  # "MOSCOW (AFP) - Russia's watchdog X": the dateline describes no one
        return doc[start:end]

    def _seat_official(self, mention: Span) -> str | None:
        """The bloc of a dateline at its seat, for a mention with a role that is no state's."""
        words = {t.lower_ for t in mention}
        if self.dateline is None or not words & self.lex.role_nouns or words & self.lex.national_roles:
            return None
        return self.dateline

    def _known_acronym(self, tok) -> bool:
        """An actor's acronym, whatever the tagger made of it: in '..." ECOWAS Commission
        President X said' the small model tags "ECOWAS" as a verb."""
        return bool(_ACRONYM.match(tok.text)) and self.gaz.actor(tok.text) is not None

    def _person_side(self, name: str) -> str | None:
        for key in _person_keys(name):
            if key in self.people:
                return self.people[key]
        word = name.lower()
        if " " in word or len(word) < 3:
            return None
        # one word of a longer name, not its last ("Moussavou" of "Hervé Moussavou Ndinga", where the
        # small model tagged no person): the one remembered full name that holds it
        sides = {side for key, side in self.people.items() if word in key.split()[:-1]}
        return sides.pop() if len(sides) == 1 else None

    # -- context ---------------------------------------------------------------------
    def _context_side(self, mention: Span) -> str | None:
        """The side of a mention that names none: "its spokeswoman", "In Ankara, the ministry",
        "the ministry" after "Algeria's Foreign Ministry", "officials" under a dateline."""
        words = [t.lower_.strip("-—–'’.,") for t in mention]  # "-President" after a dateline's dash
        if _owner(mention) in _POSSESSIVE_BODY or _for_the_body(mention):
            # "Tajikistan claimed that Kyrgyz troops did it, but an adviser to its president ...":
            # the subject of a main clause before one inside what it reported
            body = self._last_body(mention.start_char, lambda b: b.subject and b.main) \
                or self._last_body(mention.start_char, lambda b: b.subject) \
                or self._last_body(mention.start_char, lambda b: True)
            if body is not None:
                return body.actor
        place = self._place(mention) or self._spoke_in(mention)
        if place is not None:
            return place
        roles = [w for w in words if w in self.lex.state_roles]
        if not roles:
            return self._named_with(mention)
        # a newly named official ("Foreign Minister Tor Vassbotn") is not the one an "In Moscow, ..."
        # paragraph placed abroad: under a dateline, that paragraph is the exception
        named = self.dateline is not None and any(t.ent_type_ == "PERSON" for t in mention)
        # "the Defense Ministry" is not an earlier "Russia's Foreign Ministry": the office's own name must match
        office = next(t for t in mention if t.lower_.strip("-—–'’.,") == roles[0])
        kind = {t.lower_ for t in mention if t.i < office.i and t.pos_ == "PROPN" and t.dep_ == "compound"
                and t.head.i == office.i and t.ent_type_ != "PERSON" and self.gaz.actor(t.text) is None}
        body = self._last_body(mention.start_char, lambda b: roles[0] in b.words and kind <= b.words
                               and not (named and b.placed))
        earlier = body.actor if body is not None and self.gaz.kind(body.actor) in ("country", "bloc") else None
        if earlier is not None and mention[0].lower_ == "the" and len(mention) == 2:
            return earlier  # "Chile apologized, according to the embassy" after "Peru's embassy": Peru's
        named = self._office_place(mention) or self._sentence_country(mention) or self._reacting_country(mention)
        if named is not None:
            return named
        if earlier is not None:
            return earlier
        if self.dateline is not None and (self.home is not None or not self.lex.national_roles & set(words)):
            return self.dateline  # not a bloc's seat to a minister: "UNITED NATIONS (AP) - Foreign Minister X"
        # no dateline (or a bloc's seat): the country whose action the official's sentence reports
        # ("Kosovo banned the plates, an interior ministry official said"), else the one the story
        # last made the subject of a sentence ("China has accused ..."; not "for Britain to return")
        body = self._reported_subject(mention)
        if body is not None and self.gaz.kind(body.actor) == "country":
            return body.actor
        def country_subject(b: _Body) -> bool:
            return b.subject and self.gaz.kind(b.actor) == "country"

        body = self._last_body(mention.start_char, lambda b: country_subject(b) and b.main) \
            or self._last_body(mention.start_char, country_subject)
        return body.actor if body is not None else None

    def _named_with(self, mention: Span) -> str | None:
        """The side of "the <noun>" that the article named before with its body: "the
        peacekeepers said" after "UNIFIL peacekeepers" (the noun no actor of its own)."""
        head = mention.root
        if mention[0].lower_ != "the" or head.pos_ != "NOUN" or self.gaz.actor(head.text) is not None:
            return None
        body = self._last_body(mention.start_char, lambda b: head.lower_ in b.words)
        return body.actor if body is not None else None

    def _bare_name(self, mention: Span) -> bool:
        """Two or more capitalised proper nouns that name no actor, tagged as no place, body or
        people (the small model tags some names of people as works of art)."""
        return len(mention) >= 2 and all(t.pos_ == "PROPN" and t.text[:1].isupper()
                                         and t.ent_type_ not in ("ORG", "GPE", "NORP", "LOC", "FAC") for t in mention) \
            and self.gaz.actor(mention.text) is None

    def _role_holder(self, mention: Span) -> str | None:
        """The side of a name the article gives without a word about who they are, right after
        a speaker it named only by a role: "Turkey's foreign minister says ..." then "'...,'
        X said". News names the role first and the holder next."""
        last = next((s for s in reversed(self._speakers) if s[0].position < mention.start_char), None)
        if last is None or mention.start_char - last[0].position > _ROLE_HOLDER_CHARS:
            return None
        body, head, named = last
        if head not in self.lex.person_roles or named or body.words & self._person_words:
            return None
        return body.actor

    def _narrated_role_holder(self, mention: Span) -> str | None:
        """The side of the first person named right after the story names a role and its
        country without a name: "... drew criticism from the Israeli foreign minister." then
        "Israel Katz accused ..." (the sentence just before, the person first in their sentence)."""
        sent = mention.sent
        if sent.start == 0 or any(e.label_ == "PERSON" and e.start < mention.start for e in sent.ents):
            return None
        before = self.doc[sent.start - 1].sent
        if any(e.label_ == "PERSON" for e in before.ents):
            return None
        countries = set()
        for tok in before:  # a paragraph without cues may be left unparsed: read the words
            if tok.lower_ in self.lex.person_roles:
                words = self.doc[max(before.start, tok.i - 3) : tok.i].text  # "the Peruvian foreign"
                countries |= {m.actor for m in self.gaz.find(words) if self.gaz.kind(m.actor) == "country"}
        return countries.pop() if len(countries) == 1 else None

    def _office_place(self, mention: Span) -> str | None:
        """The country of the province or town an office is named after: "Governor X of Neuquen
        province", "the Sindh police chief"."""
        found = set()
        for tok in mention:
            if tok.pos_ != "PROPN" or tok.ent_type_ in ("PERSON", "NORP") or tok.i == mention.root.i \
                    or (tok.head.pos_ == "PROPN" and tok.head.lower_ != "of"):
                continue  # a place names the office ("province", "police", "of"), not a name ("Pinedo Vargas")
            region, town = self.gaz.region(tok.text), self.gaz.town(tok.text)
            if region is not None and town is not None and region != town:
                continue  # "Zabol": an Afghan province, an Iranian town
            # a province by name; a town only where the tagger saw a place ("Police" is a Polish town too)
            country = region or (town if tok.ent_type_ in ("GPE", "LOC") else None)
            if country is not None:
                found.add(country)
        return found.pop() if len(found) == 1 else self._region_office(mention.text) if not found else None

    def _region_office(self, text: str) -> str | None:
        """The country of a province an office is named after, however the tagger read its
        words: "Belgorod governor X", "governor of Sistan and Baluchestan province", "the
        Rakhine State spokesman". A province's name alone is no office ("Georgia Smith")."""
        found = set()
        for region in self.gaz.find_regions(text):
            if _REGION_OFFICE.match(text, region.end) \
                    or (_OF_REGION.search(text, 0, region.start) and not _NAME_GOES_ON.match(text, region.end)):
                found.add(region.actor)
        return found.pop() if len(found) == 1 else None

    def _reacting_country(self, mention: Span) -> str | None:
        """The country of a short sentence that opens the mention's paragraph with no object, as
        news introduces a side's reply: "Seoul was unmoved. Foreign Ministry spokeswoman X
        said ...", "Beijing hit back." (not "China sent ships.", which reports the other side)."""
        sent = mention.sent
        if sent.start == 0 or mention.start - sent.start > 3:
            return None
        before = self.doc[sent.start - 1].sent
        if len(before) > 6 or "\n" in self.text[before.start_char : sent.start_char] \
                or any(t.dep_ in ("dobj", "pobj", "ccomp", "xcomp") for t in before):
            return None
        opens = self.text[: before.start_char].rstrip(" ")
        if opens and not opens.endswith("\n"):
            return None  # the short sentence must open its paragraph
        subject = next((t for t in before if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"), None)
        actor = self.gaz.actor(subject.text) if subject is not None and subject.ent_type_ == "GPE" else None
        return actor if actor is not None and self.gaz.kind(actor) == "country" else None

    def _sentence_country(self, mention: Span) -> str | None:
        """The one country named before an unnamed official in its sentence, outside quotation
        marks: "Mali's state broadcaster quoted Foreign Minister X as saying"."""
        sent = mention.sent
        before = self.doc[sent.start : mention.start].text
        if not before.strip() or any(mark in before for mark in '"“”«»'):
            return None
        countries = {_region_around(self.gaz, before, m) or m.actor
                     for m in self.gaz.find(before) if self.gaz.kind(m.actor) == "country"}
        return countries.pop() if len(countries) == 1 else None

    def _last_body(self, position: int, fits) -> _Body | None:
        for body in reversed(self.bodies):
            if body.position < position and fits(body):
                return body
        return None

    def placed_in(self, noun: Token) -> str | None:
        """The country of an "in" phrase on a noun: "the foreign ministry in Tokyo" -> Japan (also
        where the parse hangs the phrase right after the noun on its verb)."""
        after = [c for c in noun.head.children if c.i == noun.right_edge.i + 1] if noun.dep_ == "nsubj" else []
        for prep in [*noun.children, *after]:
            if prep.dep_ == "prep" and prep.lower_ == "in":
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return _country(self.gaz, self.doc[obj.left_edge.i : obj.i + 1].text)
        return None

    def _place(self, mention: Span) -> str | None:
        """A country the sentence places the speaker in: "In Ankara, ..." opening the
        sentence, or "in Bogota" inside the mention ("its spokeswoman in Bogota")."""
        sent = mention.sent
        quoted = any(a <= sent[0].idx < b for a, b in self._quoted)  # '"In other words, the US ...," X said'
        if len(sent) > 2 and sent[0].lower_ == "in" and not quoted:
            comma = next((t for t in sent[1:8] if t.text == ","), None)
            if comma is not None and comma.i <= mention.start:
                actor = _country(self.gaz, self.doc[sent[0].i + 1 : comma.i].text)
                if actor is not None:
                    return actor
                # "In Cardenas, a fishing town east of Havana, X said": the place's appositive
                after = next((t for t in self.doc[comma.i + 1 : mention.start] if t.text == ","), None)
                if after is not None and self.doc[comma.i + 1].lower_ in ("a", "an", "the"):
                    actor = _country(self.gaz, self.doc[comma.i + 1 : after.i].text)
                    if actor is not None:
                        return actor
        if len(sent) > 2 and sent[0].lower_ == "at" and not quoted:
            # "At the United Nations, a spokesman said", "At the Kremlin, ...": the body's seat
            comma = next((t for t in sent[1:8] if t.text == ","), None)
            if comma is not None and comma.i <= mention.start:
                actor = self.gaz.actor(self.doc[sent[0].i + 1 : comma.i].text)
                if actor is not None and self.gaz.kind(actor) in ("country", "bloc", "organisation") \
                        and actor != "media":
                    return actor
        for tok in mention:
            if tok.lower_ == "in" and tok.i + 1 < mention.end:
                actor = _country(self.gaz, self.doc[tok.i + 1 : mention.end].text)
                if actor is not None:
                    return actor
        return self._paragraph_place(mention)

    def _paragraph_place(self, mention: Span) -> str | None:
        """ "In Moscow, the reaction was swift. '...,' Foreign Ministry spokeswoman X told a
        briefing": a paragraph that opens by placing itself places its speakers."""
        start = self.text.rfind("\n", 0, mention.start_char) + 1
        opening = self.doc.char_span(start, start + 1, alignment_mode="expand")
        if opening is None:
            return None
        sent = opening[0].sent
        if sent.start == mention.sent.start or len(sent) < 3 or sent[0].lower_ != "in" \
                or any(a <= sent[0].idx < b for a, b in self._quoted):
            return None
        comma = next((t for t in sent[1:6] if t.text == ","), None)
        return _country(self.gaz, self.doc[sent[0].i + 1 : comma.i].text) if comma is not None else None

    def _spoke_in(self, mention: Span) -> str | None:
        """The country whose capital (or own name) the speaker spoke in: "the spokeswoman said
        in Kigali", "told reporters in Addis Ababa", "told a briefing in Moscow". Wire copy
        names where an official spoke to say whose official it is."""
        root = mention.root
        # "The map was released by minister X at a function in Kathmandu": the agent acted there
        agent = root.dep_ == "pobj" and root.head.dep_ == "agent"
        verb = root.head.head if agent else root.head
        if not agent and root.dep_ not in ("nsubj", "nsubjpass") or verb.pos_ not in ("VERB", "AUX"):
            return None
        heads = [verb] + [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.i >= mention.end]
        # "at a function in X", "during a visit to ...": the event's place
        heads += [o for p in verb.children if p.dep_ == "prep" and p.lower_ in ("at", "during") and p.i >= mention.end
                  for o in p.children if o.dep_ == "pobj" and o.pos_ == "NOUN"]
        for head in heads:
            for prep in head.children:
                if prep.dep_ != "prep" or prep.lower_ != "in" or prep.i < mention.end:
                    continue
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is not None and obj.ent_type_ == "GPE" \
                        and self.doc[obj.left_edge.i : obj.i + 1].text not in _INTERNATIONAL_SEATS:
                    actor = _dateline_country(self.gaz, self.doc[obj.left_edge.i : obj.i + 1].text)
                    if actor is not None:
                        return actor
        return None

    # -- open-set parties -----------------------------------------------------------
    def _open_parties(self) -> dict[str, str]:
        """Alias -> party for the named organisations the gazetteer does not know, each
        under its shortest proper name in the article (an acronym it is given, or the name
        without its generic last word: "Tabara" for "the Tabara Movement").

        A party acts in the story: one of its mentions is a subject ("the RSF said", "Wagner
        fighters were paid") or is given an acronym. A name that is only ever an object or a
        place ("visited the Ta Prohm temple", "told RFI radio") is none.
        """
        groups: list[tuple[set[str], list[bool]]] = []
        for ent in self.view.ents:
            if ent.label_ != "ORG" or ent.start_char < self._after_dateline:
                continue
            state = self._state_body_country(ent)
            if state is not None:
                for alias in set(_names(ent.text)) | self._aliases_beside(ent):
                    if not all(w.lower() in self.lex.state_roles or w in _NAME_LINKS for w in alias.split()):
                        self.state_bodies.setdefault(alias, state)  # not "Foreign Ministry": every country has one
                continue
            if not self._is_party(ent):
                continue
            beside = self._aliases_beside(ent)
            names = {n for n in _names(ent.text)} | beside
            acts = bool(beside) or len(_names(ent.text)) > 1 or _acts(ent) or self._named_civil_subject(ent)
            for group, evidence in groups:
                if any(_same_party(a, b) for a in names for b in group):
                    group |= names
                    evidence.append(acts)
                    break
            else:
                groups.append((names, [acts]))
        parties: dict[str, str] = self._known_aliases()
        for group, evidence in groups:
            state = next((self.state_bodies[n] for n in group if n in self.state_bodies), None)
            if state is not None:  # named once as a country's body: "A Rosselkhoznadzor spokeswoman"
                for alias in group:
                    self.state_bodies.setdefault(alias, state)
                continue
            if not any(evidence):
                continue
            group |= self._shortened(group)
            short = min(group, key=lambda n: (len(n.split()), len(n)))
            for alias in sorted(group, key=len, reverse=True):
                parties.setdefault(alias, short)
        return dict(sorted(parties.items(), key=lambda item: -len(item[0])))

    def _shortened(self, group: set[str]) -> set[str]:
        """ "the Tabara Movement" ... "the Tabara": a name without its generic last word,
        where the article uses it."""
        out = set()
        for name in group:
            words = name.split()
            if len(words) > 1 and words[-1].lower() in _GENERIC_LAST:
                short = " ".join(words[:-1])
                if re.search(rf"\b[Tt]he {re.escape(short)}\b(?! {re.escape(words[-1])})", self.text):
                    out.add(short)
        return out

    def _known_aliases(self) -> dict[str, str]:
        """Short names the article gives a known actor: "the U.N. mission in Kosovo (UNMIK)",
        "the UN mission in Libya, UNSMIL" -> UN."""
        out: dict[str, str] = {}
        for ent in self.view.ents:
            if ent.label_ != "ORG" or ent.start_char < self._after_dateline:
                continue
            head = ent.root.head if ent.root.dep_ == "appos" else None
            if head is not None and head.pos_ == "NOUN":
                actor = self.gaz.actor(self.doc[head.left_edge.i : head.i + 1].text)
                if actor is not None and self.gaz.canonical(_names(ent.text)[-1]) is None:
                    out[_names(ent.text)[-1]] = actor
            actor = None if self._tail_of_longer_name(_names(ent.text)[0]) else self.gaz.actor(_names(ent.text)[0])
            owner = next((c for c in ent.root.children if c.dep_ == "poss" and c.i < ent.start), None)
            if actor is None and owner is not None:  # "the African Union's Peace and Security Council"
                actor = self.gaz.actor(self.doc[owner.left_edge.i : owner.i + 1].text)
            if actor is not None and self.gaz.kind(actor) == "group":
                actor = None  # a common noun inside a proper name: "Kurdistan Workers' Party" is no workers
            words = _names(ent.text)[0].split()
            if actor is not None and self.gaz.kind(actor) != "country" and len(words) > 1 \
                    and self.gaz.canonical(words[-1]) is None and words[-1][:1].isupper() \
                    and re.search(rf"\b[Tt]he {re.escape(words[-1])}\b", self.text):
                out.setdefault(words[-1], actor)  # "the European Commission" ... "the Commission"
            for alias in self._aliases_beside(ent) | set(_names(ent.text)[1:]):
                if actor is not None and self.gaz.canonical(alias) is None:
                    out[alias] = actor
        return out

    def _tail_of_longer_name(self, name: str) -> bool:
        """Whether the only actor a name holds ends a longer name joined by "and": the African
        Union's "Peace and Security Council" is not the UN's Security Council."""
        found = self.gaz.find(name)
        if len(found) != 1 or found[0].start == 0:
            return False
        before = name[: found[0].start].split()
        return len(before) >= 2 and before[-1] == "and" and before[-2][:1].isupper()

    def _state_body_country(self, ent: Span) -> str | None:
        """The country of an organisation the article presents as a state body: described by
        the country ("Russia's agricultural watchdog Rosselkhoznadzor", "the U.S. Treasury
        Department"), or named with it and a state word last ("Canada Border Services
        Agency", "Border Service of Russia's Federal Security Service")."""
        name = _names(ent.text)[0]
        if self.gaz.canonical(name) is not None:
            return None
        if _ACRONYM.match(name):
            spelled = self._spelled_out(name, ent.start_char)
            if spelled is not None:
                name = spelled  # "the CCG" after "the China Coast Guard"
        found = [m for m in self.gaz.find(name) if not deals_with(name, m)]  # not "Taiwan Affairs Office"
        if any(self.gaz.kind(m.actor) != "country" for m in found):
            return None
        window = self._window(ent)
        described = self.doc[window.start : ent.start].text
        owner = self.gaz.actor(described) if described else None
        words = [w.lower() for w in name.split(" of ")[0].split() if w not in _NAME_LINKS]
        state_word = bool(words) and words[-1] in self.lex.state_roles  # "Border Service of Russia's ..."
        if owner is not None and self.gaz.kind(owner) == "country" and (state_word or len(words) == 1) \
                and not self._civil(described):
            return owner
        countries = {m.actor for m in found}
        if len(countries) == 1 and state_word:
            return countries.pop()
        return None

    def _spelled_out(self, acronym: str, before: int) -> str | None:
        """The name an acronym abbreviates, given in full earlier in the story: "China Coast Guard"
        for "CCG" (capitalised words whose initials spell it)."""
        letters = [ch for ch in acronym if ch.isalpha()]
        if not 2 <= len(letters) <= 6:
            return None
        words = r"\s+".join(rf"{ch}[\w'’-]*" for ch in letters)
        found = re.findall(rf"(?<![\w-])({words})(?![\w-])", self.text[self._after_dateline : before])
        return found[-1] if found else None

    def _named_civil_subject(self, ent: Span) -> bool:
        """ "The airline, NordAir, said", "The cable's operator, BalticNet, said": the name of a
        civil body that is the subject."""
        head = ent.root.head
        return ent.root.dep_ == "appos" and head.dep_ in ("nsubj", "nsubjpass") and self._civil(head.text)

    def _civil(self, description: str) -> bool:
        """Whether a description makes a body private or civil: "Danish carrier", "the ship's
        Greece-based owner", "the British security firm" (a country there is its home, not its side)."""
        words = (re.sub(r"(?:['’]s?|[,.;:])$", "", w.lower()) for w in description.split())
        return any(w in self.lex.civil_bodies or w.removesuffix("s") in self.lex.civil_bodies for w in words)

    def _is_party(self, ent: Span) -> bool:
        """A named organisation that is its own side (LABELS.md's open-set parties).

        Not one the gazetteer knows as a whole or by a non-country name inside it ("the
        Polish Red Cross"); not a state body: generic words only ("the Foreign Ministry",
        "Defense"), or a country's name with a state word last ("Ghana Navy"); not a
        person's name that the parser took for an organisation. A country adjective
        inside another proper name does not make it the country's ("the Silesian
        German Cultural Association" is a party of its own).
        """
        name = _names(ent.text)[0]
        if ent.root.dep_ == "appos" and ent.root.head.pos_ == "NOUN":
            head = ent.root.head
            description = self.doc[head.left_edge.i : head.i + 1].text
            if self.gaz.actor(description) is not None and not self._civil(description):
                return False  # "the UN mission in Mali, MINUSMA": the description says whose
        words = name.split()
        if not words or not all(w[:1].isupper() or w in _NAME_LINKS or not w[:1].isalpha() for w in words):
            return False
        if len(words) == 1 and not name.isupper() and self.text.count(name) == 1 \
                and self.text[:ent.start_char].rstrip()[-1:] in OPENERS:
            return False  # '"Justice is independent," he said': a capital that opens a quote, named nowhere else
        if self.gaz.canonical(name) is not None:
            return False
        lower = [w.lower() for w in words if w not in _NAME_LINKS]
        if all(w in self._person_words for w in lower):
            return False
        before = ent.start - 1
        while before >= max(0, ent.start - 2) and self.doc[before].text.istitle() \
                and self.doc[before].lower_ not in self.lex.role_nouns:
            before -= 1  # "General Torleif" before "Haugvik": given names the tagger left out
        if before >= 0 and self.doc[before].lower_ in self.lex.role_nouns:
            return False  # "spokesman Idriss Mahamat": a person the parser took for an organisation
        if self._described_as_person(ent) or set(lower) <= self._described_people:
            return False  # "Okon Asuquo, who has fished there for 20 years", then "Asuquo"
        if _outlet(words):
            return False  # "The Globe and Mail said": a paper, the press (media), not a party
        if ent.end < len(self.doc) and self.doc[ent.end].lower_ in _PORTFOLIO_TITLES and ent[0].lower_ != "the":
            return False  # "International Relations and Cooperation Minister X": a portfolio, not a party
        roles = [i for i, w in enumerate(words) if w.lower() in self.lex.person_roles]
        rest = [w.lower() for w in words[roles[-1] + 1:]] if roles else []
        after = 0  # "Comptroller General Anselmo" + "Pinedo Vargas": the surnames the tagger cut off
        while ent.end + after < len(self.doc) and self.doc[ent.end + after].text.istitle() \
                and self.doc[ent.end + after].pos_ == "PROPN":
            after += 1
        if rest and len(rest) + after >= 2 \
                and not any(w in self.lex.role_nouns or w in self.lex.state_roles for w in rest):
            # "General Sylvain Ekenge", "Defence General Halvard Myrvang", "Comptroller General
            # Aurelio Pinzon" (not "General Electric Company")
            return False
        found = self.gaz.find(name)
        if any(self.gaz.kind(m.actor) in ("bloc", "organisation") for m in found):
            return False
        if found and len({m.actor for m in found}) == 1 \
                and sum(len(m.text.split()) for m in found) == len(words):
            return False  # "Afghan Taliban": names of one side only
        described = self.doc[self._window(ent).start : ent.start].text
        if described and self.gaz.actor(described) is not None and not self._civil(described):
            return False  # "Ethiopian state broadcaster EBC": it speaks for what describes it
        generic = [w for w in lower if w not in self.lex.state_roles]
        if not generic:
            return False
        head = name.split(" of ")[0].split()
        if " of " in name and head and head[-1].lower() in self.lex.state_roles:
            return False  # "Ministry of Ports", "Office of the President": a state body
        if lower[-1] in _PLACE_HEADS or (head and head[-1].lower() in _PLACE_HEADS):
            return False  # "the Line of Actual Control (LAC)", "the Demilitarised Zone (DMZ)": a place, no side
        if lower[-1] in ("ministry", "ministries"):
            return False  # "the Agriculture and Fisheries Ministry": only states have ministries
        return not (found and lower[-1] in self.lex.state_roles)

    @cached_property
    def _described_people(self) -> frozenset[str]:
        """The (lower-cased) words of the names the article describes as people's."""
        words = set()
        for e in self.doc.ents:  # any label: the small model calls some names WORK_OF_ART
            if (e.label_ not in _NOT_NAMES or self._named_after_role(e)) and self._described_as_person(e):
                for w in _names(e.text)[0].lower().split():
                    words.update([w, *w.split("-")])  # "al-Khatib" is "Khatib" later
            for w in self._name_after_role_inside(e).lower().split():
                words.update([w, *w.split("-")])
        for name in self._untagged_names():
            titled = name_after_title(name, self.lex.person_roles)  # "Minister Naledi Pandor", untagged
            if titled is not None:
                name = titled
            elif not self._described_as_person(name):  # "Randhir Jaiswal, a spokesman for ...", untagged
                continue
            for w in name.text.lower().split():
                words.update([w, *w.split("-")])
        return frozenset(words)

    def _untagged_names(self) -> list[Span]:
        """Runs of two or more capitalised proper nouns in no entity: names the tagger left out."""
        runs, start = [], None
        for tok in self.doc:
            inside = tok.pos_ == "PROPN" and tok.text[:1].isupper() and not tok.ent_type_
            if inside and start is None:
                start = tok.i
            elif not inside and start is not None:
                if tok.i - start >= 2:
                    runs.append(self.doc[start : tok.i])
                start = None
        return runs

    def _name_after_role_inside(self, ent: Span) -> str:
        """ "The Minister of Foreign Affairs and [the National Community Abroad, Ramtane Lamamra]":
        the small model may tag an office and the name set off after it as one organisation; the
        name after the comma is a person's where a person's role opens the phrase."""
        if ent.label_ in _NOT_NAMES or "," not in ent.text:
            return ""
        tail = ent.text.rsplit(",", 1)[1].split()
        if not 2 <= len(tail) <= 3 or not all(w[:1].isupper() for w in tail):
            return ""
        opening = self.doc[max(ent.sent.start, ent.start - 8) : ent.end]
        return " ".join(tail) if any(t.lower_ in self.lex.person_roles for t in opening) else ""

    def _named_after_role(self, ent: Span) -> bool:
        """ "Eritrea's Minister of Information, Yemane Gebremeskel,": a name set off after a person's
        role is that person's, whatever the tagger called it (here a place)."""
        root = ent.root
        return root.dep_ == "appos" and root.head.i < ent.start and root.head.lower_ in self.lex.person_roles \
            and ent.start > 0 and self.doc[ent.start - 1].text == ","

    def _described_as_person(self, ent: Span) -> bool:
        """Whether the words after a name say it is a person's: ", who ...", ", 44, ...", ", a
        46-year-old fisherman", ", the Taliban's deputy minister" (a person role, an age, or a
        group the gazetteer knows, such as fishermen or farmers, or kin: ", a mother of three")."""
        if self._named_after_role(ent):
            return True
        after = self.doc[ent.end : min(len(self.doc), ent.end + 8)]
        if len(after) < 2 or after[0].text != "," or (ent.start > 0 and self.doc[ent.start - 1].pos_ == "ADP"):
            return False  # not "an executive at Wells Fargo, who ...": the clause is the executive's
        if after[1].lower_ == "who" or (after[1].like_num and len(after) > 2 and after[2].text == ","):
            return True
        if after[1].lower_ == "whose":  # ", whose younger brother is among ..."
            return any(t.lower_ in _KIN for t in after[2:5])
        if after[1].lower_ in self.lex.person_roles and len(after) > 2 and after[2].lower_ == "of":
            return True  # ", head of a rural district"
        if after[1].lower_ not in ("a", "an", "the") and after[1].dep_ != "poss":
            return False
        for tok in after[2:]:
            if tok.text in ",.;:" or tok.lower_ in ("of", "who", "which", "whose"):
                break
            if tok.lower_ in self.lex.person_roles or re.fullmatch(r"\d+-year-old", tok.lower_) \
                    or (tok.pos_ == "NOUN" and self._names_a_group(tok.text)):
                return True
            head = tok.i + 1 == len(self.doc) or self.doc[tok.i + 1].pos_ not in ("NOUN", "PROPN", "PART")
            if head and (tok.lower_ in _KIN or (tok.pos_ == "NOUN" and self._names_a_group(tok.text + "s"))):
                return True  # ", a mother of three", ", a grain trader in ..." (not ", a rebel group")
        return False

    def _names_a_group(self, noun: str) -> bool:
        """Whether a noun names a group the gazetteer knows ("traders")."""
        return self.gaz.kind(self.gaz.actor(noun) or "") == "group"

    def _aliases_beside(self, ent: Span) -> set[str]:
        """ "the Volta Basin Institute (VBI)", "the Rapid Support Forces, or RSF": the
        other name the article gives right after it."""
        doc, out = self.doc, set()
        after = doc[ent.end : min(len(doc), ent.end + 4)]
        texts = [t.text for t in after]
        if len(texts) >= 3 and texts[0] == "(" and texts[2] == ")" and _ACRONYM.match(texts[1]):
            out.add(texts[1])
        if len(texts) >= 3 and texts[0] == "," and texts[1].lower() == "or" and _ACRONYM.match(texts[2]):
            out.add(texts[2])
        return out


_NOT_NAMES = frozenset("GPE NORP LOC DATE TIME CARDINAL ORDINAL QUANTITY MONEY PERCENT".split())
_KIN = frozenset("brother sister son daughter wife husband mother father children child family parents "
                 "uncle aunt cousin grandson granddaughter nephew niece".split())
_NAME_LINKS = frozenset(["of", "for", "and", "the", "de", "del", "la", "le", "du", "al", "el", "&"])


# The last word of a newspaper's name ("The Globe and Mail", "the Nyasa Times"), or "Daily" first
# ("Daily Nation"; not "the Navajo Nation"): one the gazetteer does not list speaks for the press
_OUTLET_HEADS = frozenset({"Times", "Post", "Mail", "Herald", "Tribune", "Gazette", "Journal", "Telegraph",
                           "Guardian", "Observer", "Chronicle", "Express"})


# The titles a government portfolio's name comes before ("Regional Relations and Cooperation
# Minister X"), as a party's do not ("the Tabara Movement spokesman X")
_PORTFOLIO_TITLES = frozenset({"minister", "secretary", "commissioner"})


def _outlet(words: list[str]) -> bool:
    return len(words) >= 2 and (words[-1] in _OUTLET_HEADS or words[0] == "Daily")


def _full_name(tok: Token) -> bool:
    """Whether a token is part of a person's name of two words or more ("Stanley Johnson")."""
    if tok.ent_type_ != "PERSON":
        return False
    start = end = tok.i
    while start > 0 and tok.doc[start - 1].ent_type_ == "PERSON" and tok.doc[start].ent_iob_ != "B":
        start -= 1
    while end + 1 < len(tok.doc) and tok.doc[end + 1].ent_iob_ == "I":
        end += 1
    return end > start


def _names(text: str) -> list[str]:
    """An entity's name, and the acronym it carries: "Volta Basin Institute (VBI" -> both."""
    main, _, rest = text.partition("(")
    names = [_name(main)]
    acronym = rest.strip(" )")
    if _ACRONYM.match(acronym):
        names.append(acronym)
    return names


def _merged_people(ents):
    """Entities with a person's name made whole: the parser splits "Amina Hassan" "Farouk",
    or leaves the surname out of the entity."""
    out = []
    for ent in ents:
        prev = out[-1] if out else None
        if prev is not None and ent.label_ == prev.label_ == "PERSON" and ent.start == prev.end:
            out[-1] = Span(ent.doc, prev.start, ent.end, label="PERSON")
            continue
        if ent.label_ == "PERSON":
            end = ent.end
            while end < len(ent.doc) and ent.doc[end].pos_ == "PROPN" and ent.doc[end].text.istitle() \
                    and not ent.doc[end].ent_type_:
                end += 1
            ent = Span(ent.doc, ent.start, end, label="PERSON") if end > ent.end else ent
        out.append(ent)
    return out


def _name(text: str) -> str:
    """An organisation's name without its article or possessive: "the ELN's" -> "ELN"."""
    text = " ".join(text.replace("’", "'").split())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return re.sub(r"'s?$", "", text)


# Who serve a leader or a body, and speak for its side: "an adviser to the president"
_AIDES = frozenset({"aide", "adviser", "advisor", "counsellor", "counselor", "confidant"})

# Cities that seat international bodies: "told reporters in New York" (a UN spokesman), "said
# in Geneva" (a UN agency), "told a briefing in Vienna" (the IAEA) says nothing of whose official
_INTERNATIONAL_SEATS = frozenset({"New York", "Geneva", "The Hague", "the Hague", "Hague", "Vienna", "Strasbourg"})

# Head nouns of the named places an article may give an acronym: a line, a zone, a dam is no party
_PLACE_HEADS = frozenset("line zone corridor border boundary frontier valley river sea strait straits strip gulf "
                         "bay island islands shoal reef reefs canal lake plateau peninsula desert heights basin "
                         "delta coast dam bridge crossing".split())

_GENERIC_LAST = frozenset("front movement group party army forces force organisation organization "
                          "council association union alliance coalition company corporation".split())


def _same_party(a: str, b: str) -> bool:
    """ "Tabara" and "Tabara Movement"; "RSF" and "Rapid Support Forces" are one party
    when the article says so (see _aliases_beside); here: one name the other without its
    generic last word, or an acronym of the other's initials."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    lw = long_.split()
    if short.split() == lw[:-1] and lw[-1].lower() in _GENERIC_LAST:
        return True
    initials = "".join(w[0] for w in lw if w[:1].isupper())
    return bool(_ACRONYM.match(short)) and short == initials


def _acts(ent: Span) -> bool:
    """Whether an entity is a subject, or names the subject ("the ELN leadership said")."""
    root = ent.root
    if root.dep_ in ("nsubj", "nsubjpass", "agent"):
        return True
    return root.dep_ in ("compound", "poss", "nmod") and root.head.dep_ in ("nsubj", "nsubjpass")


def _for_the_body(mention: Span) -> bool:
    """ "A spokesman for the agency, X": a role held in the body named before, as "its spokesman"."""
    return any(t.lower_ == "for" and any(c.dep_ == "pobj" and c.pos_ == "NOUN" and c.tag_ == "NN"
                                         and any(d.lower_ == "the" for d in c.children) for c in t.children)
               for t in mention)


def _owner(mention: Span) -> str | None:
    """The possessive word that opens a mention, in it or just before it: "its" spokeswoman."""
    if len(mention) and mention[0].dep_ == "poss":
        return mention[0].lower_
    owner = [c.lower_ for c in mention.root.children if c.dep_ == "poss" and c.i < mention.start]
    if owner:
        return owner[0]
    # "an adviser to its president", "an official of their foreign ministry": a role held in the body
    for prep in mention.root.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("to", "of", "for"):
            for obj in prep.children:
                owner = [c.lower_ for c in obj.children if c.dep_ == "poss" and c.lower_ in _POSSESSIVE_BODY]
                if obj.dep_ == "pobj" and owner:
                    return owner[0]
    return None


_NAME_SUFFIXES = frozenset(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"])


def _person_keys(name: str) -> list[str]:
    """The keys a person's side is remembered under: the full name, then the surname
    ("Ferdinand Marcos Jr" -> "marcos")."""
    words = _name(name).split()
    while len(words) > 1 and words[-1].lower() in _NAME_SUFFIXES:
        words = words[:-1]
    return [" ".join(words).lower()] + ([words[-1].lower()] if len(words) > 1 else [])
