"""Corrected labelled quotes, stored durably for retraining.

Feedback goes to SQLite (WAL journal, ``synchronous=FULL``: a quote the
service acknowledged survives a crash of the server) or, given a
``postgresql://`` URL, to PostgreSQL (needs ``pip install 'quoteframe[postgres]'``).
:func:`read_feedback` gives the stored quotes back in the labelled-quote format
of LABELS.md, ready to train on.

>>> import tempfile, os
>>> db = os.path.join(tempfile.mkdtemp(), "fb.db")
>>> store = FeedbackStore(db)
>>> store.add([{"text": "Poland is lying", "speaker_actor": "Belarus", "frame": "blame",
...             "target": "Poland", "stance": "against"}], model="quoteframe-default 1")
[1]
>>> read_feedback(db)[0]["frame"]
'blame'

With an idempotency key, a retried write stores nothing again (the key is
unique in the database, so this holds across restarts and concurrent retries):

>>> quote = {"text": "They were deceived", "frame": "deception"}
>>> store.add_once([quote], key="retry-1"), store.add_once([quote], key="retry-1")
(Stored(ids=[2], replayed=False), Stored(ids=[2], replayed=True))
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

from quoteframe.errors import InputError
from quoteframe.labelled import QUOTE_FIELDS
from service.errors import IdempotencyConflict, StorageError

# 2: the feedback_keys table (Idempotency-Key of each keyed write), created on opening a version-1 database.
SCHEMA_VERSION = 2
# The labelled-quote fields of LABELS.md (one column each), then where the quote came from.
SOURCE_FIELDS = ("article_id", "start", "end")
_COLUMNS = QUOTE_FIELDS + SOURCE_FIELDS + ("model", "received_at")

_CREATE = """
CREATE TABLE IF NOT EXISTS feedback (
    id {id_type} PRIMARY KEY,
    text TEXT NOT NULL,
    context TEXT,
    speaker TEXT,
    speaker_actor TEXT,
    frame TEXT NOT NULL,
    frames TEXT NOT NULL,
    target TEXT,
    stance TEXT,
    article_id TEXT,
    start INTEGER,
    "end" INTEGER,
    model TEXT,
    received_at TEXT NOT NULL
)"""
_CREATE_META = "CREATE TABLE IF NOT EXISTS feedback_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
_CREATE_KEYS = """
CREATE TABLE IF NOT EXISTS feedback_keys (
    key TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    ids TEXT NOT NULL,
    received_at TEXT NOT NULL
)"""


@dataclass
class Stored:
    """What a keyed write stored: its row ids, and whether they come from an earlier write with the key."""

    ids: list[int]
    replayed: bool


def is_postgres(db_url: str) -> bool:
    return db_url.startswith(("postgresql://", "postgres://"))


class FeedbackStore:
    """Appends corrected quotes to a SQLite file or a PostgreSQL database.

    Each :meth:`add` is one transaction, committed before it returns.
    """

    def __init__(self, db_url: str | Path):
        self.db_url = str(db_url)
        self.postgres = is_postgres(self.db_url)
        if self.db_url.startswith("sqlite:///"):
            self.db_url = self.db_url[len("sqlite:///"):]
        self._ensure_schema()

    def add(self, quotes: Sequence[dict[str, Any]], model: str | None = None) -> list[int]:
        """Store ``quotes`` (labelled-quote dicts) in one transaction; returns their new ids."""
        received = datetime.now(timezone.utc).isoformat(timespec="seconds")
        rows = [_row(q, model, received) for q in quotes]
        try:
            return self._insert_rows(rows)
        except _db_errors() as err:
            raise StorageError(f"{self._where()}: the feedback was not stored ({err}); retry") from None

    def add_once(self, quotes: Sequence[dict[str, Any]], model: str | None = None, key: str | None = None) -> Stored:
        """:meth:`add`, once per ``key``: a write with a key already stored is not stored again.

        The first write's ids come back (``replayed``). The same key with
        other quotes is an ``IdempotencyConflict``. The key and the rows go in
        one transaction, and the key is unique: of two concurrent writes with
        one key, the second fails on it, rolls back and reads the first.
        """
        if key is None:
            return Stored(self.add(quotes, model), replayed=False)
        digest = hashlib.sha256(json.dumps(list(quotes), sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        received = datetime.now(timezone.utc).isoformat(timespec="seconds")
        rows = [_row(q, model, received) for q in quotes]
        try:
            earlier = self._keyed(key)
            if earlier is None:
                try:
                    return Stored(self._insert_rows(rows, (key, digest, received)), replayed=False)
                except _integrity_errors():
                    earlier = self._keyed(key)  # a concurrent retry stored it first
                    if earlier is None:
                        raise
        except _db_errors() as err:
            raise StorageError(f"{self._where()}: the feedback was not stored ({err}); retry") from None
        if earlier[0] != digest:
            raise IdempotencyConflict(f"the Idempotency-Key {key!r} was already used for other quotes; "
                                      "use a new key for each new write")
        return Stored(json.loads(earlier[1]), replayed=True)

    def _keyed(self, key: str) -> tuple[str, str] | None:
        mark = "%s" if self.postgres else "?"
        with closing(self._connect()) as conn:
            return conn.execute(f"SELECT digest, ids FROM feedback_keys WHERE key = {mark}", (key,)).fetchone()

    def _insert_rows(self, rows: list[tuple], keyed: tuple[str, str, str] | None = None) -> list[int]:
        with closing(self._connect()) as conn:
            if self.postgres:
                with conn.transaction(), conn.cursor() as cur:
                    ids = [cur.execute(self._insert() + " RETURNING id", row).fetchone()[0] for row in rows]
                    if keyed is not None:
                        key, digest, received = keyed
                        cur.execute("INSERT INTO feedback_keys VALUES (%s, %s, %s, %s)",
                                    (key, digest, json.dumps(ids), received))
            else:
                with conn:  # one transaction, committed on leaving
                    ids = [conn.execute(self._insert(), row).lastrowid for row in rows]
                    if keyed is not None:
                        key, digest, received = keyed
                        conn.execute("INSERT INTO feedback_keys VALUES (?, ?, ?, ?)",
                                     (key, digest, json.dumps(ids), received))
        return ids

    def count(self) -> int:
        with closing(self._connect()) as conn:
            return conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]

    def read(self) -> list[dict[str, Any]]:
        """Every stored quote, oldest first, as labelled-quote dicts."""
        with closing(self._connect()) as conn:
            cur = conn.execute(f"SELECT id, {', '.join(_quoted(_COLUMNS))} FROM feedback ORDER BY id")
            return [_labelled(row) for row in cur.fetchall()]

    # -- connections ----------------------------------------------------------------
    def _connect(self):
        if self.postgres:
            return _connect_postgres(self.db_url)
        try:
            return _connect_sqlite(self.db_url)
        except (sqlite3.Error, OSError) as err:
            raise StorageError(f"{self.db_url}: cannot open the feedback database ({err})") from None

    def _where(self) -> str:
        return "the PostgreSQL feedback database" if self.postgres else self.db_url

    def _insert(self) -> str:
        mark = "%s" if self.postgres else "?"
        return f"INSERT INTO feedback ({', '.join(_quoted(_COLUMNS))}) VALUES ({', '.join([mark] * len(_COLUMNS))})"

    def _ensure_schema(self) -> None:
        id_type = "BIGSERIAL" if self.postgres else "INTEGER"
        with closing(self._connect()) as conn:
            if self.postgres:
                with conn.transaction():
                    for create in (_CREATE.format(id_type=id_type), _CREATE_META, _CREATE_KEYS):
                        conn.execute(create)
                    conn.execute("INSERT INTO feedback_meta VALUES ('schema_version', %s) "
                                 "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", (str(SCHEMA_VERSION),))
            else:
                with conn:
                    for create in (_CREATE.format(id_type=id_type), _CREATE_META, _CREATE_KEYS):
                        conn.execute(create)
                    conn.execute("INSERT OR REPLACE INTO feedback_meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))


def read_feedback(db_url: str | Path) -> list[dict[str, Any]]:
    """The corrected quotes stored at ``db_url`` (SQLite path or PostgreSQL URL), as labelled-quote dicts.

    Each dict has ``text``, ``frame`` and ``frames`` (primary first), and
    ``context``, ``speaker``, ``speaker_actor``, ``target``, ``stance`` where
    given (LABELS.md), plus ``id`` (``feedback-N``, N the row's id in the
    database) and ``source`` (``feedback``). Raises ``InputError`` naming the
    path when there is no feedback database there.
    """
    url = str(db_url)
    if not is_postgres(url) and not Path(url.removeprefix("sqlite:///")).is_file():
        raise InputError(f"{url}: no feedback database there; give the file the service writes (QUOTEFRAME_FEEDBACK_DB)")
    return FeedbackStore(url).read()


# -- rows ---------------------------------------------------------------------------------
def _row(quote: dict[str, Any], model: str | None, received: str) -> tuple:
    values = dict(quote)
    frame = values["frame"]
    frames = [frame] + [f for f in dict.fromkeys(values.get("frames") or ()) if f != frame]  # primary first
    values["frames"] = json.dumps(frames, ensure_ascii=False)
    values["model"], values["received_at"] = model, received
    return tuple(values.get(name) for name in _COLUMNS)


def _labelled(row: Sequence[Any]) -> dict[str, Any]:
    feedback_id, *values = row
    record = dict(zip(_COLUMNS, values))
    record["frames"] = json.loads(record["frames"])
    out = {name: record[name] for name in QUOTE_FIELDS if record[name] is not None}
    out["id"], out["source"] = f"feedback-{feedback_id}", "feedback"
    return out


def _db_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def _integrity_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:
        return (sqlite3.IntegrityError,)
    return (sqlite3.IntegrityError, psycopg.IntegrityError)


def _quoted(names: Iterable[str]) -> list[str]:
    return [f'"{n}"' for n in names]


def _connect_sqlite(path: str) -> sqlite3.Connection:
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level="DEFERRED")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def _connect_postgres(url: str):
    try:
        import psycopg
    except ImportError:
        raise StorageError(
            "a PostgreSQL feedback URL needs the psycopg package: pip install 'quoteframe[postgres]'"
        ) from None
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.Error as err:
        raise StorageError(f"cannot connect to the feedback database: {str(err).strip().splitlines()[0]}") from None
