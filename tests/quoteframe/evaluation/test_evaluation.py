"""Gold readers and metrics behind `quoteframe evaluate`."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from quoteframe.evaluation.articles import (
    format_article_report,
    frame_macro_f1,
    match_by_overlap,
    normalise_side,
    score_articles,
    speaker_right,
)
from quoteframe.evaluation.gold import (
    GoldArticle,
    GoldFormatError,
    GoldQuote,
    read_gold,
    read_gold_dir,
    read_polnear,
)
from quoteframe.evaluation.predictions import PredictionsError, pair_predictions, read_predictions
from quoteframe.evaluation.metrics import (
    evaluate,
    format_report,
    is_speech_cue,
    join_continued_quotes,
    match_quotes,
    overlap,
    speaker_matches,
)
from tests.conftest import REPO



def _shared(*parts: str) -> Path | None:
    """The project's shared folder, inside the checkout or beside it."""
    for root in (REPO / "shared", REPO.parent / "shared"):
        if root.joinpath(*parts).exists():
            return root.joinpath(*parts)
    return None


SEEDS = _shared("seeds")
POLNEAR_DEV = _shared("data", "polnear", "dev")


def _slices(article: GoldArticle, quote: GoldQuote) -> str:
    return " ".join(article.text[s:e] for s, e in quote.spans)


def _pred(start, end, name=None, actor=None, mention=None, s_start=None, s_end=None, **labels):
    speaker = {"name": name, "mention": mention, "actor": actor, "start": s_start, "end": s_end, "via": None}
    return {"start": start, "end": end, "speaker": speaker, **labels}


# --------------------------------------------------------------------------
# gold: NAME.txt + NAME.gold.jsonl


def _write_gold_dir(folder: Path, text: str, records: list[dict | str], name: str = "a1") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    (folder / f"{name}.gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.skipif(SEEDS is None, reason="shared/seeds (the project's seed gold articles) is not present")
def test_seeds_read_with_offsets_that_slice_to_the_text():
    articles = read_gold(SEEDS)
    assert [a.id for a in articles] == ["000_4e24e01c82df98ec", "004_6c6b53f9eb4e4fd2"]
    assert [len(a.quotes) for a in articles] == [12, 13]
    assert sum(q.optional for a in articles for q in a.quotes) == 3
    for article in articles:
        for quote in article.quotes:
            assert _slices(article, quote) == quote.text
            assert quote.frame in quote.frames


def test_gold_dir_fields_and_curly_quotes(tmp_path):
    text = "“They have been deceived,” Polish police said. Näive café."
    record = {"article": "a1", "kind": "direct", "text": "They have been deceived,", "start": 1, "end": 25,
              "speaker": "Polish police", "speaker_actor": "Poland", "frame": "deception",
              "target": "migrants", "stance": "neutral", "optional": True}
    [article] = read_gold_dir(_write_gold_dir(tmp_path, text, [record]))
    [quote] = article.quotes
    assert quote.spans == [(1, 25)] and quote.kind == "direct" and quote.optional
    assert quote.frames == ["deception"]  # the primary frame is always among the frames
    assert (quote.speaker, quote.speaker_actor, quote.target) == ("Polish police", "Poland", "migrants")


def test_gold_offsets_that_do_not_slice_name_file_line_and_fix(tmp_path):
    text = "He said that the crisis is fabricated."
    good = {"text": "He", "start": 0, "end": 2}
    bad = {"text": "the crisis is fabricated", "start": 12, "end": 36}
    folder = _write_gold_dir(tmp_path, text, [good, bad])
    with pytest.raises(GoldFormatError, match=r"a1\.gold\.jsonl:2: .*start=13, end=37"):
        read_gold(folder)


def test_malformed_json_names_the_line(tmp_path):
    folder = _write_gold_dir(tmp_path, "He said so.", ['{"text": "so", "start": 8, "end": 10}', "", '{"text": '])
    with pytest.raises(GoldFormatError, match=r"a1\.gold\.jsonl:3: malformed JSON"):
        read_gold(folder)


def test_missing_fields_and_wrong_article_are_errors(tmp_path):
    with pytest.raises(GoldFormatError, match=r":1: missing 'start'"):
        read_gold(_write_gold_dir(tmp_path / "x", "abc", [{"text": "a", "end": 1}]))
    with pytest.raises(GoldFormatError, match=r":1: 'article' is 'other'"):
        read_gold(_write_gold_dir(tmp_path / "y", "abc", [{"text": "a", "start": 0, "end": 1, "article": "other"}]))


def test_unpaired_files_are_errors(tmp_path):
    _write_gold_dir(tmp_path, "abc", [])
    (tmp_path / "lonely.txt").write_text("text", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"lonely\.txt: no gold file"):
        read_gold(tmp_path)
    (tmp_path / "lonely.txt").unlink()
    (tmp_path / "orphan.gold.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"orphan\.gold\.jsonl: no article"):
        read_gold(tmp_path)


def test_not_utf8_names_the_line(tmp_path):
    folder = _write_gold_dir(tmp_path, "abc", [])
    (folder / "a1.txt").write_bytes(b"line one\ncaf\xe9\n")
    with pytest.raises(GoldFormatError, match=r"a1\.txt:2: not UTF-8"):
        read_gold(folder)


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(GoldFormatError, match="no NAME.txt"):
        read_gold(tmp_path)


# --------------------------------------------------------------------------
# gold: PolNeAR (BRAT standoff)

POLNEAR_TEXT = (
    'Trump said "we will win," at the rally, and "big league." '
    "It is believed the race is close.\n"
    "Critics argue it is\nnot over. Aides said it was fine."
)


def _at(fragment: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = POLNEAR_TEXT.index(fragment, start + 1)
    return start, start + len(fragment)


def _t(tid: str, label: str, *fragments: str) -> str:
    spans = [_at(f) for f in fragments]
    offsets = ";".join(f"{s} {e}" for s, e in spans)
    return f"{tid}\t{label} {offsets}\t{' '.join(POLNEAR_TEXT[s:e] for s, e in spans)}"


def _polnear_ann() -> str:
    return "\n".join([
        _t("T1", "Source", "Trump"),
        _t("T2", "Cue", "said"),
        _t("T3", "Content", '"we will win,"', '"big league."'),
        _t("T4", "Attribution", "said"),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        _t("T5", "Cue", "is believed"),
        _t("T6", "Content", "the race is close"),
        _t("T7", "Attribution-no-source", "is believed"),
        "E2\tAttribution-no-source:T7 Cue:T5 Content:T6 ",
        _t("T8", "Source", "Critics"),
        _t("T9", "Cue", "argue"),
        _t("T10", "Content", "it is\nnot over"),  # a span over a newline runs over two .ann lines
        _t("T11", "Attribution", "argue"),
        "E3\tAttribution:T11 Source:T8 Cue:T9 Content:T10",
        _t("T12", "Source", "Aides"),
        _t("T13", "Cue", "said it"),
        _t("T14", "Content", "was fine"),
        _t("T15", "Attribution", "said it"),
        _t("T16", "Content", "at the rally"),
        "E4\tAttribution:T15 Source:T12 Cue:T13 Content:T14 Content2:T16",
        _t("T17", "Discuss", "Trump"),
        "#1\tAnnotatorNotes T17\tnot sure",
        "E5\tAttribution-no-source:T17 ",  # an event with no content is skipped
        "",
    ])


def _write_polnear(root: Path) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "doc.txt").write_text(POLNEAR_TEXT, encoding="utf-8")
    (root / "attributions" / "doc_aaaa.ann").write_text(_polnear_ann(), encoding="utf-8")
    # a second annotator's file: only the first in sorted order is read
    (root / "attributions" / "doc_bbbb.ann").write_text(_t("T1", "Content", "Trump") + "\n", encoding="utf-8")
    return root


def test_polnear_quotes_from_a_tiny_split(tmp_path):
    [article] = read_gold(_write_polnear(tmp_path / "dev"))
    assert article.id == "doc"
    by_text = {q.text: q for q in article.quotes}
    assert list(by_text) == ['"we will win," "big league."', "at the rally", "the race is close",
                             "it is\nnot over", "was fine"]  # document order

    trump = by_text['"we will win," "big league."']
    assert trump.spans == [_at('"we will win,"'), _at('"big league."')]
    assert (trump.speaker, trump.speaker_span, trump.cue) == ("Trump", _at("Trump"), "said")

    believed = by_text["the race is close"]
    assert (believed.speaker, believed.speaker_span, believed.cue) == (None, None, "is believed")

    assert by_text["at the rally"].speaker == "Aides"  # Content2 is a quote of its own
    assert all(q.kind is None and q.frame is None and not q.optional for q in article.quotes)
    assert all(_slices(article, q) == q.text for q in article.quotes)


def test_polnear_byte_offsets_are_rejected(tmp_path):
    root = tmp_path / "dev"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "d.txt").write_text("“Yes,” she said.", encoding="utf-8")
    # byte offsets of “Yes,” (the curly quotes take three bytes each)
    (root / "attributions" / "d_aaaa.ann").write_text("T1\tContent 0 10\t“Yes,”\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"d_aaaa\.ann:1: .*str indices"):
        read_polnear(root)


def test_polnear_event_with_undefined_argument_is_an_error(tmp_path):
    root = _write_polnear(tmp_path / "dev")
    ann = root / "attributions" / "doc_aaaa.ann"
    ann.write_text(ann.read_text(encoding="utf-8") + "E9\tAttribution:T99 Content:T3\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"doc_aaaa\.ann:\d+: event refers to T99"):
        read_polnear(root)


@pytest.mark.skipif(
    POLNEAR_DEV is None,
    reason="shared/data/polnear is the external PolNeAR corpus and is not present here",
)
def test_real_polnear_dev_spans_slice_to_their_text():
    articles = read_gold(POLNEAR_DEV)
    assert len(articles) == len(list((POLNEAR_DEV / "text").glob("*.txt")))
    quotes = [(a, q) for a in articles for q in a.quotes]
    assert len(quotes) > 1000
    assert any(len(q.spans) > 1 for _a, q in quotes)
    assert any(q.speaker is None for _a, q in quotes)
    for article, quote in quotes:
        assert _slices(article, quote) == quote.text
        if quote.speaker_span is not None:
            start, end = quote.speaker_span
            assert quote.speaker.startswith(article.text[start:end])


# --------------------------------------------------------------------------
# matching


def test_overlap_sums_over_fragments():
    assert overlap((0, 10), [(5, 8), (9, 20)]) == 4
    assert overlap((0, 5), [(5, 9)]) == 0


def test_short_prediction_inside_long_gold_does_not_match():
    gold = [GoldQuote(spans=[(0, 100)], text="")]
    assert match_quotes([{"start": 10, "end": 30}], gold) == []
    assert match_quotes([{"start": 0, "end": 50}], gold) == [(0, 0)]  # exactly half counts


def test_long_prediction_over_short_gold_does_not_match():
    gold = [GoldQuote(spans=[(10, 20)], text="")]
    assert match_quotes([{"start": 0, "end": 100}], gold) == []


def test_matching_is_one_to_one_and_best_first():
    gold = [GoldQuote(spans=[(0, 40)], text=""), GoldQuote(spans=[(0, 30)], text="")]
    pred = [{"start": 0, "end": 30}, {"start": 0, "end": 40}]
    # each pred fits both golds; the exact fits (coverage 1.0) win, not pred order
    assert match_quotes(pred, gold) == [(0, 1), (1, 0)]
    assert match_quotes([{"start": 0, "end": 40}] * 2, gold[:1]) == [(0, 0)]


def test_discontinuous_gold_matches_a_span_running_over_the_gap():
    gold = [GoldQuote(spans=[(0, 10), (20, 30)], text="")]
    assert match_quotes([{"start": 0, "end": 30}], gold) == [(0, 0)]
    assert match_quotes([{"start": 0, "end": 10}], gold) == [(0, 0)]  # half the gold
    assert match_quotes([{"start": 0, "end": 9}], gold) == []


def test_prediction_without_offsets_matches_nothing():
    gold = [GoldQuote(spans=[(0, 10)], text="")]
    assert match_quotes([{"start": None, "end": None}], gold) == []


def test_polnear_scoring_joins_a_quote_continued_after_its_attribution():
    """PolNeAR marks '"A," she said. "B."' as one attribution; quoteframe gives two quotes."""
    text = '"We stay," Ana Lima said. "We build."\n"We rest," she said.'
    at = text.index
    lima = {"name": "Ana Lima", "start": at("Ana"), "end": at("Ana") + 8}
    pred = [
        {"kind": "direct", "cue": "said", "start": 1, "end": at('" Ana'), "speaker": lima},
        {"kind": "direct", "cue": None, "start": at("We build"), "end": at('"\n'), "speaker": lima},
        # the next paragraph's quote is a statement of its own, though its speaker is the same
        {"kind": "direct", "cue": None, "start": at("We rest"), "end": at('," she'), "speaker": lima},
    ]
    gold = GoldArticle(id="a", text=text, quotes=[
        GoldQuote(spans=[(1, at('"\n'))], text="", speaker="Ana Lima"),
        GoldQuote(spans=[(at("We rest"), at('," she'))], text="", speaker="Ana Lima"),
    ])
    analysis = {"id": "a", "quotes": pred}
    joined = join_continued_quotes(analysis, text)
    assert [(q["start"], q["end"]) for q in joined["quotes"]] == [(1, at('"\n')), (at("We rest"), at('," she'))]
    assert joined["quotes"][0]["text"] == text[1 : at('"\n')]
    assert (evaluate([(gold, joined)])["tp"], evaluate([(gold, joined)])["fp"]) == (2, 0)
    unjoined = evaluate([(gold, analysis)])  # neither half covers half of PolNeAR's attribution
    assert (unjoined["tp"], unjoined["fp"]) == (1, 2)
    # a second quote with a cue of its own, or by someone else, stays apart
    other = [{**pred[0]}, {**pred[1], "cue": "added"}]
    assert len(join_continued_quotes({"quotes": other}, text)["quotes"]) == 2
    other = [{**pred[0]}, {**pred[1], "speaker": {"name": "Rui", "start": 0, "end": 3}}]
    assert len(join_continued_quotes({"quotes": other}, text)["quotes"]) == 2


# --------------------------------------------------------------------------
# speakers


@pytest.mark.parametrize(
    ("pred_name", "gold_name", "alts", "expected"),
    [
        ("Putin", "Vladimir Putin", [], True),
        ("Vladimir Putin", "Putin", [], True),
        ("authorities", "Belarusian authorities", [], True),
        ("The Belarusian Authorities", "Belarusian authorities", [], True),
        ("Macron's office", "Emmanuel Macron", ["Macron’s office"], True),
        ("Macron", "Emmanuel Macron", [], True),
        ("the Elysée Palace.", "Elysee Palace", [], True),
        ("tin", "Vladimir Putin", [], False),
        ("Dmitry Peskov", "Vladimir Putin", ["the Kremlin"], False),
        ("Polish police", "Lithuanian police officials", [], False),
        (None, "Vladimir Putin", [], False),
    ],
)
def test_speaker_names(pred_name, gold_name, alts, expected):
    gold = GoldQuote(spans=[(0, 1)], text="x", speaker=gold_name, speaker_alts=alts)
    assert speaker_matches({"name": pred_name, "mention": pred_name}, gold) is expected


def test_polnear_speaker_matches_by_source_offsets_or_text():
    gold = GoldQuote(spans=[(40, 60)], text="x", speaker="she", speaker_span=(30, 33))
    assert speaker_matches({"name": "Hillary Clinton", "mention": "She", "start": 30, "end": 33}, gold)
    assert speaker_matches({"name": "Hillary Clinton", "mention": "She", "start": None, "end": None}, gold)
    assert not speaker_matches({"name": "Hillary Clinton", "mention": "Clinton", "start": 0, "end": 7}, gold)
    assert not speaker_matches(None, gold)


# --------------------------------------------------------------------------
# speech cues


@pytest.mark.parametrize("cue", ["said", "told", "says", "according to", "has repeatedly claimed",
                                 "stated", "replied", "urging", "added", "wrote in a statement", ":", "\u2015"])
def test_speech_cues(cue):
    assert is_speech_cue(cue)


@pytest.mark.parametrize("cue", ["believes", "thinks", "wants", "hopes", "is believed", "shows", "", " ", None])
def test_belief_cues_are_not_speech(cue):
    assert not is_speech_cue(cue)


def test_speech_cue_vocabulary_can_be_replaced():
    assert is_speech_cue("believes", verbs=["believe"])
    assert not is_speech_cue("said", verbs=["believe"])


# --------------------------------------------------------------------------
# evaluate


def _labelled(start, end, kind, speaker, actor, frame, frames, target, stance, optional=False):
    return GoldQuote(spans=[(start, end)], text="", kind=kind, speaker=speaker, speaker_actor=actor,
                     frame=frame, frames=frames, target=target, stance=stance, optional=optional)


@pytest.fixture
def handmade():
    """Two articles; the expected figures are worked out by hand in the tests."""
    a = GoldArticle("A", " " * 300, [
        _labelled(0, 20, "direct", "Vladimir Putin", "Russia", "blame", ["blame", "threat"], "Poland", "against"),
        _labelled(30, 60, "indirect", "Polish police", "Poland", "deception", ["deception"], "migrants", "neutral"),
        _labelled(70, 90, "mixed", "EU", "EU", "blame", ["blame"], "Russia", "against", optional=True),
        _labelled(100, 120, "indirect", "EU", "EU", "neutral", ["neutral"], None, None),
    ])
    b = GoldArticle("B", " " * 50, [GoldQuote(spans=[(0, 10)], text="", kind="direct", speaker="Joe Biden")])
    pred_a = {"id": "A", "quotes": [
        # tp: speaker, actor, target, stance right; frame in gold frames but not primary
        _pred(0, 20, "Putin", "Russia", frame="threat", target="Poland", stance="against"),
        # tp: speaker and actor wrong, frame and target right, stance wrong
        _pred(32, 60, "Belarusian police", "Belarus", frame="deception", target="migrants", stance="against"),
        _pred(70, 90, "EU", "EU", frame="blame", target="Russia", stance="against"),  # optional gold: ignored
        _pred(200, 220, "EU", "EU", frame="blame", target="Russia", stance="against"),  # fp
    ]}
    pred_b = {"id": "B", "quotes": []}
    return [(a, pred_a), (b, pred_b)]


def test_evaluate_hand_computed_figures(handmade):
    m = evaluate(handmade)
    assert (m["articles"], m["gold"], m["predicted"]) == (2, 4, 4)
    assert (m["tp"], m["fp"], m["fn"], m["ignored"]) == (2, 1, 2, 1)
    assert m["precision"] == pytest.approx(2 / 3)
    assert m["recall"] == pytest.approx(2 / 4)
    assert m["f1"] == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert (m["speaker_accuracy"], m["speaker_accuracy_n"]) == (0.5, 2)
    assert (m["actor_accuracy"], m["actor_accuracy_n"]) == (0.5, 2)
    assert m["primary_frame_in_gold"] == 1.0
    assert m["frame_accuracy"] == 0.5
    assert m["target_accuracy"] == 1.0
    assert m["stance_accuracy"] == 0.5
    assert m["tag_accuracy"] == pytest.approx(1 / 3)  # 1 of the 3 required labelled gold quotes
    assert m["recall_by_kind"] == {
        "direct": {"gold": 2, "matched": 1, "recall": 0.5},
        "indirect": {"gold": 2, "matched": 1, "recall": 0.5},
    }  # the only mixed quote is optional
    rows = {r["id"]: r for r in m["per_article"]}
    assert (rows["A"]["tp"], rows["A"]["fp"], rows["A"]["fn"], rows["A"]["ignored"]) == (2, 1, 1, 1)
    assert (rows["B"]["gold"], rows["B"]["fn"], rows["B"]["precision"], rows["B"]["recall"]) == (1, 1, None, 0.0)


def test_null_target_and_stance_agree_with_null_gold(handmade):
    gold, pred = handmade[0]
    pred["quotes"].append(_pred(100, 120, "the EU", "EU", frame="neutral", target=None, stance=None))
    m = evaluate([(gold, pred)])
    assert (m["tp"], m["fn"]) == (3, 0)
    assert (m["target_accuracy"], m["stance_accuracy"], m["frame_accuracy"]) == (1.0, 2 / 3, 2 / 3)
    assert m["tag_accuracy"] == pytest.approx(2 / 3)


def test_gold_filter_drops_gold_without_penalty(handmade):
    m = evaluate(handmade[:1], gold_filter=lambda q: q.kind != "indirect")
    assert (m["gold"], m["tp"], m["fp"], m["fn"], m["ignored"]) == (1, 1, 1, 0, 2)


def test_speech_only_keeps_speech_and_unknown_cues():
    article = GoldArticle("P", " " * 100, [
        GoldQuote(spans=[(0, 10)], text="", cue="said", speaker="Trump", speaker_span=(50, 55)),
        GoldQuote(spans=[(20, 30)], text="", cue="believes", speaker="Aides", speaker_span=(60, 65)),
        GoldQuote(spans=[(40, 45)], text="", cue=None),
    ])
    preds = {"quotes": [_pred(0, 10, None, mention="he", s_start=50, s_end=52), _pred(20, 30, "Aides")]}
    everything = evaluate([(article, preds)])
    speech = evaluate([(article, preds)], speech_only=True)
    assert (everything["gold"], everything["tp"], everything["fn"]) == (3, 2, 1)
    assert (speech["gold"], speech["tp"], speech["fn"], speech["ignored"]) == (2, 1, 1, 1)
    assert (speech["speaker_accuracy"], speech["speaker_accuracy_n"]) == (1.0, 1)


def test_no_source_quotes_are_left_out_of_speaker_accuracy():
    article = GoldArticle("P", " " * 100, [GoldQuote(spans=[(0, 10)], text="", cue="is believed")])
    m = evaluate([(article, {"quotes": [_pred(0, 10, "Someone")]})])
    assert (m["tp"], m["speaker_accuracy"], m["speaker_accuracy_n"]) == (1, None, 0)


def test_label_figures_are_null_when_predictions_carry_no_frame(handmade):
    for _gold, pred in handmade:
        for quote in pred["quotes"]:
            quote["frame"] = None
    m = evaluate(handmade)
    assert m["frame_accuracy"] is None and m["tag_accuracy"] is None and m["frame_accuracy_n"] == 0
    assert m["speaker_accuracy"] == 0.5


def test_report_is_aligned_and_lists_the_worst_article_first(handmade):
    report = format_report(evaluate(handmade), title="all attributions")
    assert report.startswith("all attributions\n")
    assert "0.667" in report and "0.500" in report
    worst = report.split("Worst")[1].splitlines()
    assert worst[2].split()[0] == "A"  # 2 errors against B's 1
    assert len({len(line) for line in worst[1:]}) == 1  # the table's columns line up


def test_report_survives_an_empty_run():
    report = format_report(evaluate([]))
    assert "0 articles" in report and "n/a" in report



# --------------------------------------------------------------------------
# gold-article figures (the dev set's README, as its reference scorer computes them)

# An invented article: two ministers of two real countries, all names made up.
HARBOUR = (
    "Brenn and Okoro accused each other of stalling the harbour talks. "
    "Ada Brenn said that the new tariffs would hurt fishermen on both coasts. "
    "\u201cWe will open the harbour to aid ships next week,\u201d Okoro said. "
    "The European Union said that asylum seekers stranded at the port needed shelter. "
    "Washington later said that the talks had lasted three hours. "
    "Okoro added that the West had ignored the dispute."
)


def _span_of(fragment: str) -> dict:
    start = HARBOUR.index(fragment)
    return {"text": fragment, "start": start, "end": start + len(fragment)}


def _gold_line(fragment, speaker, actor, frame, frames, target, stance, **extra) -> dict:
    return {**_span_of(fragment), "speaker": speaker, "speaker_actor": actor, "frame": frame,
            "frames": frames, "target": target, "stance": stance, **extra}


HARBOUR_GOLD = [
    # a reciprocal accusation: two gold lines, one span, speaker and target swapped
    _gold_line("stalling the harbour talks", "Ada Brenn", "United States", "blame", ["blame"], "Turkey", "against"),
    _gold_line("stalling the harbour talks", "Samuel Okoro", "T\u00fcrkiye", "blame", ["blame"], "USA", "against"),
    _gold_line("the new tariffs would hurt fishermen on both coasts", "Ada Brenn", "USA", "threat",
               ["threat", "humanitarian"], "fishermen", "favor", target_alts=["Turkish fishermen"]),
    _gold_line("We will open the harbour to aid ships next week,", "Samuel Okoro", "Turkey", "measures",
               ["measures", "humanitarian"], None, None),
    _gold_line("asylum seekers stranded at the port needed shelter", "European Union", "European Union",
               "humanitarian", ["humanitarian"], "asylum seekers", "favor", speaker_alts=["EU"]),
    _gold_line("the talks had lasted three hours", "Washington", "U.S.", "neutral", ["neutral"], None, None,
               optional=True),
    _gold_line("the West had ignored the dispute", "Samuel Okoro", "Turkey", "blame", ["blame"], "the West", "against"),
]


def _harbour_pred(fragment, name, actor, frame, target, stance) -> dict:
    span = _span_of(fragment)
    return {**span, "speaker": {"name": name, "actor": actor}, "frame": frame, "target": target, "stance": stance}


def _harbour_analysis() -> dict:
    return {"id": "harbour", "model": {"labels": ["blame", "measures"]}, "quotes": [
        # the reciprocal pair, predicted in the other order: the tie goes to the right speaker
        _harbour_pred("stalling the harbour talks", "Okoro", "Turkey", "blame", "United States", "against"),
        _harbour_pred("stalling the harbour talks", "Brenn", "US", "blame", "T\u00fcrkiye", "against"),
        # frame in the gold frames but not primary; target is one of target_alts
        _harbour_pred("the new tariffs would hurt fishermen on both coasts", "Ada Brenn", "USA",
                      "humanitarian", "Turkish fishermen", "favor"),
        # wrong speaker; null target equals null gold
        _harbour_pred("We will open the harbour to aid ships next week,", "the Foreign Ministry", "Turkey",
                      "measures", None, None),
        # speaker by speaker_alts, side and target by the merges; frame and stance wrong
        _harbour_pred("asylum seekers stranded at the port needed shelter", "EU", "EU", "deception",
                      "refugees", "against"),
        _harbour_pred("the talks had lasted three hours", "Washington", "USA", "neutral", None, None),  # optional gold
        _harbour_pred("Brenn and Okoro accused each other", "Okoro", "Turkey", "blame", "USA", "against"),  # spurious
    ]}  # "the West had ignored the dispute" is missed


@pytest.fixture
def harbour(tmp_path) -> list[tuple[GoldArticle, dict]]:
    [article] = read_gold_dir(_write_gold_dir(tmp_path / "gold", HARBOUR, HARBOUR_GOLD, name="harbour"))
    return [(article, _harbour_analysis())]


def test_gold_reads_target_alts_and_optional(harbour):
    article, _analysis = harbour[0]
    assert article.quotes[2].target_alts == ["Turkish fishermen"]
    assert article.quotes[0].target_alts == []
    assert [q.optional for q in article.quotes] == [False] * 5 + [True, False]


def test_target_alts_must_be_a_list_of_strings(tmp_path):
    record = {"text": "so", "start": 8, "end": 10, "target": "Chile", "target_alts": "Peru"}
    with pytest.raises(GoldFormatError, match=r":1: 'target_alts' must be a list of strings"):
        read_gold(_write_gold_dir(tmp_path, "He said so.", [record]))


def test_article_figures_by_hand(harbour):
    m = score_articles(harbour)
    # 6 required gold (the optional one aside), 7 predicted of which 1 is on the optional line
    assert (m["articles"], m["gold_quotes"], m["pred_quotes"], m["matched"]) == (1, 6, 6, 5)
    assert (m["quote_precision"], m["quote_recall"], m["quote_f1"]) == (0.833, 0.833, 0.833)
    assert m["speaker_acc"] == 0.8  # the Foreign Ministry is not Samuel Okoro
    assert m["actor_acc"] == 1.0  # US, United States, USA; Türkiye, Turkey; EU, European Union
    assert m["frame_acc"] == 0.6
    assert m["frame_acceptable"] == 0.8
    assert m["target_acc"] == 1.0  # target_alts, refugees = asylum seekers, null = null
    assert m["stance_acc"] == 0.75  # 3 of the 4 matched quotes with a gold stance
    assert m["tag_acc_of_matched"] == 0.8
    assert m["tag_recall"] == 0.667  # 4 right tags over 6 required gold quotes
    assert m["bad_offsets"] == 0
    assert m["labels_measured"] is True
    [row] = m["per_article"]
    assert (row["missed"], row["spurious"]) == (1, 1)


def test_frame_macro_f1_averages_every_frame_seen_in_gold_or_prediction(harbour):
    # blame 1.0, measures 1.0, threat 0, humanitarian 0, deception 0 (a predicted-only frame counts)
    assert score_articles(harbour)["frame_macro_f1"] == 0.4
    assert frame_macro_f1([("blame", "blame"), ("blame", "threat"), ("threat", "threat")]) == pytest.approx(
        (2 * 1 / (2 + 1) + 2 * 1 / (2 + 1)) / 2)
    assert frame_macro_f1([]) == 0.0


def test_reciprocal_pair_sharing_one_span_goes_to_the_right_speakers(harbour):
    article, analysis = harbour[0]
    required = [q for q in article.quotes if not q.optional]
    pairs = match_by_overlap(required, analysis["quotes"])
    assert (0, 1) in pairs and (1, 0) in pairs  # Brenn's gold line gets "Brenn", Okoro's gets "Okoro"


def test_optional_gold_line_is_neither_right_nor_wrong(harbour):
    article, analysis = harbour[0]
    without = dict(analysis, quotes=[q for q in analysis["quotes"] if not q["text"].startswith("the talks")])
    assert score_articles([(article, without)])["pred_quotes"] == score_articles(harbour)["pred_quotes"]
    article.quotes[5].optional = False  # the same line made required is matched and counted
    m = score_articles([(article, analysis)])
    assert (m["gold_quotes"], m["pred_quotes"], m["matched"]) == (7, 7, 6)


def test_tag_recall_counts_every_required_gold_quote(harbour):
    article, analysis = harbour[0]
    analysis["quotes"] = analysis["quotes"][:2]  # only the reciprocal pair, both tags right
    m = score_articles([(article, analysis)])
    assert (m["tag_acc_of_matched"], m["tag_recall"]) == (1.0, 0.333)


@pytest.mark.parametrize(
    ("pred", "gold"),
    [("US", "USA"), ("U.S.", "United States"), ("America", "usa"), ("European Union", "EU"),
     ("United Nations", "UN"), ("refugees", "migrants"), ("asylum seekers", "Migrants"), ("the West", "West"),
     ("DRC", "DR Congo"), ("Democratic Republic of the Congo", "DR Congo"), ("T\u00fcrkiye", "Turkey")],
)
def test_side_merges(pred, gold):
    assert normalise_side(pred) == normalise_side(gold)


@pytest.mark.parametrize(("pred", "gold"), [("Russia", "Belarus"), ("the Houthis", "Houthis"), ("Niger", "Nigeria")])
def test_sides_that_stay_apart(pred, gold):
    assert normalise_side(pred) != normalise_side(gold)


@pytest.mark.parametrize(
    ("pred_name", "gold_name", "alts", "expected"),
    [
        ("Mr Brenn", "Ada Brenn", [], True),  # same last word
        ("the ministry", "Foreign Ministry", [], True),  # contained
        ("Ada Brenn, the minister", "Ada Brenn", [], True),  # contains
        ("A spokeswoman", "Nadia Ferro", ["the spokeswoman"], True),  # an alt
        ("Brenn\u2019s office", "Ada Brenn", [], False),
        ("Samuel Okoro", "Ada Brenn", [], False),
        ("", "Ada Brenn", [], False),
        (None, "Ada Brenn", [], False),
    ],
)
def test_article_speaker_rule(pred_name, gold_name, alts, expected):
    assert speaker_right(pred_name, GoldQuote([(0, 1)], "x", speaker=gold_name, speaker_alts=alts)) is expected


def test_label_figures_are_not_measured_without_labels(harbour):
    article, analysis = harbour[0]
    analysis["model"] = {"labels": []}
    for quote in analysis["quotes"]:
        quote.update(frame=None, target=None, stance=None)
    m = score_articles([(article, analysis)])
    assert m["labels_measured"] is False
    for key in ("frame_acc", "frame_acceptable", "frame_macro_f1", "target_acc", "stance_acc",
                "tag_acc_of_matched", "tag_recall"):
        assert m[key] is None, key
    assert (m["quote_f1"], m["speaker_acc"], m["actor_acc"]) == (0.833, 0.8, 1.0)
    report = format_article_report(m)
    assert re.search(r"^\s*tag recall\s+not measured", report, re.MULTILINE), report
    assert re.search(r"^\s*speaker\s+0\.800", report, re.MULTILINE), report


def test_article_report_prints_every_figure(harbour):
    report = format_article_report(score_articles(harbour), title="harbour")
    for label, value in [("precision", "0.833"), ("recall", "0.833"), ("f1", "0.833"), ("speaker", "0.800"),
                         (r"side \(speaker.actor\)", "1.000"), ("primary frame", "0.600"),
                         ("frame acceptable", "0.800"), ("frame macro-F1", "0.400"), ("target", "1.000"),
                         ("stance", "0.750"), ("tag of matched", "0.800"), ("tag recall", "0.667")]:
        assert re.search(rf"^\s*{label}\s+{value}\b", report, re.MULTILINE), f"{label} {value} not in:\n{report}"


def test_prediction_text_off_its_offsets_is_counted(harbour):
    article, analysis = harbour[0]
    analysis["quotes"][2]["text"] = "something else"
    assert score_articles([(article, analysis)])["bad_offsets"] == 1


# --------------------------------------------------------------------------
# saved predictions


def test_predictions_pair_by_id_then_by_position():
    articles = [GoldArticle(name, "", []) for name in ("d1", "d2", "d3")]
    analyses = [{"id": "stdin", "quotes": []}, {"id": "some/dir/d3.txt", "quotes": []}, {"id": "d1", "quotes": []}]
    pairs = pair_predictions(articles, analyses)
    # "stdin" names no article, so it takes position 0 (d1) until the analysis named d1 replaces it
    assert [analysis and analysis["id"] for _a, analysis in pairs] == ["d1", None, "some/dir/d3.txt"]


def test_predictions_file_errors_name_the_line(tmp_path):
    path = tmp_path / "pred.jsonl"
    path.write_text('{"id": "a", "quotes": []}\n\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(PredictionsError, match=r"pred\.jsonl:3: expected an analysis object"):
        read_predictions(path)
    path.write_text('{"id": "a", "quotes": [\n', encoding="utf-8")
    with pytest.raises(PredictionsError, match=r"pred\.jsonl:1: malformed JSON"):
        read_predictions(path)
    with pytest.raises(PredictionsError, match=r"nothing\.jsonl: no such file"):
        read_predictions(tmp_path / "nothing.jsonl")
