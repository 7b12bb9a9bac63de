"""Precision, recall and F1, counted one way for quotes (``evaluate --gold``) and for labels
(``evaluate --labels``, the training's eval split)."""
from __future__ import annotations

from collections import Counter
from typing import Hashable, Iterable, Sequence


def prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    """Precision, recall and F1 of the counts; None where a figure has no denominator.

    F1 is ``2tp / (2tp + fp + fn)``: the harmonic mean of precision and recall, in one division.

    >>> prf(2, 1, 2)["f1"], prf(2, 1, 2)["recall"]
    (0.5714285714285714, 0.5)
    >>> prf(0, 0, 3)
    {'precision': None, 'recall': 0.0, 'f1': 0.0}
    """
    return {"precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn), "f1": ratio(2 * tp, 2 * tp + fp + fn)}


def per_label_prf(pairs: Iterable[tuple[Hashable, Hashable]], labels: Sequence[Hashable]) -> dict[Hashable, dict]:
    """:func:`prf` of each label of ``labels`` over ``(gold, predicted)`` pairs, with its ``support``
    (gold count). A label neither predicted nor in the gold scores 0.0, never None.

    >>> per_label_prf([("a", "a"), ("b", "a")], ["a", "b"])["a"]
    {'precision': 0.5, 'recall': 1.0, 'f1': 0.6666666666666666, 'support': 1}
    """
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, predicted in pairs:
        if gold == predicted:
            tp[gold] += 1
        else:
            fp[predicted] += 1
            fn[gold] += 1
    table = {}
    for label in labels:
        figures = prf(tp[label], fp[label], fn[label])
        table[label] = {name: value or 0.0 for name, value in figures.items()}
        table[label]["support"] = tp[label] + fn[label]
    return table


def ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``, or None when there is nothing to divide by."""
    return numerator / denominator if denominator else None
