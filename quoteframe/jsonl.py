"""JSON Lines files, read one way everywhere: one JSON object a line, blank lines skipped,
gzip when the name ends in ``.gz``, and one message per bad line that names ``file:line``,
what is wrong and what a line must hold."""
from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any, Iterator

from quoteframe.errors import InputError


def read_json_lines(path: str | Path, error: type[InputError] = InputError, expect: str = "one JSON object",
                    hint: str = "") -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of the UTF-8 JSON Lines file ``path``.

    A bad line raises ``error`` naming ``path:line``; ``expect`` says what each line must hold,
    ``hint`` what to do when the file is missing or unreadable.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "q.jsonl")
    >>> _ = open(path, "w").write('{"text": "a"}\\n\\n[1]\\n')
    >>> rows = read_json_lines(path)
    >>> next(rows)
    (1, {'text': 'a'})
    >>> next(rows)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    quoteframe.errors.InputError: ...q.jsonl:3: expected one JSON object, got list
    """
    opener = gzip.open if str(path).lower().endswith(".gz") else open
    also = f"; {hint}" if hint else ""
    try:
        with opener(path, "rb") as handle:
            for number, raw in enumerate(handle, 1):
                if raw.strip():
                    yield number, parse_json_line(raw, f"{path}:{number}", error, expect, first=number == 1)
    except FileNotFoundError:
        raise error(f"{path}: no such file{also}") from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a JSON Lines file{also}") from None
    except (OSError, EOFError) as err:  # gzip's BadGzipFile is an OSError
        raise error(f"{path}: cannot read the file ({getattr(err, 'strerror', None) or err}){also}") from None


def parse_json_line(raw: bytes | str, where: str, error: type[InputError] = InputError,
                    expect: str = "one JSON object", first: bool = False) -> dict[str, Any]:
    """The JSON object of one line; ``error`` naming ``where`` when it is not UTF-8, JSON or an object."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig" if first else "utf-8")
        except UnicodeDecodeError as err:
            raise error(f"{where}: not UTF-8 text (bad byte at column {err.start + 1}); "
                        "re-save the file as UTF-8") from None
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as err:
        raise error(f"{where}: malformed JSON ({err.msg} at column {err.colno}); each line must be {expect}") from None
    if not isinstance(record, dict):
        raise error(f"{where}: expected {expect}, got {type(record).__name__}")
    return record
