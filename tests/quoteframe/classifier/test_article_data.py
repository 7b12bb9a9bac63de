"""Gold articles as training data: checked against LABELS.md, read as the pipeline reads
them, held out by dispute; frame_score calibration and the low-confidence flag."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from quoteframe.analyzer import Analyzer
from quoteframe.classifier import article_records
from quoteframe.classifier.articles import check_articles, gold_records, is_article_folder, read_quotes
from quoteframe.classifier.metrics import by_conflict, calibration, low_confidence_cutoff, low_confidence_threshold
from quoteframe.cli import main

LABELS = ("blame", "denial", "threat", "humanitarian", "deception", "de-escalation", "measures", "neutral")

# An invented article: real countries, invented people and events.
ARTICLE = (
    "LIMA (Reuters) - Peru summoned Chile's ambassador on Tuesday after a fishing boat was seized "
    "off the southern coast, the latest row over the maritime boundary.\n\n"
    "Foreign Minister Rosa Quispe told reporters that Chilean patrol boats had harassed Peruvian "
    "crews for weeks and that Santiago bore full responsibility for the incident.\n\n"
    "She added that Peru remained open to talks under the 2014 ruling.\n\n"
    "\"Nobody was injured, and the crew is back in port,\" a navy spokesman said.\n\n"
    "Chile's Foreign Ministry rejected the account. It said the vessel had been fishing inside "
    "Chilean waters and that the crew were treated well. Officials in both capitals said a meeting "
    "of the joint commission was planned for next month."
)
GOLD = [
    ("Chilean patrol boats had harassed Peruvian crews for weeks", "indirect", "Rosa Quispe", "Peru",
     ["blame"], "Chile", "against"),
    ("Santiago bore full responsibility for the incident", "indirect", "Rosa Quispe", "Peru",
     ["blame"], "Chile", "against"),
    ("Peru remained open to talks under the 2014 ruling", "indirect", "Rosa Quispe", "Peru",
     ["de-escalation"], None, None),
    ("Nobody was injured, and the crew is back in port,", "direct", "navy spokesman", "Peru",
     ["neutral"], None, None),
    ("the vessel had been fishing inside Chilean waters", "indirect", "Chile's Foreign Ministry", "Chile",
     ["denial", "blame"], "Peru", "against"),
]


def _gold_line(text, kind, speaker, actor, frames, target, stance, article="peru-chile-fishing-1"):
    start = ARTICLE.index(text)
    return {"article": article, "kind": kind, "text": text, "start": start, "end": start + len(text),
            "speaker": speaker, "speaker_actor": actor, "frame": frames[0], "frames": frames,
            "target": target, "stance": stance}


def _write_article(folder: Path, lines: list[dict], name: str = "peru-chile-fishing-1") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / f"{name}.gold.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def article_folder(tmp_path_factory) -> Path:
    return _write_article(tmp_path_factory.mktemp("articles"), [_gold_line(*g) for g in GOLD])


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def test_an_article_folder_is_told_from_a_labelled_quote_folder(article_folder, tmp_path):
    assert is_article_folder(article_folder)
    (tmp_path / "quotes.jsonl").write_text('{"text": "x", "frame": "blame"}\n', encoding="utf-8")
    assert not is_article_folder(tmp_path)


def test_gold_records_carry_the_attribution_and_the_gold_labels(article_folder, analyzer):
    rows = gold_records(article_folder, analyzer)
    assert len(rows) == len(GOLD)
    by_text = {r["text"].strip(" ,"): r for r in rows}
    talks = by_text["Peru remained open to talks under the 2014 ruling"]
    # the pronoun's sentence is the context: the model sees "She added"
    assert talks["context"].startswith("She added that Peru remained open")
    assert talks["frame"] == "de-escalation" and talks["speaker_actor"] == "Peru"
    assert talks["conflict"] == "peru-chile-fishing" and talks["id"] == "peru-chile-fishing-1:3"
    denial = by_text["the vessel had been fishing inside Chilean waters"]
    assert denial["frames"] == ["denial", "blame"] and denial["target"] == "Peru"


def test_gold_records_give_the_model_what_the_pipeline_gives_it(article_folder, analyzer):
    """Train/serve parity: a matched gold quote's context is the one labelling would use."""
    analysis, text = next(analyzer.extract_many([("a", ARTICLE)]))
    served = {r["text"]: r for r in
              article_records([(analysis.quotes, text, analysis.parties, analysis.counterparts)], analyzer.gazetteer, 1)}
    trained = gold_records(article_folder, analyzer, previous=1)
    shared = [r for r in trained if r["text"] in served]
    assert len(shared) >= 4
    for r in shared:
        assert (r["context"], r["before"]) == (served[r["text"]]["context"], served[r["text"]]["before"])
    # one sentence before the quote's own: the model reads who "She" is
    talks = next(r for r in trained if r["text"].startswith("Peru remained open"))
    assert talks["before"].startswith("Foreign Minister Rosa Quispe told reporters")
    assert talks["context"].startswith("She added that")


def test_the_sentence_before_informs_but_names_no_target(default_model):
    """Actors of the sentence before are no target candidates: "They have been deceived" after a
    sentence about who deceived them is still about the deceived."""
    record = {"text": "They have been misled,", "speaker_actor": "Peru",
              "context": "\u201cThey have been misled,\u201d the Peruvian police told the migrants",
              "before": "Chilean officials sent the migrants to the wrong crossing."}
    features = default_model.encoder.features([record])[0]
    assert "Chile" not in features.candidates and "migrants" in features.candidates


def test_a_quote_the_extractor_misses_still_teaches_with_its_sentence(tmp_path, analyzer):
    hidden = "a meeting of the joint commission was planned for next month"
    line = _gold_line(hidden, "indirect", "Officials", "Chile", ["neutral"], None, None)
    folder = _write_article(tmp_path / "a", [line])
    row = gold_records(folder, analyzer)[0]
    assert row["text"] == hidden
    assert hidden in row["context"]


def test_read_quotes_mixes_article_folders_and_labelled_files(article_folder, tmp_path):
    quotes = tmp_path / "more.jsonl"
    quotes.write_text('{"text": "the dam will flood our valleys", "frame": "threat"}\n', encoding="utf-8")
    rows = read_quotes([article_folder, quotes])
    assert len(rows) == len(GOLD) + 1
    assert rows[-1]["frame"] == "threat"


@pytest.mark.parametrize("change,problem", [
    ({"target": "Peru", "stance": "against"}, "is the speaker's own side"),
    ({"frame": "anger", "frames": ["anger"]}, "frame 'anger' is not one of"),
    ({"frame": "neutral", "frames": ["neutral"]}, "a neutral quote has no target"),
    ({"stance": None}, "target and stance are given together"),
    ({"target": "Atlantis"}, "'Atlantis' is neither a gazetteer actor nor named in the article"),
])
def test_check_articles_names_each_broken_rule(tmp_path, change, problem):
    from quoteframe.actors import default_gazetteer

    line = {**_gold_line(*GOLD[0]), **change}
    folder = _write_article(tmp_path / "a", [line])
    problems = check_articles(folder, LABELS, default_gazetteer())
    assert len(problems) == 1 and problem in problems[0], problems
    assert "peru-chile-fishing-1.gold.jsonl:1" in problems[0]


def test_check_articles_passes_a_good_article(article_folder):
    from quoteframe.actors import default_gazetteer

    assert check_articles(article_folder, LABELS, default_gazetteer()) == []


def test_the_checker_exits_1_on_problems_and_0_on_a_good_folder(article_folder, tmp_path, capsys):
    from quoteframe.classifier.articles import main as check_main

    assert check_main([str(article_folder)]) == 0
    assert "1 articles, 5 quotes" in capsys.readouterr().out
    bad = _write_article(tmp_path / "bad", [{**_gold_line(*GOLD[0]), "target": "Peru"}])
    assert check_main([str(bad)]) == 1


# -- figures ---------------------------------------------------------------------------
def test_by_conflict_reports_each_dispute_and_their_spread():
    gold = [{"frame": "a", "conflict": "x"}, {"frame": "b", "conflict": "x"}, {"frame": "a", "conflict": "y"}]
    pred = [{"frame": "a"}, {"frame": "a"}, {"frame": "a"}]
    table = by_conflict(gold, pred)
    assert table["disputes"]["y"]["frame_accuracy"] == 1.0
    assert table["disputes"]["x"]["frame_accuracy"] == 0.5
    assert table["frame_macro_f1_sd"] > 0


def test_calibration_of_perfectly_calibrated_scores_is_near_zero():
    gold = [{"frame": "a"}] * 10
    pred = [{"frame": "a" if i < 7 else "b", "frame_score": 0.7} for i in range(10)]
    assert calibration(gold, pred)["ece"] == 0.0
    overconfident = [{**p, "frame_score": 0.99} for p in pred]
    assert calibration(gold, overconfident)["ece"] > 0.25


def test_low_confidence_threshold_is_zero_when_low_scores_are_mostly_right():
    gold = [{"frame": "a"}] * 30
    pred = [{"frame": "a", "frame_score": 0.25 + i / 50} for i in range(30)]
    assert low_confidence_threshold(gold, pred) == 0.0


def test_low_confidence_threshold_needs_enough_quotes_under_it():
    gold = [{"frame": "a"}] * 12
    pred = [{"frame": "b", "frame_score": 0.35}] * 3 + [{"frame": "a", "frame_score": 0.95}] * 9
    assert low_confidence_threshold(gold, pred) == 0.0
    assert low_confidence_threshold(gold, pred, at_least=3) == 0.4


def test_train_flags_frames_the_model_scores_under_one_half_even_when_its_eval_split_cannot_tell():
    gold = [{"frame": "a"}] * 30
    mostly_right = [{"frame": "a", "frame_score": 0.25 + i / 50} for i in range(30)]
    assert low_confidence_threshold(gold, mostly_right) == 0.0
    assert low_confidence_cutoff(gold, mostly_right) == 0.5
    coin_flips = ([{"frame": "a" if i % 2 else "b", "frame_score": 0.52 + i / 200} for i in range(12)]
                  + [{"frame": "a", "frame_score": 0.95}] * 18)
    assert low_confidence_cutoff(gold, coin_flips) == 0.6


def test_low_scores_right_half_the_time_are_flagged():
    """A band right exactly half the time is a coin flip: its labels are low-confidence."""
    gold = [{"frame": "a"}] * 30
    pred = ([{"frame": "a" if i % 2 else "b", "frame_score": 0.52 + i / 200} for i in range(12)]
            + [{"frame": "a", "frame_score": 0.95}] * 18)
    assert low_confidence_threshold(gold, pred) == 0.6


# -- the default model -----------------------------------------------------------------
@pytest.fixture(scope="module")
def default_model():
    from quoteframe.classifier import Classifier

    return Classifier.load()


def test_labels_under_the_models_threshold_are_flagged(default_model):
    records = [{"text": "the talks lasted four hours", "speaker_actor": "Peru"},
               {"text": "Chile bears full responsibility for the seizure", "speaker_actor": "Peru"}]
    default_model.low_confidence_below = 1.01
    try:
        assert all(r["low_confidence"] for r in default_model.classify(records))
        default_model.low_confidence_below = 0.0
        assert not any(r["low_confidence"] for r in default_model.classify(records))
    finally:
        default_model.low_confidence_below = float(default_model.section.get("low_confidence_below") or 0.0)


def test_default_model_card_names_its_low_confidence_threshold(default_model):
    info = default_model.info()
    assert 0.0 <= info["low_confidence_below"] < 1.0


def test_evaluate_labels_on_an_article_folder_prints_each_dispute(article_folder, capsys):
    assert main(["evaluate", "--labels", str(article_folder)]) == 0
    out = capsys.readouterr().out
    assert "(5 quotes)" in out and "peru-chile-fishing" in out and "ECE" in out


def test_low_confidence_threshold_skips_stance_only_rows():
    """Stance-only rows (NewsMTSC-style: a target and a stance, no frame) sit in eval splits too."""
    gold = [{"target": "Peru", "stance": "against"}, {"frame": "a"}, {"frame": "a"}]
    pred = [{"frame": "b", "frame_score": 0.45}, {"frame": "b", "frame_score": 0.45}, {"frame": "a", "frame_score": 0.9}]
    assert low_confidence_threshold(gold, pred, at_least=1) == 0.5


def test_dev_overlap_lists_training_quotes_that_echo_the_dev_set(tmp_path, capsys):
    from training.dev_overlap import main

    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "d01.txt").write_text("Peru said its border guards had fired warning shots at smugglers near the river.")
    echo = {"text": "had fired warning shots at smugglers near the lake", "context": "Chile said its troops had fired warning shots at smugglers near the lake."}
    own = {"text": "the talks would resume in March", "context": "Chile said the talks would resume in March."}
    data = tmp_path / "quotes.jsonl"
    data.write_text(json.dumps(own) + "\n" + json.dumps(echo) + "\n")
    assert main([str(data), "--dev", str(dev)]) == 1
    out = capsys.readouterr().out
    assert f"{data}:2: " in out and "fired warning shots at smugglers" in out and f"{data}:1" not in out
    data.write_text(json.dumps(own) + "\n")
    assert main([str(data), "--dev", str(dev)]) == 0


def test_dev_overlap_renamed_finds_a_dev_sentence_with_other_names(tmp_path, capsys):
    from training.dev_overlap import main

    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "d01.txt").write_text("Lima said its envoy had already returned the maps at the request of the Andean "
                                 "Community and the Pacific Alliance.")
    renamed = {"text": "Quito had already returned the charts at the request of the Mercosur bloc and the OAS"}
    own = {"text": "Quito said the charts were drawn by surveyors decades ago and nobody disputes them now"}
    data = tmp_path / "quotes.jsonl"
    data.write_text(json.dumps(own) + "\n" + json.dumps(renamed) + "\n")
    # no run of five words is shared, so only --renamed sees it
    assert main([str(data), "--dev", str(dev)]) == 0
    capsys.readouterr()
    assert main([str(data), "--dev", str(dev), "--renamed", "0.45"]) == 1
    out = capsys.readouterr().out
    assert f"{data}:2: " in out and "renamed" in out and f"{data}:1" not in out


def test_country_renamer_renames_each_country_the_same_way_everywhere():
    import random

    from quoteframe.actors import default_gazetteer
    from training.rename import CountryRenamer

    row = {"text": "Chilean patrol boats had harassed Peruvian crews, and Santiago bore the blame",
           "context": "Lima said Chilean patrol boats had harassed Peruvian crews, and Santiago bore the blame.",
           "speaker_actor": "Peru", "target": "Chile", "adversary": "Chile", "salience": ["Peru", "Chile", "UN"],
           "frame": "blame", "stance": "against"}
    renamer = CountryRenamer(default_gazetteer())
    out = renamer.rename(row, random.Random(3))
    peru, chile = out["speaker_actor"], out["target"]
    assert {peru, chile}.isdisjoint({"Peru", "Chile"}) and peru != chile
    assert out["adversary"] == chile and out["salience"] == [peru, chile, "UN"]
    # demonyms become the new countries' demonyms; capitals become their names
    assert out["text"] == (f"{renamer.demonyms[chile]} patrol boats had harassed {renamer.demonyms[peru]} crews, "
                           f"and {chile} bore the blame")
    assert out["context"] == f"{peru} said {out['text']}."
    assert (out["frame"], out["stance"]) == ("blame", "against") and row["target"] == "Chile"
    # the gazetteer reads the new names back as the new countries
    gazetteer = default_gazetteer()
    found = [m.actor for m in gazetteer.find(out["context"]) if gazetteer.kind(m.actor) == "country"]
    assert found == [peru, chile, peru, chile]
    plain = {"text": "the talks would resume in March", "speaker_actor": "UN"}
    assert renamer.rename(plain, random.Random(3)) is plain


def _disputes(folders) -> dict[str, int]:
    """Quotes per dispute in data folders: a labelled quote's ``conflict``, an article's name up to its last '-'."""
    counts: dict[str, int] = {}
    for folder in folders:
        for path in sorted(Path(folder).glob("*.jsonl")):
            if path.name.endswith(".gold.jsonl"):  # an article: its dispute is in its name
                dispute = path.name[:-len(".gold.jsonl")].rsplit("-", 1)[0]
                counts[dispute] = counts.get(dispute, 0) + sum(1 for line in path.open() if line.strip())
                continue
            for line in path.open(encoding="utf-8"):
                if line.strip():
                    conflict = json.loads(line)["conflict"]
                    counts[conflict] = counts.get(conflict, 0) + 1
    return counts


def test_no_held_out_dispute_has_a_quote_in_training():
    """The held-out figures predict unseen disputes only if training never saw one of their quotes."""
    from quoteframe.classifier.data import DATA_DIR, HELDOUT_PATHS, TRAIN_PATHS

    # the extra folders too: training/data's README tells users to add them to their training
    extra = [DATA_DIR / "articles" / "extra", DATA_DIR / "contrast" / "extra"]
    train, held = _disputes([*TRAIN_PATHS, *extra]), _disputes(HELDOUT_PATHS)
    assert len(held) >= 12 and len(train) >= 40
    assert not {d: (train[d], held[d]) for d in train.keys() & held.keys()}
