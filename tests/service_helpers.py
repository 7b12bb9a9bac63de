"""Helpers for the service tests: a watched classifier and a live server.

The service tests run the real classifier on a tiny random-weight model
folder (``tiny_model.py``). ``watch`` wraps one loaded classifier's
``classify`` to record the size of every call (one call is one shared
forward pass of the micro-batcher), and can make it slow or make it fail on
a marked quote the way a bug would, so that batching, timeouts and the 500
answer can be tested; the labels still come from the real code.

``LiveServer`` runs the app under uvicorn on a loopback port in a thread
(spaCy stays loaded once per test session); ``serve_tiny.py`` runs it in a
subprocess for tests that kill the server.
"""
from __future__ import annotations

import socket
import threading
import time

import uvicorn

FAIL_MARK = "EXPLODE"  # a quote containing this makes a watched classifier raise, like a bug would


def watch(analyzer, delay: float = 0.0):
    """``analyzer`` with its classifier's calls recorded in ``analyzer.calls`` (records per call),
    each call ``delay`` seconds slower, and a quote holding :data:`FAIL_MARK` raising."""
    classifier, real = analyzer.classifier, analyzer.classifier.classify
    analyzer.calls = []

    def classify(records):
        analyzer.calls.append(len(records))
        if delay:
            time.sleep(delay)
        if any(FAIL_MARK in r["text"] for r in records):
            raise RuntimeError("the classifier crashed")
        return real(records)

    classifier.classify = classify
    return analyzer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app under uvicorn on 127.0.0.1, in a thread: ``with LiveServer(app) as url: ...``."""

    def __init__(self, app):
        self.config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning", lifespan="on")
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the live server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.config.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
