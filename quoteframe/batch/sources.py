"""Streaming readers for article archives: a folder of .txt files, JSON Lines, CSV or Parquet.

Every reader yields :class:`Article` records in a fixed order, one at a time,
so memory stays flat however large the archive. A record that cannot be read
(a broken JSON line, an undecodable file, a row without text) is yielded as
an article with an ``error`` and no text: the scorer writes it to the errors
file and goes on. Problems with the archive as a whole (a missing file, a CSV
without a text column) raise :class:`~quoteframe.errors.InputError` before
any work is done.

>>> import json, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
>>> _ = path.write_text(json.dumps({"id": "a1", "text": "Hi.", "date": "2021"}) + "\\n{broken\\n")
>>> [(a.id, a.meta, a.error) for a in open_archive(path).articles()]
[('a1', {'date': '2021'}, None), ('a.jsonl:2', {}, 'line 2 is not valid JSON: Expecting property name enclosed in double quotes')]
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from quoteframe.errors import InputError

_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by surrogateescape
FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".parquet": "parquet"}


@dataclass
class Article:
    """One archive record: ``position`` is its place in the archive (0-based), the resume key."""

    position: int
    id: str
    text: str | None
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass
class Archive:
    """An archive on disk: its format, its size when cheaply known, and its records."""

    path: Path
    format: str
    id_column: str = "id"
    text_column: str = "text"

    @property
    def total(self) -> int | None:
        """The number of articles when it is cheap to know (folders, Parquet, plain JSON Lines)."""
        if self.format == "txt":
            return len(_text_files(self.path))
        if self.format == "parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(self.path).metadata.num_rows
        if self.format == "jsonl" and not _gzipped(self.path):
            with open(self.path, "rb") as f:
                return sum(1 for line in f if line.strip())
        return None

    def fingerprint(self) -> dict[str, Any]:
        """What identifies this input for a resumed run."""
        stat = self.path.stat()
        return {"path": str(self.path.resolve()), "format": self.format, "size": stat.st_size,
                "id_column": self.id_column, "text_column": self.text_column}

    def columns(self) -> list[str]:
        """The column names of a CSV or Parquet archive (read from its header or schema)."""
        if self.format == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            try:
                return pq.ParquetFile(self.path).schema_arrow.names
            except (pa.ArrowException, OSError) as err:
                raise InputError(f"{self.path}: not a readable Parquet file ({err})") from None
        if self.format in ("csv", "tsv"):
            csv.field_size_limit(sys.maxsize)
            try:
                with io.TextIOWrapper(_open_binary(self.path), encoding="utf-8", errors="surrogateescape", newline="") as f:
                    return next(csv.reader(f, delimiter="\t" if self.format == "tsv" else ","), [])
            except (OSError, EOFError, csv.Error) as err:
                raise InputError(f"{self.path}: cannot read the CSV header ({err})") from None
        return []

    def articles(self) -> Iterator[Article]:
        """Every record, in archive order."""
        reader = {"txt": self._txt, "jsonl": self._jsonl, "csv": self._csv, "tsv": self._csv,
                  "parquet": self._parquet}[self.format]
        return reader()

    # -- readers ----------------------------------------------------------------------
    def _txt(self) -> Iterator[Article]:
        for position, path in enumerate(_text_files(self.path)):
            name = path.relative_to(self.path).as_posix()
            try:
                data = _read_bytes(path) if _is_text_name(name) else b""
            except (OSError, EOFError) as err:
                yield Article(position, _file_id(name), None, error=f"{name} cannot be read: {err}")
                continue
            yield self.from_file(position, name, data)

    def _jsonl(self) -> Iterator[Article]:
        position = 0
        with _open_binary(self.path) as f:
            for lineno, raw in enumerate(f, 1):
                if raw.strip():
                    yield self.from_line(position, raw, f"{self.path.name}:{lineno}", f"line {lineno}")
                    position += 1

    # -- one record (the Ray engine reads with Ray and builds its articles with these too) ------
    def from_file(self, position: int, name: str, data: bytes) -> Article:
        """The article of the folder file ``name`` (relative path) holding ``data``."""
        if not _is_text_name(name):
            return Article(position, name, None, error=f"{name} is not a .txt file; skipped")
        ident = _file_id(name)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            return Article(position, ident, None, error=f"{name} is not UTF-8 text (a binary file?): {err.reason} at byte {err.start}")
        if "\x00" in text:
            return Article(position, ident, None, error=f"{name} holds NUL bytes: a binary file, not text")
        return Article(position, ident, text.removeprefix("\ufeff"))

    def from_line(self, position: int, raw: bytes | str, fallback: str, where: str) -> Article:
        """The article of one JSON Lines line; ``where`` names the line in messages ("line 3")."""
        try:
            record = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
        except UnicodeDecodeError as err:
            return Article(position, fallback, None, error=f"{where} is not UTF-8: {err.reason}")
        except json.JSONDecodeError as err:
            return Article(position, fallback, None, error=f"{where} is not valid JSON: {err.msg}")
        if not isinstance(record, dict):
            return Article(position, fallback, None, error=f"{where} is not a JSON object")
        return self.from_record(position, record, fallback)

    def from_record(self, position: int, record: dict, fallback: str) -> Article:
        """The article of one row (a dict of columns; the dict is consumed); ``fallback`` is its id
        when the row has none."""
        ident = record.pop(self.id_column, None)
        ident = fallback if ident in (None, "") else str(ident)
        text = record.pop(self.text_column, None)
        meta = {k: v for k, v in record.items() if k is not None}
        if text is None:
            return Article(position, ident, None, meta, error=f"no {self.text_column!r} field")
        if not isinstance(text, str):
            return Article(position, ident, None, meta, error=f"{self.text_column!r} is a {type(text).__name__}, not a string")
        if _UNDECODED.search(text):
            return Article(position, ident, None, meta, error="the text is not UTF-8 (undecodable bytes)")
        return Article(position, ident, text, meta)

    def _csv(self) -> Iterator[Article]:
        csv.field_size_limit(sys.maxsize)
        delimiter = "\t" if self.format == "tsv" else ","
        with io.TextIOWrapper(_open_binary(self.path), encoding="utf-8", errors="surrogateescape", newline="") as f:
            reader = csv.DictReader(f, delimiter=delimiter)
            for position, record in enumerate(reader):
                record.pop(None, None)  # cells past the header
                yield self.from_record(position, record, f"{self.path.name}:row{position + 1}")

    def _parquet(self) -> Iterator[Article]:
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(self.path)
        position = 0
        for batch in parquet.iter_batches(batch_size=1024):
            for record in batch.to_pylist():
                yield self.from_record(position, record, f"{self.path.name}:row{position + 1}")
                position += 1

    # -- helpers ----------------------------------------------------------------------
    def _check_columns(self, names: list[str]) -> None:
        if self.text_column not in names:
            shown = ", ".join(names[:12]) or "none"
            raise InputError(f"{self.path}: no {self.text_column!r} column (columns: {shown}); "
                             "name the text column with --text-column")


def open_archive(path: str | Path, id_column: str = "id", text_column: str = "text") -> Archive:
    """The archive at ``path``, its format told by the extension (``.gz`` accepted) or a folder."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        if not _text_files(path):
            raise InputError(f"{path}: the folder holds no files to score")
        return Archive(path, "txt", id_column, text_column)
    suffix = path.name.lower().removesuffix(".gz")
    fmt = next((f for ext, f in FORMATS.items() if suffix.endswith(ext)), None)
    if fmt is None:
        raise InputError(f"{path}: unknown archive format; give a folder of .txt files, "
                         ".jsonl, .csv or .parquet (gzip accepted: .jsonl.gz, .csv.gz)")
    archive = Archive(path, fmt, id_column, text_column)
    if fmt != "jsonl":
        archive._check_columns(archive.columns())
    return archive


def _text_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _is_text_name(name: str) -> bool:
    return name.lower().endswith((".txt", ".txt.gz"))


def _file_id(name: str) -> str:
    return name.removesuffix(".gz").removesuffix(".txt")


def _gzipped(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def _open_binary(path: Path):
    return gzip.open(path, "rb") if _gzipped(path) else open(path, "rb")


def _read_bytes(path: Path) -> bytes:
    with _open_binary(path) as f:
        return f.read()
