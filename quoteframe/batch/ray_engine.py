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
from collections import deque
from pathlib import Path
from typing import Iterator

from quoteframe.batch.ray_cluster import start_ray
from quoteframe.batch.score import ScoreSummary, extract_chunk, finish_chunk, prepare, run_chunks
from quoteframe.batch.sources import Article
from quoteframe.errors import QuoteframeError
from quoteframe.memory import release_freed_memory

QUEUED_PER_ACTOR = 2  # chunks sent ahead to each actor: it never waits, and memory stays flat


def score_with_ray(input: str | Path, output: str | Path, *, config, analyzer,
                   id_column: str = "id", text_column: str = "text", address: str | None = None,
                   node_ip: str | None = None, model_dir: str | None = None) -> ScoreSummary:
    """Score ``input`` into ``output`` on Ray; same rows and parts as :func:`quoteframe.batch.score.score`.

    Each actor loads its own Analyzer as ``analyzer`` was loaded: the same model folder (so the same
    gazetteer), spaCy, cue and actor files, number format and batch size."""
    analyzer = prepare(analyzer, config)
    model = _model(config, analyzer.classifier)

    def engine(chunks):
        ray = start_ray(address, node_ip)
        actors = _start_actors(ray, config, analyzer.config, model, address)
        try:
            yield from _scored(ray, actors, chunks)
        finally:
            for actor in actors:
                ray.kill(actor)

    return run_chunks(input, output, config, analyzer, engine, id_column=id_column, text_column=text_column)


class ScoreActor:
    """One Analyzer (and model) per Ray actor; a chunk of articles in, its rows and errors out."""

    def __init__(self, analyzer_config, model: dict | None):
        import torch

        from quoteframe.analyzer import load_analyzer

        os.environ.setdefault("OMP_NUM_THREADS", "1")
        torch.set_num_threads(1)
        self.analyzer = load_analyzer(model and model["model"], config=analyzer_config, labels=model is not None,
                                      precision=model["precision"] if model else "auto")
        if model is not None:
            self.analyzer.classifier.batch_size = model["batch_size"]

    def score(self, chunk: list[Article]) -> tuple[list[dict], list[dict]]:
        rows, errors = finish_chunk(self.analyzer, extract_chunk(self.analyzer, chunk))
        release_freed_memory()  # as the local engine does after each chunk: the actor lives as long as the run
        return rows, errors


def _model(config, classifier) -> dict | None:
    """How each actor loads the driver's model: same folder, number format and batch size (every
    actor labels as the driver's model would, whatever its own CPU)."""
    if not config.labels or classifier is None:
        return None
    return {"model": str(classifier.folder), "precision": classifier.precision, "batch_size": classifier.batch_size}


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
