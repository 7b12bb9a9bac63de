"""The labelled quote of LABELS.md, described once: training files, feedback and the REST API use it.

:class:`Quote` is a quote to label, :class:`LabelledQuote` one with its labels (the
format's fields, what the feedback store keeps), :class:`LabelledQuoteLine` one line of a
labelled-quote file (also ``before``, and the fields gold and contrast files carry).
:func:`check_line` validates a line and says what is wrong in one sentence.

>>> check_line({"text": "Poland is lying", "frame": "blame", "target": "Poland", "stance": "against"})["frame"]
'blame'
>>> check_line({"text": "Poland is lying", "frame": "blame", "target": "Poland"})
Traceback (most recent call last):
ValueError: 'target' and 'stance' must be given together or both null
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model


class Quote(BaseModel):
    """An already-extracted quote: what the model reads."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the quote's words")
    context: str | None = Field(None, description="the sentence(s) around the quote")
    speaker: str | None = Field(None, description="who said it")
    speaker_actor: str | None = Field(None, description="the side the speaker speaks for")


class LabelledQuote(Quote):
    """A quote with its labels (LABELS.md: ``text`` and ``frame`` required, the rest optional)."""

    frame: str | None = Field(None, description="the primary frame")
    frames: list[str] | None = Field(None, description="every frame that fits, primary first")
    target: str | None = Field(None, description="the actor the quote is about; null with stance null")
    stance: str | None = Field(None, description="against, favor or neutral toward the target; null with target null")


class _LineFields(LabelledQuote):
    before: str | None = Field(None, description="the sentences before the quote's own: the model reads them, "
                                                 "but an actor named only there is no target")


# Gold-article files (LABELS.md) and contrast sets carry these too; they are accepted and kept as they are.
CARRIED_FIELDS = ("conflict", "id", "article", "kind", "start", "end", "speaker_alts", "optional", "cue", "source",
                  "pair", "target_alts")
LabelledQuoteLine = create_model("LabelledQuoteLine", __base__=_LineFields,
                                 __doc__="One line of a labelled-quote file: the quote, its labels, and what else "
                                         "such files carry.",
                                 **{name: (Any, None) for name in CARRIED_FIELDS})


QUOTE_FIELDS = tuple(LabelledQuote.model_fields)  # the format's own fields, in LABELS.md's order


def check_line(row: Any, require_labels: bool = True) -> dict[str, Any]:
    """``row`` (a parsed JSON line) when it is a valid :class:`LabelledQuoteLine`; else ValueError
    saying what is wrong in one sentence. With ``require_labels=False`` a line needs only ``text``."""
    if not isinstance(row, dict):
        raise ValueError(f"expected a JSON object, got {type(row).__name__}")
    try:
        LabelledQuoteLine.model_validate(row)
    except ValidationError as err:
        raise ValueError(_first_problem(err)) from None
    problem = _text_problem(row) or (_label_problem(row) if require_labels else None)
    if problem:
        raise ValueError(problem)
    return row


def _first_problem(err: ValidationError) -> str:
    """One sentence for the first thing pydantic found wrong."""
    first = err.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "the line"
    if first["type"] == "extra_forbidden":
        return f"unknown field {name!r} (known: {', '.join(QUOTE_FIELDS)}, before, conflict, ...)"
    if name == "text":
        return "'text' is missing or empty"
    if name == "frames":
        return "'frames' must be a list of labels"
    return f"{name!r} must be a string or null, got {type(first['input']).__name__}"


def _text_problem(row: dict[str, Any]) -> str | None:
    return None if row["text"].strip() else "'text' is missing or empty"


def _label_problem(row: dict[str, Any]) -> str | None:
    frame, frames = row.get("frame"), row.get("frames")
    if (row.get("target") is None) != (row.get("stance") is None):
        return "'target' and 'stance' must be given together or both null"
    if frame is None and row.get("target") is not None and not frames:
        return None  # a stance-only quote: teaches target and stance, not frames
    if not frame or not frame.strip():
        return "'frame' is missing or empty (give a frame, or a target and stance for a stance-only quote)"
    if frames is not None and not all(frames):
        return "'frames' must be a list of labels"
    if frames is not None and frame not in frames:
        return f"the primary frame {frame!r} is not in 'frames' {frames}"
    return None
