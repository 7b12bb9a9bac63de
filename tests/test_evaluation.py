"""Gold readers and metrics behind `quoteframe evaluate`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from quoteframe.evaluation.gold import (
    GoldArticle,
    GoldFormatError,
    GoldQuote,
    read_gold,
    read_gold_dir,
    read_polnear,
)
from quoteframe.evaluation.metrics import (
    evaluate,
    format_report,
    is_speech_cue,
    match_quotes,
    overlap,
    speaker_matches,
)

REPO = Path(__file__).resolve().parents[1]


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
