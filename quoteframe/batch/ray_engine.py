"""`quoteframe score --engine ray`: the same Analyzer as a Ray Data pipeline.

read (Ray's own readers, so a cluster reads in parallel) → ``map_batches``
over a pool of actors, each holding one Analyzer and one model → rows streamed
back to the driver and committed to the same part files as the local engine,
then merged into OUTPUT. Without an address Ray starts locally, on this
machine's cores; with ``--ray-address`` (or ``$RAY_ADDRESS``) it joins a
cluster. A Ray run starts over when rerun: resuming is the local engine's.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from quoteframe.batch.output import RunFolder
from quoteframe.batch.score import ScoreSummary, extract_chunk, finish_chunk, prepare
from quoteframe.batch.sources import Archive, Article, open_archive
from quoteframe.errors import InputError, ModelError
from quoteframe.memory import release_freed_memory


def score_with_ray(input: str | Path, output: str | Path, *, config, analyzer,
                   id_column: str = "id", text_column: str = "text", address: str | None = None,
                   model_dir: str | None = None) -> ScoreSummary:
    """Score ``input`` into ``output`` on Ray; same rows as :func:`quoteframe.batch.score.score`.

    Each actor loads its own Analyzer as ``analyzer`` was loaded: the same model folder (so the
    same gazetteer), spaCy, cue and actor files, int8 setting and batch size."""
    ray = _ray()
    analyzer = prepare(analyzer, config)
    archive = open_archive(input, id_column=id_column, text_column=text_column)
    run = RunFolder(Path(output))
    run.open({"engine": "ray", "input": archive.fingerprint()}, restart=True)
    classifier = analyzer.classifier if config.labels else None
    model = {"model": str(classifier.folder), "int8": classifier.int8, "batch_size": classifier.batch_size} \
        if classifier is not None else None
    _start(ray, address)
    started = time.perf_counter()
    dataset = _read(ray, archive).map_batches(
        ScoreActor, batch_size=config.chunk_size, batch_format="pandas",
        fn_constructor_kwargs={"archive": archive, "analyzer_config": analyzer.config, "model": model},
        concurrency=_actors(config, address), num_cpus=1)
    articles = quotes = errors = 0
    for index, batch in enumerate(dataset.iter_batches(batch_size=None, batch_format="pyarrow")):
        rows = [json.loads(r) for r in batch.column("row").to_pylist() if r is not None]
        bad = [json.loads(e) for e in batch.column("error").to_pylist() if e is not None]
        run.commit(index, rows, bad)
        quotes, errors = quotes + len(rows), errors + len(bad)
        articles += sum(batch.column("articles").to_pylist())
    seconds = time.perf_counter() - started
    run.finish()
    return ScoreSummary(articles, quotes, errors, seconds, 0, run.output, run.errors)


class ScoreActor:
    """One Analyzer (and model) per Ray actor; a batch of archive records in, rows out.

    ``model``: ``{"model": folder, "int8": ..., "batch_size": ...}``, or ``None`` to label nothing."""

    def __init__(self, archive: Archive, analyzer_config, model: dict | None):
        import torch

        from quoteframe.analyzer import load_analyzer

        os.environ.setdefault("OMP_NUM_THREADS", "1")
        torch.set_num_threads(1)
        self.archive = archive
        self.analyzer = load_analyzer(model and model["model"], config=analyzer_config, labels=model is not None,
                                      int8=model and model["int8"])
        if model is not None:
            self.analyzer.classifier.batch_size = model["batch_size"]

    def __call__(self, batch):
        import pandas as pd

        articles = [_article(self.archive, record) for record in batch.to_dict("records")]
        rows, errors = finish_chunk(self.analyzer, extract_chunk(self.analyzer, articles))
        out = [{"row": json.dumps(r, default=str), "error": None, "articles": 0} for r in rows]
        out += [{"row": None, "error": json.dumps({**e, "position": None}), "articles": 0} for e in errors]
        out.append({"row": None, "error": None, "articles": len(articles)})  # the count of the batch
        release_freed_memory()  # as the local engine does after each chunk: the actor lives as long as the run
        return pd.DataFrame(out, columns=["row", "error", "articles"])


def _article(archive: Archive, record: dict[str, Any]) -> Article:
    """An archive record as read by Ray, made into the local engine's Article."""
    record = {k: _plain(v) for k, v in record.items()}
    if archive.format == "txt":
        name = Path(record["path"]).relative_to(archive.path.resolve()).as_posix()
        return archive.from_file(-1, name, record["bytes"])
    if archive.format == "jsonl":
        line = record["text"]
        fallback = f"{archive.path.name}:{hashlib.sha1(line.encode()).hexdigest()[:12]}"
        return archive.from_line(-1, line, fallback, "a line")
    return archive.from_record(-1, record, f"{archive.path.name}:row")


def _plain(value):
    """numpy scalars and NaN (what pandas makes of missing cells) as plain Python values."""
    import math

    if hasattr(value, "item") and not isinstance(value, (bytes, str)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _read(ray, archive: Archive):
    path = str(archive.path.resolve())
    if archive.format == "txt":
        return ray.data.read_binary_files(path, include_paths=True)
    if archive.format == "jsonl":
        return ray.data.read_text(path, drop_empty_lines=True)
    if archive.format in ("csv", "tsv"):
        import pyarrow.csv as pacsv

        delimiter = "\t" if archive.format == "tsv" else ","
        import pyarrow as pa

        as_text = pacsv.ConvertOptions(column_types={name: pa.string() for name in archive.columns()})  # as the local engine reads them
        return ray.data.read_csv(path, parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
                                 convert_options=as_text)
    return ray.data.read_parquet(path)


def _actors(config, address: str | None) -> int:
    """Actors in the pool: ``--workers``, else one per core but one left for Ray's read tasks."""
    if config.workers:
        return config.workers
    return max(1, (os.cpu_count() or 1) - 1) if address is None else 2


def _start(ray, address: str | None) -> None:
    if ray.is_initialized():
        return
    address = address or os.environ.get("RAY_ADDRESS") or None
    try:
        ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    except (ConnectionError, ValueError, RuntimeError) as err:
        raise InputError(f"cannot {'join Ray at ' + address if address else 'start Ray'}: {err}") from None
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # rows in archive order, as the local engine writes them
    context.enable_progress_bars = True


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ModelError("the ray engine needs Ray Data: pip install 'quoteframe[ray]'") from None
    return ray
