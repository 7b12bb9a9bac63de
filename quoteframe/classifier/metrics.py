"""Label metrics on labelled quotes: frame accuracy, macro-F1, per-label F1, target and stance accuracy."""
from __future__ import annotations

from typing import Any, Sequence

from quoteframe.evaluation.prf import per_label_prf


def label_metrics(gold: Sequence[dict], pred: Sequence[dict], frames: Sequence[str] | None = None) -> dict[str, Any]:
    """Compare predictions (``frame``, ``target``, ``stance``) with gold rows, in the same order.

    ``target_accuracy`` counts null == null as right, and a gold row's ``target_alts`` (other
    acceptable targets) as right too; ``stance_accuracy`` is over the quotes whose gold has a stance.

    >>> g = [{"frame": "a", "target": "X", "stance": "against"}, {"frame": "b", "target": None, "stance": None}]
    >>> p = [{"frame": "a", "target": "X", "stance": "favor"}, {"frame": "a", "target": None, "stance": None}]
    >>> m = label_metrics(g, p)
    >>> m["frame_accuracy"], m["target_accuracy"], m["stance_accuracy"], m["per_label"]["a"]["f1"]
    (0.5, 1.0, 0.0, 0.6667)
    """
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    targets = list(zip(gold, pred))
    framed = [(g, p) for g, p in targets if g.get("frame")]  # stance-only gold has no frame
    gold, pred = [g for g, _ in framed], [p for _, p in framed]
    labels = list(frames) if frames else sorted({g["frame"] for g in gold} | {p["frame"] for p in pred})
    table = per_label_prf([(g["frame"], p["frame"]) for g, p in zip(gold, pred)], labels)
    per_label = {label: {k: round(v, 4) for k, v in row.items()} for label, row in table.items()}
    present = [label for label in labels if per_label[label]["support"]]
    n = len(gold)
    with_stance = [(g, p) for g, p in targets if g.get("stance")]
    return {
        "n": n,
        "frame_accuracy": round(sum(g["frame"] == p["frame"] for g, p in zip(gold, pred)) / n, 4) if n else None,
        "frame_in_gold_frames": round(
            sum(p["frame"] in (g.get("frames") or [g["frame"]]) for g, p in zip(gold, pred)) / n, 4) if n else None,
        "frame_macro_f1": round(sum(per_label[label]["f1"] for label in present) / len(present), 4) if present else None,
        "target_accuracy": round(sum(_target_right(g, p) for g, p in targets) / len(targets), 4)
        if targets else None,
        "stance_accuracy": round(sum(g["stance"] == p.get("stance") for g, p in with_stance) / len(with_stance), 4)
        if with_stance else None,
        "stance_n": len(with_stance),
        "per_label": per_label,
        "calibration": calibration(gold, pred),
    }


def _target_right(gold: dict, pred: dict) -> bool:
    return pred.get("target") == gold.get("target") or (
        pred.get("target") is not None and pred["target"] in (gold.get("target_alts") or ()))


def by_conflict(gold: Sequence[dict], pred: Sequence[dict], frames: Sequence[str] | None = None) -> dict[str, Any] | None:
    """:func:`label_metrics`' headline figures per dispute (the rows' ``conflict``), with the mean
    and standard deviation of the per-dispute frame macro-F1: how much one unseen dispute
    differs from the next. None when no row names its dispute."""
    groups: dict[str, list[int]] = {}
    for i, g in enumerate(gold):
        if g.get("conflict"):
            groups.setdefault(g["conflict"], []).append(i)
    if not groups:
        return None
    keys = ("n", "frame_accuracy", "frame_macro_f1", "target_accuracy", "stance_accuracy")
    table = {}
    for conflict, idx in sorted(groups.items()):
        m = label_metrics([gold[i] for i in idx], [pred[i] for i in idx], frames)
        table[conflict] = {k: m[k] for k in keys}
    f1s = [row["frame_macro_f1"] for row in table.values() if row["frame_macro_f1"] is not None]
    mean = sum(f1s) / len(f1s)
    sd = (sum((f - mean) ** 2 for f in f1s) / max(1, len(f1s) - 1)) ** 0.5
    return {"disputes": table, "frame_macro_f1_mean": round(mean, 4), "frame_macro_f1_sd": round(sd, 4)}


def format_by_conflict(table: dict[str, Any]) -> str:
    """A plain-text table of :func:`by_conflict` output."""
    def f(v):
        return "   -  " if v is None else f"{v:.3f}"

    lines = ["  per dispute             quotes  frame mF1  frame acc  target  stance"]
    for conflict, row in table["disputes"].items():
        lines.append(f"    {conflict:<22} {row['n']:5d} {f(row['frame_macro_f1']):>10} {f(row['frame_accuracy']):>10} "
                     f"{f(row['target_accuracy']):>7} {f(row['stance_accuracy']):>7}")
    lines.append(f"  frame macro-F1 over disputes: mean {table['frame_macro_f1_mean']:.3f}, "
                 f"sd {table['frame_macro_f1_sd']:.3f}")
    return "\n".join(lines)


def calibration(gold: Sequence[dict], pred: Sequence[dict], bins: int = 10) -> dict[str, Any] | None:
    """How well ``frame_score`` predicts that the frame is right: the expected calibration
    error (ECE: the gap between score and accuracy, averaged over equal-width score bins,
    weighted by their quotes) and the reliability table behind it. None without scores.

    >>> c = calibration([{"frame": "a"}, {"frame": "a"}], [{"frame": "a", "frame_score": 0.95},
    ...                                                    {"frame": "b", "frame_score": 0.35}])
    >>> c["ece"], [(b["low"], b["n"], b["accuracy"]) for b in c["bins"]]
    (0.2, [(0.3, 1, 0.0), (0.9, 1, 1.0)])
    """
    scored = [(p["frame_score"], g["frame"] == p["frame"]) for g, p in zip(gold, pred) if p.get("frame_score") is not None]
    if not scored:
        return None
    table, gap = [], 0.0
    for k in range(bins):
        low, high = k / bins, (k + 1) / bins
        inside = [(s, ok) for s, ok in scored if low <= s < high or (k == bins - 1 and s == 1.0)]
        if not inside:
            continue
        confidence = sum(s for s, _ in inside) / len(inside)
        accuracy = sum(ok for _, ok in inside) / len(inside)
        gap += len(inside) * abs(confidence - accuracy)
        table.append({"low": round(low, 2), "high": round(high, 2), "n": len(inside),
                      "mean_score": round(confidence, 4), "accuracy": round(accuracy, 4)})
    return {"ece": round(gap / len(scored), 4), "bins": table}


def low_confidence_threshold(gold: Sequence[dict], pred: Sequence[dict], floor: float = 0.5, at_least: int = 10,
                             steps: Sequence[float] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)) -> float:
    """The highest ``frame_score`` step under which the frames of ``pred`` are right no more often
    than ``floor`` (a coin flip is no confidence), counting every quote scored under it (at least
    ``at_least`` of them, and one in the step just below it); 0.0 when there is none. Labels
    scored under it are flagged as low-confidence.

    >>> g = [{"frame": "a"}] * 4
    >>> p = [{"frame": "b", "frame_score": 0.2}, {"frame": "b", "frame_score": 0.45},
    ...      {"frame": "a", "frame_score": 0.55}, {"frame": "a", "frame_score": 0.9}]
    >>> low_confidence_threshold(g, p, at_least=2)
    0.6
    """
    scored = [(p["frame_score"], g["frame"] == p["frame"]) for g, p in zip(gold, pred)
              if g.get("frame") and p.get("frame_score") is not None]  # stance-only rows have no frame
    best, width = 0.0, steps[1] - steps[0] if len(steps) > 1 else 0.1
    for step in steps:
        below = [ok for score, ok in scored if score < step]
        reached = any(step - width <= score < step for score, _ in scored)
        if reached and len(below) >= at_least and sum(below) / len(below) <= floor:
            best = step
    return best


# A primary frame scored under this is one the model itself does not assert (its sigmoid is
# under one half): low-confidence whatever a small eval split says about the steps above it.
UNSURE_BELOW = 0.5


def low_confidence_cutoff(gold: Sequence[dict], pred: Sequence[dict]) -> float:
    """The ``low_confidence_below`` that ``train`` records: :func:`low_confidence_threshold` on its
    eval split, and never under :data:`UNSURE_BELOW`. A few hundred eval quotes hold only a
    dozen scored low, too few to tell a coin flip from a good guess.

    >>> low_confidence_cutoff([{"frame": "a"}] * 2, [{"frame": "a", "frame_score": 0.9}] * 2)
    0.5
    """
    return max(low_confidence_threshold(gold, pred), UNSURE_BELOW)


def format_label_report(m: dict[str, Any], title: str = "Labels") -> str:
    """A plain-text table of :func:`label_metrics` output."""
    def f(v):
        return "   -  " if v is None else f"{v:.3f}"

    lines = [
        f"{title} ({m['n']} quotes)",
        f"  frame accuracy        {f(m['frame_accuracy'])}",
        f"  frame in gold frames  {f(m['frame_in_gold_frames'])}",
        f"  frame macro-F1        {f(m['frame_macro_f1'])}",
        f"  target accuracy       {f(m['target_accuracy'])}",
        f"  stance accuracy       {f(m['stance_accuracy'])}   ({m['stance_n']} with a stance)",
        "  per label             precision  recall     F1  support",
    ]
    for label, row in m["per_label"].items():
        lines.append(f"    {label:<20} {row['precision']:9.3f} {row['recall']:7.3f} {row['f1']:6.3f} {row['support']:8d}")
    if m.get("calibration"):
        lines.append(f"  frame_score calibration: ECE {m['calibration']['ece']:.3f}")
        lines.append("    score bin      quotes  mean score  frame right")
        for b in m["calibration"]["bins"]:
            lines.append(f"    {b['low']:.1f}-{b['high']:.1f} {b['n']:14d} {b['mean_score']:11.3f} {b['accuracy']:12.3f}")
    return "\n".join(lines)
