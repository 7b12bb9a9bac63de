"""Comparing the outputs of two paths that may batch quotes differently.

A forward pass's float sums depend a little on the shapes it runs with (how
many quotes, padded to which length), so the same quote labelled in another
batch may get a score one unit off in its fourth decimal, the digit scores are
rounded to (before issue 17, ``analyze`` and ``score`` differed so in 4 rows of
2,011 on a 300-article archive). Everything else must be the same.

>>> same_but_the_last_digit({"frame": "blame", "frame_score": 0.7304}, {"frame": "blame", "frame_score": 0.7303})
True
>>> same_but_the_last_digit({"frame": "blame", "frame_score": 0.7304}, {"frame": "denial", "frame_score": 0.7304})
False
"""
from __future__ import annotations

import json

STEP = 1.0001e-4  # one unit of the fourth decimal, with room for the float's own rounding


def same_but_the_last_digit(a, b) -> bool:
    """Whether ``a`` and ``b`` (analysis objects, quotes or rows) are equal, scores allowed one unit apart
    in their fourth decimal, and ``low_confidence`` (a threshold on frame_score) allowed to follow it."""
    if isinstance(a, dict) and isinstance(b, dict):
        flag_may_move = a.get("frame_score") != b.get("frame_score")
        return a.keys() == b.keys() and all(
            (flag_may_move and key == "low_confidence") or same_but_the_last_digit(_value(a, key), _value(b, key))
            for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_but_the_last_digit(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= STEP
    return a == b


def _value(row: dict, key: str):
    """A row's ``frames`` is a JSON string (one Parquet schema for every label set): compared as the dict it holds."""
    value = row[key]
    return json.loads(value) if key == "frames" and isinstance(value, str) else value
