"""The held-out check of a model folder's number formats against fp32, run at ``quoteframe train``
time and by ``python -m quoteframe.classifier.precision_check MODEL_DIR``; its record is what
:mod:`quoteframe.precision` reads for ``--precision auto``. Kept apart from that module, which the
classifier imports, because the check itself runs the classifier."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Sequence

from quoteframe.precision import MAX_F1_DROP, MIN_SAME_FRAME, RECORD_FILE, write_record

# -- the check -------------------------------------------------------------------------------
def check_precisions(load: Callable[[str], Any], rows: Sequence[dict], reference: Sequence[dict] | None = None,
                     precisions: Sequence[str] = ("bf16", "int8")) -> dict[str, Any]:
    """Held-out figures of each format against fp32: the record :func:`write_record` keeps.

    ``load(precision)`` gives a classifier on the CPU in that format; ``reference`` is fp32's
    predictions for ``rows`` when already at hand."""
    from quoteframe.classifier.metrics import label_metrics

    fp32 = load("fp32")
    reference = list(reference) if reference is not None else fp32.classify(rows)
    base = label_metrics(rows, reference, fp32.labels)["frame_macro_f1"]
    import torch

    record: dict[str, Any] = {
        "quotes": len(rows),
        "torch": torch.__version__,
        "criteria": {"max_frame_macro_f1_drop": MAX_F1_DROP, "min_same_primary_frame": MIN_SAME_FRAME},
        "precisions": {"fp32": {"frame_macro_f1": _round(base), "same_primary_frame": 1.0, "passed": True}},
    }
    for precision in precisions:
        predicted = load(precision).classify(rows)
        f1 = label_metrics(rows, predicted, fp32.labels)["frame_macro_f1"]
        same = sum(a["frame"] == b["frame"] for a, b in zip(reference, predicted)) / max(1, len(rows))
        passed = base is not None and f1 is not None and f1 >= base - MAX_F1_DROP and same >= MIN_SAME_FRAME
        record["precisions"][precision] = {"frame_macro_f1": _round(f1), "same_primary_frame": round(same, 4),
                                           "passed": bool(passed)}
    return record


def describe(record: dict[str, Any]) -> str:
    """One line a format: ``bf16: frame macro-F1 0.839 (fp32 0.839), same primary frame 99.8%: passed``."""
    checks = record.get("precisions", {})
    base = checks.get("fp32", {}).get("frame_macro_f1")
    lines = []
    for precision, r in checks.items():
        if precision == "fp32":
            continue
        verdict = "passed" if r.get("passed") else "failed (auto will not pick it)"
        lines.append(f"{precision}: frame macro-F1 {_f(r.get('frame_macro_f1'))} (fp32 {_f(base)}), "
                     f"same primary frame {100 * r.get('same_primary_frame', 0):.1f}% of {record.get('quotes')} "
                     f"held-out quotes: {verdict}")
    return "\n".join(lines)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _f(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m quoteframe.classifier.precision_check MODEL_DIR [--heldout FILE...] [--write]``."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m quoteframe.classifier.precision_check",
                                description="Check a model folder's bf16 and int8 formats against fp32 on held-out "
                                            "quotes (what quoteframe train records in precision.json).")
    p.add_argument("model", metavar="MODEL_DIR")
    p.add_argument("--heldout", nargs="+", metavar="PATH",
                   help="held-out quotes (default: the folder's own held-out files, else the bundled ones)")
    p.add_argument("--write", action="store_true", help=f"record the check in MODEL_DIR/{RECORD_FILE}")
    args = p.parse_args(argv)
    record = check_folder(Path(args.model), args.heldout)
    print(describe(record))
    if args.write:
        print(f"recorded in {write_record(Path(args.model), record)}")
    return 0


def check_folder(folder: Path, heldout: Sequence[str] | None = None) -> dict[str, Any]:
    """:func:`check_precisions` of a saved model folder on held-out quotes."""
    from quoteframe.classifier import Classifier
    from quoteframe.classifier.articles import read_quotes
    from quoteframe.classifier.data import HELDOUT_PATHS

    section = json.loads((folder / "config.json").read_text(encoding="utf-8")).get("quoteframe", {})
    paths = heldout or section.get("training_data", {}).get("heldout") or [str(p) for p in HELDOUT_PATHS]
    paths = [p if Path(p).exists() else str(Path(__file__).resolve().parents[1] / p) for p in paths]
    rows = read_quotes(paths, int(section.get("context_sentences_before", 0)))
    return check_precisions(lambda precision: Classifier.load(folder, device="cpu", precision=precision), rows)




if __name__ == "__main__":
    raise SystemExit(main())
