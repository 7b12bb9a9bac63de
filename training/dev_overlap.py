"""Word sequences that training data shares with the shared dev set.

    python -m training.dev_overlap training/data/contrast/train/my-set.jsonl
    python -m training.dev_overlap --words 6 training/data/articles/train/*.txt

The dev set is for measuring only: no sentence of it, and no paraphrase, may go into training
data. This lists every quote (``.jsonl``: its ``text`` and ``context``) or article (``.txt``)
that shares a run of ``--words`` words (default 5, at least ``--words - 2`` of them content
words) with a dev article, so a writer can reword it or drop it. Common wire phrases ("speaking
on condition of anonymity", "in line with international law") show up too: judge each hit.

A paraphrase that keeps a dev sentence's wording but changes its names and numbers ("Lima had
already returned the maps at the request of ..." made "Quito had already returned the charts at the
request of ...") shares no run of five words; ``--renamed`` finds those too. It masks names
(capitalised words) and numbers in each training quote and each dev sentence and quote, and lists
the pairs whose words match in order in runs of two or more for at least ``--renamed`` of their
length (0.45 is a good start: stock formulas such as "resolve their differences through dialogue"
come up near it, a renamed dev sentence above it).
Exit status 1 when there are hits.
"""
from __future__ import annotations

import argparse
import difflib
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


def skeleton(text: str) -> list[str]:
    """The words of ``text``, lower-cased, each run of names one ``X`` and each number ``N``."""
    out: list[str] = []
    for word in re.findall(r"[A-Za-z0-9']+", text):
        token = "X" if word[0].isupper() else "N" if word[0].isdigit() else word.lower()
        if not (token == "X" and out and out[-1] == "X"):
            out.append(token)
    return out


def renamed_share(a: list[str], b: list[str]) -> float:
    """The share of two skeletons matched in order in runs of two words or more (0 to 1)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 2)
    return 2 * matched / (len(a) + len(b)) if a and b else 0.0


def _dev_sentences(dev_files: list[Path]) -> list[list[str]]:
    """Skeletons of every dev sentence and of every gold quote beside the articles."""
    pieces = []
    for path in dev_files:
        pieces += re.split(r"(?<=[.!?\"”])\s+", path.read_text(encoding="utf-8"))
        gold = path.with_suffix(".gold.jsonl")
        if gold.exists():
            pieces += [json.loads(line)["text"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [s for s in map(skeleton, pieces) if len(s) >= 5]


def _renamed_hits(path: Path, dev: list[list[str]], share: float):
    """``(where, share, quote)`` for each quote of a ``.jsonl`` file that renames a dev sentence."""
    if path.suffix != ".jsonl":
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        text = json.loads(line).get("text") or ""
        words = skeleton(text)
        if len(words) >= 5:
            best = max((renamed_share(words, d) for d in dev), default=0.0)
            if best >= share:
                yield f"{path}:{number}", best, text


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
    parser.add_argument("--renamed", type=float, metavar="SHARE", help="also list quotes of .jsonl files that "
                        "match a dev sentence with other names and numbers for this share of their words")
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
    if args.renamed is not None:
        renamed = _list_renamed(args.files, _dev_sentences(dev_files), args.renamed)
        print(f"{renamed} quote(s) match a dev sentence with other names for {args.renamed:.0%} or more", file=sys.stderr)
        hits += renamed
    return 1 if hits else 0


def _list_renamed(files: list[Path], dev: list[list[str]], share: float) -> int:
    hits = 0
    for path in files:
        for where, best, text in _renamed_hits(path, dev, share):
            hits += 1
            print(f"{where}: {best:.2f} renamed: {text}")
    return hits


if __name__ == "__main__":
    sys.exit(main())
