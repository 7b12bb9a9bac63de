"""The gold-article figures: quotes, speakers, sides, frames, targets, stance, tags.

These are the figures that ``shared/data/dev-articles/README.md`` ("How it is
scored") defines for folders of ``NAME.txt`` + ``NAME.gold.jsonl``, computed
the way its reference scorer (``shared/tools/score_articles.py``) computes
them, key names and three-decimal rounding included, so that both give the
same numbers on the same predictions:

* **match**: a predicted and a required gold quote match when their overlap is
  at least half of *both* spans; pairs are taken greedily, largest overlap
  first (ties: the pair whose speaker matches), one to one. Predictions left
  over that match an ``optional`` gold quote are neither right nor wrong.
* **speaker**, **side** (``speaker.actor``), **frame**, **target**, **stance**
  and **tag** agreement over the matched quotes; ``tag_recall`` over the
  required gold quotes.

PolNeAR splits are scored by :mod:`quoteframe.evaluation.metrics` instead.

For example::

    metrics = score_articles(zip(gold_articles, analyses))
    metrics["quote_f1"], metrics["tag_recall"]  # (0.851, 0.19)
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from quoteframe.evaluation.gold import KINDS, GoldArticle, GoldQuote
from quoteframe.evaluation.prf import per_label_prf, prf
from quoteframe.evaluation.tables import worst_articles

# The scorer's side merges, lower-case. They are part of the metric's
# definition (the reference scorer's table), not the product's gazetteer:
# extending them would make figures incomparable with the reference's.
ACTOR_MERGES = {
    "us": "usa", "u.s.": "usa", "united states": "usa", "america": "usa",
    "west": "the west", "european union": "eu", "russian federation": "russia",
    "refugees": "migrants", "asylum seekers": "migrants", "migrant": "migrants",
    "un": "un", "united nations": "un",
    "democratic republic of the congo": "dr congo", "drc": "dr congo", "congo-kinshasa": "dr congo",
    "türkiye": "turkey", "turkiye": "turkey",
}

QUOTE_KEYS = ("quote_precision", "quote_recall", "quote_f1")
MATCHED_KEYS = ("speaker_acc", "actor_acc")
LABEL_KEYS = ("frame_acc", "frame_acceptable", "frame_macro_f1", "target_acc", "stance_acc",
              "tag_acc_of_matched", "tag_recall")

Span = tuple[int, int]


# --------------------------------------------------------------------------
# normalising names and sides


def normalise_side(actor: str | None) -> str | None:
    """A side (actor or target) reduced for comparison: lower case and the merges.

    >>> normalise_side("United States"), normalise_side("the West"), normalise_side(None)
    ('usa', 'the west', None)
    """
    if actor is None:
        return None
    actor = actor.strip().lower()
    return ACTOR_MERGES.get(actor, ACTOR_MERGES.get(actor.removeprefix("the "), actor))


def speaker_key(name: str | None) -> str:
    """A speaker name reduced for comparison: lower case, no leading article,
    only ASCII letters, digits, apostrophes, hyphens and spaces.

    >>> speaker_key("The Foreign Ministry’s spokesman.")
    "foreign ministry's spokesman"
    """
    name = (name or "").lower().replace("\u2019", "'")
    name = re.sub(r"^(the|a|an)\s+", "", name.strip())
    return re.sub(r"[^a-z0-9' -]", "", name).strip()


def speaker_right(pred_name: str | None, gold: GoldQuote) -> bool:
    """Whether a predicted speaker name is the gold speaker or one of its alts:
    equal, one containing the other, or the same last word.

    >>> speaker_right("Mr Okafor", GoldQuote([(0, 1)], "x", speaker="Tunde Okafor"))
    True
    """
    pred = speaker_key(pred_name)
    if not pred:
        return False
    for gold_name in (gold.speaker, *gold.speaker_alts):
        key = speaker_key(gold_name)
        if key and (pred == key or pred in key or key in pred or pred.split()[-1] == key.split()[-1]):
            return True
    return False


def target_right(pred_target: str | None, gold: GoldQuote) -> bool:
    """Whether a predicted target is the gold target or one of ``target_alts``; null equals null."""
    accepted = {normalise_side(t) for t in (gold.target, *gold.target_alts)}
    return normalise_side(pred_target) in accepted


# --------------------------------------------------------------------------
# matching


def match_by_overlap(gold: list[GoldQuote], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs, largest overlap first.

    A pair is allowed when the shared characters are at least half of the
    gold span and half of the predicted one. Equal overlaps go to the pair
    whose speaker is right (a reciprocal accusation gives two gold quotes one
    span), then to the later gold and prediction, as the reference does.

    >>> match_by_overlap([GoldQuote([(0, 10)], "")], [{"start": 2, "end": 12}])
    [(0, 0)]
    """
    candidates = sorted(_allowed_pairs(gold, pred), reverse=True)
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _rank, j, i in candidates:
        if j not in used_gold and i not in used_pred:
            used_gold.add(j)
            used_pred.add(i)
            pairs.append((j, i))
    return pairs


def _allowed_pairs(gold: list[GoldQuote], pred: list[dict]):
    for j, gold_quote in enumerate(gold):
        gold_length = sum(end - start for start, end in gold_quote.spans)
        for i, quote in enumerate(pred):
            span = _span(quote)
            if span is None:
                continue
            shared = sum(max(0, min(span[1], end) - max(span[0], start)) for start, end in gold_quote.spans)
            if shared >= 0.5 * gold_length and shared >= 0.5 * max(1, span[1] - span[0]):
                same = speaker_right(_speaker(quote).get("name"), gold_quote)
                yield (shared, same), j, i


def _span(quote: dict) -> Span | None:
    start, end = quote.get("start"), quote.get("end")
    if isinstance(start, int) and isinstance(end, int):
        return start, end
    return None


def _speaker(quote: dict) -> dict:
    return quote.get("speaker") or {}


# --------------------------------------------------------------------------
# scoring


def score_articles(pairs: Iterable[tuple[GoldArticle, dict]], labelled: bool | None = None) -> dict[str, Any]:
    """The gold-article figures of ``(GoldArticle, analysis dict)`` pairs.

    Keys, as the reference scorer names them: ``articles``, ``gold_quotes``,
    ``pred_quotes``, ``matched``, ``quote_precision``, ``quote_recall``,
    ``quote_f1``, ``speaker_acc``, ``actor_acc``, ``frame_acc``,
    ``frame_acceptable``, ``frame_macro_f1``, ``target_acc``, ``stance_acc``,
    ``tag_acc_of_matched``, ``tag_recall``, ``bad_offsets``; then ``counts``,
    ``recall_by_kind`` and ``per_article``. Figures are rounded to three
    places; a figure with an empty denominator is 0.0, as in the reference.

    ``labelled`` says whether the predictions carry frames; by default, when
    some analysis names model labels or some quote has a frame. Without
    labels, or with gold that has none, the label figures are ``None``
    (not measured) instead of 0.
    """
    pairs = list(pairs)
    if labelled is None:
        labelled = any(_is_labelled(analysis) for _article, analysis in pairs)
    counts: Counter = Counter()
    frame_pairs: list[tuple[str | None, str | None]] = []
    per_article = [_score_article(article, analysis, counts, frame_pairs) for article, analysis in pairs]
    labelled = labelled and counts["gold_labelled"] > 0
    return _summary(counts, frame_pairs, per_article, labelled)


def _is_labelled(analysis: dict) -> bool:
    if ((analysis or {}).get("model") or {}).get("labels"):
        return True
    return any(q.get("frame") is not None for q in (analysis or {}).get("quotes") or [])


def _score_article(article: GoldArticle, analysis: dict, totals: Counter, frame_pairs: list) -> dict[str, Any]:
    predicted = list((analysis or {}).get("quotes") or [])
    required = [q for q in article.quotes if not q.optional]
    optional = [q for q in article.quotes if q.optional]
    matched = match_by_overlap(required, predicted)
    rest = [q for i, q in enumerate(predicted) if i not in {i for _j, i in matched}]
    counts = Counter(gold=len(required), pred=len(predicted) - len(match_by_overlap(optional, rest)),
                     tp=len(matched), bad_offsets=_bad_offsets(article.text, predicted),
                     gold_labelled=sum(q.labelled for q in required))
    for j, i in matched:
        _score_pair(predicted[i], required[j], counts)
        frame_pairs.append((required[j].frame, predicted[i].get("frame")))
    _count_kinds(required, {j for j, _i in matched}, counts)
    totals.update(counts)
    return _article_row(article.id, counts)


def _bad_offsets(text: str, predicted: list[dict]) -> int:
    """Predictions whose ``text`` is not the article's characters from start to end."""
    return sum(1 for q in predicted if _span(q) is None or text[q["start"]:q["end"]] != q.get("text"))


def _score_pair(pred: dict, gold: GoldQuote, counts: Counter) -> None:
    """Tally the agreement of one matched pair."""
    speaker = _speaker(pred)
    side_ok = normalise_side(speaker.get("actor")) == normalise_side(gold.speaker_actor)
    frame_ok = pred.get("frame") in gold.frames
    target_ok = target_right(pred.get("target"), gold)
    counts["speaker"] += speaker_right(speaker.get("name"), gold)
    counts["actor"] += side_ok
    counts["frame"] += pred.get("frame") == gold.frame
    counts["frame_acceptable"] += frame_ok
    counts["target"] += target_ok
    if gold.stance:
        counts["stance_n"] += 1
        counts["stance"] += pred.get("stance") == gold.stance
    counts["tag"] += side_ok and frame_ok and target_ok


def _count_kinds(required: list[GoldQuote], matched: set[int], counts: Counter) -> None:
    for j, quote in enumerate(required):
        if quote.kind:
            counts[f"kind_gold:{quote.kind}"] += 1
            counts[f"kind_tp:{quote.kind}"] += j in matched


def frame_macro_f1(pairs: list[tuple[str | None, str | None]]) -> float:
    """Mean F1 over the frames of matched ``(gold, predicted)`` pairs.

    Every label that occurs on either side counts (a missing prediction,
    ``None``, too), as in the reference scorer.

    >>> round(frame_macro_f1([("blame", "blame"), ("threat", "blame")]), 3)
    0.333
    """
    labels = {g for g, _p in pairs} | {p for _g, p in pairs}
    f1s = [row["f1"] for row in per_label_prf(pairs, list(labels)).values()]
    return sum(f1s) / len(f1s) if f1s else 0.0


def _share(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 3) if denominator else 0.0


def _summary(counts: Counter, frame_pairs: list, per_article: list[dict], labelled: bool) -> dict[str, Any]:
    tp, gold, pred = counts["tp"], counts["gold"], counts["pred"]
    quotes = prf(tp, pred - tp, gold - tp)
    result: dict[str, Any] = {
        "articles": len(per_article), "gold_quotes": gold, "pred_quotes": pred, "matched": tp,
        **{f"quote_{name}": round(value or 0.0, 3) for name, value in quotes.items()},
        "speaker_acc": _share(counts["speaker"], tp),
        "actor_acc": _share(counts["actor"], tp),
    }
    result.update(_label_figures(counts, frame_pairs) if labelled else dict.fromkeys(LABEL_KEYS))
    result["bad_offsets"] = counts["bad_offsets"]
    result["labels_measured"] = labelled
    result["counts"] = {key: counts[key] for key in
                        ("speaker", "actor", "frame", "frame_acceptable", "target", "stance", "stance_n", "tag")}
    result["recall_by_kind"] = _recall_by_kind(counts)
    result["per_article"] = per_article
    return result


def _label_figures(counts: Counter, frame_pairs: list) -> dict[str, float]:
    tp = counts["tp"]
    return {
        "frame_acc": _share(counts["frame"], tp),
        "frame_acceptable": _share(counts["frame_acceptable"], tp),
        "frame_macro_f1": round(frame_macro_f1(frame_pairs), 3),
        "target_acc": _share(counts["target"], tp),
        "stance_acc": _share(counts["stance"], counts["stance_n"]),
        "tag_acc_of_matched": _share(counts["tag"], tp),
        "tag_recall": _share(counts["tag"], counts["gold"]),
    }


def _recall_by_kind(counts: Counter) -> dict[str, dict[str, Any]]:
    kinds = sorted({key.split(":", 1)[1] for key in counts if key.startswith("kind_gold:")},
                   key=lambda k: (KINDS.index(k) if k in KINDS else len(KINDS), k))
    return {
        kind: {"gold": counts[f"kind_gold:{kind}"], "matched": counts[f"kind_tp:{kind}"],
               "recall": _share(counts[f"kind_tp:{kind}"], counts[f"kind_gold:{kind}"])}
        for kind in kinds
    }


def _article_row(article_id: str, counts: Counter) -> dict[str, Any]:
    return {
        "id": article_id, "gold_quotes": counts["gold"], "pred_quotes": counts["pred"], "matched": counts["tp"],
        "missed": counts["gold"] - counts["tp"], "spurious": counts["pred"] - counts["tp"],
        "speaker": counts["speaker"], "actor": counts["actor"], "tag": counts["tag"],
    }


# --------------------------------------------------------------------------
# report


_FIGURES = (
    ("speaker_acc", "speaker", "matched"),
    ("actor_acc", "side (speaker.actor)", "matched"),
    ("frame_acc", "primary frame", "matched"),
    ("frame_acceptable", "frame acceptable", "matched"),
    ("frame_macro_f1", "frame macro-F1", None),
    ("target_acc", "target", "matched"),
    ("stance_acc", "stance", "stance"),
    ("tag_acc_of_matched", "tag of matched", "matched"),
    ("tag_recall", "tag recall", "gold"),
)
NOT_MEASURED = "not measured"


def format_article_report(metrics: dict[str, Any], title: str | None = None, worst: int = 10) -> str:
    """The figures of :func:`score_articles` as an aligned text report.

    Label figures that were not measured (no labels in the predictions or the
    gold) read "not measured", never 0.
    """
    lines = [title, "=" * len(title)] if title else []
    lines += _quote_lines(metrics)
    lines += _figure_lines(metrics)
    lines += _kind_lines(metrics.get("recall_by_kind") or {})
    lines += _worst_lines(metrics.get("per_article") or [], worst)
    if metrics.get("bad_offsets"):
        lines.append(f"{metrics['bad_offsets']} predicted quote(s) whose text is not the article's text at their offsets")
    return "\n".join(lines)


def _quote_lines(m: dict) -> list[str]:
    return [
        f"Quotes over {m['articles']} articles: {m['gold_quotes']} required gold, "
        f"{m['pred_quotes']} predicted (not counting those on optional gold), {m['matched']} matched",
        f"  {'precision':<22}{m['quote_precision']:5.3f}   {m['matched']} of {m['pred_quotes']} predicted",
        f"  {'recall':<22}{m['quote_recall']:5.3f}   {m['matched']} of {m['gold_quotes']} gold",
        f"  {'f1':<22}{m['quote_f1']:5.3f}",
    ]


def _figure_lines(m: dict) -> list[str]:
    counts = m.get("counts") or {}
    denominators = {"matched": m["matched"], "gold": m["gold_quotes"], "stance": counts.get("stance_n", 0)}
    lines = ["Labels and attribution (of matched quotes; tag recall of required gold)"]
    for key, label, over in _FIGURES:
        value = m.get(key)
        if value is None:
            lines.append(f"  {label:<22}{NOT_MEASURED} (no frame labels in the predictions or the gold)")
            continue
        lines.append(f"  {label:<22}{value:5.3f}" + (f"   of {denominators[over]}" if over else ""))
    return lines


def _kind_lines(by_kind: dict) -> list[str]:
    if not by_kind:
        return []
    return ["Recall by kind"] + [
        f"  {kind:<22}{row['recall']:5.3f}   {row['matched']} of {row['gold']}" for kind, row in by_kind.items()
    ]


def _worst_lines(per_article: list[dict], worst: int) -> list[str]:
    rows = sorted(per_article, key=lambda r: (-(r["missed"] + r["spurious"]), r["id"]))[:worst]
    rows = [r for r in rows if r["missed"] + r["spurious"]]
    columns = [(name, 5, " ", lambda r, key=key: r[key]) for name, key in (
        ("gold", "gold_quotes"), ("pred", "pred_quotes"), ("match", "matched"), ("miss", "missed"), ("extra", "spurious"))]
    return worst_articles(f"Worst {len(rows)} articles (most missed plus spurious quotes first)", rows, columns)
