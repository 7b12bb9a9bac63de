"""Micro-batching: concurrent requests share one forward pass of the model.

Each request submits a *job* (a list of items) and awaits its results. One
worker task takes the first waiting job, then keeps taking jobs for at most
``max_wait`` seconds while their estimated cost (tokens) stays within
``budget``, and runs the whole batch in one call of ``run`` on the model's
own thread, off the event loop. A job over the budget by itself runs alone.

>>> import asyncio
>>> from concurrent.futures import ThreadPoolExecutor
>>> async def demo():
...     batcher = MicroBatcher(lambda xs: [x * 2 for x in xs], cost=lambda x: 1,
...                            executor=ThreadPoolExecutor(1))
...     batcher.start()
...     results = await asyncio.gather(batcher.submit([1, 2]), batcher.submit([3]))
...     await batcher.stop()
...     return results
>>> asyncio.run(demo())
[[2, 4], [6]]
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from service.errors import NotReady, Overloaded

log = logging.getLogger("quoteframe.service")


@dataclass
class _Job:
    items: Sequence[Any]
    cost: int
    future: asyncio.Future = field(repr=False)


class MicroBatcher:
    """Groups concurrent jobs into shared calls of ``run(items) -> results``.

    ``run`` must return one result per item, in order. ``on_batch(n_items)``
    is called once per shared call (for metrics).
    """

    def __init__(
        self,
        run: Callable[[list], list],
        cost: Callable[[Any], int],
        executor: Executor,
        max_wait: float = 0.005,
        budget: int = 8192,
        max_pending: int = 256,
        on_batch: Callable[[int], None] | None = None,
    ):
        self.run, self.cost, self.executor = run, cost, executor
        self.max_wait, self.budget = max_wait, budget
        self.on_batch = on_batch
        self._queue: asyncio.Queue[_Job] = asyncio.Queue(maxsize=max_pending)
        self._task: asyncio.Task | None = None
        self._held: _Job | None = None  # a job that did not fit the last batch

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._work(), name="micro-batcher")

    async def stop(self) -> None:
        """Stop the worker; jobs still waiting get ``NotReady``."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        waiting = [self._held] if self._held else []
        self._held = None
        while not self._queue.empty():
            waiting.append(self._queue.get_nowait())
        for job in waiting:
            _settle(job, error=NotReady("the server is shutting down; retry on another instance"))

    async def submit(self, items: Sequence[Any]) -> list:
        """The results for ``items``, computed in a forward pass shared with other requests."""
        if not items:
            return []
        future = asyncio.get_running_loop().create_future()
        job = _Job(items, sum(self.cost(x) for x in items), future)
        try:
            self._queue.put_nowait(job)
        except asyncio.QueueFull:
            raise Overloaded(
                f"{self._queue.maxsize} requests are already waiting for the model; retry in a moment"
            ) from None
        return await future

    # -- the worker ---------------------------------------------------------------
    async def _work(self) -> None:
        while True:
            batch = await self._collect()
            batch = [job for job in batch if not job.future.done()]  # timed-out callers
            if batch:
                await self._run(batch)

    async def _collect(self) -> list[_Job]:
        first = self._held or await self._queue.get()
        self._held = None
        batch, total = [first], first.cost
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_wait
        while total < self.budget:
            try:
                job = self._queue.get_nowait()
            except asyncio.QueueEmpty:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    job = await asyncio.wait_for(self._queue.get(), remaining)
                except asyncio.TimeoutError:
                    break
            if total + job.cost > self.budget:
                self._held = job
                break
            batch.append(job)
            total += job.cost
        return batch

    async def _run(self, batch: list[_Job]) -> None:
        items = [x for job in batch for x in job.items]
        loop = asyncio.get_running_loop()
        try:
            results = await loop.run_in_executor(self.executor, self._call, items)
        except Exception as err:
            if len(batch) == 1:
                _settle(batch[0], error=err)
                return
            # One bad request must not fail the others it shared a pass with.
            log.warning("a shared forward pass of %d requests failed (%s); running them one by one", len(batch), err)
            for job in batch:
                await self._run([job])
            return
        start = 0
        for job in batch:
            _settle(job, results=results[start : start + len(job.items)])
            start += len(job.items)

    def _call(self, items: list) -> list:
        results = self.run(items)
        if len(results) != len(items):
            raise RuntimeError(f"the model returned {len(results)} results for {len(items)} inputs")
        if self.on_batch is not None:
            self.on_batch(len(items))
        return results


def _settle(job: _Job, results: list | None = None, error: BaseException | None = None) -> None:
    if job.future.done():
        return
    if error is not None:
        job.future.set_exception(error)
    else:
        job.future.set_result(results)
