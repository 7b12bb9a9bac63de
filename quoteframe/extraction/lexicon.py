"""The cue lexicon: speech verbs, source nouns and friends, read from TOML data."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence

_LIST_KEYS = (
    "speech_verbs", "cognition_verbs", "object_complement_verbs", "audience_verbs", "refusal_verbs",
    "lead_in_words", "quoting_verbs", "object_content_verbs",
    "infinitive_content_verbs", "source_nouns", "document_verbs", "noun_cues", "noun_cue_verbs",
    "evidence_verbs", "role_nouns", "state_roles", "national_roles", "person_roles", "rebuttal_cues", "civil_bodies",
    "stance_nouns", "norm_nouns", "issuing_verbs", "characterising_verbs", "according_phrases", "paraphrase_markers",
)
_SET_KEYS = _LIST_KEYS[:-2]
_PHRASE_KEYS = _LIST_KEYS[-2:]


@dataclass(frozen=True)
class Lexicon:
    """Cue words, as sets, from the bundled ``cues.toml`` plus user files."""

    speech_verbs: frozenset[str]
    cognition_verbs: frozenset[str]
    object_complement_verbs: frozenset[str]
    audience_verbs: frozenset[str]
    refusal_verbs: frozenset[str]
    lead_in_words: frozenset[str]
    quoting_verbs: frozenset[str]
    object_content_verbs: frozenset[str]
    infinitive_content_verbs: frozenset[str]
    source_nouns: frozenset[str]
    document_verbs: frozenset[str]
    noun_cues: frozenset[str]
    noun_cue_verbs: frozenset[str]
    evidence_verbs: frozenset[str]
    role_nouns: frozenset[str]
    state_roles: frozenset[str]
    national_roles: frozenset[str]
    person_roles: frozenset[str]
    rebuttal_cues: frozenset[str]
    civil_bodies: frozenset[str]
    stance_nouns: frozenset[str]
    norm_nouns: frozenset[str]
    issuing_verbs: frozenset[str]
    characterising_verbs: frozenset[str]
    according_phrases: tuple[str, ...]
    paraphrase_markers: tuple[str, ...]
    prepositional_content: dict[str, frozenset[str]] = field(default_factory=dict)
    pronouns: dict[str, frozenset[str]] = field(default_factory=dict)
    include_cognition: bool = True

    @cached_property  # asked once per verb of every article: build the union once
    def cue_verbs(self) -> frozenset[str]:
        if self.include_cognition:
            return self.speech_verbs | self.cognition_verbs
        return self.speech_verbs

    @cached_property
    def phrasal_cues(self) -> dict[str, frozenset[str]]:
        """Cue verbs listed with their particle ("point out"): the verb -> its particles."""
        found: dict[str, set[str]] = {}
        for entry in self.cue_verbs:
            verb, _, particle = entry.partition(" ")
            if particle:
                found.setdefault(verb, set()).add(particle)
        return {verb: frozenset(particles) for verb, particles in found.items()}

    def pronoun_kind(self, word: str) -> str | None:
        """``"person"``, ``"group"`` or ``"thing"`` for a pronoun, else None."""
        low = word.lower()
        for kind, words in self.pronouns.items():
            if low in words:
                return kind
        return None


def _read(path: Path | None) -> dict:
    if path is None:
        return tomllib.loads(resources.files("quoteframe.data").joinpath("cues.toml").read_text("utf-8"))
    try:
        return tomllib.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"cannot read cue file {path}: {err}") from err


def _merge(base: dict, extra: dict, path) -> dict:
    for key, value in extra.items():
        if key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"cue file {path}: '{key}' must be a list of strings")
            base[key] = list(base.get(key, [])) + value
        elif key in ("prepositional_content", "pronouns"):
            merged = dict(base.get(key, {}))
            merged.update(value)
            base[key] = merged
        elif key == "include_cognition":
            base[key] = bool(value)
        else:
            raise ValueError(f"cue file {path}: unknown key '{key}'; known keys: {', '.join(_LIST_KEYS)}")
    return base


def load_lexicon(extra: Sequence[str | Path] = ()) -> Lexicon:
    """The bundled lexicon, extended by the user's TOML files in ``extra``."""
    data = _read(None)
    for path in extra:
        data = _merge(data, _read(Path(path)), path)
    return _build(data)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon()


def _build(data: dict) -> Lexicon:
    sets = {k: frozenset(w.lower() for w in data.get(k, [])) for k in _SET_KEYS}
    # Longest first, so "according to" wins over a shorter phrase inside it.
    phrases = {k: tuple(sorted((w.lower() for w in data.get(k, [])), key=len, reverse=True)) for k in _PHRASE_KEYS}
    return Lexicon(
        **sets,
        **phrases,
        prepositional_content={v: frozenset(p) for v, p in data.get("prepositional_content", {}).items()},
        pronouns={k: frozenset(w.lower() for w in v) for k, v in data.get("pronouns", {}).items()},
        include_cognition=bool(data.get("include_cognition", True)),
    )
