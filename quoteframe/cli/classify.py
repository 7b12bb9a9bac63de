"""`quoteframe classify`: frame, target and stance of already-extracted quotes."""
from __future__ import annotations

import json
import sys

from quoteframe.cli.options import EXIT_OK, add_model_options, load_classifier, progress
from quoteframe.flags import positive_int


def add_parser(sub) -> None:
    p = sub.add_parser("classify", help="frame, target and stance of already-extracted quotes",
                       description="Label quotes given in LABELS.md's format (text, optional context, speaker, "
                                   "speaker_actor): one JSON object a line on stdout.")
    p.add_argument("files", nargs="+", metavar="FILE.jsonl", help="labelled-quote files (JSON Lines; .gz accepted)")
    p.add_argument("--batch-size", type=positive_int, default=64, metavar="N", help="quotes per model call (default 64)")
    add_model_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from quoteframe.classifier.data import read_labelled

    rows = read_labelled(args.files, require_labels=False)
    classifier = load_classifier(args)
    classifier.batch_size = args.batch_size
    for start in progress(range(0, len(rows), 1024), "classifying", unit="chunk"):
        chunk = rows[start : start + 1024]
        for row, result in zip(chunk, classifier.classify(chunk)):
            sys.stdout.write(json.dumps({"text": row["text"], **result}, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return EXIT_OK
