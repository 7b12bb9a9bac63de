"""Stance toward a given target on real, human-labelled news: NewsMTSC and BASIL.

    python bench/stance.py --model models/quoteframe-default --data ../shared/data
    python bench/stance.py --newsmtsc-train-out /tmp/newsmtsc_train.jsonl --data ../shared/data

NewsMTSC (Hamborg & Donnay 2021): sentiment toward a target mention in a news
sentence; negative -> against, positive -> favor, neutral -> neutral. BASIL
(Fan et al. 2019): quotes with a speaker, a target and a polarity (pos/neg);
pos -> favor, neg -> against. Prints accuracy and macro-F1 for each. The
second form writes NewsMTSC's train split as labelled quotes (stance only)
for ``quoteframe train --base-model <model> --data <that file>``.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

NEWSMTSC_STANCE = {2.0: "against", 4.0: "neutral", 6.0: "favor"}
BASIL_STANCE = {"pos": "favor", "neg": "against"}


def newsmtsc(path: Path) -> list[dict]:
    """One record per (sentence, target): text, context, target (the mention), stance."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            sentence = item["sentence_normalized"]
            for t in item["targets"]:
                mention = sentence[t["from"]:t["to"]] or t["mention"]
                rows.append({"text": sentence, "context": sentence, "target": mention,
                             "stance": NEWSMTSC_STANCE[float(t["polarity"])]})
    return rows


def basil(folder: Path) -> list[dict]:
    """BASIL's quotes with a target and a polarity, each with the sentence around it."""
    rows = []
    for ann_path in sorted((folder / "annotations").rglob("*_ann.json")):
        article_path = folder / "articles" / ann_path.parent.name / ann_path.name.replace("_ann.json", ".json")
        if not article_path.exists():
            continue
        article = json.loads(article_path.read_text(encoding="utf-8"))
        body = " ".join(" ".join(p) if isinstance(p, list) else p for p in article.get("body-paragraphs", []))
        for a in json.loads(ann_path.read_text(encoding="utf-8")).get("phrase-level-annotations", []):
            if a.get("quote") != "yes" or a.get("polarity") not in BASIL_STANCE or not a.get("target"):
                continue
            text = a["txt"].strip().strip('"“”')
            at = body.find(text)
            context = _sentence(body, at, len(text)) if at >= 0 else text
            target = _mention(a["target"].replace("_", " "), context)
            if target is None:
                continue
            rows.append({"text": text, "context": context, "target": target,
                         "speaker": a.get("speaker", "").replace("_", " ") or None,
                         "stance": BASIL_STANCE[a["polarity"]]})
    return rows


def _sentence(body: str, at: int, length: int) -> str:
    start = max(body.rfind(". ", 0, at) + 2, 0) if body.rfind(". ", 0, at) >= 0 else 0
    end = body.find(". ", at + length)
    return body[start: end + 1 if end >= 0 else len(body)]


def _mention(name: str, context: str) -> str | None:
    """The words of ``name`` that occur in ``context`` (full name, else its last word)."""
    for candidate in (name, name.split()[-1], name.split()[0]):
        if candidate.lower() in context.lower():
            return candidate
    return None


def score(gold: list[dict], predicted: list[str | None]) -> dict:
    labels = sorted({g["stance"] for g in gold})
    right = sum(g["stance"] == p for g, p in zip(gold, predicted))
    f1s = []
    for label in labels:
        tp = sum(g["stance"] == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g["stance"] != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g["stance"] == label and p != label for g, p in zip(gold, predicted))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {"n": len(gold), "accuracy": round(right / len(gold), 4), "macro_f1": round(sum(f1s) / len(f1s), 4),
            "gold": dict(Counter(g["stance"] for g in gold)), "predicted": dict(Counter(predicted))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="the shared data folder")
    parser.add_argument("--model", help="model folder (default: the default model)")
    parser.add_argument("--newsmtsc-train-out", type=Path, help="write NewsMTSC train as labelled quotes and stop")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)

    if args.newsmtsc_train_out:
        rows = newsmtsc(args.data / "newsmtsc" / "train.jsonl")
        with open(args.newsmtsc_train_out, "w", encoding="utf-8") as out:
            for r in rows:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"wrote {len(rows)} stance-only quotes to {args.newsmtsc_train_out}")
        return 0

    from quoteframe.classifier import Classifier

    clf = Classifier.load(args.model)
    figures = {}
    for name, rows in (("NewsMTSC devtest_rw", newsmtsc(args.data / "newsmtsc" / "devtest_rw.jsonl")),
                       ("BASIL quotes", basil(args.data / "basil"))):
        predicted = [stance for stance, _ in clf.stance_toward(rows)]
        figures[name] = score(rows, predicted)
        m = figures[name]
        print(f"{name:<20} n={m['n']:5d}  accuracy {m['accuracy']:.3f}  macro-F1 {m['macro_f1']:.3f}  "
              f"gold {m['gold']}  predicted {m['predicted']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
