"""Label metrics on labelled quotes: frame accuracy, macro-F1, per-label F1, target and stance accuracy."""
from __future__ import annotations

from typing import Any, Sequence


def label_metrics(gold: Sequence[dict], pred: Sequence[dict], frames: Sequence[str] | None = None) -> dict[str, Any]:
    """Compare predictions (``frame``, ``target``, ``stance``) with gold rows, in the same order.

    ``target_accuracy`` counts null == null as right; ``stance_accuracy`` is over
    the quotes whose gold has a stance.

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
    per_label = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g["frame"] == label and p["frame"] == label)
        fp = sum(1 for g, p in zip(gold, pred) if g["frame"] != label and p["frame"] == label)
        fn = sum(1 for g, p in zip(gold, pred) if g["frame"] == label and p["frame"] != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": tp + fn}
    present = [label for label in labels if per_label[label]["support"]]
    n = len(gold)
    with_stance = [(g, p) for g, p in targets if g.get("stance")]
    return {
        "n": n,
        "frame_accuracy": round(sum(g["frame"] == p["frame"] for g, p in zip(gold, pred)) / n, 4) if n else None,
        "frame_in_gold_frames": round(
            sum(p["frame"] in (g.get("frames") or [g["frame"]]) for g, p in zip(gold, pred)) / n, 4) if n else None,
        "frame_macro_f1": round(sum(per_label[label]["f1"] for label in present) / len(present), 4) if present else None,
        "target_accuracy": round(sum(g.get("target") == p.get("target") for g, p in targets) / len(targets), 4)
        if targets else None,
        "stance_accuracy": round(sum(g["stance"] == p.get("stance") for g, p in with_stance) / len(with_stance), 4)
        if with_stance else None,
        "stance_n": len(with_stance),
        "per_label": per_label,
    }


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
    return "\n".join(lines)
