"""The one Analyzer of the process, with the threads and micro-batchers that share it.

spaCy extraction runs in a small thread pool; every model call (labelling
the quotes of analysed articles, classifying quotes) runs on one model
thread, in forward passes shared by concurrent requests. The event loop
never runs model code.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, Callable, Sequence

from quoteframe.analyzer import Analyzer, AnalyzerConfig, load_analyzer
from quoteframe.schema import Analysis
from service.batcher import MicroBatcher
from service.errors import NoClassifier, NotReady, Overloaded
from service.metrics import Metrics
from service.settings import Settings

log = logging.getLogger("quoteframe.service")

WARM_UP_TEXT = "“We are ready,” the minister said."
MAX_ITEM_TOKENS = 512


def load(settings: Settings, path: str | None) -> Analyzer:
    """The Analyzer of the model folder ``path`` (``None``: the default model) as the service runs it,
    by :func:`quoteframe.analyzer.load_analyzer`'s one rule: a model that is missing or cannot be
    loaded is a ``ModelError`` (the start-up stops; a reload answers 422 and keeps the old model)."""
    config = AnalyzerConfig(spacy_model=settings.spacy_model, max_chars=settings.max_article_chars)
    return load_analyzer(path, config=config, int8=settings.int8)


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
        self._extract_pool = ThreadPoolExecutor(settings.extract_workers, thread_name_prefix="quoteframe-extract")
        self._model_pool = ThreadPoolExecutor(1, thread_name_prefix="quoteframe-model")
        self._extracting = 0
        self._reload_lock = asyncio.Lock()
        self._labeller = self._batcher(self._label, _analysis_cost, "label")
        self._classifier = self._batcher(self._classify, _record_cost, "classify")

    def _batcher(self, run, cost, step: str) -> MicroBatcher:
        s = self.settings
        return MicroBatcher(run, cost, self._model_pool, max_wait=s.batch_wait_ms / 1000, budget=s.batch_token_budget,
                            max_pending=s.max_pending,
                            on_batch=lambda n: self.metrics.forward_items.labels(step).observe(n))

    # -- life ------------------------------------------------------------------------
    async def start(self) -> None:
        """Load the model (unless given one) and warm it up, off the event loop."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._model_pool, _set_torch_threads, self.settings.torch_threads)
        if self.analyzer is None:
            self.analyzer = await loop.run_in_executor(self._model_pool, self._build, self.model_path)
        else:
            await loop.run_in_executor(self._model_pool, _warm_up, self.analyzer)
        self._labeller.start()
        self._classifier.start()
        self.ready = True
        info = self.analyzer.model_info()
        log.info("model ready: %s %s (%d labels)", info.get("name"), info.get("version"), len(info.get("labels") or []))

    async def stop(self) -> None:
        self.ready = False
        await self._labeller.stop()
        await self._classifier.stop()
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

    async def analyze(self, articles: Sequence[tuple[str | None, str]]) -> list[Analysis]:
        """Analyses of ``(id, text)`` articles: extracted in the thread pool, labelled in shared passes."""
        self.current()
        pairs = await self._extract(articles)
        await self._labeller.submit([pair for pair in pairs if pair[0].quotes])
        return [analysis for analysis, _ in pairs]

    async def classify(self, records: Sequence[dict]) -> list[dict]:
        self.require_classifier()
        return await self._classifier.submit(list(records))

    async def reload(self, path: str | None) -> dict[str, Any]:
        """Load ``path`` beside the serving model, then swap: requests in flight finish on the old one."""
        self.current()
        async with self._reload_lock:
            target = path if path is not None else self.model_path
            loop = asyncio.get_running_loop()
            with ThreadPoolExecutor(1, thread_name_prefix="quoteframe-reload") as pool:
                analyzer = await loop.run_in_executor(pool, self._build, target)
            self.analyzer, self.model_path = analyzer, target
        info = analyzer.model_info()
        log.info("model reloaded: %s %s from %s", info.get("name"), info.get("version"), target or "the default folder")
        return info

    # -- steps ----------------------------------------------------------------------------
    async def _extract(self, articles: Sequence[tuple[str | None, str]]) -> list[tuple[Analysis, str]]:
        if self._extracting >= self.settings.max_pending:
            raise Overloaded(f"{self._extracting} requests are already being analysed; retry in a moment")
        analyzer, loop = self.current(), asyncio.get_running_loop()
        work = self._extract_pool.submit(lambda: list(analyzer.extract_many(articles)))
        # Counted until the thread is done with it, even when the caller timed out and left.
        self._extracting += 1
        work.add_done_callback(lambda _: _call_soon(loop, self._extracted))
        return await asyncio.wrap_future(work)

    def _extracted(self) -> None:
        self._extracting -= 1

    def _label(self, items: list[tuple[Analysis, str]]) -> list[tuple[Analysis, str]]:
        analyzer = self.analyzer  # the model of this pass, even if a reload swaps it meanwhile
        analyzer.label(items)
        info = analyzer.model_info()
        for analysis, _ in items:
            analysis.model = info
        return items

    def _classify(self, records: list[dict]) -> list[dict]:
        analyzer = self.analyzer
        if analyzer.classifier is None:  # swapped for a model-less analyzer while waiting
            raise NoClassifier("the frame classifier was unloaded by a reload; retry")
        return analyzer.classify(records)


def _call_soon(loop: asyncio.AbstractEventLoop, callback) -> None:
    try:
        loop.call_soon_threadsafe(callback)
    except RuntimeError:  # the loop closed while the thread worked: nothing left to count for
        pass


def _analysis_cost(item: tuple[Analysis, str]) -> int:
    return sum(estimate_tokens(q.text) + 32 for q in item[0].quotes)  # 32: the context around each quote


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
