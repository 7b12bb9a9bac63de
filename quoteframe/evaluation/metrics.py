"""Metrics behind ``quoteframe evaluate``: quote matching, speakers, labels.

Predictions are analysis objects as plain dicts (``Analysis.to_dict()``);
gold comes from :mod:`quoteframe.evaluation.gold`.

For example::

    metrics = evaluate(zip(gold_articles, analyses))
    print(format_report(metrics))
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from quoteframe.evaluation.gold import KINDS, GoldArticle, GoldQuote
from quoteframe.evaluation.prf import prf, ratio
from quoteframe.evaluation.tables import worst_articles

# Speech-act cue words, lower-case lemmas (and irregular forms, which the naive
# lemmatiser in _lemmas cannot reach). Beliefs, intentions and perceptions
# ("believe", "think", "want", "see") are deliberately absent: PolNeAR marks
# them as attributions, and the speech-only figures leave them out. Callers
# with their own list pass it as ``verbs``.
SPEECH_VERBS = frozenset(
    """
    say said tell told add claim state announce report write wrote written
    according explain note stress insist argue warn urge call deny accuse
    ask reply respond answer comment declare tweet post speak spoke spoken
    remark mention suggest acknowledge admit confirm testify predict promise
    vow pledge quote describe recount recall assert contend maintain charge
    allege complain criticize criticise praise thank blame demand
    propose recommend advise proclaim emphasize emphasise underline
    reiterate repeat continue conclude concede caution threaten dismiss
    reject dispute counter rebut retort joke shout yell tout boast brag
    estimate forecast disclose reveal publish broadcast interview statement
    cite blast attack condemn question discuss chant point
    """.split()
)
SPEECH_PHRASES = ("according to", "in a statement", "in an interview", "in a tweet")
# A bare colon or dash as the cue introduces a transcript line: "TRUMP: ...".
SPEECH_PUNCTUATION = frozenset(":\u2014\u2015\u2013-")

Span = tuple[int, int]


# --------------------------------------------------------------------------
# spans and matching


def overlap(pred: Span, gold_spans: list[Span]) -> int:
    """Characters shared by a predicted ``[start, end)`` span and gold fragments.

    >>> overlap((0, 10), [(5, 8), (9, 20)])
    4
    """
    start, end = pred
    return sum(max(0, min(end, g_end) - max(start, g_start)) for g_start, g_end in gold_spans)


def match_quotes(pred: list[dict], gold: list[GoldQuote]) -> list[tuple[int, int]]:
    """One-to-one (pred index, gold index) pairs of quotes that cover each other.

    A pair is allowed when the overlap covers at least half of the predicted
    span and at least half of the gold fragments together; pairs are taken
    greedily, best smaller-coverage first. Returned sorted by pred index.

    >>> match_quotes([{"start": 0, "end": 10}], [GoldQuote(spans=[(2, 12)], text="")])
    [(0, 0)]
    """
    candidates = sorted(_candidate_pairs(pred, gold), reverse=True)
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    pairs = []
    for _score, _shared, neg_i, neg_j in candidates:
        i, j = -neg_i, -neg_j
        if i not in used_pred and j not in used_gold:
            used_pred.add(i)
            used_gold.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _candidate_pairs(pred: list[dict], gold: list[GoldQuote]):
    """(coverage, overlap, -i, -j) for every allowed pair; sorts best first, ties by order."""
    for i, quote in enumerate(pred):
        span = _pred_span(quote)
        if span is None:
            continue
        for j, gold_quote in enumerate(gold):
            coverage = _coverage(span, gold_quote.spans)
            if coverage >= 0.5:
                yield coverage, overlap(span, gold_quote.spans), -i, -j


def _pred_span(quote: dict) -> Span | None:
    start, end = quote.get("start"), quote.get("end")
    if isinstance(start, int) and isinstance(end, int) and end > start:
        return start, end
    return None


def _coverage(span: Span, gold_spans: list[Span]) -> float:
    """The smaller of the two coverage ratios (shared / pred, shared / gold)."""
    gold_length = sum(end - start for start, end in gold_spans)
    if gold_length <= 0:
        return 0.0
    shared = overlap(span, gold_spans)
    return min(shared / (span[1] - span[0]), shared / gold_length)


# --------------------------------------------------------------------------
# speakers


def normalise_name(name: str | None) -> str:
    """A name reduced for comparison: case, accents, apostrophes, possessive
    ``'s``, punctuation and a leading "the" do not count.

    >>> normalise_name("The Elysée’s office.")
    'elysee office'
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['\u2018\u2019\u02bc`]s\b", "", text.replace("\u2019", "'"))
    tokens = re.sub(r"[^\w\s]|_", " ", text).split()
    if tokens[:1] == ["the"]:
        tokens = tokens[1:]
    return " ".join(tokens)


def names_match(a: str | None, b: str | None) -> bool:
    """Equal after :func:`normalise_name`, or one a whole-token suffix of the other.

    >>> names_match("Putin", "Vladimir Putin"), names_match("tin", "Vladimir Putin")
    (True, False)
    """
    ta, tb = normalise_name(a).split(), normalise_name(b).split()
    if not ta or not tb:
        return False
    shorter, longer = sorted((ta, tb), key=len)
    return longer[len(longer) - len(shorter):] == shorter


def speaker_matches(pred_speaker: dict | None, gold: GoldQuote) -> bool:
    """Whether a predicted speaker (``{"name", "mention", "start", "end", ...}``)
    is the gold speaker.

    The name matches ``gold.speaker`` or one of ``gold.speaker_alts`` by
    :func:`names_match`. With a PolNeAR source span, a predicted mention that
    overlaps it, or a name or mention equal to the source text, matches too.

    >>> speaker_matches({"name": "Putin"}, GoldQuote([(0, 1)], "x", speaker="Vladimir Putin"))
    True
    """
    if not pred_speaker:
        return False
    name = pred_speaker.get("name")
    if any(names_match(name, gold_name) for gold_name in [gold.speaker, *gold.speaker_alts]):
        return True
    return gold.speaker_span is not None and _matches_source(pred_speaker, gold)


def _matches_source(pred_speaker: dict, gold: GoldQuote) -> bool:
    span = _pred_span(pred_speaker)
    if span is not None and overlap(span, [gold.speaker_span]) > 0:
        return True
    source = normalise_name(gold.speaker)
    said = (normalise_name(pred_speaker.get(key)) for key in ("name", "mention"))
    return bool(source) and source in said


# --------------------------------------------------------------------------
# speech cues


def is_speech_cue(cue: str | None, verbs: Iterable[str] | None = None) -> bool:
    """Whether a cue is a speech act (say, tell, according to, ...), not a belief.

    Words are lower-cased and lemmatised naively (``-s``, ``-ed``, ``-ing``
    stripped). ``verbs`` replaces :data:`SPEECH_VERBS`.

    >>> is_speech_cue("has repeatedly claimed"), is_speech_cue(":"), is_speech_cue("believes")
    (True, True, False)
    """
    if not cue or not cue.strip():
        return False
    if set(cue.strip()) <= SPEECH_PUNCTUATION:
        return True
    vocabulary = SPEECH_VERBS if verbs is None else frozenset(v.lower() for v in verbs)
    text = " ".join(re.findall(r"[a-z]+", cue.lower()))
    if any(f" {phrase} " in f" {text} " for phrase in SPEECH_PHRASES):
        return True
    return any(_lemmas(word) & vocabulary for word in text.split())


def _lemmas(word: str) -> set[str]:
    """Candidate lemmas of an English word: stated → state/stat, urging → urge/urg."""
    forms = {word}
    for suffix in ("s", "es", "ed", "d", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms.update({stem, stem + "e"})
            if len(stem) > 2 and stem[-1] == stem[-2]:
                forms.add(stem[:-1])  # doubled consonant: stopped → stop
            if stem.endswith("i"):
                forms.add(stem[:-1] + "y")  # replied → reply
    return forms


def is_speech_gold(quote: GoldQuote) -> bool:
    """A ``gold_filter`` for speech-only figures; quotes with no known cue are kept."""
    return quote.cue is None or is_speech_cue(quote.cue)


# --------------------------------------------------------------------------
# PolNeAR's attributions


_JOIN_MAX_CHARS = 250


def join_continued_quotes(analysis: dict | None, text: str) -> dict | None:
    """The analysis with each continued direct quote joined to the one it continues.

    In '“A,” she said. “B.”' quoteframe gives two quotes by her (LABELS.md, the dev
    set); PolNeAR marks one attribution from A to B. Before PolNeAR figures are taken,
    a direct quote with no cue of its own that follows a direct quote by the same
    speaker in the same paragraph becomes part of that quote.

    >>> text = '“We stay,” she said. “We build.”'
    >>> said = {"name": "she", "start": 11, "end": 14}
    >>> a = {"quotes": [{"kind": "direct", "cue": "said", "start": 1, "end": 9, "speaker": said},
    ...                 {"kind": "direct", "cue": None, "start": 22, "end": 31, "speaker": said}]}
    >>> [(q["start"], q["end"]) for q in join_continued_quotes(a, text)["quotes"]]
    [(1, 31)]
    """
    if not analysis or not analysis.get("quotes"):
        return analysis
    joined: list[dict] = []
    for quote in sorted(analysis["quotes"], key=lambda q: q.get("start") or 0):
        if joined and _continues(joined[-1], quote, text):
            previous = joined[-1]
            joined[-1] = {**previous, "end": quote["end"], "text": text[previous["start"] : quote["end"]]}
        else:
            joined.append(quote)
    return {**analysis, "quotes": joined}


def _continues(previous: dict, quote: dict, text: str) -> bool:
    if previous.get("kind") != "direct" or quote.get("kind") != "direct" or quote.get("cue") is not None:
        return False
    if _pred_span(previous) is None or _pred_span(quote) is None or quote["start"] < previous["end"]:
        return False
    between = text[previous["end"] : quote["start"]]
    return (len(between) <= _JOIN_MAX_CHARS and "\n" not in between
            and _speaker_key(previous.get("speaker")) == _speaker_key(quote.get("speaker")) != (None, None))


def _speaker_key(speaker: dict | None) -> tuple:
    speaker = speaker or {}
    return speaker.get("name"), speaker.get("start")


# --------------------------------------------------------------------------
# evaluation


def evaluate(
    pairs: Iterable[tuple[GoldArticle, dict]],
    gold_filter: Callable[[GoldQuote], bool] | None = None,
    speech_only: bool = False,
) -> dict[str, Any]:
    """Score analyses against gold articles; returns a JSON-ready dict.

    ``pairs`` yields ``(GoldArticle, Analysis.to_dict())``. Optional gold
    quotes, and those ``gold_filter`` rejects (or, with ``speech_only``,
    those whose cue is not a speech verb), are neither required nor
    penalised: a prediction matched to one is neither tp nor fp.

    Keys: ``articles``, ``gold``, ``predicted``, ``tp``, ``fp``, ``fn``,
    ``ignored``, ``precision``, ``recall``, ``f1``; ``speaker_accuracy``,
    ``actor_accuracy``, ``primary_frame_in_gold``, ``frame_accuracy``,
    ``target_accuracy``, ``stance_accuracy``, ``tag_accuracy`` (each with
    ``*_n``, its denominator; ``None`` when there is nothing to score);
    ``recall_by_kind``; ``per_article``. Frame figures are ``None`` when no
    prediction carries a frame.

    For example::

        evaluate([(gold_article, analysis)])["f1"]  # 0.8
    """
    keep = _gold_filter(gold_filter, speech_only)
    counts: Counter = Counter()
    per_article = [_score_article(article, analysis, keep, counts) for article, analysis in pairs]
    return _summary(counts, per_article)


def _gold_filter(gold_filter, speech_only: bool) -> Callable[[GoldQuote], bool]:
    filters = [f for f in (gold_filter, is_speech_gold if speech_only else None) if f is not None]
    return lambda quote: not quote.optional and all(f(quote) for f in filters)


def _score_article(article: GoldArticle, analysis: dict, keep, totals: Counter) -> dict[str, Any]:
    predicted = list((analysis or {}).get("quotes") or [])
    required = [keep(q) for q in article.quotes]
    matched = match_quotes(predicted, article.quotes)
    counts: Counter = Counter(gold=sum(required), predicted=len(predicted))
    counts["tp"] = sum(required[j] for _i, j in matched)
    counts["ignored"] = len(matched) - counts["tp"]
    counts["fp"] = len(predicted) - len(matched)
    counts["fn"] = counts["gold"] - counts["tp"]
    counts["has_frames"] = any(q.get("frame") is not None for q in predicted)
    for i, j in matched:
        if required[j]:
            _score_pair(predicted[i], article.quotes[j], counts)
    _count_kinds(article.quotes, required, {j for _i, j in matched}, counts)
    counts["tag_n"] = sum(1 for j, q in enumerate(article.quotes) if required[j] and q.labelled)
    totals.update(counts)
    return _article_row(article.id, counts)


def _score_pair(pred: dict, gold: GoldQuote, counts: Counter) -> None:
    """Tally speaker, actor and label agreement for one true positive."""
    speaker = pred.get("speaker") or {}
    if gold.has_speaker:
        counts["speaker_n"] += 1
        counts["speaker_ok"] += speaker_matches(speaker, gold)
    actor_ok = _same_label(speaker.get("actor"), gold.speaker_actor)
    if gold.speaker_actor is not None:
        counts["actor_n"] += 1
        counts["actor_ok"] += actor_ok
    if gold.labelled:
        _score_labels(pred, gold, actor_ok, counts)


def _score_labels(pred: dict, gold: GoldQuote, actor_ok: bool, counts: Counter) -> None:
    frame = pred.get("frame")
    in_gold = frame in gold.frames
    target_ok = _same_label(pred.get("target"), gold.target)
    counts["label_n"] += 1
    counts["frame_in_gold"] += in_gold
    counts["frame_ok"] += frame == gold.frame
    counts["target_ok"] += target_ok
    counts["stance_ok"] += _same_label(pred.get("stance"), gold.stance)
    counts["tag_ok"] += actor_ok and in_gold and target_ok


def _same_label(pred: str | None, gold: str | None) -> bool:
    """Actor/target/stance agreement; null == null counts as right."""
    if pred is None or gold is None:
        return pred is None and gold is None
    return normalise_name(pred) == normalise_name(gold)


def _count_kinds(gold: list[GoldQuote], required: list[bool], matched: set[int], counts: Counter) -> None:
    for j, quote in enumerate(gold):
        if required[j] and quote.kind:
            counts[f"kind_gold:{quote.kind}"] += 1
            counts[f"kind_tp:{quote.kind}"] += j in matched


def _article_row(article_id: str, counts: Counter) -> dict[str, Any]:
    row = {"id": article_id}
    row.update({key: counts[key] for key in ("gold", "predicted", "tp", "fp", "fn", "ignored")})
    row.update(prf(counts["tp"], counts["fp"], counts["fn"]))
    row["speaker_correct"] = counts["speaker_ok"]
    row["speaker_n"] = counts["speaker_n"]
    return row


def _summary(counts: Counter, per_article: list[dict]) -> dict[str, Any]:
    result: dict[str, Any] = {"articles": len(per_article)}
    result.update({key: counts[key] for key in ("gold", "predicted", "tp", "fp", "fn", "ignored")})
    result.update(prf(counts["tp"], counts["fp"], counts["fn"]))
    result.update(_accuracy("speaker_accuracy", counts["speaker_ok"], counts["speaker_n"]))
    result.update(_accuracy("actor_accuracy", counts["actor_ok"], counts["actor_n"]))
    result.update(_label_accuracies(counts))
    result["recall_by_kind"] = _recall_by_kind(counts)
    result["per_article"] = per_article
    return result


def _accuracy(name: str, correct: int, total: int) -> dict[str, Any]:
    return {name: ratio(correct, total), f"{name}_n": total}


def _label_accuracies(counts: Counter) -> dict[str, Any]:
    scored = counts["has_frames"] > 0
    n = counts["label_n"] if scored else 0
    result: dict[str, Any] = {}
    for name, key in (
        ("primary_frame_in_gold", "frame_in_gold"),
        ("frame_accuracy", "frame_ok"),
        ("target_accuracy", "target_ok"),
        ("stance_accuracy", "stance_ok"),
    ):
        result.update(_accuracy(name, counts[key], n))
    result.update(_accuracy("tag_accuracy", counts["tag_ok"], counts["tag_n"] if scored else 0))
    return result


def _recall_by_kind(counts: Counter) -> dict[str, dict[str, Any]]:
    kinds = sorted({key.split(":", 1)[1] for key in counts if key.startswith("kind_gold:")},
                   key=lambda k: (KINDS.index(k) if k in KINDS else len(KINDS), k))
    return {
        kind: {
            "gold": counts[f"kind_gold:{kind}"],
            "matched": counts[f"kind_tp:{kind}"],
            "recall": ratio(counts[f"kind_tp:{kind}"], counts[f"kind_gold:{kind}"]),
        }
        for kind in kinds
    }


# --------------------------------------------------------------------------
# report


def format_report(metrics: dict[str, Any], worst: int = 10, title: str | None = None) -> str:
    """The metrics of :func:`evaluate` as an aligned text table for the terminal.

    Shows the overall quote figures, the accuracies, recall by kind and the
    ``worst`` articles (most missed plus spurious quotes first).
    """
    lines = [title, "=" * len(title)] if title else []
    lines += _quote_lines(metrics)
    lines += _accuracy_lines(metrics)
    lines += _kind_lines(metrics.get("recall_by_kind") or {})
    lines += _worst_lines(metrics.get("per_article") or [], worst)
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.3f}"


def _quote_lines(m: dict) -> list[str]:
    return [
        f"Quotes over {m['articles']} articles: {m['gold']} gold, {m['predicted']} predicted",
        f"  {'precision':<22}{_fmt(m['precision'])}   tp {m['tp']:>5}  fp {m['fp']:>5}",
        f"  {'recall':<22}{_fmt(m['recall'])}   tp {m['tp']:>5}  fn {m['fn']:>5}",
        f"  {'f1':<22}{_fmt(m['f1'])}   ignored (optional or filtered) {m['ignored']}",
    ]


_ACCURACIES = (
    ("speaker_accuracy", "speaker"),
    ("actor_accuracy", "actor"),
    ("primary_frame_in_gold", "frame in gold frames"),
    ("frame_accuracy", "primary frame"),
    ("target_accuracy", "target"),
    ("stance_accuracy", "stance"),
    ("tag_accuracy", "tag (actor+frame+target)"),
)


def _accuracy_lines(m: dict) -> list[str]:
    rows = [(label, m.get(key), m.get(f"{key}_n", 0)) for key, label in _ACCURACIES]
    rows = [row for row in rows if row[2]]
    if not rows:
        return []
    return ["Accuracy on matched quotes"] + [
        f"  {label:<26}{_fmt(value)}   of {n}" for label, value, n in rows
    ]


def _kind_lines(by_kind: dict) -> list[str]:
    if not by_kind:
        return []
    return ["Recall by kind"] + [
        f"  {kind:<22}{_fmt(row['recall'])}   {row['matched']:>5} / {row['gold']}"
        for kind, row in by_kind.items()
    ]


def _fraction(numerator: int, denominator: int) -> str:
    return f"{numerator}/{denominator}" if denominator else "-"


def _worst_lines(per_article: list[dict], worst: int) -> list[str]:
    rows = sorted(per_article, key=lambda r: (-(r["fp"] + r["fn"]), r["f1"] or 0.0, r["id"]))[:worst]
    counts = [(name, 5, " ", lambda r, key=key: r[key])
              for name, key in (("gold", "gold"), ("pred", "predicted"), ("tp", "tp"), ("fp", "fp"), ("fn", "fn"))]
    columns = [*counts, ("f1", 5, "  ", lambda r: _fmt(r["f1"])),
               ("speaker", 9, "  ", lambda r: _fraction(r["speaker_correct"], r["speaker_n"]))]
    return worst_articles(f"Worst {len(rows)} articles (most errors first)", rows, columns)
