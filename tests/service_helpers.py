"""Helpers for the service tests: a stand-in classifier and a live server.

``FakeClassifier`` has the interface of ``quoteframe.classifier.Classifier``
(``labels``, ``stances``, ``info()``, ``classify()``, ``label_articles()``)
with rules instead of weights, so the service's routing, batching, reload
and feedback can be tested without training a model. It records the size of
every call, so a test can see how many forward passes a burst of requests
shared.

``LiveServer`` runs the app on a loopback port in a thread, under the server
`quoteframe serve` uses (Hypercorn, with the settings' timeouts; spaCy stays
loaded once per test session); ``serve_fake.py`` runs it in a subprocess for
tests that kill the server.
"""
from __future__ import annotations

import asyncio
import socket
import threading
import time

from quoteframe.errors import ModelError
from service.server import serve

LABELS = ["blame", "deception", "humanitarian", "neutral"]
STANCES = ["against", "favor", "neutral"]
FAIL_MARK = "EXPLODE"  # a quote containing this makes the fake classifier raise, like a bug would


class FakeClassifier:
    """Rule-based stand-in for the transformer classifier (same methods, same result fields)."""

    def __init__(self, version: str = "1", delay: float = 0.0):
        self.version, self.delay = version, delay
        self.labels, self.stances = list(LABELS), list(STANCES)
        self.calls: list[int] = []  # records per call: one call is one shared forward pass

    def info(self) -> dict:
        return {"name": "fake-model", "version": self.version, "base_model": "rules", "labels": self.labels,
                "stances": self.stances, "metrics": {"frame_macro_f1": 1.0}, "training_data": ["tests"]}

    def classify(self, records: list[dict]) -> list[dict]:
        self.calls.append(len(records))
        if self.delay:
            time.sleep(self.delay)
        if any(FAIL_MARK in r["text"] for r in records):
            raise RuntimeError("fake classifier crashed")
        return [self._one(r) for r in records]

    def label_articles(self, items) -> None:
        quotes, records = [], []
        for article_quotes, _text, *_parties in items:
            for q in article_quotes:
                quotes.append(q)
                records.append({"text": q.text, "speaker": q.speaker.name, "speaker_actor": q.speaker.actor})
        if records:
            for q, result in zip(quotes, self.classify(records)):
                for key, value in result.items():
                    setattr(q, key, value)

    def _one(self, record: dict) -> dict:
        text = record["text"].lower()
        if "deceived" in text:
            frame, target, stance = "deception", "migrants", "neutral"
        elif "fault" in text or "lying" in text:
            frame, target, stance = "blame", "Poland", "against"
        else:
            frame, target, stance = "neutral", None, None
        frames = {label: (0.9 if label == frame else 0.05) for label in self.labels}
        actor = record.get("speaker_actor") or record.get("speaker") or "someone"
        tag = f"{actor} says {frame}" + (f" about {target}" if target else "")
        return {"frame": frame, "frame_score": 0.9, "frames": frames, "target": target, "stance": stance,
                "stance_score": 0.8 if stance else None, "tag": tag, "low_confidence": False}


def fake_loader(delay: float = 0.0):
    """A classifier loader: ``None`` or ``fake:VERSION`` loads a FakeClassifier; anything else is missing."""

    def load(path: str | None):
        if delay:
            time.sleep(delay)
        if path is None or path.startswith("fake:"):
            return FakeClassifier(version=(path or "fake:1").split(":", 1)[1])
        raise ModelError(f"{path}: no model there (no config.json); give a folder written by quoteframe train")

    return load


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app served on 127.0.0.1, in a thread: ``with LiveServer(app) as url: ...``."""

    def __init__(self, app):
        self.app, self.port = app, free_port()
        self.settings = app.state.settings.model_copy(update={"host": "127.0.0.1", "port": self.port,
                                                                 "log_level": "warning"})
        self.loop = asyncio.new_event_loop()
        self.stop = asyncio.Event()
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="live-server", daemon=True)

    def _run(self) -> None:
        try:
            self.loop.run_until_complete(serve(self.app, self.settings, shutdown_trigger=self.stop.wait))
        except BaseException as err:  # reported by __enter__
            self.failure = err

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 60
        while True:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the live server did not start: {self.failure!r}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return f"http://127.0.0.1:{self.port}"
            except OSError:
                time.sleep(0.05)

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(timeout=30)
