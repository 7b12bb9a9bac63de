"""The routes: thin over the Engine (the one Analyzer), each checking limits first."""
from __future__ import annotations

import asyncio
import email.message
import hmac
from pathlib import Path
from typing import Annotated, Any, Awaitable, TypeVar

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from quoteframe.errors import InputError
from service.engine import Engine
from service.errors import (
    ClientGone, Forbidden, NotReady, Overloaded, Timeout, TooLarge, Unauthorized, UnknownLabel, UnsupportedMediaType,
)
from service.schemas import (
    AnalysisOut, ArticleIn, BatchIn, BatchOut, ClassifyIn, ClassifyOut, ErrorOut, FeedbackIn, FeedbackOut,
    LabelledQuoteIn, ModelCard, ReloadIn, StatusOut,
)
from service.settings import Settings

PAGE = Path(__file__).parent / "static" / "index.html"
DEFAULT_STANCES = ("against", "favor", "neutral")  # LABELS.md, for a model whose card lists none

T = TypeVar("T")
router = APIRouter()
bearer = HTTPBearer(auto_error=False, description="the token set in QUOTEFRAME_API_TOKEN")

_WHY = {
    400: "the body is not valid JSON, or not UTF-8",
    401: "the bearer token is missing or wrong",
    403: "the server has no API token configured, so admin routes are off",
    408: "the request body did not arrive within the body timeout",
    413: "the body, an article or the batch is over its limit",
    415: "the body is not sent with 'Content-Type: application/json'",
    422: "a field is missing, has the wrong type or an unknown label, or the text is empty",
    503: "the model is not loaded yet, the server is overloaded (see Retry-After), or it runs without a classifier",
    504: "the request ran past the request timeout; its work that had not started was dropped",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error answers a route can give (all with the envelope)."""
    return {code: {"model": ErrorOut, "description": _WHY[code]} for code in codes}


# -- dependencies ------------------------------------------------------------------------
def engine_of(request: Request) -> Engine:
    engine = request.app.state.engine
    if engine is None or not engine.ready:
        raise NotReady("the model is not loaded yet; retry when GET /readyz answers 200")
    return engine


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def require_json(request: Request) -> None:
    """POST bodies are JSON, said so: a cross-site form or ``text/plain`` post cannot pass (no CORS preflight)."""
    given = request.headers.get("content-type")
    message = email.message.Message()
    message["content-type"] = given or ""
    if not given or message.get_content_type() != "application/json":
        what = f"'{given}'" if given else "no Content-Type"
        raise UnsupportedMediaType(f"the body was sent with {what}; send JSON with the header "
                                   "'Content-Type: application/json'")


def require_token(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    """The configured API token, when there is one (feedback is open on a server without one)."""
    token = settings_of(request).api_token
    if token is not None:
        _check_token(token.get_secret_value(), credentials)


def require_admin(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    """The configured API token; without one, admin routes are off."""
    token = settings_of(request).api_token
    if token is None:
        raise Forbidden("admin routes are off on a server without an API token; start it with "
                        "QUOTEFRAME_API_TOKEN set to a long random string (python -c 'import secrets; "
                        "print(secrets.token_urlsafe(32))') and send 'Authorization: Bearer TOKEN'")
    _check_token(token.get_secret_value(), credentials)


def _check_token(token: str, credentials: HTTPAuthorizationCredentials | None) -> None:
    given = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise Unauthorized("this route needs the header 'Authorization: Bearer TOKEN' with the server's API token")


async def within(request: Request, work: Awaitable[T]) -> T:
    """``work``'s result, unless the request timeout passes or the client leaves first: then the work is cancelled
    (its items that have not started leave the queues) and the answer is 504, or nothing (nobody listens)."""
    timeout = settings_of(request).request_timeout_s
    task, gone = asyncio.ensure_future(work), asyncio.ensure_future(_client_gone(request))
    try:
        done, _ = await asyncio.wait({task, gone}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for t in (task, gone):
            t.cancel()
        await asyncio.gather(task, gone, return_exceptions=True)  # the cancelled work has left the queues
    if task in done:
        return task.result()
    if gone in done:
        raise ClientGone("the client closed the connection before the answer; its work was dropped")
    raise Timeout(f"the request took over {timeout:g} s and was stopped; send fewer or shorter articles per request")


async def _client_gone(request: Request) -> None:
    """Return when the client hangs up (the body is read by now: the next message is the disconnect)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


# -- analysis ----------------------------------------------------------------------------
@router.post("/v1/analyze", response_model=AnalysisOut, tags=["analysis"],
             summary="Quotes, speakers, actors and frames of one article",
             dependencies=[Depends(require_json)], responses=errors(400, 408, 413, 415, 422, 503, 504))
async def analyze(body: ArticleIn, request: Request) -> dict:
    settings, engine = settings_of(request), engine_of(request)
    _check_article(body, settings)
    (analysis,) = await within(request, engine.analyze([(body.id, body.text)]))
    _count(request, "/v1/analyze", items=1, quotes=len(analysis.quotes))
    return analysis.to_dict()


@router.post("/v1/analyze/batch", response_model=BatchOut, tags=["analysis"],
             summary="Analyses of many articles, in request order",
             dependencies=[Depends(require_json)], responses=errors(400, 408, 413, 415, 422, 503, 504))
async def analyze_batch(body: BatchIn, request: Request) -> dict:
    settings, engine = settings_of(request), engine_of(request)
    _check_count(len(body.articles), settings.max_batch_articles, "articles", "max_batch_articles")
    for i, article in enumerate(body.articles):
        _check_article(article, settings)
        if not article.text.strip():  # named here: the Analyzer cannot know the article's place in the batch
            raise InputError(f"articles[{i}]: the text is empty; give the article's text or leave it out")
    analyses = await within(request, engine.analyze([(a.id, a.text) for a in body.articles]))
    _count(request, "/v1/analyze/batch", items=len(analyses), quotes=sum(len(a.quotes) for a in analyses))
    return {"results": [a.to_dict() for a in analyses]}


@router.post("/v1/classify", response_model=ClassifyOut, tags=["analysis"],
             summary="Frame, target, stance and tag of already-extracted quotes",
             dependencies=[Depends(require_json)], responses=errors(400, 408, 413, 415, 422, 503, 504))
async def classify(body: ClassifyIn, request: Request) -> dict:
    settings, engine = settings_of(request), engine_of(request)
    _check_count(len(body.quotes), settings.max_batch_quotes, "quotes", "max_batch_quotes")
    engine.require_classifier()
    records = [q.model_dump(exclude_none=True) for q in body.quotes]
    results = await within(request, engine.classify(records))
    _count(request, "/v1/classify", items=len(records), quotes=len(results))
    return {"results": results}


# -- feedback and admin ---------------------------------------------------------------------
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=255, pattern=r'^"?[!-~]+"?$',
    description="any unique string of visible ASCII (a UUID) per write; a retry with the same key and body "
                "stores nothing again and gets the first answer")]


@router.post("/v1/feedback", response_model=FeedbackOut, status_code=201, tags=["feedback"],
             summary="Store corrected labelled quotes for retraining",
             dependencies=[Depends(require_json), Depends(require_token)],
             responses=errors(400, 401, 408, 413, 415, 422, 503))
async def feedback(body: FeedbackIn, request: Request, response: Response,
                   idempotency_key: IdempotencyKey = None) -> dict:
    settings, engine = settings_of(request), engine_of(request)
    _check_count(len(body.quotes), settings.max_batch_quotes, "quotes", "max_batch_quotes")
    engine.require_classifier()
    info = engine.info()
    frames, stances = info.get("labels") or [], info.get("stances") or DEFAULT_STANCES
    for i, quote in enumerate(body.quotes):
        _check_labels(quote, f"quotes[{i}]", frames, stances, info.get("name"))
    records = [q.model_dump() for q in body.quotes]
    model = " ".join(str(x) for x in (info.get("name"), info.get("version")) if x)
    key = idempotency_key.strip('"') if idempotency_key else None
    # Not under the request timeout: a write cut off mid-way could be stored yet reported lost.
    stored = await run_in_threadpool(request.app.state.feedback.add_once, records, model, key)
    if stored.replayed:
        response.headers["Idempotency-Replayed"] = "true"
    else:
        request.app.state.metrics.feedback.inc(len(stored.ids))
    return {"stored": len(stored.ids), "ids": stored.ids}


@router.get("/v1/model", response_model=ModelCard, tags=["model"],
            summary="The loaded model's card", responses=errors(503))
def model_card(request: Request) -> dict:
    return engine_of(request).info()


@router.post("/v1/model/reload", response_model=ModelCard, tags=["model"],
             summary="Swap in a model folder without dropping requests; answers the new card (GET /v1/model)",
             dependencies=[Depends(require_json), Depends(require_admin)],
             responses=errors(400, 401, 403, 408, 413, 415, 422, 503))
async def reload_model(request: Request, body: ReloadIn | None = None) -> dict:
    engine = engine_of(request)
    return await engine.reload(body.model if body is not None else None)


# -- probes, metrics, page -----------------------------------------------------------------------
# HEAD too (a load balancer's probe), kept out of the schema: one operation per path and meaning.
@router.head("/healthz", include_in_schema=False)
@router.get("/healthz", response_model=StatusOut, tags=["probes"], summary="Liveness: the process answers")
def healthz() -> dict:
    return {"status": "ok"}


@router.head("/readyz", include_in_schema=False)
@router.get("/readyz", response_model=StatusOut, tags=["probes"],
            summary="Readiness: the model and its classifier are loaded, and the server is not overloaded",
            responses=errors(503))
def readyz(request: Request) -> dict:
    engine = engine_of(request)
    engine.require_classifier()
    why = engine.overloaded(settings_of(request).max_article_chars)
    if why is not None:  # a balancer should send the next article elsewhere
        raise Overloaded(f"the server is busy: {why}", retry_after=engine.retry_after())
    return {"status": "ready", "model": engine.info().get("name")}


@router.head("/metrics", include_in_schema=False)
@router.get("/metrics", tags=["probes"], summary="Prometheus metrics",
            response_class=Response, responses={200: {"content": {"text/plain": {}}}})
def metrics(request: Request) -> Response:
    body, content_type = request.app.state.metrics.exposition()
    return Response(body, media_type=content_type)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page() -> HTMLResponse:
    return HTMLResponse(PAGE.read_text("utf-8"))


# -- checks ------------------------------------------------------------------------------------
def _check_article(article: ArticleIn, settings: Settings) -> None:
    if len(article.text) > settings.max_article_chars:
        where = f"article {article.id!r}: " if article.id else ""
        raise TooLarge(f"{where}the text has {len(article.text):,} characters, over the limit of "
                       f"{settings.max_article_chars:,} (max_article_chars); split the article")


def _check_count(count: int, limit: int, what: str, setting: str) -> None:
    if count > limit:
        raise TooLarge(f"the request has {count:,} {what}, over the limit of {limit:,} ({setting}); "
                       f"send them in several requests")


def _check_labels(quote: LabelledQuoteIn, where: str, frames, stances, model: str | None) -> None:
    def known(value: str, allowed, field: str) -> None:
        if value not in allowed:
            raise UnknownLabel(f"{where}.{field}: {value!r} is not a label of the model {model}; "
                               f"use one of: {', '.join(allowed)}")

    known(quote.frame, frames, "frame")
    for frame in quote.frames or ():
        known(frame, frames, "frames")
    if quote.stance is not None:
        known(quote.stance, stances, "stance")
    if (quote.target is None) != (quote.stance is None):
        raise InputError(f"{where}: target and stance go together (LABELS.md): give both, or neither")
    if quote.start is not None and quote.end is not None and quote.end < quote.start:
        raise InputError(f"{where}: end ({quote.end}) is before start ({quote.start})")


def _count(request: Request, route: str, items: int, quotes: int) -> None:
    metrics = request.app.state.metrics
    metrics.request_items.labels(route).observe(items)
    metrics.quotes.labels(route).inc(quotes)
