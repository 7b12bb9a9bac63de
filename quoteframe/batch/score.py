"""`quoteframe score`: batch-score an archive, streaming and resumable.

The archive is read as a stream and cut into chunks of articles. Worker
processes parse chunks (spaCy and the quote rules, the slow CPU part) with
:meth:`Analyzer.extract_many <quoteframe.analyzer.Analyzer.extract_many>` while
the main process labels each parsed chunk's quotes in shared, length-sorted
model calls (:meth:`Analyzer.label <quoteframe.analyzer.Analyzer.label>`) and
commits the chunk's rows (see :mod:`quoteframe.batch.output`). The Ray engine
makes the same run (:func:`run_chunks`) of the same two steps,
:func:`extract_chunk` and :func:`finish_chunk`, on its actors.
At most a few chunks are in flight, so memory stays flat however large the
archive; a rerun after a crash skips the chunks already committed.

>>> from quoteframe.batch.score import ScoreConfig
>>> ScoreConfig().chunk_size
128
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import deque
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator

from quoteframe.analyzer import Analyzer, AnalyzerConfig, load_analyzer
from quoteframe.batch.output import RunFolder
from quoteframe.batch.rows import quote_rows
from quoteframe.batch.sources import Archive, Article, open_archive
from quoteframe.errors import InputError
from quoteframe.flags import positive_int
from quoteframe.memory import release_freed_memory

MAX_CHARS = 1_000_000


@dataclass
class ScoreConfig:
    """How an archive is scored; every field has a working default."""

    chunk_size: int = field(default=128, metadata={"help": "articles per committed part (the resume step)",
                                                   "type": positive_int})
    workers: int | None = field(default=None, metadata={"help": "parse processes (default: cores - 1 with the model, all cores without; 0: in this process); with --engine ray: Ray actors (default: one per CPU of the cluster)"})
    batch_size: int = field(default=32, metadata={"help": "quotes per model call", "type": positive_int})
    max_chars: int = field(default=MAX_CHARS, metadata={"help": "longer articles go to the errors file",
                                                        "type": positive_int})
    labels: bool = field(default=True, metadata={"help": "label quotes with the model "
                                                         "(--no-labels: quotes, speakers and actors only)"})
    restart: bool = field(default=False, metadata={"help": "discard an unfinished run's parts and start again"})
    progress: bool = field(default=True, metadata={"help": "show a progress bar on stderr"})


@dataclass
class ScoreSummary:
    """What a run did: counts, time and where it wrote."""

    articles: int
    quotes: int
    errors: int
    seconds: float
    resumed_chunks: int
    output: Path
    errors_file: Path

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def score(input: str | Path, output: str | Path, *, config: ScoreConfig | None = None,
          analyzer: Analyzer | None = None, id_column: str = "id", text_column: str = "text") -> ScoreSummary:
    """Score the archive at ``input`` into ``output`` (.parquet or .jsonl) with ``analyzer`` (from
    :func:`~quoteframe.analyzer.load_analyzer`; ``None``: the default model's); resumes an unfinished run."""
    config = config or ScoreConfig()
    analyzer = prepare(analyzer or load_analyzer(labels=config.labels), config)
    workers = _workers(config)
    _set_threads(workers, config.labels)

    def engine(chunks):
        # once the workers have parsed every chunk, the model has the cores to itself
        idle = _all_threads if config.labels and workers else None
        for index, parsed in _parse(chunks, analyzer, workers, idle):
            yield index, len(parsed), *finish_chunk(analyzer, parsed, labels=config.labels)

    return run_chunks(input, output, config, analyzer, engine, id_column=id_column, text_column=text_column)


def run_chunks(input: str | Path, output: str | Path, config: ScoreConfig, analyzer: Analyzer, engine, *,
               id_column: str = "id", text_column: str = "text") -> ScoreSummary:
    """A run of either engine: the archive read as a stream and cut into chunks of
    ``config.chunk_size`` articles, the chunks an earlier run committed skipped, and what
    ``engine(chunks)`` yields per chunk, ``(index, articles, rows, errors)`` in chunk order,
    committed to the run's parts with a progress bar."""
    archive = open_archive(input, id_column=id_column, text_column=text_column)
    run = RunFolder(Path(output))
    done = run.open(_run_record(archive, config, analyzer.classifier), restart=config.restart)
    started = time.perf_counter()
    counts = _Counts()
    with _progress(archive, config) as bar:
        chunks = _todo(_chunked(archive.articles(), config.chunk_size), done, bar)
        for index, articles, rows, errors in engine(chunks):
            run.commit(index, rows, errors)
            counts.add(articles, len(rows), len(errors))
            bar.update(articles)
            bar.set_postfix(quotes=counts.quotes, errors=counts.errors, refresh=False)
            release_freed_memory()  # the chunk's rows and analyses are gone: hand their pages back
    seconds = time.perf_counter() - started
    run.finish()
    return ScoreSummary(counts.articles, counts.quotes, counts.errors, seconds, len(done), run.output, run.errors)


# -- the stream of chunks -----------------------------------------------------------------------
def _chunked(articles: Iterable[Article], size: int) -> Iterator[tuple[int, list[Article]]]:
    chunk: list[Article] = []
    index = 0
    for article in articles:
        chunk.append(article)
        if len(chunk) == size:
            yield index, chunk
            index, chunk = index + 1, []
    if chunk:
        yield index, chunk


def _todo(chunks, done: set[int], bar) -> Iterator[tuple[int, list[Article]]]:
    """The chunks not yet committed; done ones only move the bar."""
    for index, chunk in chunks:
        if index in done:
            bar.update(len(chunk))
            continue
        yield index, chunk


def _parse(chunks, analyzer: Analyzer, workers: int, idle=None):
    """``(index, [(article, analysis | None, error | None)])`` per chunk, in order; ``idle()`` is
    called once, when the workers have parsed the last chunk and the chunks left are only to be
    handed on."""
    if workers == 0:
        for index, chunk in chunks:
            yield index, extract_chunk(analyzer, chunk)
        return
    context = multiprocessing.get_context("spawn")  # no forked copies of torch's threads
    # each worker builds an Analyzer without the model from the same config (spaCy, cues, gazetteer)
    with context.Pool(workers, initializer=_init_worker, initargs=(analyzer.config,)) as pool:
        pending: deque = deque()
        for index, chunk in chunks:
            pending.append((index, pool.apply_async(_extract_in_worker, (chunk,))))
            if len(pending) > 2 * workers:  # bounded: a few chunks in flight
                index, result = pending.popleft()
                yield index, result.get()
        while pending:
            if idle is not None and all(result.ready() for _, result in pending):
                idle()
                idle = None
            index, result = pending.popleft()
            yield index, result.get()


_ANALYZER = None


def _init_worker(analyzer_config: AnalyzerConfig) -> None:
    global _ANALYZER

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if analyzer_config.spacy_model is None:
        # The bundled pipeline runs thinc's own networks, but thinc imports torch when it is
        # installed: a worker that only parses starts 2.3 s sooner and holds 180 MiB less without
        # it (AMD EPYC, 3.5 -> 1.2 s, 413 -> 233 MiB). Another pipeline (a transformer) may need it.
        sys.modules.setdefault("torch", None)  # None: `import torch` raises ImportError
    _ANALYZER = Analyzer(analyzer_config)


def _extract_in_worker(chunk: list[Article]) -> list[tuple[Article, Any, str | None]]:
    return extract_chunk(_ANALYZER, chunk)


# -- the two steps of a chunk (the Ray engine runs them too) --------------------------------------
def prepare(analyzer: Analyzer, config: ScoreConfig) -> Analyzer:
    """``analyzer`` set up for a run of ``config``: its article length limit and model batch size."""
    analyzer.config = replace(analyzer.config, max_chars=config.max_chars)
    if analyzer.classifier is not None:
        analyzer.classifier.batch_size = config.batch_size
    return analyzer


def extract_chunk(analyzer: Analyzer, chunk: list[Article]) -> list[tuple[Article, Any, str | None]]:
    """Quotes and speakers of each article of a chunk (no labels yet); a bad article gets its
    reason instead of an analysis. The readable articles are parsed in batches (spaCy's networks
    run faster on more text at once); one article's error stays its own."""
    readable = [article for article in chunk if article.error is None]
    outcomes = analyzer.extract_outcomes((article.id, article.text) for article in readable)
    found = {id(article): outcome for article, (_, _, outcome) in zip(readable, outcomes)}
    out = []
    for article in chunk:
        outcome = found.get(id(article))
        if article.error is not None:
            out.append((article, None, article.error))
        elif isinstance(outcome, InputError):
            out.append((article, None, str(outcome).removeprefix(f"article {article.id!r}: ")))
        elif isinstance(outcome, Exception):  # one article's bug must not end a run over millions
            out.append((article, None, f"internal error ({type(outcome).__name__}: {outcome}); please report it"))
        else:
            out.append((article, outcome, None))
    return out


def finish_chunk(analyzer: Analyzer, parsed, labels: bool = True) -> tuple[list[dict], list[dict]]:
    """Label the quotes of a chunk that :func:`extract_chunk` parsed, in shared model calls
    (unless ``labels`` is false); the chunk's rows and its error records."""
    good = [(article, analysis) for article, analysis, error in parsed if error is None]
    if labels:
        analyzer.label([(analysis, article.text) for article, analysis in good])
    rows = [row for article, analysis in good for row in quote_rows(analysis, article.meta, article.text)]
    errors = [{"article_id": a.id, "position": a.position, "reason": e} for a, _, e in parsed if e is not None]
    return rows, errors


# -- set-up ----------------------------------------------------------------------------------------
def _workers(config: ScoreConfig) -> int:
    if config.workers is not None:
        if config.workers < 0:
            raise InputError(f"--workers must be 0 or more, got {config.workers}")
        return config.workers
    cores = os.cpu_count() or 1
    return max(0, cores - 1) if config.labels else (cores if cores > 1 else 0)


def _set_threads(workers: int, labels: bool) -> None:
    """The model gets the cores the parse workers leave free."""
    if labels:
        import torch

        torch.set_num_threads(max(1, (os.cpu_count() or 1) - workers))


def _all_threads() -> None:
    import torch

    torch.set_num_threads(os.cpu_count() or 1)


def _run_record(archive: Archive, config: ScoreConfig, classifier) -> dict[str, Any]:
    model = None
    if config.labels and classifier is not None:
        info = classifier.info()
        # the number format too: a resumed run labels its remaining chunks as it labelled the first ones
        model = f"{info.get('name')} {info.get('version')} ({classifier.folder.resolve()}) {classifier.precision}"
    return {"input": archive.fingerprint(), "chunk_size": config.chunk_size, "max_chars": config.max_chars,
            "model": model}


class _Counts:
    def __init__(self):
        self.articles = self.quotes = self.errors = 0

    def add(self, articles: int, quotes: int, errors: int) -> None:
        self.articles += articles
        self.quotes += quotes
        self.errors += errors


def _progress(archive: Archive, config: ScoreConfig):
    from tqdm import tqdm

    return tqdm(total=archive.total, unit=" articles", desc="scoring", disable=not config.progress,
                file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
