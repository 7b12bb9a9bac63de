"""The one inference object: article text in, analysis object (API.md) out.

The CLI, the REST service and the batch scorer are thin adapters around
``Analyzer``; none of them re-implements a step.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from quoteframe.version import __version__
from quoteframe.errors import InputError
from quoteframe.schema import Analysis, Quote

# spaCy's parser needs about 1 GB per 100k characters: long articles are
# parsed in paragraph-aligned chunks of at most this many characters.
CHUNK_CHARS = 20_000
MAX_CHARS = 5_000_000


@dataclass
class AnalyzerConfig:
    """How the Analyzer is built; every field has a working offline default."""

    spacy_model: str | None = field(default=None, metadata={"help": "spaCy pipeline name or path"})
    cue_files: Sequence[str | Path] = field(default=(), metadata={"help": "extra cue TOML files"})
    actor_files: Sequence[str | Path] = field(default=(), metadata={"help": "extra actor gazetteer TOML files"})
    max_chars: int = field(default=MAX_CHARS, metadata={"help": "longest article accepted, in characters"})


class Analyzer:
    """Finds the quotes of an article, their speakers and the sides they speak for.

    >>> analyzer = Analyzer()
    >>> analysis = analyzer.analyze('"We will not move," Polish police said.', id="a1")
    >>> q = analysis.quotes[0]
    >>> (q.text, q.kind, q.speaker.name, q.speaker.actor)
    ('We will not move,', 'direct', 'Polish police', 'Poland')
    """

    def __init__(self, config: AnalyzerConfig | None = None, classifier=None):
        self.config = config or AnalyzerConfig()
        self.classifier = classifier
        self._parts = None

    # -- loading (lazy: constructing an Analyzer loads nothing) ---------------
    def _load(self):
        if self._parts is None:
            from quoteframe.actors import Gazetteer
            from quoteframe.extraction.extractor import Extractor
            from quoteframe.extraction.lexicon import default_lexicon, load_lexicon
            from quoteframe.nlp import load_spacy

            lexicon = load_lexicon(self.config.cue_files) if self.config.cue_files else default_lexicon()
            gazetteer = Gazetteer.load(self.config.actor_files)
            self._parts = (load_spacy(self.config.spacy_model), Extractor(lexicon), lexicon, gazetteer)
        return self._parts

    @property
    def gazetteer(self):
        return self._load()[3]

    def model_info(self) -> dict:
        if self.classifier is not None:
            info = self.classifier.info()  # the full card is GET /v1/model's; an analysis names the model
            return {key: info.get(key) for key in ("name", "version", "labels")}
        return {"name": "quoteframe-extractor", "version": __version__, "labels": []}

    # -- public ---------------------------------------------------------------
    def analyze(self, text: str, id: str | None = None) -> Analysis:
        """The analysis of one article. Raises ``InputError`` for empty or oversized text."""
        return next(self.analyze_many([(id, text)]))

    def analyze_many(self, articles: Iterable[tuple[str | None, str]], batch_size: int = 16) -> Iterator[Analysis]:
        """Analyses of many ``(id, text)`` pairs, parsed in batches, in input order."""
        for analysis, text in self.extract_many(articles, batch_size=batch_size):
            self.label([(analysis, text)])
            yield analysis

    def extract_many(
        self, articles: Iterable[tuple[str | None, str]], batch_size: int = 16
    ) -> Iterator[tuple[Analysis, str]]:
        """``(analysis, text)`` per article with quotes and speakers but no labels yet.

        Servers and batch scorers extract many articles, then label all their
        quotes in one model call with :meth:`label`.
        """
        nlp, extractor, lexicon, gazetteer = self._load()
        for article_id, text in articles:
            self._check(text, article_id)
            quotes: list[Quote] = []
            parties: dict[str, str] = {}
            chunks = list(_chunks(text, CHUNK_CHARS))
            docs = nlp.pipe((c for _, c in chunks), batch_size=batch_size)
            for (offset, _), doc in zip(chunks, docs):
                quotes.extend(self._quotes(doc, offset, text, extractor, lexicon, gazetteer, parties))
            yield Analysis(id=article_id, model=self.model_info(), quotes=quotes, parties=parties,
                           counterparts=_counterparts(quotes, lexicon, gazetteer, parties)), text

    def label(self, items: Sequence[tuple[Analysis, str]]) -> None:
        """Fill frame, target, stance and tag of every quote of ``items`` in shared model calls."""
        if self.classifier is not None:
            self.classifier.label_articles([(analysis.quotes, text, analysis.parties, analysis.counterparts)
                                            for analysis, text in items if analysis.quotes])

    # -- steps ------------------------------------------------------------------
    def _check(self, text, article_id) -> None:
        where = f"article {article_id!r}: " if article_id else ""
        if not isinstance(text, str):
            raise InputError(f"{where}text must be a string, got {type(text).__name__}")
        if not text.strip():
            raise InputError(f"{where}the text is empty; give the article's text")
        if len(text) > self.config.max_chars:
            raise InputError(f"{where}the text has {len(text):,} characters, over the limit of {self.config.max_chars:,}")

    @staticmethod
    def _quotes(doc, offset, text, extractor, lexicon, gazetteer, parties: dict[str, str]) -> list[Quote]:
        from quoteframe.extraction.docview import DocView
        from quoteframe.extraction.reciprocal import split_reciprocal
        from quoteframe.extraction.speakers import SpeakerResolver

        view = DocView(doc)  # entities and token columns, built once for both steps
        raw = split_reciprocal(extractor.extract(doc, view), doc)
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
