"""Whole articles with gold quotes (the dev set's format) as training data.

A folder of ``NAME.txt`` + ``NAME.gold.jsonl`` teaches the model what it sees
when it runs: :func:`gold_records` runs the extractor over each article and
gives each gold quote the context, cue and parties that the pipeline gives
the quote it finds there (:meth:`Classifier.article_records`), with the gold
labels. :func:`check_articles` checks such a folder against LABELS.md's rules
before anyone trains on it:

    python -m quoteframe.classifier.articles FOLDER [FOLDER ...]

prints one line per problem (``file:line: what is wrong``) and a summary, and
exits 1 when there are problems.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from quoteframe.evaluation.gold import GOLD_SUFFIX, GoldArticle, read_gold_dir

STANCES = ("against", "favor", "neutral")


def is_article_folder(path: str | Path) -> bool:
    """Whether ``path`` is a folder of gold articles (``NAME.txt`` beside each ``NAME.gold.jsonl``)."""
    folder = Path(path)
    golds = list(folder.glob(f"*{GOLD_SUFFIX}")) if folder.is_dir() else []
    return bool(golds) and all(g.with_name(g.name[: -len(GOLD_SUFFIX)] + ".txt").exists() for g in golds)


def read_quotes(paths, previous: int = 0, progress: bool = False, require_labels: bool = True,
                actors=()) -> list[dict]:
    """Labelled quotes from ``paths``: labelled-quote files and folders (LABELS.md), and folders
    of gold articles, whose quotes are read as the pipeline reads them (:func:`gold_records`),
    with the bundled gazetteer extended by the ``actors`` files."""
    from quoteframe.classifier.data import read_labelled

    rows, analyzer = [], None
    for path in map(Path, paths):  # in the order given
        if not is_article_folder(path):
            rows.extend(read_labelled([path], require_labels=require_labels))
            continue
        if analyzer is None:
            from quoteframe.analyzer import Analyzer, AnalyzerConfig

            analyzer = Analyzer(AnalyzerConfig(actor_files=list(actors)))
        rows.extend(gold_records(path, analyzer, previous, progress))
    return rows


def gold_records(folder: str | Path, analyzer, previous: int = 0, progress: bool = False) -> list[dict]:
    """Labelled-quote records of the gold quotes in ``folder``, as the model sees them at run time.

    Each gold quote takes the span, cue, speaker mention and context of the quote the
    extractor finds there (the match of ``quoteframe evaluate``); one it misses keeps its
    gold span, with the sentence around it as context. Labels, speaker and side are gold.
    ``conflict`` is the article name up to its last ``-`` (``pakistan-afghanistan-3``).
    """
    from quoteframe.classifier import adversary_of, article_records
    from quoteframe.evaluation.articles import match_by_overlap
    from quoteframe.schema import Quote

    articles = read_gold_dir(folder)
    extracted = analyzer.extract_many((a.id, a.text) for a in articles)
    if progress:
        from tqdm.auto import tqdm

        extracted = tqdm(extracted, total=len(articles), desc=f"reading {Path(folder).name}", unit="article")
    rows = []
    for article, (analysis, text) in zip(articles, extracted):
        found = dict(match_by_overlap(article.quotes, [q.to_dict() for q in analysis.quotes]))
        quotes = [analysis.quotes[found[j]] if j in found else Quote(g.text, g.spans[0][0], g.spans[-1][1], g.kind or "indirect")
                  for j, g in enumerate(article.quotes)]
        answered = {j: analysis.counterparts[i] for j, i in found.items() if i in analysis.counterparts}
        records = article_records([(quotes, text, analysis.parties, answered)], analyzer.gazetteer, previous)
        for j, (gold, record) in enumerate(zip(article.quotes, records)):
            if not gold.labelled or gold.optional:
                continue
            # the gold side, and the adversary of that side (the pipeline's came from its own side)
            record.update(speaker=gold.speaker, speaker_actor=gold.speaker_actor, frame=gold.frame,
                          adversary=adversary_of(record["salience"], gold.speaker_actor),
                          frames=gold.frames, target=gold.target, target_alts=gold.target_alts, stance=gold.stance,
                          conflict=article.id.rsplit("-", 1)[0], id=f"{article.id}:{j + 1}")
            rows.append(record)
    return rows


def check_articles(folder: str | Path, labels: tuple[str, ...], gazetteer) -> list[str]:
    """Every problem of the gold articles in ``folder``, one line each (empty: all good)."""
    problems = []
    for article in read_gold_dir(folder):
        problems.extend(_check_article(Path(folder), article, labels, gazetteer))
    return problems


def _check_article(folder: Path, article: GoldArticle, labels, gazetteer) -> list[str]:
    where = folder / f"{article.id}.gold.jsonl"
    problems = []
    known = gazetteer.actors
    for n, q in enumerate(article.quotes, 1):
        at = f"{where}:{n}"
        if q.frame not in labels:
            problems.append(f"{at}: frame {q.frame!r} is not one of {', '.join(labels)}")
        problems.extend(f"{at}: frames has {f!r}, not a label" for f in q.frames if f not in labels and f != q.frame)
        if len(set(q.frames)) != len(q.frames):
            problems.append(f"{at}: frames lists a label twice")
        if (q.target is None) != (q.stance is None):
            problems.append(f"{at}: target and stance are given together or both null")
        if q.stance is not None and q.stance not in STANCES:
            problems.append(f"{at}: stance {q.stance!r} is not one of {', '.join(STANCES)}")
        if q.frame == "neutral" and q.target is not None:
            problems.append(f"{at}: a neutral quote has no target (LABELS.md)")
        if q.target is not None and q.target == q.speaker_actor:
            problems.append(f"{at}: the target {q.target!r} is the speaker's own side")
        if not q.speaker:
            problems.append(f"{at}: no speaker")
        if q.kind is None:
            problems.append(f"{at}: no kind")
        for role, actor in (("speaker_actor", q.speaker_actor), ("target", q.target)):
            if actor is not None and actor not in known and actor.lower() not in article.text.lower():
                problems.append(f"{at}: {role} {actor!r} is neither a gazetteer actor nor named in the article")
    return problems


def summary(folders: list[str | Path]) -> str:
    """Articles, quotes, and quotes per primary frame, kind and stance."""
    articles = [a for folder in folders for a in read_gold_dir(folder)]
    quotes = [q for a in articles for q in a.quotes]
    lines = [f"{len(articles)} articles, {len(quotes)} quotes, "
             f"{sum(len(a.text.split()) for a in articles) // max(1, len(articles))} words an article"]
    for name, key in (("frame", lambda q: q.frame), ("kind", lambda q: q.kind),
                      ("stance", lambda q: q.stance or "-"), ("frames", lambda q: len(q.frames))):
        counts = Counter(key(q) for q in quotes)
        lines.append(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from quoteframe.actors import default_gazetteer
    from quoteframe.errors import InputError

    folders = argv if argv is not None else sys.argv[1:]
    if not folders:
        print("usage: python -m quoteframe.classifier.articles FOLDER [FOLDER ...]", file=sys.stderr)
        return 2
    labels = ("blame", "denial", "threat", "humanitarian", "deception", "de-escalation", "measures", "neutral")
    gazetteer = default_gazetteer()
    try:
        problems = [p for folder in folders for p in check_articles(folder, labels, gazetteer)]
        print("\n".join(problems + [summary(folders)]))
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
