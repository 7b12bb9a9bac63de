"""Prometheus metrics of one app: requests, latency, quotes, errors, batch sizes, queues.

Each app has its own registry, so two apps in one process (tests) never mix
their counts. Route labels are route templates (``/v1/analyze``), never raw
paths: a scan of random URLs adds one ``unmatched`` series, not one each.
"""
from __future__ import annotations

import time

from prometheus_client import (
    CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, PlatformCollector, ProcessCollector,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)


class Metrics:
    """The service's metrics, in a registry of their own."""

    def __init__(self):
        self.registry = registry = CollectorRegistry()
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        self.requests = Counter("quoteframe_requests", "HTTP requests answered, by route and status",
                                ["method", "route", "status"], registry=registry)
        self.latency = Histogram("quoteframe_request_duration_seconds", "Time to answer a request, by route",
                                 ["route"], buckets=LATENCY_BUCKETS, registry=registry)
        self.in_flight = Gauge("quoteframe_requests_in_flight", "Requests being answered now", registry=registry)
        self.quotes = Counter("quoteframe_quotes", "Quotes found (analyze) or labelled (classify)",
                              ["route"], registry=registry)
        self.errors = Counter("quoteframe_errors", "Error answers, by error code", ["code"], registry=registry)
        self.request_items = Histogram("quoteframe_request_items", "Articles or quotes in one request, by route",
                                       ["route"], buckets=SIZE_BUCKETS, registry=registry)
        self.forward_items = Histogram("quoteframe_forward_pass_items",
                                       "Items in one shared model call (micro-batch), by step",
                                       ["step"], buckets=SIZE_BUCKETS, registry=registry)
        self.feedback = Counter("quoteframe_feedback_quotes", "Corrected quotes stored", registry=registry)
        self.queued = Gauge("quoteframe_queued_items", "Work items waiting for a thread, by step "
                            "(extract: articles; label: extracted articles; classify: quotes)",
                            ["step"], registry=registry)
        self.queued_chars = Gauge("quoteframe_queued_characters", "Characters of articles waiting for extraction",
                                  registry=registry)
        self.abandoned = Counter("quoteframe_abandoned_items", "Work items dropped unrun because their request "
                                 "timed out, failed or its client left, by step", ["step"], registry=registry)
        self.disconnects = Counter("quoteframe_client_disconnects", "Requests whose client closed the connection "
                                   "before the answer (not in quoteframe_requests_total), by route",
                                   ["route"], registry=registry)

    def exposition(self) -> tuple[bytes, str]:
        """The metrics in Prometheus' text format, and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class MetricsMiddleware:
    """Counts every answered request and times it, by route template and status."""

    def __init__(self, app: ASGIApp, metrics: Metrics, paths: frozenset[str] = frozenset()):
        self.app, self.metrics, self.paths = app, metrics, paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status, answered, gone = time.perf_counter(), 500, False, False

        async def send_status(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                answered = True
            await send(message)

        async def receive_watch() -> Message:
            nonlocal gone
            message = await receive()
            if message["type"] == "http.disconnect" and not answered:
                gone = True
            return message

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive_watch, send_status)
        finally:
            self.metrics.in_flight.dec()
            route = _route(scope, self.paths)
            if gone:  # nobody read the answer, if one was sent: not a status of ours to count
                self.metrics.disconnects.labels(route).inc()
            else:
                method = scope["method"] if scope["method"] in _METHODS else "other"
                self.metrics.requests.labels(method, route, str(status)).inc()
                self.metrics.latency.labels(route).observe(time.perf_counter() - started)


def _route(scope: Scope, paths: frozenset[str]) -> str:
    route = getattr(scope.get("route"), "path", None)
    if route is None and scope["path"] in paths:  # refused before routing (413 on the body)
        route = scope["path"]
    return route or "unmatched"
