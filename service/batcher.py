"""Fair micro-batching: concurrent requests share calls of the model, and no request starves another.

Each request submits its items (articles, quotes) under an *owner* (the
request); every item is a job of its own. Jobs wait in one lane per owner;
lanes that have had no turn yet go first, then the lanes take turns
(round-robin), so a request of one item waits for the job in progress and at
most one job of each other newcomer ahead of it, never for a whole batch.
A worker takes the next job, then keeps taking jobs for at most ``max_wait``
seconds while their estimated cost (tokens) stays within ``budget`` and their
number within ``max_items``, and runs them in one call of ``run`` on an
executor thread, off the event loop. A job over the budget by itself runs alone.

A request that is cancelled (it timed out, or its client left) takes its
waiting jobs out of the lanes: no thread ever runs them.

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
import weakref
from collections import OrderedDict, deque
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Sequence

from service.errors import NotReady

log = logging.getLogger("quoteframe.service")


class Owner:
    """Whose jobs these are (one request); lanes remember owners served while the owner lives."""


@dataclass(eq=False)
class _Job:
    item: Any
    cost: int
    owner: Hashable
    future: asyncio.Future = field(repr=False)


class FairQueue:
    """Jobs in one lane per owner: lanes not served yet first (in arrival order), then round-robin.

    A request that has had no turn goes before one that has had some, so a
    small request arriving while a heavy one runs waits for the heavy job in
    progress only.

    >>> q = FairQueue()
    >>> for owner, item in [("heavy", 1), ("heavy", 2), ("heavy", 3)]:
    ...     q.put(_Job(item, 1, owner, None))
    >>> q.pop().item
    1
    >>> q.put(_Job(4, 1, "small", None))
    >>> [q.pop().item for _ in range(3)]
    [4, 2, 3]
    """

    def __init__(self):
        self._fresh: OrderedDict[Hashable, deque[_Job]] = OrderedDict()  # lanes not served yet
        self._lanes: OrderedDict[Hashable, deque[_Job]] = OrderedDict()  # lanes served, round-robin
        # Owners served, while their request lives: a request that submits its items a few at a
        # time (an article's quotes once it is extracted) is no newcomer when its lane refills.
        self._served: weakref.WeakSet = weakref.WeakSet()
        self._size = self._cost = 0
        self._changed = asyncio.Event()

    def __len__(self) -> int:
        return self._size

    @property
    def cost(self) -> int:
        """The summed cost of the waiting jobs."""
        return self._cost

    def put(self, job: _Job) -> None:
        served = job.owner in self._lanes or _weakrefable(job.owner) and job.owner in self._served
        lanes = self._lanes if served else self._fresh
        lanes.setdefault(job.owner, deque()).append(job)
        self._size, self._cost = self._size + 1, self._cost + job.cost
        self._changed.set()

    def peek(self) -> _Job | None:
        lanes = self._fresh or self._lanes
        return next(iter(lanes.values()))[0] if lanes else None

    def pop(self) -> _Job:
        """The next job: the first of the lane whose turn it is; that lane then goes last."""
        lanes = self._fresh or self._lanes
        owner, lane = lanes.popitem(last=False)
        job = lane.popleft()
        if lane:
            self._lanes[owner] = lane
        if _weakrefable(owner):
            self._served.add(owner)
        self._size, self._cost = self._size - 1, self._cost - job.cost
        return job

    def remove(self, job: _Job) -> bool:
        """Take ``job`` out if it is still waiting; whether it was."""
        for lanes in (self._fresh, self._lanes):
            lane = lanes.get(job.owner)
            if lane is not None and job in lane:
                lane.remove(job)
                if not lane:
                    del lanes[job.owner]
                self._size, self._cost = self._size - 1, self._cost - job.cost
                return True
        return False

    def drain(self) -> list[_Job]:
        jobs = [job for lanes in (self._fresh, self._lanes) for lane in lanes.values() for job in lane]
        self._fresh.clear()
        self._lanes.clear()
        self._size = self._cost = 0
        return jobs

    async def wait(self) -> None:
        """Return once a job is waiting."""
        while not self._size:
            self._changed.clear()
            await self._changed.wait()


class MicroBatcher:
    """Groups the jobs of concurrent requests into shared calls of ``run(items) -> results``, fairly.

    ``run`` must return one result per item, in order. ``workers`` calls may
    run at once (each on the executor). ``on_batch(n_items)`` is called once
    per call (for metrics); ``on_abandon(n_jobs)`` when jobs are dropped
    because their request was cancelled or failed.
    """

    def __init__(
        self,
        run: Callable[[list], list],
        cost: Callable[[Any], int],
        executor: Executor,
        max_wait: float = 0.005,
        budget: int = 8192,
        max_items: int | None = None,
        workers: int = 1,
        on_batch: Callable[[int], None] | None = None,
        on_abandon: Callable[[int], None] | None = None,
    ):
        self.run, self.cost, self.executor = run, cost, executor
        self.max_wait, self.budget, self.max_items = max_wait, budget, max_items or float("inf")
        self.workers = workers
        self.on_batch, self.on_abandon = on_batch, on_abandon
        self._queue = FairQueue()
        self._tasks: list[asyncio.Task] = []
        self._running = 0  # calls on the executor now

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._work(), name="micro-batcher") for _ in range(self.workers)]

    async def stop(self) -> None:
        """Stop the workers; jobs still waiting get ``NotReady``."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        for job in self._queue.drain():
            _settle(job, error=NotReady("the server is shutting down; retry on another instance"))

    @property
    def waiting(self) -> int:
        """Jobs waiting for a worker (the queue depth)."""
        return len(self._queue)

    @property
    def idle(self) -> bool:
        """No call running and no job waiting."""
        return not self._running and not len(self._queue)

    @property
    def waiting_cost(self) -> int:
        """The summed cost of the waiting jobs."""
        return self._queue.cost

    async def submit(self, items: Sequence[Any], owner: Hashable | None = None) -> list:
        """The results for ``items``, computed in calls shared fairly with other owners' items.

        Cancelling the caller takes its items that have not started out of the queue.
        """
        if not items:
            return []
        loop = asyncio.get_running_loop()
        owner = owner if owner is not None else Owner()
        jobs = [_Job(item, self.cost(item), owner, loop.create_future()) for item in items]
        for job in jobs:
            self._queue.put(job)
        try:
            return list(await asyncio.gather(*(job.future for job in jobs)))
        except BaseException:  # cancelled, or one item failed: the rest is of no use to anyone
            self._abandon(jobs)
            raise

    def _abandon(self, jobs: list[_Job]) -> None:
        dropped = sum(self._queue.remove(job) for job in jobs)
        for job in jobs:
            if not job.future.done():
                job.future.cancel()
        if dropped and self.on_abandon is not None:
            self.on_abandon(dropped)

    # -- the workers ------------------------------------------------------------------
    async def _work(self) -> None:
        while True:
            batch = await self._collect()
            batch = [job for job in batch if not job.future.done()]  # callers that left meanwhile
            if batch:
                await self._run(batch)

    async def _collect(self) -> list[_Job]:
        await self._queue.wait()
        first = self._queue.pop()
        batch, total = [first], first.cost
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_wait
        while total < self.budget and len(batch) < self.max_items:
            job = self._queue.peek()
            if job is None:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(self._queue.wait(), remaining)
                except asyncio.TimeoutError:
                    break
                continue
            if total + job.cost > self.budget:
                break
            batch.append(self._queue.pop())
            total += job.cost
        return batch

    async def _run(self, batch: list[_Job]) -> None:
        items = [job.item for job in batch]
        loop = asyncio.get_running_loop()
        self._running += 1
        try:
            results = await loop.run_in_executor(self.executor, self._call, items)
        except Exception as err:
            if len(batch) == 1:
                _settle(batch[0], error=err)
                return
            # One bad item must not fail the others it shared a call with.
            log.warning("a shared call of %d items failed (%s); running them one by one", len(batch), err)
            for job in batch:
                await self._run([job])
            return
        finally:
            self._running -= 1
        for job, result in zip(batch, results):
            _settle(job, result=result)

    def _call(self, items: list) -> list:
        results = self.run(items)
        if len(results) != len(items):
            raise RuntimeError(f"the model returned {len(results)} results for {len(items)} inputs")
        if self.on_batch is not None:
            self.on_batch(len(items))
        return results


def _weakrefable(owner: Hashable) -> bool:
    return hasattr(type(owner), "__weakref__")


def _settle(job: _Job, result: Any = None, error: BaseException | None = None) -> None:
    if job.future.done():
        return
    if error is not None:
        job.future.set_exception(error)
    else:
        job.future.set_result(result)
