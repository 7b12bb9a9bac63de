"""Word sequences that training data shares with the shared dev set.

    python -m training.dev_overlap training/data/contrast/train/my-set.jsonl
    python -m training.dev_overlap --words 6 training/data/articles/train/*.txt

The dev set is for measuring only: no sentence of it, and no paraphrase, may go into training
data. This lists every quote (``.jsonl``: its ``text`` and ``context``) or article (``.txt``)
that shares a run of ``--words`` words (default 5, at least ``--words - 2`` of them content
words) with a dev article, so a writer can reword it or drop it. Common wire phrases ("speaking
on condition of anonymity", "in line with international law") show up too: judge each hit.
Exit status 1 when there are hits.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

DEV_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev-articles"
_STOP = frozenset("the a an of to in on and that it its was is for with by at as from be has had have "
                  "would will said this their they he she we our".split())


def word_runs(text: str, n: int) -> set[tuple[str, ...]]:
    """Every run of ``n`` words of ``text`` (lower-cased) with at least ``n - 2`` content words."""
    words = re.findall(r"[a-z0-9']+", text.lower())
    runs = (tuple(words[i:i + n]) for i in range(len(words) - n + 1))
    return {run for run in runs if sum(w not in _STOP for w in run) >= n - 2}


def _pieces(path: Path):
    """``(where, text)`` of each quote of a ``.jsonl`` file, or the whole of any other file."""
    if path.suffix != ".jsonl":
        yield str(path), path.read_text(encoding="utf-8")
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            yield f"{path}:{number}", f"{row.get('context') or ''} {row.get('text') or ''}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--words", type=int, default=5, help="length of the shared runs to report")
    parser.add_argument("--dev", type=Path, default=DEV_DIR, help="the dev-set folder")
    args = parser.parse_args(argv)
    dev_files = sorted(args.dev.glob("*.txt"))
    if not dev_files:
        parser.error(f"no dev articles in {args.dev}")
    dev = set().union(*(word_runs(f.read_text(encoding="utf-8"), args.words) for f in dev_files))
    hits = 0
    for path in args.files:
        for where, text in _pieces(path):
            shared = sorted(" ".join(run) for run in word_runs(text, args.words) & dev)
            if shared:
                hits += 1
                print(f"{where}: {' | '.join(shared[:3])}")
    print(f"{hits} piece(s) share a run of {args.words} words with the dev set", file=sys.stderr)
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
