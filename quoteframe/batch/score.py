"""`quoteframe score`: batch-score an archive, streaming and resumable.

The archive is read as a stream and cut into chunks of articles. Worker
processes parse chunks (spaCy and the quote rules, the slow CPU part) while
the main process labels each parsed chunk's quotes in shared, length-sorted
model calls and commits the chunk's rows (see :mod:`quoteframe.batch.output`).
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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from quoteframe.analyzer import AnalyzerConfig
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
          analyzer_config: AnalyzerConfig | None = None, classifier=None,
          id_column: str = "id", text_column: str = "text") -> ScoreSummary:
    """Score the archive at ``input`` into ``output`` (.parquet or .jsonl); resumes an unfinished run."""
    config = config or ScoreConfig()
    analyzer_config = analyzer_config or AnalyzerConfig()
    analyzer_config.max_chars = config.max_chars
    archive = open_archive(input, id_column=id_column, text_column=text_column)
    run = RunFolder(Path(output))
    done = run.open(_run_record(archive, config, classifier), restart=config.restart)
    started = time.perf_counter()
    counts = _Counts()
    workers = _workers(config)
    _set_threads(workers, config.labels)
    with _progress(archive, config) as bar:
        chunks = _todo(_chunked(archive.articles(), config.chunk_size), done, bar)
        for index, parsed in _parse(chunks, analyzer_config, workers):
            rows, errors = _finish_chunk(parsed, classifier if config.labels else None)
            run.commit(index, rows, errors)
            counts.add(len(parsed), len(rows), len(errors))
            bar.update(len(parsed))
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


def _parse(chunks, analyzer_config: AnalyzerConfig, workers: int):
    """``(index, [(article, analysis | None, error | None)])`` per chunk, in order."""
    if workers == 0:
        _init_worker(analyzer_config)
        for index, chunk in chunks:
            yield index, _extract_chunk(chunk)
        return
    context = multiprocessing.get_context("spawn")  # no forked copies of torch's threads
    with context.Pool(workers, initializer=_init_worker, initargs=(analyzer_config,)) as pool:
        pending: deque = deque()
        for index, chunk in chunks:
            pending.append((index, pool.apply_async(_extract_chunk, (chunk,))))
            if len(pending) > 2 * workers:  # bounded: a few chunks in flight
                index, result = pending.popleft()
                yield index, result.get()
        while pending:
            index, result = pending.popleft()
            yield index, result.get()


_ANALYZER = None


def _init_worker(analyzer_config: AnalyzerConfig) -> None:
    global _ANALYZER
    from quoteframe.analyzer import Analyzer

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _ANALYZER = Analyzer(analyzer_config)


def _extract_chunk(chunk: list[Article]) -> list[tuple[Article, Any, str | None]]:
    """Quotes and speakers of each article of a chunk; a bad article gets its reason instead."""
    out = []
    for article in chunk:
        if article.error is not None:
            out.append((article, None, article.error))
            continue
        try:
            analysis, _ = next(_ANALYZER.extract_many([(article.id, article.text)]))
        except InputError as err:
            out.append((article, None, str(err).removeprefix(f"article {article.id!r}: ")))
        except Exception as err:  # noqa: BLE001 - one article's bug must not end a run over millions
            out.append((article, None, f"internal error ({type(err).__name__}: {err}); please report it"))
        else:
            out.append((article, analysis, None))
    return out


def _finish_chunk(parsed, classifier) -> tuple[list[dict], list[dict]]:
    """Label the chunk's quotes in shared model calls; its rows and its error records."""
    good = [(article, analysis) for article, analysis, error in parsed if error is None]
    if classifier is not None and good:
        classifier.label_articles([(analysis.quotes, article.text, analysis.parties, analysis.counterparts)
                                   for article, analysis in good if analysis.quotes])
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


def _run_record(archive: Archive, config: ScoreConfig, classifier) -> dict[str, Any]:
    model = None
    if config.labels and classifier is not None:
        info = classifier.info()
        model = f"{info.get('name')} {info.get('version')} ({classifier.folder.resolve()})"
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
