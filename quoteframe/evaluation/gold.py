"""Readers for gold quotes: seed-style JSON Lines folders and PolNeAR splits.

Two layouts are understood, and :func:`read_gold` tells them apart:

* a folder of ``NAME.txt`` articles, each with a ``NAME.gold.jsonl`` beside it
  (the labelled-quote format of LABELS.md plus ``start``/``end``);
* a PolNeAR split folder (``text/NAME.txt`` and
  ``attributions/NAME_<annotator>.ann`` in BRAT standoff).

Offsets are Python ``str`` indices into the article read as UTF-8 with its
newlines untouched, the same convention as the analysis object of API.md.
Every span is checked against the text it claims to cover; bad input raises
:class:`GoldFormatError` naming the file, the line and the fix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from quoteframe.errors import InputError
from quoteframe.jsonl import read_json_lines

KINDS = ("direct", "indirect", "mixed")
GOLD_SUFFIX = ".gold.jsonl"

_STR_FIELDS = ("kind", "cue", "speaker", "speaker_actor", "frame", "target", "stance")
_BRAT_ID = re.compile(r"^[A-Z#]\d+\t")
_BRAT_TEXT_BOUND = re.compile(r"^(\S+) (\d+ \d+(?:;\d+ \d+)*)$")
_OFFSET_HINT = (
    "offsets must be Python str indices into the article read as UTF-8 with "
    "its newlines unchanged (byte offsets or CRLF-normalised text break this)"
)


class GoldFormatError(InputError):
    """Gold input that cannot be read; the message names the file, line and fix."""


@dataclass
class GoldQuote:
    """One gold quote: its fragments in the article and its gold labels.

    ``spans`` holds one ``(start, end)`` pair per fragment, in document order;
    ``text`` is the fragments' text joined by single spaces.

    >>> GoldQuote(spans=[(4, 9)], text="hello").speaker is None
    True
    """

    spans: list[tuple[int, int]]
    text: str
    kind: str | None = None
    cue: str | None = None
    speaker: str | None = None
    speaker_alts: list[str] = field(default_factory=list)
    speaker_span: tuple[int, int] | None = None
    speaker_actor: str | None = None
    frame: str | None = None
    frames: list[str] = field(default_factory=list)
    target: str | None = None
    target_alts: list[str] = field(default_factory=list)
    stance: str | None = None
    optional: bool = False

    @property
    def has_speaker(self) -> bool:
        """Whether the gold names a source (PolNeAR no-source quotes do not)."""
        return bool(self.speaker or self.speaker_alts or self.speaker_span)

    @property
    def labelled(self) -> bool:
        """Whether the gold carries frame/target/stance labels."""
        return self.frame is not None


@dataclass
class GoldArticle:
    """An article's id, its text and its gold quotes."""

    id: str
    text: str
    quotes: list[GoldQuote]


# --------------------------------------------------------------------------
# dispatch


def read_gold(path: str | Path) -> list[GoldArticle]:
    """Read gold articles from a PolNeAR split or a folder of txt + gold.jsonl.

    For example::

        articles = read_gold("shared/seeds")
        articles = read_gold("shared/data/polnear/dev")
    """
    folder = Path(path)
    if not folder.is_dir():
        raise GoldFormatError(
            f"{folder}: not a folder; give a folder of NAME.txt + NAME{GOLD_SUFFIX} "
            "files or a PolNeAR split folder (with text/ and attributions/)"
        )
    if is_polnear_split(folder):
        return read_polnear(folder)
    return read_gold_dir(folder)


def is_polnear_split(folder: str | Path) -> bool:
    """Whether a folder is a PolNeAR split (``text/`` and ``attributions/``)."""
    folder = Path(folder)
    return (folder / "text").is_dir() and (folder / "attributions").is_dir()


# --------------------------------------------------------------------------
# NAME.txt + NAME.gold.jsonl


def read_gold_dir(path: str | Path) -> list[GoldArticle]:
    """Read every ``NAME.txt`` with its ``NAME.gold.jsonl`` from one folder.

    Each gold line is one quote with ``text``, ``start`` and ``end``
    (``article[start:end] == text``) and optionally ``article``, ``kind``,
    ``speaker``, ``speaker_alts``, ``speaker_actor``, ``frame``, ``frames``,
    ``target``, ``target_alts`` (other acceptable targets), ``stance``,
    ``optional``.

    For example::

        [len(a.quotes) for a in read_gold_dir("shared/seeds")]  # [12, 13]
    """
    folder = Path(path)
    names = _paired_names(folder)
    return [_read_gold_article(folder, name) for name in names]


def _paired_names(folder: Path) -> list[str]:
    texts = {p.name[: -len(".txt")] for p in folder.glob("*.txt")}
    golds = {p.name[: -len(GOLD_SUFFIX)] for p in folder.glob("*" + GOLD_SUFFIX)}
    if texts - golds:
        name = min(texts - golds)
        raise GoldFormatError(
            f"{folder / (name + '.txt')}: no gold file beside it; add "
            f"{name}{GOLD_SUFFIX} (an empty file if the article has no quotes) or move the text away"
        )
    if golds - texts:
        name = min(golds - texts)
        raise GoldFormatError(
            f"{folder / (name + GOLD_SUFFIX)}: no article {name}.txt beside it; "
            "add the article text or remove the gold file"
        )
    if not texts:
        raise GoldFormatError(f"{folder}: {_empty_folder_hint(folder)}")
    return sorted(texts)


def _empty_folder_hint(folder: Path) -> str:
    splits = [s for s in ("train", "dev", "test") if is_polnear_split(folder / s)]
    if splits:
        return f"this is the PolNeAR root; pass one split folder, e.g. {folder / splits[0]}"
    return f"no NAME.txt + NAME{GOLD_SUFFIX} pairs and no PolNeAR text/ + attributions/ folders"


def _read_gold_article(folder: Path, name: str) -> GoldArticle:
    text = _read_utf8(folder / f"{name}.txt")
    gold_path = folder / f"{name}{GOLD_SUFFIX}"
    quotes = [
        _gold_quote(record, text, name, gold_path, lineno)
        for lineno, record in read_json_lines(gold_path, GoldFormatError)
    ]
    return GoldArticle(id=name, text=text, quotes=quotes)


def _read_utf8(path: Path) -> str:
    """Read a file as UTF-8 without translating newlines (offsets count them)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise GoldFormatError(
            f"{path}:{line}: not UTF-8 (byte {err.start}); re-save the file as UTF-8"
        ) from None


def _gold_quote(record: dict, article: str, name: str, path: Path, lineno: int) -> GoldQuote:
    where = f"{path}:{lineno}"
    _check_fields(record, name, where)
    start, end, text = record["start"], record["end"], record["text"]
    _check_slice(article, start, end, text, where)
    frame = record.get("frame")
    return GoldQuote(
        spans=[(start, end)],
        text=text,
        kind=record.get("kind"),
        cue=record.get("cue"),
        speaker=record.get("speaker"),
        speaker_alts=list(record.get("speaker_alts") or []),
        speaker_actor=record.get("speaker_actor"),
        frame=frame,
        frames=_frames_with_primary(frame, record.get("frames") or []),
        target=record.get("target"),
        target_alts=list(record.get("target_alts") or []),
        stance=record.get("stance"),
        optional=bool(record.get("optional", False)),
    )


def _check_fields(record: dict, name: str, where: str) -> None:
    for key in ("text", "start", "end"):
        if key not in record:
            raise GoldFormatError(f"{where}: missing {key!r}; every gold quote needs text, start and end")
    if not isinstance(record["text"], str):
        raise GoldFormatError(f"{where}: 'text' must be a string")
    for key in ("start", "end"):
        if not isinstance(record[key], int) or isinstance(record[key], bool):
            raise GoldFormatError(f"{where}: {key!r} must be an integer offset, got {record[key]!r}")
    for key in _STR_FIELDS:
        if record.get(key) is not None and not isinstance(record[key], str):
            raise GoldFormatError(f"{where}: {key!r} must be a string or null, got {record[key]!r}")
    for key in ("speaker_alts", "frames", "target_alts"):
        value = record.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise GoldFormatError(f"{where}: {key!r} must be a list of strings, got {value!r}")
    if not isinstance(record.get("optional", False), bool):
        raise GoldFormatError(f"{where}: 'optional' must be true or false")
    if record.get("kind") is not None and record["kind"] not in KINDS:
        raise GoldFormatError(f"{where}: unknown kind {record['kind']!r}; use one of {', '.join(KINDS)}")
    if record.get("article") is not None and record["article"] != name:
        raise GoldFormatError(
            f"{where}: 'article' is {record['article']!r} but the file belongs to {name!r}; "
            "fix the field or move the line to the right gold file"
        )


def _check_slice(article: str, start: int, end: int, text: str, where: str) -> None:
    if 0 <= start <= end <= len(article) and article[start:end] == text:
        return
    found = article.find(text) if text else -1
    hint = f"; the text occurs at start={found}, end={found + len(text)}" if found >= 0 else ""
    raise GoldFormatError(
        f"{where}: article[{start}:{end}] is {article[start:end][:60]!r}, not the quote's text "
        f"{text[:60]!r}; fix start/end or text ({_OFFSET_HINT}){hint}"
    )


def _frames_with_primary(frame: str | None, frames: list[str]) -> list[str]:
    """The gold frame list, with the primary frame first even when omitted."""
    frames = list(frames)
    if frame is not None and frame not in frames:
        frames.insert(0, frame)
    return frames


# --------------------------------------------------------------------------
# PolNeAR (BRAT standoff)


@dataclass
class _TextBound:
    label: str
    fragments: list[tuple[int, int]]
    text: str
    lineno: int


@dataclass
class _Event:
    kind: str
    trigger: str
    args: list[tuple[str, str]]
    lineno: int


def read_polnear(split_dir: str | Path) -> list[GoldArticle]:
    """Read a PolNeAR split (``text/`` + ``attributions/``) as gold articles.

    One annotator's file per article: the first ``NAME_<annotator>.ann`` in
    sorted order. Each content span of an ``Attribution`` or
    ``Attribution-no-source`` event becomes a :class:`GoldQuote` (a second
    content, ``Content2``, is a quote of its own with the same source and cue);
    events without content are skipped. ``kind`` and the frame labels are
    unknown in PolNeAR and stay ``None``.

    For example::

        dev = read_polnear("shared/data/polnear/dev")
        len(dev)  # 84
    """
    folder = Path(split_dir)
    if not is_polnear_split(folder):
        raise GoldFormatError(f"{folder}: not a PolNeAR split; it needs text/ and attributions/ folders")
    return [_read_polnear_article(folder, name, ann) for name, ann in _polnear_files(folder)]


def _polnear_files(folder: Path) -> list[tuple[str, Path]]:
    """(article name, chosen .ann file) for every article, checking both sides exist."""
    chosen: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        name, sep, _annotator = ann.stem.rpartition("_")
        if not sep:
            raise GoldFormatError(f"{ann}: expected NAME_<annotator>.ann; rename the file")
        chosen.setdefault(name, ann)
    texts = {p.stem for p in (folder / "text").glob("*.txt")}
    if texts - chosen.keys():
        name = min(texts - chosen.keys())
        raise GoldFormatError(f"{folder / 'text' / (name + '.txt')}: no attributions/{name}_<annotator>.ann")
    if chosen.keys() - texts:
        name = min(chosen.keys() - texts)
        raise GoldFormatError(f"{chosen[name]}: no article text/{name}.txt; add it or remove the .ann")
    if not chosen:
        raise GoldFormatError(f"{folder / 'attributions'}: no .ann files")
    return sorted(chosen.items())


def _read_polnear_article(folder: Path, name: str, ann: Path) -> GoldArticle:
    text = _read_utf8(folder / "text" / f"{name}.txt")
    bounds, events = _parse_ann(_read_utf8(ann), ann)
    for bound in bounds.values():
        _check_fragments(text, bound, f"{ann}:{bound.lineno}")
    quotes = [q for event in events for q in _event_quotes(event, bounds, text, ann)]
    quotes.sort(key=lambda q: q.spans[0])
    return GoldArticle(id=name, text=text, quotes=quotes)


def _parse_ann(content: str, path: Path) -> tuple[dict[str, _TextBound], list[_Event]]:
    bounds: dict[str, _TextBound] = {}
    events: list[_Event] = []
    for lineno, entry in _ann_entries(content):
        if entry.startswith("T"):
            tid, bound = _parse_text_bound(entry, path, lineno)
            bounds[tid] = bound
        elif entry.startswith("E"):
            events.append(_parse_event(entry, path, lineno))
    return bounds, events


def _ann_entries(content: str):
    """(line number, entry) pairs; a span's text may run over several lines."""
    entry, start = None, 0
    for lineno, line in enumerate(content.split("\n"), start=1):
        if _BRAT_ID.match(line):
            if entry is not None:
                yield start, entry
            entry, start = line, lineno
        elif entry is not None:
            entry += "\n" + line
    if entry is not None:
        yield start, entry


def _parse_text_bound(entry: str, path: Path, lineno: int) -> tuple[str, _TextBound]:
    tid, _tab, rest = entry.partition("\t")
    head, _tab, text = rest.partition("\t")
    match = _BRAT_TEXT_BOUND.match(head)
    if match is None:
        raise GoldFormatError(
            f"{path}:{lineno}: malformed text-bound line; expected 'T<n>\\tLabel START END[;START END]\\ttext'"
        )
    fragments = [tuple(int(x) for x in part.split()) for part in match.group(2).split(";")]
    return tid, _TextBound(match.group(1), fragments, text, lineno)


def _parse_event(entry: str, path: Path, lineno: int) -> _Event:
    fields = entry.split("\t", 1)[1].split() if "\t" in entry else []
    args = [tuple(arg.split(":", 1)) for arg in fields]
    if not args or any(len(arg) != 2 for arg in args):
        raise GoldFormatError(f"{path}:{lineno}: malformed event; expected 'E<n>\\tType:T<n> Role:T<n> ...'")
    (kind, trigger), *roles = args
    return _Event(kind=kind, trigger=trigger, args=roles, lineno=lineno)


def _check_fragments(article: str, bound: _TextBound, where: str) -> None:
    for start, end in bound.fragments:
        if not 0 <= start <= end <= len(article):
            raise GoldFormatError(f"{where}: span {start}-{end} lies outside the article ({len(article)} chars)")
    sliced = " ".join(article[s:e] for s, e in bound.fragments)
    if sliced.rstrip("\n") != bound.text.rstrip("\n"):
        raise GoldFormatError(
            f"{where}: the article at {bound.fragments} reads {sliced[:60]!r}, not {bound.text[:60]!r}; {_OFFSET_HINT}"
        )


def _event_quotes(event: _Event, bounds: dict[str, _TextBound], article: str, path: Path) -> list[GoldQuote]:
    if not event.kind.startswith("Attribution"):
        return []
    for tid in [event.trigger, *(tid for _role, tid in event.args)]:
        if tid not in bounds:
            raise GoldFormatError(f"{path}:{event.lineno}: event refers to {tid}, which is not defined in the file")
    roles: dict[str, list[_TextBound]] = {}
    for role, tid in event.args:
        roles.setdefault(role.rstrip("0123456789"), []).append(bounds[tid])
    cue = _first_text(roles.get("Cue"), article)
    source = (roles.get("Source") or [None])[0]
    return [_polnear_quote(content, cue, source, article) for content in roles.get("Content", [])]


def _polnear_quote(content: _TextBound, cue: str | None, source: _TextBound | None, article: str) -> GoldQuote:
    spans = sorted(content.fragments)
    return GoldQuote(
        spans=spans,
        text=" ".join(article[s:e] for s, e in spans),
        cue=cue,
        speaker=_first_text([source], article) if source else None,
        speaker_span=min(source.fragments) if source else None,
    )


def _first_text(bounds: list[_TextBound] | None, article: str) -> str | None:
    if not bounds:
        return None
    return " ".join(article[s:e] for s, e in sorted(bounds[0].fragments))
