"""The frame/target/stance model: retraining on a user's own labels, bad training
data, tags, and what the default model says about the seed articles."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from quoteframe.classifier import Classifier, load_tags, make_tag, quote_context
from quoteframe.cli import main
from quoteframe.schema import Quote, Speaker
from training.train import build_default_model

# -- a user's own label set: three frames of the Policy Frames Codebook --------------
POLICY = {
    "economic": [
        "{a} said the tariffs on {b} would cost thousands of factory jobs",
        "{a} said prices for families would rise because of the trade dispute with {b}",
        "{a} said exports to {b} had fallen by a fifth, hitting farmers' incomes",
        "{a} said the budget could not absorb the cost of the subsidies demanded by {b}",
        "{a} said investment from {b} had dried up and unemployment was climbing",
        "{a} said the currency had lost value since {b} cut its credit lines",
    ],
    "security": [
        "{a} said troops from {b} had massed near the border overnight",
        "{a} said missiles fired by {b} had struck an air base",
        "{a} said its navy would shadow every warship {b} sends through the strait",
        "{a} said the army was on alert after drones from {b} crossed into its airspace",
        "{a} said soldiers of {b} had opened fire on a patrol",
        "{a} said its air defences had shot down fighter jets sent by {b}",
    ],
    "health": [
        "{a} said hospitals in {b} had run out of insulin and antibiotics",
        "{a} said a cholera outbreak was spreading through camps in {b}",
        "{a} said vaccination of children in {b} had stopped for lack of cold storage",
        "{a} said clinics in {b} could no longer treat patients with cancer",
        "{a} said doctors in {b} were operating without anaesthetic",
        "{a} said the measles epidemic in {b} had killed dozens of infants",
    ],
}
PAIRS = [("Peru", "Chile"), ("Kenya", "Uganda"), ("Norway", "Iceland"), ("Vietnam", "Cambodia")]
STANCE = {"economic": "against", "security": "against", "health": "favor"}


def _policy_rows() -> list[dict]:
    rows = []
    for frame, templates in POLICY.items():
        for template in templates:
            for a, b in PAIRS:
                sentence = template.format(a=a, b=b)
                text = sentence.split(" said ", 1)[1]
                rows.append({"text": text, "context": sentence + ".", "speaker_actor": a,
                             "frame": frame, "target": b, "stance": STANCE[frame]})
    random.Random(0).shuffle(rows)
    return rows


def _write(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def policy_model(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("policy")
    data = _write(folder / "policy.jsonl", _policy_rows())
    out = folder / "model"
    code = main(["train", "--data", str(data), "--out", str(out), "--epochs", "4", "--seed", "3",
                 "--max-length", "64", "--eval-split", "0.2", "--learning-rate", "1e-4"])
    assert code == 0
    return out


@pytest.mark.slow
def test_retrained_model_reports_and_predicts_the_users_labels(policy_model):
    config = json.loads((policy_model / "config.json").read_text())
    assert set(config["id2label"].values()) == {"economic", "security", "health"}
    clf = Classifier.load(policy_model)
    assert sorted(clf.info()["labels"]) == ["economic", "health", "security"]
    rows = _policy_rows()
    predicted = clf.classify(rows)
    for p in predicted:
        assert set(p["frames"]) == {"economic", "security", "health"}
        assert p["frame"] in p["frames"] and 0.0 <= p["frame_score"] <= 1.0
    right = sum(p["frame"] == r["frame"] for p, r in zip(predicted, rows))
    assert right / len(rows) >= 0.6, f"the tiny model learned too little: {right}/{len(rows)}"
    targets = sum(p["target"] == r["target"] for p, r in zip(predicted, rows))
    assert targets / len(rows) >= 0.6


@pytest.mark.slow
def test_retrained_model_folder_describes_itself(policy_model):
    metrics = json.loads((policy_model / "metrics.json").read_text())
    assert [h["epoch"] for h in metrics["history"]] == [1, 2, 3, 4]
    assert 1 <= metrics["best_epoch"] <= 4
    args = json.loads((policy_model / "training_args.json").read_text())
    assert args["seed"] == 3 and args["epochs"] == 4
    card = (policy_model / "README.md").read_text()
    assert "economic" in card and "all-MiniLM-L6-v2" in card and "macro-F1" in card
    # how each epoch showed the quotes: the defaults, so a reader can reproduce the model
    assert args["rename_countries"] == 0.5 and "50% with their countries renamed" in card


@pytest.mark.slow
def test_training_is_deterministic_for_a_seed(tmp_path):
    data = _write(tmp_path / "policy.jsonl", _policy_rows())
    heads = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert main(["train", "--data", str(data), "--out", str(out), "--epochs", "1", "--seed", "5",
                     "--max-train-samples", "16", "--max-length", "48"]) == 0
        heads.append((out / "heads.safetensors").read_bytes())
    assert heads[0] == heads[1]


# -- bad training data: one line that names the problem and the line -----------------
BAD_DATA = [
    ("empty-text", '{"text": "fine", "frame": "a"}\n{"text": "  ", "frame": "b"}\n', ".jsonl:2: 'text' is missing or empty"),
    ("unknown-field", '{"text": "x", "frame": "a", "colour": "red"}\n', ".jsonl:1: unknown field 'colour'"),
    ("malformed-json", '{"text": "x", "frame": "a"}\n{"text": "y", "frame": "b"}\n{"text": "z", "frame": \n',
     ".jsonl:3: malformed JSON"),
    ("one-example-frame", '{"text": "x", "frame": "a"}\n{"text": "y", "frame": "a"}\n{"text": "z", "frame": "b"}\n',
     "frame 'b' has 1 example"),
    ("target-without-stance", '{"text": "x", "frame": "a", "target": "Peru"}\n', ".jsonl:1: 'target' and 'stance'"),
    ("primary-not-in-frames", '{"text": "x", "frame": "a", "frames": ["b"]}\n', ".jsonl:1: the primary frame 'a'"),
]


@pytest.mark.parametrize("name,content,message", BAD_DATA, ids=[b[0] for b in BAD_DATA])
def test_bad_training_data_gives_one_clear_error(tmp_path, capsys, name, content, message):
    data = tmp_path / f"{name}.jsonl"
    data.write_text(content, encoding="utf-8")
    code = main(["train", "--data", str(data), "--out", str(tmp_path / "m")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("quoteframe: error: ")
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "m").exists()


def test_default_with_training_flags_is_a_usage_error_not_a_silent_rebuild(tmp_path, capsys):
    code = main(["train", "--default", "--seed", "5", "--out", str(tmp_path / "m")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "--default" in err and "--out, --seed" in err and "Traceback" not in err
    assert not (tmp_path / "m").exists()


def test_missing_model_folder_gives_one_clear_error(tmp_path, capsys):
    quotes = _write(tmp_path / "q.jsonl", [{"text": "We will close the border"}])
    code = main(["classify", str(quotes), "--model", str(tmp_path / "nowhere")])
    err = capsys.readouterr().err
    assert code == 2 and "QF-E101" in err and "no model there" in err and err.count("\n") == 1


# -- the one-line tag, phrasing as data ---------------------------------------------
@pytest.mark.parametrize("actor,frame,target,stance,tag", [
    ("Belarus", "blame", "Poland", "against", "Belarus blames Poland"),
    ("Poland", "deception", "migrants", "neutral", "Poland says migrants deceived"),
    ("Poland", "deception", "Belarus", "against", "Poland accuses Belarus of deception"),
    ("France", "de-escalation", None, None, "France calls for de-escalation"),
    ("Russia", "threat", "NATO", "against", "Russia warns of threat from NATO"),
    (None, "blame", "Poland", "against", "Someone blames Poland"),
    ("Chile", "economic", "Peru", "against", "Chile: economic (Peru)"),
])
def test_tag_reads_as_one_line(actor, frame, target, stance, tag):
    assert make_tag(load_tags(), actor, {"frame": frame, "target": target, "stance": stance}) == tag


@pytest.mark.parametrize("side,frame,target,stance,tag", [
    ("fishermen", "blame", "Kenya", "against", "fishermen blame Kenya"),
    ("NGOs", "threat", None, None, "NGOs warn of threat"),
    ("migrants", "deception", "smugglers", "against", "migrants accuse smugglers of deception"),
    ("Doctors Without Borders", "humanitarian", None, None, "Doctors Without Borders raises humanitarian concern"),
    ("Philippines", "denial", "China", "against", "Philippines rejects accusations from China"),
])
def test_a_plural_side_takes_a_plural_verb(side, frame, target, stance, tag):
    from quoteframe.actors import default_gazetteer
    from quoteframe.classifier import plural_side

    result = {"frame": frame, "target": target, "stance": stance}
    assert make_tag(load_tags(), side, result, plural=plural_side(default_gazetteer(), side)) == tag


@pytest.mark.parametrize("speaker,tag", [
    ("Authorities", "Authorities blame Benin"),  # a role in the plural that opens its sentence
    ("UN peacekeepers", "UN peacekeepers blame Benin"),
    ("three Sahel countries", "three Sahel countries blame Benin"),
    ("Maria Reyes", "Maria Reyes blames Benin"),
    ("Reyes", "Reyes blames Benin"),  # a surname, not a plural
])
def test_a_speaker_without_a_side_agrees_with_its_verb(speaker, tag):
    from quoteframe.classifier import plural_speaker

    result = {"frame": "blame", "target": "Benin", "stance": "against"}
    assert make_tag(load_tags(), speaker, result, plural=plural_speaker(speaker)) == tag


def test_tags_in_a_model_folder_override_the_bundled_phrasing(tmp_path):
    (tmp_path / "tags.toml").write_text('[economic]\ntarget = "{actor} talks money with {target}"\n')
    tags = load_tags(tmp_path)
    assert make_tag(tags, "Chile", {"frame": "economic", "target": "Peru", "stance": "against"}) == "Chile talks money with Peru"
    assert make_tag(tags, "Belarus", {"frame": "blame", "target": "Poland", "stance": "against"}) == "Belarus blames Poland"


def test_quote_context_is_the_sentence_with_quote_and_speaker():
    text = ("Talks stalled on Monday. The minister said the border would stay shut. "
            "Trucks waited for days.")
    start = text.index("the border")
    end = text.index(" would stay shut") + len(" would stay shut")
    quote = Quote(text=text[start:end], start=start, end=end, kind="indirect",
                  speaker=Speaker(name="minister", mention="The minister", start=text.index("The minister"),
                                  end=text.index("The minister") + 12))
    assert quote_context(text, quote) == "The minister said the border would stay shut"


# -- the default model, trained from the bundled data --------------------------------
@pytest.fixture(scope="session")
def default_model() -> Classifier:
    build_default_model()  # the set-up command builds it; this only builds it when missing
    return Classifier.load()


def test_default_model_tags_the_seed_articles(default_model, seeds):
    from quoteframe.analyzer import Analyzer

    analyzer = Analyzer(classifier=default_model)
    tags, against = [], set()
    for path in sorted(seeds.glob("*.txt")):
        analysis = analyzer.analyze(path.read_text(encoding="utf-8"), id=path.stem)
        assert analysis.model["labels"] == default_model.labels
        for q in analysis.quotes:
            assert set(q.frames) == set(default_model.labels)
            assert (q.target is None) == (q.stance is None)
            tags.append(q.tag)
            if q.stance == "against":
                against.add((q.speaker.actor, q.target))
    assert "Poland says migrants deceived" in tags
    assert "Belarus blames Poland" in tags
    assert ("Belarus", "Poland") in against
    assert ("EU", "Russia") in against  # required gold ("Russia ... NATO" is a teaser line gold leaves optional)


def test_an_unsided_plural_speaker_reads_as_plural_in_the_tag(default_model):
    """No side was found for "Authorities": the tag names them, with a plural verb."""
    record = {"text": "the five men had entered the port with forged badges", "speaker": "Authorities",
              "context": "Authorities said the five men had entered the port with forged badges."}
    tag = default_model.classify([record])[0]["tag"]
    verb = tag.split()[1]
    assert tag.startswith("Authorities ") and verb in load_tags()["plural_verbs"].values(), tag


def test_default_model_on_the_held_out_disputes(default_model):
    """Whole disputes the model never saw: labelled quotes, articles read as the pipeline reads
    them, and contrast pairs (training/data/README.md)."""
    from quoteframe.classifier.articles import read_quotes
    from quoteframe.classifier.data import HELDOUT_PATHS
    from quoteframe.classifier.metrics import label_metrics

    rows = read_quotes(HELDOUT_PATHS, int(default_model.section["context_sentences_before"]))
    assert len({r["conflict"] for r in rows}) >= 12
    m = label_metrics(rows, default_model.classify(rows), default_model.labels)
    assert m["frame_macro_f1"] >= 0.80, m
    assert m["target_accuracy"] >= 0.75, m
    assert m["stance_accuracy"] >= 0.80, m


def test_classify_prints_one_result_per_quote(default_model, tmp_path, capsys):
    quotes = _write(tmp_path / "q.jsonl", [
        {"text": "Warsaw is staging a provocation on the border", "speaker_actor": "Belarus",
         "context": "A Belarusian official said Warsaw is staging a provocation on the border."},
        {"text": "the call lasted 50 minutes"},
    ])
    assert main(["classify", str(quotes)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    for key in ("frame", "frame_score", "frames", "target", "stance", "stance_score", "tag"):
        assert key in first
    assert first["target"] == "Poland" and first["tag"].startswith("Belarus ")

