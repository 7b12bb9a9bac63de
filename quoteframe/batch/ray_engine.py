"""`quoteframe score --engine ray`: the local engine's chunks, scored by a pool of Ray actors.

The driver reads the archive and cuts it into chunks exactly as the local
engine does (:mod:`quoteframe.batch.score`), skips the chunks an earlier run
committed, and sends the others to Ray actors, each holding one Analyzer and
one model, at most two chunks queued per actor. Rows come back in chunk order
and are committed to the same part files (:mod:`quoteframe.batch.output`), so
a Ray run resumes after a crash or ``kill -9`` of the driver as a local one
does, and either engine can finish a run the other started. Reading stays on
the driver: it is cheap next to scoring, and only the driver knows the
archive position of each article, which resuming needs; the nodes need
quoteframe and the model folder, not the archive. Without an address Ray
starts on this machine; with ``--ray-address`` (or ``$RAY_ADDRESS``) the
driver joins a running cluster (:mod:`quoteframe.batch.ray_cluster`).
"""
from __future__ import annotations

import os
import time
from collections import deque
from pathlib import Path
from typing import Iterator

from quoteframe.batch.output import RunFolder
from quoteframe.batch.ray_cluster import start_ray
from quoteframe.batch.score import (ScoreSummary, _chunked, _Counts, _extract_chunk, _finish_chunk, _init_worker,
                                    _progress, _run_record, _todo)
from quoteframe.batch.sources import Article, open_archive
from quoteframe.errors import QuoteframeError
from quoteframe.memory import release_freed_memory

QUEUED_PER_ACTOR = 2  # chunks sent ahead to each actor: it never waits, and memory stays flat


def score_with_ray(input: str | Path, output: str | Path, *, config, analyzer_config, classifier=None,
                   id_column: str = "id", text_column: str = "text", address: str | None = None,
                   node_ip: str | None = None, model_dir: str | None = None) -> ScoreSummary:
    """Score ``input`` into ``output`` on Ray; same rows and parts as :func:`quoteframe.batch.score.score`."""
    analyzer_config.max_chars = config.max_chars
    archive = open_archive(input, id_column=id_column, text_column=text_column)
    run = RunFolder(Path(output))
    done = run.open(_run_record(archive, config, classifier), restart=config.restart)
    ray = start_ray(address, node_ip)
    started = time.perf_counter()
    counts = _Counts()
    actors = _start_actors(ray, config, analyzer_config, _model(config, classifier), address)
    try:
        with _progress(archive, config) as bar:
            chunks = _todo(_chunked(archive.articles(), config.chunk_size), done, bar)
            for index, articles, rows, errors in _scored(ray, actors, chunks):
                run.commit(index, rows, errors)
                counts.add(articles, len(rows), len(errors))
                bar.update(articles)
                bar.set_postfix(quotes=counts.quotes, errors=counts.errors, refresh=False)
    finally:
        for actor in actors:
            ray.kill(actor)
    seconds = time.perf_counter() - started
    run.finish()
    return ScoreSummary(counts.articles, counts.quotes, counts.errors, seconds, len(done), run.output, run.errors)


class ScoreActor:
    """One Analyzer (and model) per Ray actor; a chunk of articles in, its rows and errors out."""

    def __init__(self, analyzer_config, model: dict | None):
        import torch

        torch.set_num_threads(1)
        _init_worker(analyzer_config)
        self.classifier = None
        if model is not None:
            from quoteframe.actors import Gazetteer
            from quoteframe.classifier import Classifier

            self.classifier = Classifier.load(model["model"], gazetteer=Gazetteer.load(analyzer_config.actor_files),
                                              int8=model["int8"])
            self.classifier.batch_size = model["batch_size"]

    def score(self, chunk: list[Article]) -> tuple[list[dict], list[dict]]:
        rows, errors = _finish_chunk(_extract_chunk(chunk), self.classifier)
        release_freed_memory()  # as the local engine does after each chunk: the actor lives as long as the run
        return rows, errors


def _model(config, classifier) -> dict | None:
    """How each actor loads the driver's model: same folder, int8 setting and batch size."""
    if not config.labels or classifier is None:
        return None
    return {"model": str(classifier.folder), "int8": classifier.int8, "batch_size": classifier.batch_size}


def _start_actors(ray, config, analyzer_config, model: dict | None, address: str | None) -> list:
    actor = ray.remote(num_cpus=1, max_restarts=2, max_task_retries=2, scheduling_strategy="SPREAD")(ScoreActor)
    return [actor.remote(analyzer_config, model) for _ in range(_actor_count(ray, config, address))]


def _actor_count(ray, config, address: str | None) -> int:
    """``--workers``, at most one per CPU of the cluster; by default one per CPU (one left to the driver here)."""
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    if config.workers:
        return min(config.workers, cpus)
    local = (address or os.environ.get("RAY_ADDRESS") or "local") == "local"
    return max(1, cpus - 1) if local else cpus


def _scored(ray, actors: list, chunks) -> Iterator[tuple[int, int, list[dict], list[dict]]]:
    """``(index, articles, rows, errors)`` per chunk, in chunk order; each chunk to the least busy actor."""
    queued = [0] * len(actors)
    pending: deque = deque()
    for index, chunk in chunks:
        if len(pending) >= QUEUED_PER_ACTOR * len(actors):
            yield _result(ray, pending.popleft(), queued)
        slot = queued.index(min(queued))
        queued[slot] += 1
        pending.append((index, len(chunk), slot, actors[slot].score.remote(chunk)))
    while pending:
        yield _result(ray, pending.popleft(), queued)


def _result(ray, entry, queued: list[int]) -> tuple[int, int, list[dict], list[dict]]:
    index, articles, slot, ref = entry
    queued[slot] -= 1
    try:
        rows, errors = ray.get(ref)
    except ray.exceptions.RayError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise QuoteframeError(f"the Ray run stopped at chunk {index} ({first[:300]}); the chunks before it are "
                              "committed: rerun the same command to go on from there") from None
    return index, articles, rows, errors
