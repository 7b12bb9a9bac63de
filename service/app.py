"""The FastAPI app, made by a factory; the model loads in the lifespan, never at import.

    uvicorn --factory service.app:create_app      # or: quoteframe serve

>>> app = create_app(Settings(port=9000))        # builds routes only; loads nothing
>>> [p for p in app.openapi()["paths"] if p.startswith("/v1/analyze")]
['/v1/analyze', '/v1/analyze/batch']
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import Any, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from quoteframe import __version__
from service.engine import Engine
from quoteframe.errors import QuoteframeError
from service.errors import HTTP_CODES, INTERNAL, envelope, status_and_code
from service.feedback import FeedbackStore
from service.metrics import Metrics, MetricsMiddleware
from service.middleware import BodyLimitMiddleware
from service.routes import router
from service.settings import Settings

log = logging.getLogger("quoteframe.service")

DESCRIPTION = """
Finds the quotes of news articles, who said them, for which side they speak,
and how they frame things (frame, target, stance and a one-line tag).

**Limits** (settings with the `QUOTEFRAME_` environment prefix): request body
at most `max_body_bytes` (1,000,000 bytes), an article at most
`max_article_chars` (100,000 characters), a batch at most `max_batch_articles`
(32) articles, a classify or feedback request at most `max_batch_quotes` (256)
quotes; over any of them the answer is **413**. A body still arriving
`body_timeout_s` (30 s) after its headers gets **408**. A request still
running after `request_timeout_s` (60 s) gets **504**, and its work that has
not started is dropped. POST bodies need `Content-Type: application/json`
(else **415**).

**Fairness**: every article (and every quote to classify) is a work item of
its own, served round-robin across requests: a small request waits for at
most one item of each other request ahead of it, not for a whole batch. With
more than `max_queued_chars` (1,000,000) characters of articles waiting, or
`max_pending` (256) requests in flight, the answer is **503** `overloaded`
with a `Retry-After` header; `GET /readyz` then answers 503 too.

**Errors** all have the body `{"error": {"code": "...", "message": "..."}}`.

**Auth**: with `QUOTEFRAME_API_TOKEN` set, `POST /v1/feedback` and
`POST /v1/model/reload` need `Authorization: Bearer <token>`. Without one,
reload is off (**403**) and feedback is open (send an `Idempotency-Key`
header to make a retried write a no-op).
"""


def create_app(
    settings: Settings | None = None,
    *,
    analyzer=None,
    analyzer_loader: Callable[[str | None], Any] | None = None,
) -> FastAPI:
    """The service app. ``analyzer`` (tests, embedding) skips loading one in the lifespan;
    ``analyzer_loader`` (a model folder or ``None`` → an Analyzer) replaces
    :func:`service.engine.load` for the start-up and reloads."""
    settings = settings or Settings()
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.api_token is None:
            log.warning("no API token (QUOTEFRAME_API_TOKEN): POST /v1/model/reload is off (403) and "
                        "POST /v1/feedback is open to anyone who can reach the port")
        engine = Engine(settings, metrics, analyzer=analyzer, analyzer_loader=analyzer_loader)
        app.state.feedback = FeedbackStore(settings.feedback_url)
        await engine.start()
        app.state.engine = engine
        try:
            yield
        finally:
            await engine.stop()

    app = FastAPI(title="quoteframe", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url="/docs", redoc_url=None)
    app.state.settings, app.state.metrics, app.state.engine = settings, metrics, None
    app.include_router(router)
    _add_error_handlers(app, metrics)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, timeout_s=settings.body_timeout_s,
                       on_error=lambda code: metrics.errors.labels(code).inc())
    app.add_middleware(MetricsMiddleware, metrics=metrics, paths=frozenset(r.path for r in router.routes))
    return app


# -- errors: every answer in the one envelope -------------------------------------------
def _add_error_handlers(app: FastAPI, metrics: Metrics) -> None:
    def answer(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
        if status != 499:  # a client that left is counted as a disconnect (MetricsMiddleware), not an error
            metrics.errors.labels(code).inc()
        return JSONResponse(envelope(code, message), status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        problems = err.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            where = next(p for p in problems if p.get("type") == "json_invalid")
            # json's own messages can end in " at" ("Invalid control character '\n' at"): no "at at".
            detail = str((where.get("ctx") or {}).get("error", "invalid JSON")).removesuffix(" at")
            return answer(400, "malformed_json",
                          f"the body is not valid JSON: {detail} (at character {where['loc'][-1]})")
        return answer(422, "invalid_request", _describe(problems))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(err.status_code, "http_error")
        message = _HTTP_MESSAGES.get(err.status_code) or str(err.detail)
        if err.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        elif err.status_code == 404:
            message = f"no route {request.url.path}; see /docs for the routes"
        return answer(err.status_code, code, message, getattr(err, "headers", None))

    @app.exception_handler(QuoteframeError)
    async def known_error(request: Request, err: QuoteframeError) -> JSONResponse:
        status, code = status_and_code(err)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
        if getattr(err, "retry_after", None) is not None:
            headers["Retry-After"] = str(err.retry_after)
        return answer(status, code, str(err), headers or None)

    @app.exception_handler(Exception)
    async def bug(request: Request, err: Exception) -> JSONResponse:
        # Starlette logs the traceback; the client gets the envelope, never the traceback.
        status, code = INTERNAL
        return answer(status, code, "the server failed to answer this request; it is logged, and a retry may work")


_HTTP_MESSAGES = {
    400: "the body could not be parsed: send UTF-8 JSON (not nested too deeply, numbers of fewer than 4,300 digits)",
}


def _describe(problems: list[dict]) -> str:
    """One line naming each bad field and what it must be, without echoing the input."""
    parts = []
    for p in problems[:5]:
        loc = ".".join(str(x) for x in p.get("loc", ()) if x != "body") or "body"
        parts.append(f"{loc}: {p.get('msg', 'invalid')}")
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return "; ".join(parts) + more
