"""The one inference object: article text in, analysis object (API.md) out.

The CLI, the REST service and the batch scorer (local and Ray) are thin
adapters around ``Analyzer``, and all get theirs from :func:`load_analyzer`;
none re-implements a step. As AllenNLP's ``Predictor`` turns one call into
batches, :meth:`Analyzer.analyze_many` extracts a chunk of articles, then
labels all their quotes in shared, length-grouped model calls.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from quoteframe.errors import InputError, ModelError
from quoteframe.version import __version__
from quoteframe.schema import Analysis, Quote

# spaCy's parser needs about 1 GB per 100k characters: long articles are
# parsed in paragraph-aligned chunks of at most this many characters.
CHUNK_CHARS = 20_000
MAX_CHARS = 5_000_000
# articles extracted before their quotes are labelled together: quotes of many articles share
# forward passes, and a chunk's parses and analyses are all that is held at once
LABEL_CHUNK = 32
# Articles parsed together. spaCy's networks run faster on more text at once: 8 articles of ~600
# words took 10% less CPU an article than one at a time, with ~60 MiB more peak memory (16: no
# faster, twice the memory).
PARSE_BATCH = 8


@dataclass
class AnalyzerConfig:
    """How the Analyzer is built; every field has a working offline default."""

    spacy_model: str | None = field(default=None, metadata={"help": "spaCy pipeline name or path"})
    cue_files: Sequence[str | Path] = field(default=(), metadata={"help": "extra cue TOML files"})
    actor_files: Sequence[str | Path] = field(default=(), metadata={"help": "extra actor gazetteer TOML files"})
    max_chars: int = field(default=MAX_CHARS, metadata={"help": "longest article accepted, in characters"})
    full_parse: bool = field(default=False, metadata={
        "help": "tag and parse every paragraph (default: only those that can hold a quote; see nlp.SelectiveParser)"})


class Analyzer:
    """Finds the quotes of an article, their speakers and the sides they speak for.

    >>> analyzer = Analyzer()
    >>> analysis = analyzer.analyze('"We will not move," Polish police said.', id="a1")
    >>> q = analysis.quotes[0]
    >>> (q.text, q.kind, q.speaker.name, q.speaker.actor)
    ('We will not move,', 'direct', 'Polish police', 'Poland')
    """

    def __init__(self, config: AnalyzerConfig | None = None, classifier=None, gazetteer=None):
        self.config = config or AnalyzerConfig()
        self.classifier = classifier
        self._gazetteer = gazetteer  # the one built for config.actor_files, when the loader has it already
        self._parts = None

    # -- loading (lazy: constructing an Analyzer loads nothing) ---------------
    def _load(self):
        if self._parts is None:
            from quoteframe.actors import Gazetteer
            from quoteframe.extraction.extractor import Extractor
            from quoteframe.extraction.lexicon import default_lexicon, load_lexicon
            from quoteframe.nlp import SelectiveParser, load_spacy

            lexicon = load_lexicon(self.config.cue_files) if self.config.cue_files else default_lexicon()
            gazetteer = self._gazetteer or Gazetteer.load(self.config.actor_files)
            nlp = load_spacy(self.config.spacy_model)
            parser = nlp if self.config.full_parse else SelectiveParser(nlp, lexicon)
            self._parts = (parser, Extractor(lexicon), lexicon, gazetteer)
        return self._parts

    @property
    def gazetteer(self):
        return self._load()[3]

    def model_info(self) -> dict:
        if self.classifier is not None:
            info = self.classifier.info()  # the full card is GET /v1/model's; an analysis names the model
            return {key: info.get(key) for key in ("name", "version", "labels", "precision")}
        return {"name": "quoteframe-extractor", "version": __version__, "labels": [], "precision": None}

    def model_card(self) -> dict:
        """The model card (``GET /v1/model``): the classifier's own, else what the Analyzer says of itself."""
        return self.classifier.info() if self.classifier is not None else self.model_info()

    # -- public ---------------------------------------------------------------
    def analyze(self, text: str, id: str | None = None) -> Analysis:
        """The analysis of one article. Raises ``InputError`` for empty or oversized text."""
        return next(self.analyze_many([(id, text)]))

    def analyze_many(self, articles: Iterable[tuple[str | None, str]], batch_size: int = PARSE_BATCH,
                     chunk_size: int = LABEL_CHUNK) -> Iterator[Analysis]:
        """Analyses of many ``(id, text)`` pairs, in input order: each chunk of ``chunk_size``
        articles is parsed in batches of ``batch_size``, then all its quotes are labelled in
        shared model calls. Raises ``InputError`` for an article :meth:`check` refuses.

        >>> [a.id for a in Analyzer().analyze_many([("a", '"Yes," she said.'), ("b", "No quotes.")])]
        ['a', 'b']
        """
        articles = iter(articles)
        while chunk := list(itertools.islice(articles, chunk_size)):
            items = list(self.extract_many(chunk, batch_size=batch_size))
            self.label(items)
            yield from (analysis for analysis, _ in items)

    def extract_many(
        self, articles: Iterable[tuple[str | None, str]], batch_size: int = PARSE_BATCH
    ) -> Iterator[tuple[Analysis, str]]:
        """``(analysis, text)`` per article with quotes and speakers but no labels yet.

        Servers and batch scorers extract many articles, then label all their
        quotes in one model call with :meth:`label`.
        """
        for _, text, outcome in self.extract_outcomes(articles, batch_size=batch_size):
            if isinstance(outcome, Exception):
                raise outcome
            yield outcome, text

    def extract_outcomes(
        self, articles: Iterable[tuple[str | None, str]], batch_size: int = PARSE_BATCH
    ) -> Iterator[tuple[str | None, str, Analysis | Exception]]:
        """``(id, text, analysis or the error it raised)`` per article, in input order.

        The articles of a batch are parsed together (spaCy runs its networks on larger
        matrices); one article's error, bad input or a bug, is its own and the others go on.
        """
        parser, extractor, lexicon, gazetteer = self._load()
        articles = iter(articles)
        while batch := list(itertools.islice(articles, batch_size)):
            problems = [self._problem(text, article_id) for article_id, text in batch]
            pieces = [(n, offset, chunk) for n, ((_, text), problem) in enumerate(zip(batch, problems))
                      if problem is None for offset, chunk in _chunks(text, CHUNK_CHARS)]
            docs: dict[int, list] = {}
            for (n, offset, _), doc in zip(pieces, parser.pipe((c for *_, c in pieces), batch_size=batch_size)):
                docs.setdefault(n, []).append((offset, doc))
            for n, ((article_id, text), problem) in enumerate(zip(batch, problems)):
                if problem is None:
                    try:
                        problem = self._analysis(article_id, text, docs[n], extractor, lexicon, gazetteer)
                    except Exception as err:  # noqa: BLE001 - handed to the caller, with its article
                        problem = err
                yield article_id, text, problem

    def _analysis(self, article_id, text, docs, extractor, lexicon, gazetteer) -> Analysis:
        quotes: list[Quote] = []
        parties: dict[str, str] = {}
        for offset, doc in docs:
            quotes.extend(self._quotes(doc, offset, text, extractor, lexicon, gazetteer, parties))
        return Analysis(id=article_id, model=self.model_info(), quotes=quotes, parties=parties,
                        counterparts=_counterparts(quotes, lexicon, gazetteer, parties))

    def label(self, items: Sequence[tuple[Analysis, str]]) -> None:
        """Fill frame, target, stance and tag of every quote of ``items`` (:meth:`extract_many`'s
        pairs), in shared model calls of quotes of like length; nothing without a classifier."""
        items = [(analysis, text) for analysis, text in items if analysis.quotes]
        if self.classifier is None or not items:
            return
        records = self.classifier.article_records(
            [(analysis.quotes, text, analysis.parties, analysis.counterparts) for analysis, text in items])
        quotes = [q for analysis, _ in items for q in analysis.quotes]
        for quote, labels in zip(quotes, self.classifier.classify(records), strict=True):
            for key, value in labels.items():
                setattr(quote, key, value)

    def classify(self, records: Sequence[dict]) -> list[dict[str, Any]]:
        """Frame, target, stance and tag of already-extracted quotes (LABELS.md records)."""
        if self.classifier is None:
            raise ModelError("this Analyzer has no frame classifier; load one with load_analyzer(model)")
        return self.classifier.classify(records)

    def check(self, text, article_id: str | None = None) -> None:
        """Raises ``InputError`` for text the Analyzer refuses: not a string, empty, over ``max_chars``."""
        where = f"article {article_id!r}: " if article_id else ""
        if not isinstance(text, str):
            raise InputError(f"{where}text must be a string, got {type(text).__name__}")
        if not text.strip():
            raise InputError(f"{where}the text is empty; give the article's text")
        if len(text) > self.config.max_chars:
            raise InputError(f"{where}the text has {len(text):,} characters, over the limit of {self.config.max_chars:,}")

    def _problem(self, text, article_id) -> InputError | None:
        try:
            self.check(text, article_id)
        except InputError as err:
            return err
        return None

    # -- steps ------------------------------------------------------------------
    @staticmethod
    def _quotes(doc, offset, text, extractor, lexicon, gazetteer, parties: dict[str, str]) -> list[Quote]:
        from quoteframe.extraction.docview import DocView, whole_person_names
        from quoteframe.extraction.reciprocal import split_reciprocal
        from quoteframe.extraction.speakers import SpeakerResolver

        whole_person_names(doc, lexicon.role_nouns, lexicon.person_roles, gazetteer)
        view = DocView(doc)  # entities and token columns, built once for both steps
        raw = split_reciprocal(extractor.extract(doc, view), doc, gazetteer)
        resolver = SpeakerResolver(doc, gazetteer, lexicon, view)
        speakers = resolver.resolve(raw)
        parties.update(resolver.sides.parties)
        quotes = []
        for r, speaker in zip(raw, speakers):
            start, end = r.start + offset, r.end + offset
            if speaker.start is not None:
                speaker.start += offset
                speaker.end += offset
            cue = text[r.cue[0] + offset : r.cue[1] + offset] if r.cue else None
            quotes.append(Quote(text=text[start:end], start=start, end=end, kind=r.kind, cue=cue, speaker=speaker))
        return quotes


def load_analyzer(model: str | Path | None = None, *, config: AnalyzerConfig | None = None, labels: bool = True,
                  precision: str = "auto", int8: bool | None = None, device: str | None = None) -> Analyzer:
    """The Analyzer of a model folder: how the CLI, the REST service and both batch engines load one.

    One rule for the model: ``model`` is a folder written by ``quoteframe train`` (``None``: the
    default model), and a model that is missing or cannot be loaded raises ``ModelFolderError``
    naming the fix (QF-E102: the default model is not built yet). ``labels=False`` loads no model
    (quotes, speakers and sides only). ``config`` sets spaCy, cue files, ``max_chars`` and the
    user's extra actor files: the gazetteer is the bundled one, then the model folder's own files
    (those it was trained with), then ``config.actor_files``. ``precision`` is the classifier's
    number format (:mod:`quoteframe.precision`; ``int8=True/False`` is its older spelling).

    >>> analyzer = load_analyzer(labels=False)
    >>> analyzer.analyze('"We stay," Polish police said.').quotes[0].speaker.actor
    'Poland'
    """
    config = config or AnalyzerConfig()
    if not labels:
        return Analyzer(config)
    from quoteframe.classifier import Classifier

    classifier = Classifier.load(model, actors=config.actor_files, precision=precision, int8=int8, device=device)
    files = list(dict.fromkeys([*classifier.actor_files, *map(Path, config.actor_files)]))
    return Analyzer(replace(config, actor_files=files), classifier=classifier, gazetteer=classifier.gazetteer)


def _counterparts(quotes: list[Quote], lexicon=None, gazetteer=None, parties=None) -> dict[int, str]:
    """Quote index -> the party a quote answers, which is its target (LABELS.md):

    * the other side of a reciprocal accusation: two neighbours with one span and one cue,
      said by different sides ("X and Y accused each other of Z");
    * the accuser of a rebuttal ("rejected Algeria's allegation that ..."; a cue word of
      ``rebuttal_cues`` in cues.toml): the party named in the cue, or "" when it names none
      (the classifier then takes the speaker's adversary in the article).
    """
    out: dict[int, str] = {}
    for i in range(len(quotes) - 1):
        a, b = quotes[i], quotes[i + 1]
        if (a.start, a.end, a.cue) == (b.start, b.end, b.cue) and a.speaker.actor and b.speaker.actor \
                and a.speaker.actor != b.speaker.actor:
            out[i], out[i + 1] = b.speaker.actor, a.speaker.actor
    rebuttals = lexicon.rebuttal_cues if lexicon is not None else frozenset()
    for i, q in enumerate(quotes):
        words = (q.cue or "").lower().split()
        if i in out or not words or words[0] not in rebuttals:
            continue
        named = [m.actor for m in gazetteer.find(q.cue)] if gazetteer is not None else []
        named += [party for alias, party in (parties or {}).items() if alias in q.cue]
        out[i] = next((actor for actor in named if actor != q.speaker.actor), "")
    return out


_BREAK = re.compile(r"\n")


def _chunks(text: str, size: int) -> Iterator[tuple[int, str]]:
    """Paragraph-aligned pieces of ``text`` of at most ``size`` characters (offset, piece)."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut < 0:
                cut = text.rfind(". ", start + size // 2, end)
                cut = cut + 1 if cut >= 0 else end
            end = cut
        yield start, text[start:end]
        start = end
