"""The service under a hostile or careless client (issue 18), each test named after the defect it pins.

Fair scheduling (a small request is served between the articles of a heavy
batch), cancelled work (a timed-out request or a client that left takes its
articles out of the queue), secure defaults (no token: reload is off; JSON
only; `serve` refuses an open host without a token), connection timeouts of
the real server (unfinished headers, idle connections, bodies sent byte by
byte), truthful probes and metrics, idempotent feedback.

Extraction is the real spaCy-based Analyzer, noting the order in which it
starts articles; the classifier is the real one on a tiny random-weight model
(``tiny_model.py``).
"""
from __future__ import annotations

import asyncio
import logging
import socket
import sqlite3
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from quoteframe.analyzer import Analyzer, load_analyzer
from service.__main__ import main as serve_main
from service.app import create_app
from service.cli import is_loopback, preflight
from service.feedback import FeedbackStore, read_feedback
from service.settings import Settings
from tests.service_helpers import LiveServer
from tests.tiny_model import LABELS

TOKEN = "hardening-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SHORT = "“It is Poland's fault,” Belarusian leader Alexander Lukashenko said on Monday. The weather was cold."
PARAGRAPH = ("The harbour authority said on Tuesday that the ferries would keep running through the storm. "
             "“We have never closed the port in winter,” director Helen Osei said. "
             "Fishermen in the town told reporters that the catch had fallen for a third year. ")
LONG = "\n".join([PARAGRAPH] * 28)  # about 7,000 characters: a fraction of a second of extraction
FEEDBACK = {"text": "It is Poland's fault", "speaker_actor": "Belarus", "frame": "blame",
            "target": "Poland", "stance": "against"}


class RecordingAnalyzer(Analyzer):
    """The real Analyzer, noting each article's id as its extraction starts: the order the scheduler chose."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order: list[str | None] = []

    def extract_many(self, articles, batch_size: int = 16):
        for article_id, text in articles:
            self.order.append(article_id)
            yield from super().extract_many([(article_id, text)], batch_size=batch_size)


@pytest.fixture(scope="module")
def labelled(analyzer, tiny_model) -> Analyzer:
    """An Analyzer with a classifier: the session's spaCy set-up and the tiny model."""
    return load_analyzer(tiny_model, config=analyzer.config)


@pytest.fixture
def recorder(analyzer, labelled) -> RecordingAnalyzer:
    return RecordingAnalyzer(analyzer.config, classifier=labelled.classifier)


def heavy_batch(n: int = 16) -> dict:
    return {"articles": [{"id": f"heavy-{i}", "text": LONG} for i in range(n)]}


def error_code(response: httpx.Response) -> str:
    return response.json()["error"]["code"]


def metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def wait_until(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {seconds:g} s: {condition.__doc__ or condition}")
        time.sleep(0.05)


# -- fair scheduling and cancelled work ------------------------------------------------------------
@pytest.mark.slow
def test_a_small_request_is_served_between_the_articles_of_a_heavy_batch(recorder, tmp_path):
    """Regression (issue 18): one extraction thread ran whole batches in order; a tiny request waited 54 s."""
    app = create_app(Settings(feedback_db=str(tmp_path / "fb.db")), analyzer=recorder)
    with LiveServer(app) as url:

        async def scenario():
            async with httpx.AsyncClient(base_url=url, timeout=120) as c:
                batch = asyncio.ensure_future(c.post("/v1/analyze/batch", json=heavy_batch()))
                for _ in range(600):  # until the batch is being extracted
                    if recorder.order:
                        break
                    await asyncio.sleep(0.05)
                started = len(recorder.order)
                small = await c.post("/v1/analyze", json={"id": "small", "text": SHORT})
                return started, small, batch.done(), await batch

        started, small, batch_done_first, batch = asyncio.run(scenario())
    assert small.status_code == 200 and batch.status_code == 200
    assert small.json()["quotes"][0]["frame"] in LABELS
    assert [r["id"] for r in batch.json()["results"]] == [f"heavy-{i}" for i in range(16)]
    assert not batch_done_first, "the small request answered before the heavy batch"
    # Started when it came: the article in progress, then one more of the batch (its turn), then the small one.
    assert recorder.order.index("small") <= started + 2, recorder.order


@pytest.mark.slow
def test_a_timed_out_batch_takes_its_articles_out_of_the_queue(recorder, tmp_path):
    """Regression (issue 18): a 504 did not stop the work, and the next request still waited 23 s."""
    app = create_app(Settings(feedback_db=str(tmp_path / "fb.db"), request_timeout_s=0.5), analyzer=recorder)
    with LiveServer(app) as url:
        r = httpx.post(f"{url}/v1/analyze/batch", json=heavy_batch(), timeout=60)
        assert error_code(r) == "timeout" and r.status_code == 504
        metrics = httpx.get(f"{url}/metrics").text  # an article starts after the 504 only if it was still queued
        assert metric(metrics, 'quoteframe_queued_items{step="extract"}') == 0
    extracted = sum(1 for i in recorder.order if (i or "").startswith("heavy"))
    dropped = metric(metrics, 'quoteframe_abandoned_items_total{step="extract"}')
    assert extracted < 16 and extracted + dropped == 16, (recorder.order, dropped)


@pytest.mark.slow
def test_a_client_that_leaves_is_counted_as_such_and_its_work_dropped(recorder, tmp_path):
    """Regression (issue 18): nothing noticed a client that hung up; its batch ran to the end."""
    app = create_app(Settings(feedback_db=str(tmp_path / "fb.db")), analyzer=recorder)
    with LiveServer(app) as url:
        with pytest.raises(httpx.ReadTimeout):  # the client gives up and closes the connection
            httpx.post(f"{url}/v1/analyze/batch", json=heavy_batch(), timeout=httpx.Timeout(60, read=0.5))

        def counted() -> bool:
            """the server counted the disconnect"""
            text = httpx.get(f"{url}/metrics").text
            return metric(text, 'quoteframe_client_disconnects_total{route="/v1/analyze/batch"}') == 1

        wait_until(counted)
        assert httpx.post(f"{url}/v1/analyze", json={"text": SHORT}, timeout=60).status_code == 200
        metrics = httpx.get(f"{url}/metrics").text
    extracted = sum(1 for i in recorder.order if (i or "").startswith("heavy"))
    assert extracted < 16 and extracted + metric(metrics, 'quoteframe_abandoned_items_total{step="extract"}') == 16
    assert 'route="/v1/analyze/batch"' not in _lines(metrics, "quoteframe_requests_total"), "no status to count"
    assert _lines(metrics, "quoteframe_errors_total") == "", "a client that left is no error of any kind"


@pytest.mark.slow
def test_a_client_hanging_up_mid_body_is_a_disconnect_not_malformed_json(labelled, tmp_path):
    """Regression (issue 18): a client that hung up mid-body was counted as a 400 malformed_json."""
    app = create_app(Settings(feedback_db=str(tmp_path / "fb.db")), analyzer=labelled)
    with LiveServer(app) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 1000\r\n\r\n" + b'{"text": "only the start of')

        def counted() -> bool:
            """the server counted the disconnect"""
            text = httpx.get(f"{url}/metrics").text
            return metric(text, 'quoteframe_client_disconnects_total{route="/v1/analyze"}') == 1

        wait_until(counted)
        metrics = httpx.get(f"{url}/metrics").text
    assert metric(metrics, 'quoteframe_errors_total{code="malformed_json"}') == 0


def test_an_oversized_queue_is_503_with_retry_after(recorder, tmp_path):
    """Regression (issue 18): 256 pending 1 MB requests could queue hours of work; 503 had no Retry-After."""
    settings = Settings(feedback_db=str(tmp_path / "fb.db"), max_article_chars=10_000, max_queued_chars=15_000)
    with TestClient(create_app(settings, analyzer=recorder)) as c:
        r = c.post("/v1/analyze/batch", json={"articles": [{"text": LONG}, {"text": LONG}, {"text": LONG}]})
        assert r.status_code == 503 and error_code(r) == "overloaded"
        assert "max_queued_chars" in r.json()["error"]["message"]
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert recorder.order == ["warm-up"], "a refused request starts nothing"
        assert c.post("/v1/analyze/batch", json={"articles": [{"text": LONG}, {"text": LONG}]}).status_code == 200


@pytest.mark.slow
def test_readyz_is_503_while_overloaded(recorder, tmp_path):
    """Regression (issue 18): /readyz stayed 200 while requests were refused as overloaded."""
    # Three articles of ~7,000 characters fit; while two wait, one more of 10,000 would not.
    settings = Settings(feedback_db=str(tmp_path / "fb.db"), max_article_chars=10_000, max_queued_chars=22_000)
    app = create_app(settings, analyzer=recorder)
    with LiveServer(app) as url:
        answers: list[httpx.Response] = []
        queued: list[float] = []

        async def scenario():
            async with httpx.AsyncClient(base_url=url, timeout=120) as c:
                batch = asyncio.ensure_future(c.post("/v1/analyze/batch", json=heavy_batch(3)))
                while not batch.done():  # readiness and the queue gauge while articles wait
                    answers.append(await c.get("/readyz"))
                    queued.append(metric((await c.get("/metrics")).text, 'quoteframe_queued_items{step="extract"}'))
                    await asyncio.sleep(0.02)
                return await batch

        assert asyncio.run(scenario()).status_code == 200
        busy = [r for r in answers if r.status_code == 503]
        assert busy and all(error_code(r) == "overloaded" and int(r.headers["retry-after"]) >= 1 for r in busy)
        assert max(queued) >= 2, "the gauge shows the articles waiting behind the one in progress"
        assert httpx.get(f"{url}/readyz").status_code == 200, "ready again once the queue drained"


# -- secure by default ------------------------------------------------------------------------------
@pytest.fixture
def open_server(labelled, tmp_path):
    """A server with no API token configured (the default)."""
    db = tmp_path / "fb.db"
    app = create_app(Settings(feedback_db=str(db)), analyzer=labelled)
    with TestClient(app) as c:
        c.db = db
        yield c


def test_without_a_token_reload_is_403_saying_how_to_set_one(open_server):
    """Regression (issue 18): with no token set, anyone could reload the model."""
    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer anything"}):
        r = open_server.post("/v1/model/reload", json={"model": "models/other"}, headers=headers)
        assert r.status_code == 403 and error_code(r) == "forbidden"
        assert "QUOTEFRAME_API_TOKEN" in r.json()["error"]["message"]
    assert open_server.get("/v1/model").json()["version"] == "1"


def test_a_server_without_a_token_says_so_when_it_starts(analyzer, tmp_path, caplog):
    """Regression (issue 18): with no token set, feedback and reload were open and nothing was logged."""
    app = create_app(Settings(feedback_db=str(tmp_path / "fb.db")), analyzer=Analyzer(analyzer.config))
    with caplog.at_level(logging.WARNING, logger="quoteframe.service"), TestClient(app):
        pass
    assert "QUOTEFRAME_API_TOKEN" in caplog.text and "reload is off" in caplog.text


def test_an_empty_token_setting_is_no_token(labelled, tmp_path):
    settings = Settings(feedback_db=str(tmp_path / "fb.db"), api_token="  ")
    assert settings.api_token is None
    with TestClient(create_app(settings, analyzer=labelled)) as c:
        r = c.post("/v1/model/reload", json={}, headers={"Authorization": "Bearer "})
        assert r.status_code == 403


@pytest.mark.parametrize("route, body", [("/v1/feedback", {"quotes": [FEEDBACK]}), ("/v1/model/reload", {})])
def test_a_cross_site_simple_post_is_refused(open_server, route, body):
    """Regression (issue 18): a text/plain POST with a foreign Origin reloaded the model."""
    import json

    before = len(read_feedback(open_server.db))
    r = open_server.post(route, content=json.dumps(body).encode(),
                         headers={"Content-Type": "text/plain", "Origin": "https://elsewhere.example"})
    assert r.status_code == 415 and "application/json" in r.json()["error"]["message"]
    assert len(read_feedback(open_server.db)) == before
    assert open_server.get("/v1/model").json()["version"] == "1"


def test_serve_refuses_an_open_host_without_a_token(tmp_path, monkeypatch, capsys):
    """Regression (issue 18): the Docker example bound 0.0.0.0 with no token."""
    monkeypatch.delenv("QUOTEFRAME_API_TOKEN", raising=False)
    monkeypatch.delenv("QUOTEFRAME_INSECURE", raising=False)
    assert serve_main(["--host", "0.0.0.0", "--feedback-db", str(tmp_path / "fb.db")]) == 2  # a usage error
    err = capsys.readouterr().err
    assert "QUOTEFRAME_API_TOKEN" in err and "--insecure" in err and "Traceback" not in err


def test_insecure_allows_an_open_host_with_a_warning(tmp_path, caplog):
    settings = Settings(host="0.0.0.0", insecure=True, feedback_db=str(tmp_path / "fb.db"))
    with caplog.at_level(logging.WARNING, logger="quoteframe.service"):
        preflight(settings)
    assert "--insecure" in caplog.text and "without an API token" in caplog.text
    preflight(Settings(host="0.0.0.0", api_token=TOKEN, feedback_db=str(tmp_path / "fb.db")))  # a token: fine


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.8.0.1", True), ("localhost", True),
                                            ("::1", True), ("[::1]", True), ("0.0.0.0", False), ("::", False),
                                            ("192.168.1.5", False), ("myhost", False)])
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


# -- the server's own timeouts -------------------------------------------------------------------------
@pytest.fixture
def timed_server(labelled, tmp_path):
    settings = Settings(feedback_db=str(tmp_path / "fb.db"), header_timeout_s=1, body_timeout_s=1)
    app = create_app(settings, analyzer=labelled)
    with LiveServer(app) as url:
        yield int(url.rsplit(":", 1)[1])


def closed_by_server(s: socket.socket, within: float = 15) -> bytes:
    """Everything the server sends until it closes the connection (fails if it is still open after ``within``)."""
    s.settimeout(within)
    received = b""
    try:
        while chunk := s.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    except socket.timeout:
        raise AssertionError(f"the connection was still open after {within:g} s") from None
    return received


@pytest.mark.slow
def test_unfinished_headers_are_cut_off(timed_server):
    """Regression (issue 18): a connection with unfinished headers was still open after 80 s."""
    with socket.create_connection(("127.0.0.1", timed_server)) as s:
        s.sendall(b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\n")
        closed_by_server(s)


@pytest.mark.slow
def test_idle_connections_are_closed(timed_server):
    with socket.create_connection(("127.0.0.1", timed_server)) as s:
        closed_by_server(s)
    with socket.create_connection(("127.0.0.1", timed_server)) as s:  # keep-alive after an answer
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert closed_by_server(s).startswith(b"HTTP/1.1 200")


@pytest.mark.slow
def test_a_body_sent_byte_by_byte_gets_408(timed_server):
    """Regression (issue 18): a body sent at 1 byte every 0.5 s kept its connection for good."""
    with socket.create_connection(("127.0.0.1", timed_server)) as s:
        s.sendall(b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100\r\n\r\n")
        stop = threading.Event()

        def trickle():
            for byte in b'{"text": "' + b"x" * 80:
                if stop.wait(0.3):
                    return
                try:
                    s.sendall(bytes([byte]))
                except OSError:
                    return

        sender = threading.Thread(target=trickle, daemon=True)
        sender.start()
        try:
            answer = closed_by_server(s)
        finally:
            stop.set()
            sender.join(timeout=5)
    assert answer.startswith(b"HTTP/1.1 408") and b'"body_timeout"' in answer and b"body_timeout_s" in answer


# -- idempotent feedback ------------------------------------------------------------------------------------
def test_a_retried_feedback_write_with_its_key_is_stored_once(open_server):
    """Regression (issue 18): a client retrying after a crash stored duplicates."""
    headers = {"Idempotency-Key": "5f0c2b9e-write-1"}
    first = open_server.post("/v1/feedback", json={"quotes": [FEEDBACK, FEEDBACK]}, headers=headers)
    again = open_server.post("/v1/feedback", json={"quotes": [FEEDBACK, FEEDBACK]}, headers=headers)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again.headers["idempotency-replayed"] == "true" and "idempotency-replayed" not in first.headers
    assert len(read_feedback(open_server.db)) == 2
    quoted = open_server.post("/v1/feedback", json={"quotes": [FEEDBACK, FEEDBACK]},
                              headers={"Idempotency-Key": '"5f0c2b9e-write-1"'})  # the structured-field form
    assert quoted.json() == first.json()
    other = open_server.post("/v1/feedback", json={"quotes": [dict(FEEDBACK, text="Poland is lying")]},
                             headers=headers)
    assert other.status_code == 422 and error_code(other) == "idempotency_conflict"
    assert open_server.post("/v1/feedback", json={"quotes": [FEEDBACK]}).status_code == 201  # no key: stored
    assert len(read_feedback(open_server.db)) == 3


@pytest.mark.parametrize("key", ["", "has space", "x" * 256], ids=["empty", "space", "too-long"])
def test_a_malformed_idempotency_key_is_422(open_server, key):
    r = open_server.post("/v1/feedback", json={"quotes": [FEEDBACK]}, headers={"Idempotency-Key": key})
    assert r.status_code == 422 and "Idempotency-Key" in r.json()["error"]["message"]


def test_an_idempotency_key_holds_across_a_restart(labelled, tmp_path):
    db = tmp_path / "fb.db"
    answers = []
    for _ in range(2):  # two server lives on one database
        app = create_app(Settings(feedback_db=str(db)), analyzer=labelled)
        with TestClient(app) as c:
            answers.append(c.post("/v1/feedback", json={"quotes": [FEEDBACK]}, headers={"Idempotency-Key": "k-1"}))
    assert answers[0].json() == answers[1].json() and len(read_feedback(db)) == 1


def test_concurrent_retries_with_one_key_store_once(tmp_path):
    store = FeedbackStore(tmp_path / "fb.db")
    results, barrier = [], threading.Barrier(6)

    def retry():
        barrier.wait()
        results.append(store.add_once([FEEDBACK], model="m", key="same-key"))

    threads = [threading.Thread(target=retry) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 6 and len({tuple(r.ids) for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1 and store.count() == 1


def test_a_version_1_feedback_database_gets_the_keys_table(tmp_path):
    db = tmp_path / "old.db"
    FeedbackStore(db).add([FEEDBACK])
    with sqlite3.connect(db) as conn:  # as a version-1 service left it
        conn.execute("DROP TABLE feedback_keys")
        conn.execute("UPDATE feedback_meta SET value = '1'")
    store = FeedbackStore(db)
    assert store.add_once([FEEDBACK], key="k").ids == [2] and store.add_once([FEEDBACK], key="k").replayed
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM feedback_meta WHERE key = 'schema_version'").fetchone()[0] == "2"


def _lines(text: str, name: str) -> str:
    return "\n".join(line for line in text.splitlines() if line.startswith(name))


class ThreadRecorder(Analyzer):
    """The real Analyzer, noting how many threads torch had for each labelling pass."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.threads: list[int] = []

    def label(self, items):
        import torch

        self.threads.append(torch.get_num_threads())
        return super().label(items)


@pytest.mark.parametrize("setting", [None, 1])
def test_labelling_takes_every_core_unless_articles_wait_to_be_parsed(labelled, tmp_path, setting):
    """One client's article is parsed, then labelled: the model need not leave a core to parsing.
    While a batch's other articles are still to be parsed, it leaves one; a set torch_threads is kept."""
    from service.settings import cores

    recorder = ThreadRecorder(labelled.config, classifier=labelled.classifier)
    extra = {} if setting is None else {"torch_threads": setting}
    settings = Settings(feedback_db=str(tmp_path / "fb.db"), **extra)
    with TestClient(create_app(settings, analyzer=recorder)) as client:
        recorder.threads.clear()  # the warm-up's
        assert client.post("/v1/analyze", json={"text": SHORT}).status_code == 200
        alone = list(recorder.threads)
        recorder.threads.clear()
        assert client.post("/v1/analyze/batch", json=heavy_batch()).status_code == 200
    if setting is None:
        assert alone == [cores()]
        assert recorder.threads[0] == max(1, cores() - 1)  # 15 articles still to parse
        assert recorder.threads[-1] == cores()  # the last one: nothing left to parse
    else:
        assert alone == [1] and set(recorder.threads) == {1}
