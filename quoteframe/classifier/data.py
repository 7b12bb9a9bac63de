"""Labelled quotes (LABELS.md's file format): reading, validating, splitting.

Every problem is reported as one :class:`LabelFileError` naming the file and
line, so that ``quoteframe train`` can stop with one clear message.

>>> rows = read_labelled([TRAIN_DIR / "belarus-eu-border.jsonl"])
>>> rows[0]["frame"]
'blame'
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from quoteframe.errors import InputError
from quoteframe.jsonl import read_json_lines


# Bundled data: the team's own labelled quotes, gold articles and contrast sets, split once and
# for all by dispute (training/data/README.md): whole disputes are held out, never single quotes.
DATA_DIR = Path(__file__).resolve().parents[2] / "training" / "data"
TRAIN_DIR = DATA_DIR / "train"
HELDOUT_DIR = DATA_DIR / "heldout"
TRAIN_PATHS = (TRAIN_DIR, DATA_DIR / "articles" / "train", DATA_DIR / "contrast" / "train")
HELDOUT_PATHS = (HELDOUT_DIR, DATA_DIR / "articles" / "heldout", DATA_DIR / "contrast" / "heldout")


class LabelFileError(InputError):
    """A labelled-quote file that cannot be used as it is."""


@dataclass(frozen=True)
class LabelSet:
    """The labels a model predicts: frames (multi-label, one primary) and stances."""

    frames: tuple[str, ...]
    stances: tuple[str, ...]

    @classmethod
    def of(cls, rows: Sequence[dict]) -> "LabelSet":
        frames = sorted({r["frame"] for r in rows if r.get("frame")} | {f for r in rows for f in r.get("frames") or ()})
        stances = sorted({r["stance"] for r in rows if r.get("stance")})
        return cls(tuple(frames), tuple(stances))


def labelled_files(paths: Iterable[str | Path]) -> list[Path]:
    """The ``.jsonl`` files behind ``paths`` (folders are searched, sorted)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(list(p.glob("*.jsonl")) + list(p.glob("*.jsonl.gz")))
            if not found:
                raise LabelFileError(f"{p}: the folder has no .jsonl files")
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise LabelFileError(f"{p}: no such file or folder")
    if not files:
        raise LabelFileError("no labelled-quote files given")
    return files


def read_labelled(paths: Iterable[str | Path], *, require_labels: bool = True) -> list[dict[str, Any]]:
    """Every labelled quote in ``paths`` (files or folders), validated, in file order.

    With ``require_labels=False`` a line needs only ``text`` (``classify`` input).
    """
    rows: list[dict[str, Any]] = []
    for path in labelled_files(paths):
        rows.extend(_read_file(path, require_labels))
    if not rows:
        raise LabelFileError("the labelled-quote files hold no quotes")
    return rows


def _read_file(path: Path, require_labels: bool) -> list[dict[str, Any]]:
    return [validate(row, f"{path}:{number}", require_labels)
            for number, row in read_json_lines(path, LabelFileError, expect="one labelled quote (LABELS.md)")]


def validate(row: Any, where: str, require_labels: bool = True) -> dict[str, Any]:
    """``row`` checked against LABELS.md's format; raises ``LabelFileError`` naming ``where``."""
    from quoteframe.labelled import check_line  # pydantic: not on the way to `quoteframe --help`

    try:
        return check_line(row, require_labels)
    except ValueError as err:
        raise LabelFileError(f"{where}: {err}") from None


def check_trainable(rows: Sequence[dict], min_examples: int = 2, base: LabelSet | None = None) -> LabelSet:
    """The label set of ``rows`` (or of the ``base`` model being fine-tuned); raises when a
    label has too few examples to learn, or is one the base model lacks."""
    labels = LabelSet.of(rows)
    counts = Counter(r["frame"] for r in rows if r.get("frame"))
    if base is not None:
        for kind, have, allowed in (("frame", labels.frames, base.frames), ("stance", labels.stances, base.stances)):
            extra = sorted(set(have) - set(allowed))
            if extra:
                raise LabelFileError(f"the data has {kind} label(s) the base model lacks: {', '.join(extra)} "
                                     f"(its labels: {', '.join(allowed)}); train from an encoder instead")
        return base
    if not labels.frames:
        raise LabelFileError("no quote has a frame; stance-only data needs --base-model set to a quoteframe model")
    if len(labels.frames) < 2:
        raise LabelFileError(f"the data has only one frame ({labels.frames[0]!r}); a classifier needs at least two")
    for frame in labels.frames:
        if counts[frame] < min_examples:
            line = _first_line(rows, frame)
            raise LabelFileError(
                f"frame {frame!r} has {counts[frame]} example(s) as primary frame{line}; "
                f"give at least {min_examples}, or fold it into another label"
            )
    return labels


def _first_line(rows: Sequence[dict], frame: str) -> str:
    for i, r in enumerate(rows):
        if r.get("frame") == frame or frame in (r.get("frames") or ()):
            return f" (quote {i + 1}: {r['text'][:40]!r})"
    return ""


def split_rows(rows: Sequence[dict], fraction: float, seed: int) -> tuple[list[dict], list[dict]]:
    """A stratified (by primary frame) random split: ``(train, eval)``; eval is ``fraction`` of rows."""
    import random

    if not 0 < fraction < 1:
        raise LabelFileError(f"--eval-split must be between 0 and 1, got {fraction}")
    rng = random.Random(seed)
    by_frame: dict[str, list[dict]] = {}
    for r in rows:
        by_frame.setdefault(r.get("frame") or "", []).append(r)
    train, held = [], []
    for frame in sorted(by_frame):
        group = by_frame[frame][:]
        rng.shuffle(group)
        n = max(1, round(len(group) * fraction)) if len(group) > 1 else 0
        held.extend(group[:n])
        train.extend(group[n:])
    return train, held

