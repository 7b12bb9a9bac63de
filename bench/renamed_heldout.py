"""How much a model leans on country names: its held-out figures as written and with the countries renamed.

    python bench/renamed_heldout.py [--model DIR] [--renamings 2]

Each renaming gives every country of a held-out quote (its text, context,
side, target, the article's adversary and salience) another country's name,
the same one everywhere (``training/rename.py``), and scores the model again.
A model that reads the words of a frame scores about the same; one that has
learned which countries tend to accuse scores lower. The held-out quotes are
the default model's (12 disputes never trained on); pass your own with --labels.
"""
from __future__ import annotations

import argparse
import random
import sys

from quoteframe.classifier.data import HELDOUT_PATHS

FIGURES = ("frame_accuracy", "frame_macro_f1", "target_accuracy", "stance_accuracy")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="model folder (default: the default model)")
    parser.add_argument("--labels", nargs="+", default=[str(p) for p in HELDOUT_PATHS],
                        help="labelled-quote files or gold-article folders (default: the held-out disputes)")
    parser.add_argument("--renamings", type=int, default=2, help="renamings to score, each with its own seed")
    args = parser.parse_args(argv)

    from quoteframe.analyzer import load_analyzer
    from quoteframe.classifier.articles import read_quotes
    from quoteframe.classifier.metrics import label_metrics
    from training.rename import CountryRenamer

    # as `quoteframe evaluate --labels` reads them: the model's context window and gazetteer
    analyzer = load_analyzer(args.model)
    clf = analyzer.classifier
    rows = read_quotes(args.labels, int(clf.section.get("context_sentences_before", 0)),
                       actors=analyzer.config.actor_files)
    renamer = CountryRenamer(clf.encoder.gazetteer)
    print(f"{len(rows)} quotes of {', '.join(args.labels)}")
    print(f"{'':14}" + "".join(f"{name:>18}" for name in FIGURES))
    written = clf.classify(rows)
    runs = [("as written", rows, written)]
    for seed in range(1, args.renamings + 1):
        rng = random.Random(seed)
        renamed = [renamer.rename(r, rng) for r in rows]
        runs.append((f"renamed ({seed})", renamed, clf.classify(renamed)))
    for name, gold, predicted in runs:
        m = label_metrics(gold, predicted)
        print(f"{name:14}" + "".join(f"{m[k]:>18.3f}" for k in FIGURES))
    for name, _, predicted in runs[1:]:
        moved = sum(a["frame"] != b["frame"] for a, b in zip(written, predicted))
        print(f"{name}: {moved} of {len(rows)} frames differ from the quotes as written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
