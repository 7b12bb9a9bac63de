"""Helpers for the service tests: a watched classifier and a live server.

The service tests run the real classifier on a tiny random-weight model
folder (``tiny_model.py``). ``watch`` wraps one loaded classifier's
``classify`` to record the size of every call (one call is one shared
forward pass of the micro-batcher), and can make it slow or make it fail on
a marked quote the way a bug would, so that batching, timeouts and the 500
answer can be tested; the labels still come from the real code.

``LiveServer`` runs the app on a loopback port in a thread, under the server
`quoteframe serve` uses (Hypercorn, with the settings' timeouts; spaCy stays
loaded once per test session); ``serve_tiny.py`` runs it in a subprocess for
tests that kill the server.
"""
from __future__ import annotations

import asyncio
import socket
import threading
import time

from service.server import serve

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
