"""The one Analyzer of the process, with the threads and fair micro-batchers that share it.

Every article of a request is a work item of its own: spaCy extraction
takes articles one at a time, round-robin across requests (``extract_workers``
threads); every model call (labelling the quotes of an extracted article,
classifying quotes) runs on one model thread, in forward passes shared by
concurrent requests, again round-robin. So a small request waits for at most
one article (or one pass) of each other request ahead of it, never for a
whole batch. A request that times out or whose client leaves takes its
waiting items out of the queues. The event loop never runs model code.
"""
from __future__ import annotations

import asyncio
import logging
import math
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import replace
from functools import partial
from typing import Any, Callable, Sequence

from quoteframe.analyzer import Analyzer, AnalyzerConfig, load_analyzer
from quoteframe.errors import ModelError
from quoteframe.schema import Analysis
from service.batcher import MicroBatcher, Owner
from service.errors import NoClassifier, NotReady, Overloaded
from service.metrics import Metrics
from service.settings import Settings, cores

log = logging.getLogger("quoteframe.service")

WARM_UP_TEXT = "“We are ready,” the minister said."
MAX_ITEM_TOKENS = 512
# Extraction speed assumed until the first article is measured (2 cores, 2026-12).
FIRST_GUESS_CHARS_PER_S = 20_000.0


def load(settings: Settings, path: str | None) -> Analyzer:
    """The Analyzer of the model folder ``path`` (``None``: the default model) as the service runs it,
    by :func:`quoteframe.analyzer.load_analyzer`'s one rule: a model that is missing or cannot be
    loaded is a ``ModelError`` (the start-up stops; a reload answers 422 and keeps the old model)."""
    config = AnalyzerConfig(spacy_model=settings.spacy_model, max_chars=settings.max_article_chars)
    return load_analyzer(path, config=config, precision=settings.model_precision)


def estimate_tokens(text: str | None) -> int:
    """A cheap upper-bound guess of a text's length in model tokens (about 4 characters a token)."""
    return min(MAX_ITEM_TOKENS, len(text or "") // 4 + 2)


class Engine:
    """Answers the routes' questions with the one Analyzer; built and started in the app's lifespan."""

    def __init__(
        self,
        settings: Settings,
        metrics: Metrics,
        analyzer: Analyzer | None = None,
        analyzer_loader: Callable[[str | None], Analyzer] | None = None,
    ):
        self.settings, self.metrics = settings, metrics
        self.analyzer = analyzer
        self.model_path = settings.model
        self.analyzer_loader = analyzer_loader or partial(load, settings)
        self.ready = False
        self._in_flight = 0  # analyze and classify requests being answered
        self._chars_per_s = FIRST_GUESS_CHARS_PER_S
        self._cores = cores()
        self._extract_pool = ThreadPoolExecutor(settings.extract_workers, thread_name_prefix="quoteframe-extract")
        self._model_pool = ThreadPoolExecutor(1, thread_name_prefix="quoteframe-model")
        self._reload_lock = asyncio.Lock()
        # One article a call: a call of many would make every other request wait for all of them.
        self._extractor = MicroBatcher(self._extract, _article_cost, self._extract_pool, max_wait=0, max_items=1,
                                       workers=settings.extract_workers,
                                       on_abandon=lambda n: metrics.abandoned.labels("extract").inc(n))
        self._labeller = self._batcher(self._label, _analysis_cost, "label")
        self._classifier = self._batcher(self._classify, _record_cost, "classify")
        self._watch_queues()

    def _batcher(self, run, cost, step: str) -> MicroBatcher:
        s = self.settings
        return MicroBatcher(run, cost, self._model_pool, max_wait=s.batch_wait_ms / 1000, budget=s.batch_token_budget,
                            on_batch=lambda n: self.metrics.forward_items.labels(step).observe(n),
                            on_abandon=lambda n: self.metrics.abandoned.labels(step).inc(n))

    def _watch_queues(self) -> None:
        for step, batcher in (("extract", self._extractor), ("label", self._labeller), ("classify", self._classifier)):
            self.metrics.queued.labels(step).set_function(lambda b=batcher: b.waiting)
        self.metrics.queued_chars.set_function(lambda: self._extractor.waiting_cost)

    # -- life ------------------------------------------------------------------------
    async def start(self) -> None:
        """Load the model (unless given one) and warm it up, off the event loop."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._model_pool, _set_torch_threads, self.settings.torch_threads)
        if self.analyzer is None:
            self.analyzer = await loop.run_in_executor(self._model_pool, self._build, self.model_path)
        else:
            await loop.run_in_executor(self._model_pool, _warm_up, self.analyzer)
        for batcher in (self._extractor, self._labeller, self._classifier):
            batcher.start()
        self.ready = True
        info = self.analyzer.model_info()
        log.info("model ready: %s %s (%d labels)", info.get("name"), info.get("version"), len(info.get("labels") or []))

    async def stop(self) -> None:
        self.ready = False
        for batcher in (self._extractor, self._labeller, self._classifier):
            await batcher.stop()
        self._extract_pool.shutdown(wait=False, cancel_futures=True)
        self._model_pool.shutdown(wait=False, cancel_futures=True)

    def _build(self, path: str | None) -> Analyzer:
        analyzer = self.analyzer_loader(path)
        _warm_up(analyzer)
        return analyzer

    # -- what the routes ask -------------------------------------------------------------
    def current(self) -> Analyzer:
        if not self.ready or self.analyzer is None:
            raise NotReady("the model is not loaded yet; retry when GET /readyz answers 200")
        return self.analyzer

    def info(self) -> dict[str, Any]:
        """The model card: the classifier's own, else what the Analyzer says of itself."""
        return self.current().model_card()

    def labels(self) -> list[str]:
        return list(self.info().get("labels") or [])

    def stances(self) -> list[str]:
        return list(self.info().get("stances") or [])

    def require_classifier(self):
        classifier = self.current().classifier
        if classifier is None:
            raise NoClassifier("this server runs without a frame classifier (no model folder was found); "
                               "start it with --model DIR or build the default model with quoteframe train")
        return classifier

    def overloaded(self, chars: int = 0) -> str | None:
        """Why a request of ``chars`` characters of articles would be refused now, or ``None``."""
        s = self.settings
        if self._in_flight >= s.max_pending:
            return f"{self._in_flight} requests are already being answered (max_pending {s.max_pending})"
        waiting = self._extractor.waiting_cost
        if waiting + chars > s.max_queued_chars:
            return (f"{waiting:,} characters of articles are already waiting for analysis, and this request "
                    f"adds {chars:,} (max_queued_chars {s.max_queued_chars:,})")
        return None

    def retry_after(self) -> int:
        """Seconds until the articles waiting now are likely extracted (at the measured speed)."""
        seconds = self._extractor.waiting_cost / self._chars_per_s
        return max(1, min(math.ceil(seconds), math.ceil(self.settings.request_timeout_s)))

    async def analyze(self, articles: Sequence[tuple[str | None, str]]) -> list[Analysis]:
        """Analyses of ``(id, text)`` articles, each extracted and labelled as a work item of its own."""
        self.current()
        owner = Owner()  # this request: its items take turns with other requests' items
        async with self._admitted(sum(len(text) for _, text in articles)):
            return await _all([self._analyze_one(article, owner) for article in articles])

    async def classify(self, records: Sequence[dict]) -> list[dict]:
        self.require_classifier()
        async with self._admitted(0):
            return await self._classifier.submit(list(records))

    async def reload(self, path: str | None) -> dict[str, Any]:
        """Load ``path`` beside the serving model, then swap: requests in flight finish on the old one.

        Whatever goes wrong (no folder, no classifier in it, weights torch
        refuses) is a ``ModelError``, and the serving model stays.
        """
        self.current()
        async with self._reload_lock:
            target = path if path is not None else self.model_path
            loop = asyncio.get_running_loop()
            with ThreadPoolExecutor(1, thread_name_prefix="quoteframe-reload") as pool:
                analyzer = await loop.run_in_executor(pool, self._build_for_reload, target)
            self.analyzer, self.model_path = analyzer, target
        info = analyzer.model_info()
        log.info("model reloaded: %s %s from %s", info.get("name"), info.get("version"), target or "the default folder")
        return self.info()

    def _build_for_reload(self, path: str | None) -> Analyzer:
        where = path or "the default model folder"
        try:
            analyzer = self._build(path)
        except ModelError:
            raise
        except Exception as err:  # torch's UnpicklingError, a truncated safetensors file, a bad config.json ...
            log.warning("reload of %s failed", where, exc_info=True)
            raise ModelError(f"{where}: cannot load the model ({type(err).__name__}: {_first_line(err)}); "
                             "give a folder written by quoteframe train; the model in service stays") from None
        if analyzer.classifier is None:
            raise ModelError(f"{where}: no frame classifier there; give a folder written by quoteframe train "
                             "(or build the default one with quoteframe train --default); the model in service stays")
        return analyzer

    # -- steps ----------------------------------------------------------------------------
    @asynccontextmanager
    async def _admitted(self, chars: int):
        why = self.overloaded(chars)
        if why is not None:
            wait = self.retry_after()
            raise Overloaded(f"the server is busy: {why}; retry in {wait} s", retry_after=wait)
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1

    async def _analyze_one(self, article: tuple[str | None, str], owner: Owner) -> Analysis:
        (pair,) = await self._extractor.submit([article], owner)
        analysis, text = pair
        if analysis.quotes:
            pieces = _label_pieces(analysis, text, self.settings.batch_token_budget)
            models = await self._labeller.submit(pieces, owner)
            if any(m != models[-1] for m in models):  # a reload swapped the model between pieces: once more
                models = await self._labeller.submit(pieces, owner)
            analysis.model = models[-1]
        return analysis

    def _extract(self, articles: list[tuple[str | None, str]]) -> list[tuple[Analysis, str]]:
        started = time.perf_counter()
        pairs = list(self.current().extract_many(articles))
        chars, seconds = sum(len(text) for _, text in articles), time.perf_counter() - started
        if chars >= 1000 and seconds > 0:  # short texts measure overhead, not speed
            self._chars_per_s = 0.8 * self._chars_per_s + 0.2 * chars / seconds
        return pairs

    def _pass_threads(self) -> None:
        """Every core for this forward pass while no article is being parsed or waits to be (one
        client: its article is parsed, then labelled); else the cores extraction leaves
        (``torch_threads``). A ``torch_threads`` the operator set is kept as set."""
        if "torch_threads" not in self.settings.model_fields_set:
            _set_torch_threads(self._cores if self._extractor.idle else self.settings.torch_threads)

    def _label(self, items: list[tuple[Analysis, str]]) -> list[dict[str, Any]]:
        """Label the quotes of ``items`` in place; the model that did, once per item."""
        self._pass_threads()
        analyzer = self.analyzer  # the model of this pass, even if a reload swaps it meanwhile
        analyzer.label(items)
        return [analyzer.model_info()] * len(items)

    def _classify(self, records: list[dict]) -> list[dict]:
        self._pass_threads()
        analyzer = self.analyzer
        if analyzer.classifier is None:  # swapped for a model-less analyzer while waiting
            raise NoClassifier("the frame classifier was unloaded by a reload; retry")
        return analyzer.classify(records)


async def _all(coroutines: list) -> list:
    """``asyncio.gather``, but the first failure (or a cancel) cancels the others: their work is of no use."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        return await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:200] if text else "no message"


def _article_cost(article: tuple[str | None, str]) -> int:
    return len(article[1])


def _quote_cost(quote) -> int:
    return estimate_tokens(quote.text) + 32  # 32: the context around the quote


def _analysis_cost(item: tuple[Analysis, str]) -> int:
    return sum(_quote_cost(q) for q in item[0].quotes)


def _label_pieces(analysis: Analysis, text: str, budget: int) -> list[tuple[Analysis, str]]:
    """The article's quotes in pieces of at most ``budget`` estimated tokens, each a labelling job of its own.

    A long article's quotes then take turns with other requests' instead of
    holding the model for seconds. Each piece shares the article's parties and
    Quote objects (labelled in place); its counterparts are renumbered to its
    own quotes, so each quote is labelled exactly as in one call for the whole article.
    """
    pieces, start, cost = [], 0, 0
    for i, quote in enumerate(analysis.quotes):
        if i > start and cost + _quote_cost(quote) > budget:
            pieces.append((start, i))
            start, cost = i, 0
        cost += _quote_cost(quote)
    pieces.append((start, len(analysis.quotes)))
    return [(replace(analysis, quotes=analysis.quotes[a:b],
                     counterparts={i - a: party for i, party in analysis.counterparts.items() if a <= i < b}), text)
            for a, b in pieces]


def _record_cost(record: dict) -> int:
    return min(MAX_ITEM_TOKENS, estimate_tokens(record.get("text")) + estimate_tokens(record.get("context")))


def _warm_up(analyzer: Analyzer) -> None:
    """Load spaCy, the gazetteer and the classifier now, so the first request is not the slow one."""
    analyzer.analyze(WARM_UP_TEXT, id="warm-up")


def _set_torch_threads(n: int) -> None:
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency
        return
    torch.set_num_threads(n)
