"""The REST service as a client sees it (API.md's REST table).

Every route answers with API.md's shapes; every error code of the one error
table is produced by a real request and comes in the envelope
``{"error": {"code", "message"}}``; bad input (a 1 MB body, malformed JSON,
wrong types, invalid UTF-8, an oversized batch) gets a 4xx, never a 500.
Concurrent requests share forward passes; a reload swaps the model while
requests are in flight; feedback survives a kill -9 of the server.

The model is a tiny random-weight model folder (``tiny_model.py``) loaded
the way `quoteframe serve --model DIR` loads one: what is tested here is the
service, not the model's accuracy, but every answer runs the real Analyzer
and classifier, so an answer is checked against what the Analyzer itself
gives for the same input.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from quoteframe.classifier.data import validate
from service.app import create_app
from service.cli import add_serve_parser, settings_from_args
from service.engine import load
from service.errors import ERROR_TABLE, HTTP_CODES, INTERNAL
from service.feedback import read_feedback
from service.settings import Settings
from tests.service_helpers import FAIL_MARK, LiveServer, free_port, watch
from tests.tiny_model import LABELS, make_tiny_model
from tests.conftest import REPO

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = ("Belarusian border guards said on Tuesday that Polish forces had pushed migrants back across the border. "
           "“They have been deceived,” Polish police said.")
ARTICLE_2 = "“It is Poland's fault,” Belarusian leader Alexander Lukashenko said on Monday. The weather was cold."
QUOTE_FIELDS = {"text", "start", "end", "kind", "cue", "speaker", "frame", "frame_score", "frames",
                "target", "stance", "stance_score", "tag", "low_confidence"}
GOOD_FEEDBACK = {"text": "They have been deceived,", "context": "“They have been deceived,” Polish police said.",
                 "speaker": "Polish police", "speaker_actor": "Poland", "frame": "deception",
                 "frames": ["deception", "blame"], "target": "migrants", "stance": "neutral",
                 "article_id": "a1", "start": 105, "end": 129}


# -- fixtures ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def model_2(tmp_path_factory) -> Path:
    """Another model folder (version 2, other weights), to reload to."""
    return make_tiny_model(tmp_path_factory.mktemp("tiny-2") / "model", version="2", seed=1)


@pytest.fixture(scope="module")
def direct(tiny_model):
    """The Analyzer the service loads, loaded here: what the service answers must be what it gives."""
    return load(Settings(model=str(tiny_model)), str(tiny_model))


@pytest.fixture(scope="module")
def client(tiny_model, tmp_path_factory):
    """The service on the tiny model with an API token, its feedback in a fresh SQLite file; a quote
    holding FAIL_MARK makes its classifier fail like a bug."""
    db = tmp_path_factory.mktemp("feedback") / "feedback.db"
    settings = Settings(feedback_db=str(db), api_token=TOKEN, model=str(tiny_model))
    app = create_app(settings, analyzer=watch(load(settings, settings.model)))
    with TestClient(app, raise_server_exceptions=False) as c:
        c.db = db
        yield c


def tiny_settings(tiny_model, tmp_path, **kw) -> Settings:
    return Settings(feedback_db=str(tmp_path / "fb.db"), model=str(tiny_model), **kw)


@pytest.fixture(scope="module")
def bare(analyzer, tmp_path_factory):
    """The service without a classifier (no model folder), as it runs until one is built."""
    settings = Settings(feedback_db=str(tmp_path_factory.mktemp("bare") / "feedback.db"))
    with TestClient(create_app(settings, analyzer=analyzer)) as c:
        yield c


def error_of(response: httpx.Response, status: int, code: str) -> str:
    """The message of an error answer, after checking its status, envelope and code."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["code"] == code, body
    message = body["error"]["message"]
    assert message and "Traceback" not in message
    return message


def check_analysis(obj: dict, text: str, id: str | None) -> None:
    assert obj["id"] == id
    assert {"name", "version", "labels"} <= set(obj["model"])
    starts = [q["start"] for q in obj["quotes"]]
    assert starts == sorted(starts), "quotes must come in article order"
    for q in obj["quotes"]:
        assert set(q) == QUOTE_FIELDS
        assert text[q["start"] : q["end"]] == q["text"]


# -- routes ---------------------------------------------------------------------------------
def test_analyze_finds_quotes_speakers_and_labels(client, direct):
    r = client.post("/v1/analyze", json={"text": ARTICLE, "id": "a1"})
    assert r.status_code == 200
    body = r.json()
    check_analysis(body, ARTICLE, "a1")
    assert body["model"]["name"] == "tiny-model" and body["model"]["labels"] == LABELS
    deceived = next(q for q in body["quotes"] if q["text"] == "They have been deceived,")
    assert (deceived["kind"], deceived["speaker"]["name"], deceived["speaker"]["actor"]) == ("direct", "Polish police", "Poland")
    assert deceived["frame"] in LABELS and set(deceived["frames"]) == set(LABELS)
    assert deceived["tag"].startswith("Poland")
    assert body == direct.analyze(ARTICLE, id="a1").to_dict()


def test_analyze_without_an_id_and_with_unicode(client, direct):
    text = "🙂 " + ARTICLE_2  # an emoji before the quote: offsets count code points, as Python does
    r = client.post("/v1/analyze", json={"text": text})
    assert r.status_code == 200
    body = r.json()
    check_analysis(body, text, None)
    (q,) = body["quotes"]
    assert q["speaker"]["name"] == "Alexander Lukashenko" and q["frame"] in LABELS
    assert body == direct.analyze(text).to_dict()


def test_analyze_without_a_classifier_leaves_labels_null(bare):
    r = bare.post("/v1/analyze", json={"text": ARTICLE, "id": "x"})
    assert r.status_code == 200
    body = r.json()
    check_analysis(body, ARTICLE, "x")
    assert body["model"] == {"name": "quoteframe-extractor", "version": body["model"]["version"], "labels": [],
                             "precision": None}  # no classifier ran
    assert body["quotes"] and all(q["frame"] is None and q["tag"] is None for q in body["quotes"])
    assert body["quotes"][1]["speaker"]["actor"] == "Poland"


def test_batch_answers_each_article_in_request_order(client, direct):
    articles = [{"id": "b1", "text": ARTICLE}, {"id": "b2", "text": ARTICLE_2}, {"text": "No quotes here at all."}]
    r = client.post("/v1/analyze/batch", json={"articles": articles})
    assert r.status_code == 200
    results = r.json()["results"]
    assert [res["id"] for res in results] == ["b1", "b2", None]
    for res, article in zip(results, articles):
        check_analysis(res, article["text"], article.get("id"))
    assert [len(res["quotes"]) for res in results] == [2, 1, 0]
    assert results == [a.to_dict() for a in direct.analyze_many((a.get("id"), a["text"]) for a in articles)]


def test_classify_labels_given_quotes_in_order(client, direct):
    quotes = [{"text": "It is Poland's fault", "speaker_actor": "Belarus"},
              {"text": "They have been deceived", "context": "“They have been deceived,” Polish police said.",
               "speaker": "Polish police", "speaker_actor": "Poland"},
              {"text": "The call lasted 50 minutes"}]
    r = client.post("/v1/classify", json={"quotes": quotes})
    assert r.status_code == 200
    results = r.json()["results"]
    assert results == direct.classify(quotes)
    assert results[0]["tag"].startswith("Belarus")
    assert (results[2]["target"], results[2]["stance"]) == (None, None)  # no candidate in its text
    assert all(x["frame"] in LABELS and set(x["frames"]) == set(LABELS) for x in results)


def test_model_card(client):
    r = client.get("/v1/model")
    assert r.status_code == 200
    card = r.json()
    assert card["name"] == "tiny-model" and card["labels"] == LABELS
    assert {"version", "base_model", "metrics", "training_data"} <= set(card)


def test_probes(client):
    assert client.get("/healthz").json() == {"status": "ok", "model": None}
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json() == {"status": "ready", "model": "tiny-model"}


def test_probes_answer_head(client):
    """Regression (issue 18): HEAD /healthz was 405; load balancers probe with HEAD."""
    for path in ("/healthz", "/readyz", "/metrics"):
        r = client.head(path)
        assert r.status_code == 200 and r.content == b"", path


def test_readyz_is_503_without_a_classifier(bare):
    """Regression (issue 18): /readyz said ready while /v1/classify answered 503 no_classifier."""
    assert "--model" in error_of(bare.get("/readyz"), 503, "no_classifier")
    assert bare.get("/healthz").status_code == 200


def test_metrics_count_requests_quotes_errors_and_batch_sizes(client):
    client.post("/v1/analyze", json={"text": ARTICLE})
    client.post("/v1/analyze", json={"text": ""})
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'quoteframe_requests_total{method="POST",route="/v1/analyze",status="200"}' in text
    assert 'quoteframe_request_duration_seconds_bucket{le="0.5",route="/v1/analyze"}' in text
    assert _metric(text, 'quoteframe_quotes_total{route="/v1/analyze"}') >= 2
    assert _metric(text, 'quoteframe_errors_total{code="invalid_input"}') >= 1
    assert _metric(text, 'quoteframe_forward_pass_items_count{step="label"}') >= 1
    assert 'quoteframe_request_items_bucket{le="1.0",route="/v1/analyze"}' in text


def test_web_page_is_served(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<textarea" in r.text and "/v1/analyze" in r.text and "/v1/feedback" in r.text


def test_openapi_docs_with_examples(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/v1/analyze", "/v1/analyze/batch", "/v1/classify", "/v1/feedback", "/v1/model",
                 "/v1/model/reload", "/healthz", "/readyz", "/metrics"):
        assert path in paths
    schemas = spec["components"]["schemas"]
    assert schemas["ArticleIn"]["examples"][0]["text"].startswith("Belarusian border guards")
    assert "examples" in schemas["FeedbackIn"] and "413" in paths["/v1/analyze"]["post"]["responses"]
    assert paths["/v1/feedback"]["post"]["security"]


def test_feedback_is_stored_for_retraining(client):
    r = client.post("/v1/feedback", json={"quotes": [GOOD_FEEDBACK]}, headers=AUTH)
    assert r.status_code == 201
    answer = r.json()
    assert answer["stored"] == 1 and len(answer["ids"]) == 1
    stored = next(q for q in read_feedback(client.db) if q["id"] == f"feedback-{answer['ids'][0]}")
    expected = {k: v for k, v in GOOD_FEEDBACK.items() if k not in ("start", "end", "article_id")}
    assert {k: stored[k] for k in expected} == expected
    assert stored["source"] == "feedback"
    validate(stored, "feedback")  # what `quoteframe train --feedback DB` accepts


def test_feedback_frames_start_with_the_primary_frame(client):
    quote = dict(GOOD_FEEDBACK, frame="blame", frames=["deception", "blame", "deception"],
                 target="Poland", stance="against")
    r = client.post("/v1/feedback", json={"quotes": [quote]}, headers=AUTH)
    assert r.status_code == 201
    stored = next(q for q in read_feedback(client.db) if q["id"] == f"feedback-{r.json()['ids'][0]}")
    assert stored["frames"] == ["blame", "deception"]
    validate(stored, "feedback")


def test_feedback_without_target_and_stance(client):
    quote = {"text": "The call lasted 50 minutes", "frame": "neutral"}
    r = client.post("/v1/feedback", json={"quotes": [quote]}, headers=AUTH)
    assert r.status_code == 201
    new_id = f"feedback-{r.json()['ids'][0]}"
    stored = [q for q in read_feedback(client.db) if q["id"] == new_id]
    assert stored == [{"text": "The call lasted 50 minutes", "frame": "neutral", "frames": ["neutral"],
                       "id": new_id, "source": "feedback"}]


def test_sqlite_feedback_uses_wal(client):
    with sqlite3.connect(client.db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reload_swaps_the_model(tiny_model, model_2, tmp_path):
    with TestClient(create_app(tiny_settings(tiny_model, tmp_path, api_token=TOKEN))) as c:
        assert c.get("/v1/model").json()["version"] == "1"
        r = c.post("/v1/model/reload", json={"model": str(model_2)}, headers=AUTH)
        assert r.status_code == 200 and r.json()["version"] == "2"
        assert r.json() == c.get("/v1/model").json(), "the reload answers the new card, as GET /v1/model does"
        assert c.post("/v1/analyze", json={"text": ARTICLE}).json()["model"]["version"] == "2"
        message = error_of(c.post("/v1/model/reload", json={"model": str(tmp_path / "nothing")}, headers=AUTH),
                           422, "model_error")
        assert "nothing" in message and "no model there" in message
        assert c.get("/v1/model").json()["version"] == "2", "a failed reload must keep the old model"


@pytest.mark.parametrize("model", ["", "   "], ids=["empty", "blank"])
def test_reload_of_an_empty_path_is_422_and_keeps_the_model(tiny_model, model_2, tmp_path, monkeypatch, model):
    """Regression (issue 18): {"model": ""} answered 200 and swapped in a model without a classifier."""
    monkeypatch.setenv("QUOTEFRAME_DEFAULT_MODEL", str(tmp_path / "not-built"))
    settings = Settings(feedback_db=str(tmp_path / "fb.db"), api_token=TOKEN)  # no model: the default one
    app = create_app(settings, analyzer=load(settings, str(model_2)))
    with TestClient(app) as c:
        message = error_of(c.post("/v1/model/reload", json={"model": model}, headers=AUTH), 422, "invalid_request")
        assert message.startswith("model:") and "empty" in message
        message = error_of(c.post("/v1/model/reload", json={}, headers=AUTH), 422, "model_error")
        assert message.startswith("QF-E102: ") and "not-built" in message and "quoteframe train --default" in message
        assert c.get("/v1/model").json()["version"] == "2"
        assert c.get("/readyz").status_code == 200
        assert c.post("/v1/classify", json={"quotes": [{"text": "It is Poland's fault"}]}).status_code == 200


def test_serve_command_flags_override_the_environment(monkeypatch):
    monkeypatch.setenv("QUOTEFRAME_PORT", "7000")
    monkeypatch.setenv("QUOTEFRAME_MAX_BATCH_ARTICLES", "5")
    monkeypatch.setenv("QUOTEFRAME_API_TOKEN", "from-env")
    parser = argparse.ArgumentParser(prog="quoteframe")
    add_serve_parser(parser.add_subparsers())
    args = parser.parse_args(["serve", "--host", "0.0.0.0", "--port", "9001", "--model", "models/mine"])
    settings = settings_from_args(args)
    assert (settings.host, settings.port, settings.model) == ("0.0.0.0", 9001, "models/mine")
    assert settings.max_batch_articles == 5 and settings.api_token.get_secret_value() == "from-env"
    assert "from-env" not in repr(settings), "the token must not appear in logs"


# -- errors: one test per code of the table ---------------------------------------------------
ERROR_CODES_TESTED = {
    "malformed_json", "unauthorized", "too_large", "invalid_request", "unknown_label", "invalid_input",
    "model_error", "not_ready", "no_classifier", "overloaded", "storage_unavailable", "timeout",
    "not_found", "method_not_allowed", "internal_error",
    # issue 18, in test_service_hardening.py:
    "forbidden", "body_timeout", "unsupported_media_type", "idempotency_conflict", "client_closed",
}


def test_every_error_code_has_a_test_here():
    codes = {code for _, _, code in ERROR_TABLE} | set(HTTP_CODES.values()) | {INTERNAL[1]}
    assert codes == ERROR_CODES_TESTED


@pytest.mark.parametrize("body", [b'{"text": "unclosed', b"not json at all", b'{"text": "a",}'],
                         ids=["unclosed-string", "not-json", "trailing-comma"])
def test_malformed_json_is_400(client, body):
    r = client.post("/v1/analyze", content=body, headers={"Content-Type": "application/json"})
    assert "not valid JSON" in error_of(r, 400, "malformed_json")


def test_a_control_character_in_json_is_400_without_at_at(client):
    """Regression (issue 18): json's own message ends in 'at', and ours said '... at at character 11'."""
    r = client.post("/v1/analyze", content=b'{"text": "a\nb"}', headers={"Content-Type": "application/json"})
    message = error_of(r, 400, "malformed_json")
    assert "at at" not in message and "control character" in message and message.endswith("(at character 11)")


def test_invalid_utf8_is_400(client):
    body = b'{"text": "caf\xe9 \xff said the minister"}'
    r = client.post("/v1/analyze", content=body, headers={"Content-Type": "application/json"})
    assert "UTF-8" in error_of(r, 400, "malformed_json")


def test_json_nested_too_deeply_is_400(client):
    body = b"[" * 200_000 + b"]" * 200_000
    r = client.post("/v1/analyze", content=body, headers={"Content-Type": "application/json"})
    error_of(r, 400, "malformed_json")


def test_lone_surrogate_is_422(client):
    r = client.post("/v1/analyze", content=b'{"text": "bad \\ud800 text"}', headers={"Content-Type": "application/json"})
    assert "surrogate" in error_of(r, 422, "invalid_request")


@pytest.mark.parametrize("route, body, field", [
    ("/v1/analyze", {"text": 5}, "text"),
    ("/v1/analyze", {"id": "no-text"}, "text"),
    ("/v1/analyze", ["a list"], "body"),
    ("/v1/analyze/batch", {"articles": "not a list"}, "articles"),
    ("/v1/analyze/batch", {"articles": [{"text": None}]}, "articles.0.text"),
    ("/v1/classify", {"quotes": [{"text": ["x"]}]}, "quotes.0.text"),
    ("/v1/classify", {"quotes": [{"text": ""}]}, "quotes.0.text"),
], ids=["number-text", "missing-text", "list-body", "articles-string", "null-text", "list-quote", "empty-quote"])
def test_wrong_types_are_422_naming_the_field(client, route, body, field):
    message = error_of(client.post(route, json=body), 422, "invalid_request")
    assert message.startswith(field + ":") or f"; {field}:" in message


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_json_with_another_content_type_is_415(client, content_type):
    """Regression (issue 18): valid JSON sent as text/plain got 422 'Input should be a valid dictionary'."""
    headers = {"Content-Type": content_type} if content_type else {}
    r = client.post("/v1/analyze", content=json.dumps({"text": ARTICLE}).encode(), headers=headers)
    assert "Content-Type: application/json" in error_of(r, 415, "unsupported_media_type")
    r = client.post("/v1/analyze", content=json.dumps({"text": ARTICLE}).encode(),
                    headers={"Content-Type": "application/json; charset=utf-8"})
    assert r.status_code == 200


def test_empty_text_is_422(client):
    assert "empty" in error_of(client.post("/v1/analyze", json={"text": "  \n "}), 422, "invalid_input")
    r = client.post("/v1/analyze/batch", json={"articles": [{"text": ARTICLE}, {"text": ""}]})
    assert error_of(r, 422, "invalid_input").startswith("articles[1]: the text is empty")


def test_one_megabyte_body_is_413(client):
    body = json.dumps({"text": "word " * 210_000}).encode()  # 1,050,000+ bytes
    assert len(body) > 1_000_000
    r = client.post("/v1/analyze", content=body, headers={"Content-Type": "application/json"})
    assert "1,000,000 bytes" in error_of(r, 413, "too_large")


@pytest.mark.slow
def test_a_real_client_sending_a_large_body_reads_the_413(tiny_model, tmp_path):
    app = create_app(tiny_settings(tiny_model, tmp_path))
    with LiveServer(app) as url:
        for _ in range(3):  # the answer must not race the upload (a reset instead of the 413)
            body = b'{"text": "' + b"x" * 3_000_000 + b'"}'
            r = httpx.post(f"{url}/v1/analyze", content=body, headers={"Content-Type": "application/json"}, timeout=30)
            assert "3,000,012 bytes" in error_of(r, 413, "too_large")
        assert httpx.get(f"{url}/readyz").status_code == 200


def test_chunked_body_over_the_limit_is_413(client):
    def chunks():
        for _ in range(20):
            yield b"x" * 60_000

    r = client.post("/v1/analyze", content=chunks(), headers={"Content-Type": "application/json"})
    error_of(r, 413, "too_large")


def test_article_over_the_length_limit_is_413(client):
    r = client.post("/v1/analyze", json={"id": "long", "text": "a" * 100_001})
    message = error_of(r, 413, "too_large")
    assert "'long'" in message and "100,001 characters" in message and "100,000" in message


def test_oversized_batch_is_413(client):
    r = client.post("/v1/analyze/batch", json={"articles": [{"text": ARTICLE_2}] * 33})
    assert "33 articles" in error_of(r, 413, "too_large")
    r = client.post("/v1/classify", json={"quotes": [{"text": "a quote"}] * 257})
    assert "257 quotes" in error_of(r, 413, "too_large")


def test_feedback_needs_the_token(client):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        r = client.post("/v1/feedback", json={"quotes": [GOOD_FEEDBACK]}, headers=headers)
        assert "Bearer" in error_of(r, 401, "unauthorized")
        assert r.headers["www-authenticate"] == "Bearer"
    r = client.post("/v1/model/reload", json={"model": "models/other"})
    error_of(r, 401, "unauthorized")


def test_feedback_offsets_past_any_article_are_422(client):
    """Regression (issue 18): "start": 9223372036854775808 overflowed SQLite and answered 500."""
    for field, value in (("start", 9223372036854775808), ("end", 2**63 - 1), ("start", 10**12)):
        quote = dict(GOOD_FEEDBACK, **{field: value})
        message = error_of(client.post("/v1/feedback", json={"quotes": [quote]}, headers=AUTH), 422, "invalid_request")
        assert f"quotes.0.{field}" in message


def test_feedback_with_unknown_labels_is_422(client):
    for field, value in (("frame", "blam"), ("frames", ["blame", "nonsense"]), ("stance", "angry")):
        quote = dict(GOOD_FEEDBACK, **{field: value})
        message = error_of(client.post("/v1/feedback", json={"quotes": [quote]}, headers=AUTH), 422, "unknown_label")
        assert f"quotes[0].{field}" in message and "use one of" in message


def test_feedback_with_target_but_no_stance_is_422(client):
    quote = dict(GOOD_FEEDBACK, stance=None)
    message = error_of(client.post("/v1/feedback", json={"quotes": [quote]}, headers=AUTH), 422, "invalid_input")
    assert "target and stance" in message


def test_requests_before_the_model_is_loaded_are_503(tiny_model, tmp_path):
    app = create_app(tiny_settings(tiny_model, tmp_path))
    c = TestClient(app)  # not entered: the lifespan has not loaded the model
    r = c.get("/readyz")
    assert "readyz" in error_of(r, 503, "not_ready") and r.headers["retry-after"] == "5"
    error_of(c.post("/v1/analyze", json={"text": ARTICLE}), 503, "not_ready")
    assert c.get("/healthz").status_code == 200, "liveness does not wait for the model"


def test_classify_and_feedback_without_a_classifier_are_503(bare):
    message = error_of(bare.post("/v1/classify", json={"quotes": [{"text": "a quote"}]}), 503, "no_classifier")
    assert "--model" in message
    error_of(bare.post("/v1/feedback", json={"quotes": [GOOD_FEEDBACK]}), 503, "no_classifier")


def test_unknown_route_is_404_and_wrong_method_is_405(client):
    assert "/v1/nothing" in error_of(client.get("/v1/nothing"), 404, "not_found")
    assert "GET" in error_of(client.get("/v1/analyze"), 405, "method_not_allowed")


def test_a_bug_is_500_in_the_envelope_without_traceback(client):
    r = client.post("/v1/classify", json={"quotes": [{"text": f"this will {FAIL_MARK}"}]})
    message = error_of(r, 500, "internal_error")
    assert "crashed" not in message
    assert client.get("/readyz").status_code == 200, "the server keeps serving after a bug"


def test_feedback_store_failure_is_503(tiny_model, tmp_path):
    db = tmp_path / "fb.db"
    app = create_app(tiny_settings(tiny_model, tmp_path, api_token=TOKEN))
    with TestClient(app) as c:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        db.mkdir()  # the database file is gone and a folder is in its place
        r = c.post("/v1/feedback", json={"quotes": [GOOD_FEEDBACK]}, headers=AUTH)
        assert "feedback" in error_of(r, 503, "storage_unavailable")
        assert r.headers["retry-after"] == "2"


class HeldClassifier:
    """A classifier whose calls, once :meth:`hold` is called, wait until the test lets them go: a
    request then outlives the server's timeout however fast or slow the machine is, and the queue
    behind it stays full. Until then calls pass (the server's warm-up labels a quote)."""

    def __init__(self, inner):
        self.inner, self.started, self.go = inner, threading.Event(), threading.Event()
        self.go.set()

    def hold(self) -> None:
        self.started.clear()
        self.go.clear()

    def classify(self, records: list[dict]) -> list[dict]:
        self.started.set()
        self.go.wait(60)
        return self.inner.classify(records)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


@pytest.mark.slow
def test_slow_requests_time_out_with_504_and_a_full_queue_is_503(tiny_model, tmp_path):
    # max_pending counts the requests being answered: the held one, and one more waiting for the model.
    # The timeout leaves the burst below time to arrive on a loaded machine: at 0.3 s, a CI run (the
    # other tests beside it) saw the waiting request time out before the last of the burst came, which
    # then found room and timed out too (three 504s)
    settings = tiny_settings(tiny_model, tmp_path, request_timeout_s=3.0, max_pending=2)
    analyzer = load(settings, settings.model)
    held = analyzer.classifier = HeldClassifier(analyzer.classifier)
    app = create_app(settings, analyzer=analyzer)
    with LiveServer(app) as url:
        held.hold()

        async def burst():
            async with httpx.AsyncClient(base_url=url, timeout=30) as c:
                def classify(i):
                    return c.post("/v1/classify", json={"quotes": [{"text": f"quote {i}"}]})

                first = asyncio.create_task(classify(0))
                assert await asyncio.to_thread(held.started.wait, 30), "the model never got the first request"
                # the model holds the first; one more waits for it (max_pending=2), the rest are turned away
                rest = await asyncio.gather(*[classify(i) for i in range(1, 6)])
                return [await first, *rest]

        try:
            responses = asyncio.run(burst())
        finally:
            held.go.set()  # the model finishes what it started
        codes = [r.json()["error"]["code"] for r in responses]
        assert codes[0] == "timeout" and sorted(codes[1:]) == ["overloaded"] * 4 + ["timeout"], codes
        for r, code in zip(responses, codes):
            error_of(r, 504 if code == "timeout" else 503, code)
            if code == "overloaded":  # regression (issue 18): no Retry-After on 503 overloaded
                assert int(r.headers["retry-after"]) >= 1
        assert _answers_again(f"{url}/v1/classify", {"quotes": [{"text": "quote 7"}]})


def _answers_again(url: str, body: dict, within_s: float = 30) -> bool:
    """Whether the server labels ``body`` once the queue it had drains (a bounded wait, not a timing)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        r = httpx.post(url, json=body, timeout=within_s)
        if r.status_code == 200:
            return r.json()["results"][0]["frame"] is not None
        time.sleep(0.05)
    return False


# -- concurrency -------------------------------------------------------------------------------
@pytest.mark.slow
def test_concurrent_requests_share_forward_passes(tiny_model, tmp_path):
    settings = tiny_settings(tiny_model, tmp_path)
    watched = watch(load(settings, settings.model), delay=0.2)
    app = create_app(settings, analyzer=watched)
    with LiveServer(app) as url:
        watched.calls.clear()

        async def burst():
            async with httpx.AsyncClient(base_url=url, timeout=60) as c:
                return await asyncio.gather(*[c.post("/v1/analyze", json={"text": ARTICLE, "id": f"c{i}"})
                                              for i in range(8)])

        responses = asyncio.run(burst())
        assert [r.status_code for r in responses] == [200] * 8
        assert [r.json()["id"] for r in responses] == [f"c{i}" for i in range(8)]
        assert all(q["frame"] for r in responses for q in r.json()["quotes"])
        assert sum(watched.calls) == 16, "every quote labelled exactly once"
        assert len(watched.calls) < 8, f"8 concurrent requests took {len(watched.calls)} forward passes"
        metrics = httpx.get(f"{url}/metrics").text
        assert _metric(metrics, 'quoteframe_forward_pass_items_count{step="label"}') == len(watched.calls)


@pytest.mark.slow
def test_reload_under_load_drops_no_request(tiny_model, model_2, tmp_path):
    settings = tiny_settings(tiny_model, tmp_path, api_token=TOKEN)

    def slow_load(path):  # the reload takes a while, so requests arrive while it loads
        time.sleep(0.3)
        return load(settings, path)

    app = create_app(settings, analyzer=watch(load(settings, settings.model), delay=0.05), analyzer_loader=slow_load)
    with LiveServer(app) as url:

        async def traffic():
            async with httpx.AsyncClient(base_url=url, timeout=60) as c:
                async def analyse(i):
                    await asyncio.sleep(0.05 * i)
                    return await c.post("/v1/analyze", json={"text": ARTICLE_2, "id": str(i)})

                reload = c.post("/v1/model/reload", json={"model": str(model_2)}, headers=AUTH)
                return await asyncio.gather(reload, *[analyse(i) for i in range(20)])

        reload, *answers = asyncio.run(traffic())
        assert reload.status_code == 200 and reload.json()["version"] == "2"
        assert [r.status_code for r in answers] == [200] * 20
        versions = [r.json()["model"]["version"] for r in answers]
        assert versions[0] == "1" and versions[-1] == "2", versions
        assert all(r.json()["quotes"][0]["frame"] in LABELS for r in answers)


# -- durability ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_feedback_survives_kill_9(tiny_model, tmp_path):
    db, port = tmp_path / "feedback.db", free_port()
    # as a module from the checkout: a script run from tests/ would import tests/quoteframe as quoteframe
    server = subprocess.Popen([sys.executable, "-m", "tests.serve_tiny", str(port), str(db), str(tiny_model)],
                              cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(url, server)
        quotes = [dict(GOOD_FEEDBACK, text=f"They have been deceived, number {i}") for i in range(5)]
        ids = []
        for quote in quotes:
            r = httpx.post(f"{url}/v1/feedback", json={"quotes": [quote]}, timeout=30)
            assert r.status_code == 201, r.text
            ids += r.json()["ids"]
        os.kill(server.pid, signal.SIGKILL)
        assert server.wait(timeout=10) == -signal.SIGKILL
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    stored = read_feedback(db)
    assert [q["id"] for q in stored] == [f"feedback-{i}" for i in ids]
    assert [q["text"] for q in stored] == [q["text"] for q in quotes]
    assert all(q["frame"] == "deception" and q["speaker_actor"] == "Poland" for q in stored)


def test_read_feedback_names_a_missing_database(tmp_path):
    from quoteframe.errors import InputError

    with pytest.raises(InputError, match="no feedback database"):
        read_feedback(tmp_path / "nowhere.db")


# -- helpers -------------------------------------------------------------------------------------
def _metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"metric {name} not found")


def _wait_ready(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited: {server.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server was not ready within 90 s")


@pytest.mark.parametrize("module", ["service.app", "service.batcher", "service.errors", "service.feedback",
                                    "service.settings"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
