"""The service with a real (tiny) model folder, loaded the way `quoteframe serve --model DIR` loads it.

The model is trained in a few seconds on a dozen made-up quotes with three
labels of our own (not the default ones; ``tiny_model.actor_rows``), so the test sees that the labels
come from the model folder: in the analyses, the card, the classify results
and the feedback validation. Accuracy is not the point here.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from quoteframe.errors import ModelError
from service.app import create_app
from service.feedback import read_feedback
from service.settings import Settings

TOKEN = "model-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LABELS = ["blame", "humanitarian", "neutral"]
ARTICLE = ("“Chile is lying about the border,” Peruvian foreign minister Ana Rojas said on Monday. "
           "The Red Cross said aid must reach the families in Chile.")


@pytest.fixture(scope="module")
def trained_model(actors_model) -> Path:
    """The session's model trained on a dozen made-up quotes (conftest's ``actors_model``)."""
    return actors_model[0]


@pytest.fixture(scope="module")
def client(trained_model, tmp_path_factory):
    db = tmp_path_factory.mktemp("fb") / "feedback.db"
    app = create_app(Settings(model=str(trained_model), feedback_db=str(db), api_token=TOKEN))
    with TestClient(app) as c:
        c.db = db
        yield c


@pytest.mark.slow
def test_the_card_is_the_model_folders(client):
    card = client.get("/v1/model").json()
    assert sorted(card["labels"]) == LABELS
    assert sorted(card["stances"]) == ["against", "favor"]  # the stances of its training data
    assert card["base_model"] and card["metrics"]
    # trained without held-out files, so bf16 and int8 were never checked: auto runs fp32
    assert card["precision"] == "fp32"


@pytest.mark.slow
def test_analyses_carry_the_models_labels(client):
    r = client.post("/v1/analyze", json={"text": ARTICLE, "id": "t1"})
    assert r.status_code == 200
    body = r.json()
    assert sorted(body["model"]["labels"]) == LABELS
    assert body["model"]["precision"] == "fp32"
    assert len(body["quotes"]) == 2
    for q in body["quotes"]:
        assert ARTICLE[q["start"] : q["end"]] == q["text"]
        assert q["frame"] in LABELS and sorted(q["frames"]) == LABELS
        assert 0 <= q["frame_score"] <= 1 and isinstance(q["tag"], str) and q["tag"]
        assert (q["target"] is None) == (q["stance"] is None)


@pytest.mark.slow
def test_classify_with_the_model(client):
    r = client.post("/v1/classify", json={"quotes": [{"text": "Chile is lying", "speaker_actor": "Peru"},
                                                     {"text": "the talks lasted an hour"}]})
    assert r.status_code == 200
    results = r.json()["results"]
    assert len(results) == 2 and all(x["frame"] in LABELS and sorted(x["frames"]) == LABELS for x in results)


@pytest.mark.slow
def test_feedback_is_checked_against_the_models_labels(client):
    good = {"text": "Chile is lying", "frame": "blame", "target": "Chile", "stance": "against"}
    r = client.post("/v1/feedback", json={"quotes": [good]}, headers=AUTH)
    assert r.status_code == 201
    assert read_feedback(client.db)[-1]["frame"] == "blame"
    # "deception" is a default label, but not one of this model's.
    r = client.post("/v1/feedback", json={"quotes": [dict(good, frame="deception")]}, headers=AUTH)
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_label"


@pytest.mark.slow
def test_reload_a_model_folder(client, trained_model, tmp_path):
    r = client.post("/v1/model/reload", json={"model": str(trained_model)}, headers=AUTH)
    assert r.status_code == 200 and sorted(r.json()["labels"]) == LABELS
    r = client.post("/v1/model/reload", json={"model": str(tmp_path)}, headers=AUTH)
    assert r.status_code == 422 and r.json()["error"]["code"] == "model_error"
    assert str(tmp_path) in r.json()["error"]["message"]
    assert client.post("/v1/analyze", json={"text": ARTICLE}).status_code == 200


def test_reload_of_a_pickled_checkpoint_is_a_model_error(client, tiny_model, tmp_path):
    """Regression (issue 18): a folder whose pytorch_model.bin is a pickle torch refuses answered 500."""
    import pickle
    import shutil

    class Payload:  # what a hostile checkpoint carries: code to run on unpickling
        def __reduce__(self):
            return (print, ("this must never run",))

    folder = tmp_path / "pickled"
    shutil.copytree(tiny_model, folder)
    (folder / "model.safetensors").unlink()
    (folder / "pytorch_model.bin").write_bytes(pickle.dumps({"weights": Payload()}))
    before = client.get("/v1/model").json()
    r = client.post("/v1/model/reload", json={"model": str(folder)}, headers=AUTH)
    assert r.status_code == 422 and r.json()["error"]["code"] == "model_error", r.text
    message = r.json()["error"]["message"]
    assert str(folder) in message and "UnpicklingError" in message and "stays" in message
    assert client.get("/v1/model").json() == before
    assert client.get("/readyz").status_code == 200


def test_a_long_article_labelled_in_pieces_gets_the_labels_of_one_call(tiny_model, tmp_path):
    """The service labels a long article's quotes in pieces that take turns with other requests (issue 18);
    each quote must come out as the Analyzer labels it in one call, counterparts included."""
    from quoteframe.analyzer import Analyzer
    from quoteframe.classifier import Classifier

    article = " ".join([ARTICLE, "Peru and Chile accused each other of lying about the border."] * 4)
    direct = Analyzer(classifier=Classifier.load(tiny_model)).analyze(article, id="long")
    assert direct.counterparts, "the article must exercise the renumbered counterparts"
    app = create_app(Settings(model=str(tiny_model), feedback_db=str(tmp_path / "fb.db"), batch_token_budget=60))
    with TestClient(app) as c:
        served = c.post("/v1/analyze", json={"text": article, "id": "long"}).json()
        calls = next(line for line in c.get("/metrics").text.splitlines()
                     if line.startswith('quoteframe_forward_pass_items_count{step="label"}'))
    assert float(calls.rsplit(" ", 1)[1]) >= 2, "the article was labelled in one piece"
    expected = direct.to_dict()["quotes"]
    assert len(served["quotes"]) == len(expected) > 4
    for got, want in zip(served["quotes"], expected):
        assert {k: got[k] for k in ("text", "frame", "target", "stance", "tag")} == \
            {k: want[k] for k in ("text", "frame", "target", "stance", "tag")}
        assert got["frame_score"] == pytest.approx(want["frame_score"], abs=1e-3)


def test_a_missing_model_folder_stops_the_start(tmp_path):
    app = create_app(Settings(model=str(tmp_path / "missing"), feedback_db=str(tmp_path / "fb.db")))
    with pytest.raises(ModelError, match="missing"):
        with TestClient(app):
            pass


def test_without_a_default_model_the_start_stops_naming_the_fix(tmp_path, monkeypatch):
    """One rule for a missing model on every path (load_analyzer): no serving without the model."""
    monkeypatch.setenv("QUOTEFRAME_DEFAULT_MODEL", str(tmp_path / "not-built"))
    app = create_app(Settings(feedback_db=str(tmp_path / "fb.db")))
    with pytest.raises(ModelError, match=r"^QF-E102: .*not-built.*quoteframe train --default"):
        with TestClient(app):
            pass


def test_a_seed_article_posted_to_the_default_model_comes_back_with_its_tags(seeds, tmp_path):
    """The issue's acceptance: the service on the default model tags a seed article."""
    from training.train import build_default_model

    build_default_model()  # the set-up command builds it; this only builds it when missing
    article = (seeds / "000_4e24e01c82df98ec.txt").read_text(encoding="utf-8")
    with TestClient(create_app(Settings(feedback_db=str(tmp_path / "feedback.db")))) as c:
        response = c.post("/v1/analyze", json={"text": article, "id": "seed-000"})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "seed-000" and body["model"]["name"] == "quoteframe-default"
    tags = [q["tag"] for q in body["quotes"]]
    assert "Belarus blames Poland" in tags
    assert all(article[q["start"]:q["end"]] == q["text"] for q in body["quotes"])
