"""Target rules that `train` learns from the data and the classifier applies: a third party's
call to both sides is about no one in particular (LABELS.md), so it gets no target."""
from __future__ import annotations

import json

from quoteframe.classifier import Classifier, speaks_for_neither
from tests.tiny_model import make_tiny_model
from training.train import _mediated

SALIENCE = ["Peru", "Ecuador", "UN"]  # the article's parties, most-mentioned first


def _row(side, frame, target, salience=SALIENCE):
    return {"text": "both sides must return to talks", "speaker_actor": side, "frame": frame, "target": target,
            "stance": None if target is None else "neutral", "salience": salience}


def test_a_speaker_outside_the_two_main_parties_speaks_for_neither():
    assert speaks_for_neither({"speaker_actor": "UN", "salience": SALIENCE})
    assert not speaks_for_neither({"speaker_actor": "Ecuador", "salience": SALIENCE})
    assert not speaks_for_neither({"speaker_actor": None, "salience": SALIENCE})  # side unknown: no rule
    assert not speaks_for_neither({"speaker_actor": "UN"})  # a quote read without its article


def test_train_learns_which_frames_a_third_party_says_about_no_one():
    rows = [_row("UN", "talks", None) for _ in range(9)] + [_row("UN", "talks", "Ecuador")]
    rows += [_row("UN", "blame", "Ecuador") for _ in range(10)]
    rows += [_row("Peru", "talks", "Ecuador") for _ in range(10)]  # a party's call names its adversary
    rows += [{**_row("UN", "aid", None), "salience": None} for _ in range(10)]  # no article: not counted
    assert _mediated(rows) == ["talks"]
    assert _mediated(rows[:9]) == []  # too few quotes to learn from


def _always_targeting(folder) -> Classifier:
    """The tiny model with its "no target" score silenced: every quote naming a party targets one."""
    import torch

    clf = Classifier.load(folder, precision="fp32")
    with torch.no_grad():
        clf.model.none_head.weight.zero_()
        clf.model.none_head.bias.fill_(-100.0)
    return clf


def test_a_third_partys_call_to_both_sides_gets_no_target(tmp_path):
    folder = make_tiny_model(tmp_path / "m", seed=0)
    config = json.loads((folder / "config.json").read_text())
    config["quoteframe"]["untargeted_frames"] = []  # the tiny model calls most quotes neutral
    (folder / "config.json").write_text(json.dumps(config))
    both = ["Peru and Ecuador must stop the fighting at the border", "Ecuador and Peru should talk"]
    one = ["we will discuss the border with Ecuador", "Ecuador has asked us to mediate"]
    records = [{"text": text, "context": None, "speaker_actor": side, "salience": SALIENCE}
               for text in both + one for side in ("UN", "Chile", "Peru")]
    to_both = [speaks_for_neither(r) and r["text"] in both for r in records]  # a third party, both sides named
    before = _always_targeting(folder).classify(records)
    assert all(r["target"] for r in before)

    config["quoteframe"]["mediated_frames"] = sorted({r["frame"] for r in before})
    (folder / "config.json").write_text(json.dumps(config))
    after = _always_targeting(folder).classify(records)
    assert all(r["target"] is None and r["stance"] is None for r, t in zip(after, to_both) if t)
    # a party's quote, and a third party's talks with one side, keep their target
    assert [r["target"] for r, t in zip(after, to_both) if not t] == [r["target"] for r, t in zip(before, to_both) if not t]
    assert [r["frame"] for r in after] == [r["frame"] for r in before]


# -- the affected group: a humanitarian quote that names no one -------------------------------------
def test_train_learns_which_groups_a_quote_about_suffering_is_for():
    from quoteframe.actors import default_gazetteer
    from training.train import _favoured_groups, _frames_taking

    rows = ([{"frame": "aid", "target": "families", "stance": "favor"}] * 9
            + [{"frame": "aid", "target": None, "stance": None}]
            + [{"frame": "blame", "target": "smugglers", "stance": "against"}] * 10
            + [{"frame": "measures", "target": "fishermen", "stance": "against"}] * 2
            + [{"frame": "measures", "target": "fishermen", "stance": "favor"}] * 3
            + [{"frame": "aid", "target": "Peru", "stance": "favor"}])  # a country, not a group
    assert _frames_taking(rows, "favor") == ["aid"]
    assert _favoured_groups(rows, default_gazetteer(), "favor") == ["families", "fishermen"]


def test_a_quote_about_suffering_that_names_no_one_is_about_the_articles_affected_group(tmp_path):
    import torch

    folder = make_tiny_model(tmp_path / "m", seed=0)
    config = json.loads((folder / "config.json").read_text())
    config["quoteframe"].update(untargeted_frames=[], adversary_frames=[])
    (folder / "config.json").write_text(json.dumps(config))
    records = [{"text": "they have had no water for three days", "context": None, "speaker_actor": side,
                "salience": SALIENCE, "groups": groups}
               for side, groups in (("UN", ["smugglers", "families"]), ("families", ["families"]), ("UN", []))]

    def classify():
        clf = Classifier.load(folder, precision="fp32")
        with torch.no_grad():  # "no target" always wins: no party is named near the quote
            clf.model.none_head.bias.fill_(100.0)
        return clf.classify(records)

    assert [r["target"] for r in classify()] == [None, None, None]
    frames = sorted({r["frame"] for r in classify()})
    config["quoteframe"].update(beneficiary_frames=frames, beneficiary_stance="favor",
                                affected_groups=["families", "fishermen"])
    (folder / "config.json").write_text(json.dumps(config))
    # the most-named favoured group (smugglers are never favoured); not the speaker's own group
    assert [(r["target"], r["stance"]) for r in classify()] == [("families", "favor"), (None, None), (None, None)]
