"""Where a scoring run writes: part files committed one chunk at a time, merged at the end.

While a run goes, ``OUTPUT.parts/`` holds ``run.json`` (what is being scored,
with which model and chunk size) and, per finished chunk of articles, an
errors part and a rows part. Each part is written under a temporary name and
renamed into place, the rows part last: a chunk is done exactly when its rows
part exists, so a run killed at any moment (even ``kill -9``) resumes at the
first chunk that is not done, and no chunk is ever written twice. When every
chunk is done the parts are merged, in archive order, into OUTPUT (Parquet or
JSON Lines by its extension) and ``NAME.errors.jsonl`` beside it.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterable

from quoteframe.batch.rows import ID, QUOTE_FIELDS
from quoteframe.errors import InputError

RUN_FILE = "run.json"
OUTPUT_FORMATS = {".parquet": "parquet", ".jsonl": "jsonl", ".jsonl.gz": "jsonl", ".ndjson": "jsonl"}


def output_format(path: Path) -> str:
    """``parquet`` or ``jsonl``, from OUTPUT's extension."""
    name = path.name.lower()
    for ext, fmt in OUTPUT_FORMATS.items():
        if name.endswith(ext):
            return fmt
    raise InputError(f"{path}: give the output a .parquet or .jsonl extension")


def errors_path(path: Path) -> Path:
    """``scored.parquet`` → ``scored.errors.jsonl``."""
    name = path.name
    for ext in OUTPUT_FORMATS:
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
            break
    return path.with_name(name + ".errors.jsonl")


class RunFolder:
    """The parts of one scoring run and the merge into its output."""

    def __init__(self, output: Path):
        self.output = output
        self.format = output_format(output)
        self.folder = output.with_name(output.name + ".parts")
        self.errors = errors_path(output)

    # -- starting and resuming ------------------------------------------------------------
    def open(self, run: dict[str, Any], restart: bool = False) -> set[int]:
        """Start or resume the run described by ``run``; the indices of chunks already done."""
        if restart and self.folder.exists():
            shutil.rmtree(self.folder)
        run_file = self.folder / RUN_FILE
        if run_file.exists():
            before = json.loads(run_file.read_text(encoding="utf-8"))
            if before != run:
                changed = ", ".join(sorted(k for k in set(run) | set(before) if run.get(k) != before.get(k)))
                raise InputError(f"{self.folder} holds an unfinished run with another {changed}; "
                                 "rerun with --restart to discard it, or choose another --out")
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(run_file, json.dumps(run, indent=2, sort_keys=True).encode())
        for stale in self.folder.glob("*.tmp"):
            stale.unlink()
        return {int(p.name.split("-")[1].split(".")[0]) for p in self.folder.glob(f"rows-*.{self.format}")}

    # -- one chunk --------------------------------------------------------------------------
    def commit(self, chunk: int, rows: list[dict[str, Any]], errors: list[dict[str, Any]]) -> None:
        """Write chunk ``chunk``'s errors, then its rows: the rows part is the commit."""
        _write_atomic(self.folder / f"errors-{chunk:08d}.jsonl", _jsonl_bytes(errors))
        rows_part = self.folder / f"rows-{chunk:08d}.{self.format}"
        if self.format == "parquet":
            _write_parquet_atomic(rows_part, rows)
        else:
            _write_atomic(rows_part, _jsonl_bytes(rows))

    # -- the end ------------------------------------------------------------------------------
    def finish(self) -> None:
        """Merge every part, in chunk order, into the output and the errors file; drop the parts."""
        parts = sorted(self.folder.glob(f"rows-*.{self.format}"))
        if self.format == "parquet":
            _merge_parquet(parts, self.output)
        else:
            _concat(parts, self.output, gzip_it=self.output.name.lower().endswith(".gz"))
        _concat(sorted(self.folder.glob("errors-*.jsonl")), self.errors)
        shutil.rmtree(self.folder)

    def counts(self) -> tuple[int, int]:
        """Rows and errors committed so far (read from the parts)."""
        rows = errors = 0
        for part in self.folder.glob("errors-*.jsonl"):
            errors += sum(1 for _ in open(part, "rb"))
        for part in self.folder.glob(f"rows-*.{self.format}"):
            rows += _count_rows(part, self.format)
        return rows, errors


def _count_rows(path: Path, fmt: str) -> int:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    return sum(1 for _ in open(path, "rb"))


def _jsonl_bytes(records: Iterable[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records).encode("utf-8")


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _write_parquet_atomic(path: Path, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows) if rows else _empty_table()
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _empty_table():
    import pyarrow as pa

    return pa.table({name: pa.array([], pa.null()) for name in (ID, *QUOTE_FIELDS)})


def _merge_parquet(parts: list[Path], output: Path) -> None:
    """One Parquet file from the parts, streamed part by part; column types unified across parts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = [pq.read_schema(p) for p in parts]
    schema = _unified(schemas) if schemas else _empty_table().schema
    tmp = output.with_name(output.name + ".tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        for part in parts:
            table = pq.read_table(part)
            if table.num_rows:
                writer.write_table(_conform(table, schema))
    os.replace(tmp, output)


def _unified(schemas):
    """The columns of every part, in first-seen order, each with one type (text when the parts disagree)."""
    import pyarrow as pa

    types: dict[str, list] = {}
    for schema in schemas:
        for f in schema:
            types.setdefault(f.name, []).append(f.type)
    fields = []
    for name, seen in types.items():
        kinds = {t for t in seen if not pa.types.is_null(t)}
        if not kinds:
            fields.append(pa.field(name, pa.string() if name not in _NUMERIC else pa.float64()))
        elif len(kinds) == 1:
            fields.append(pa.field(name, kinds.pop()))
        elif all(pa.types.is_integer(t) or pa.types.is_floating(t) for t in kinds):
            fields.append(pa.field(name, pa.float64()))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


_NUMERIC = {"quote_index", "start", "end", "speaker_start", "speaker_end", "frame_score", "stance_score",
            "sentence_start"}


def _conform(table, schema):
    import pyarrow as pa

    columns = []
    for f in schema:
        if f.name not in table.column_names:
            columns.append(pa.nulls(table.num_rows, f.type))
            continue
        column = table.column(f.name)
        if column.type != f.type:
            column = column.cast(f.type) if not pa.types.is_string(f.type) else _as_text(column)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


def _as_text(column):
    import pyarrow as pa

    try:
        return column.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array([None if v is None else json.dumps(v, default=str) for v in column.to_pylist()], pa.string())


def _concat(parts: list[Path], output: Path, gzip_it: bool = False) -> None:
    import gzip

    tmp = output.with_name(output.name + ".tmp")
    opener = gzip.open if gzip_it else open
    with opener(tmp, "wb") as out:
        for part in parts:
            with open(part, "rb") as f:
                shutil.copyfileobj(f, out)
    os.replace(tmp, output)
