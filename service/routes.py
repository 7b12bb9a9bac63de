"""The routes: thin over the Engine (the one Analyzer), each checking limits first."""
from __future__ import annotations

import asyncio
import hmac
from pathlib import Path
from typing import Any, Awaitable, TypeVar

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from quoteframe.errors import InputError
from service.engine import Engine
from service.errors import NotReady, Timeout, TooLarge, Unauthorized, UnknownLabel
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
    413: "the body, an article or the batch is over its limit",
    422: "a field is missing, has the wrong type or an unknown label, or the text is empty",
    503: "the model is not loaded yet, the server is overloaded, or it runs without a classifier",
    504: "the request ran past the request timeout",
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


def require_token(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    token = settings_of(request).api_token
    if token is None:
        return
    given = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
        raise Unauthorized("this route needs the header 'Authorization: Bearer TOKEN' with the server's API token")


async def within(settings: Settings, work: Awaitable[T]) -> T:
    try:
        return await asyncio.wait_for(work, settings.request_timeout_s)
    except asyncio.TimeoutError:
        raise Timeout(f"the request took over {settings.request_timeout_s:g} s and was stopped; "
                      "send fewer or shorter articles per request") from None


# -- analysis ----------------------------------------------------------------------------
@router.post("/v1/analyze", response_model=AnalysisOut, tags=["analysis"],
             summary="Quotes, speakers, actors and frames of one article",
             responses=errors(400, 413, 422, 503, 504))
async def analyze(body: ArticleIn, request: Request) -> dict:
    settings, engine = settings_of(request), engine_of(request)
    _check_article(body, settings)
    (analysis,) = await within(settings, engine.analyze([(body.id, body.text)]))
    _count(request, "/v1/analyze", items=1, quotes=len(analysis.quotes))
    return analysis.to_dict()


@router.post("/v1/analyze/batch", response_model=BatchOut, tags=["analysis"],
             summary="Analyses of many articles, in request order",
             responses=errors(400, 413, 422, 503, 504))
async def analyze_batch(body: BatchIn, request: Request) -> dict:
    settings, engine = settings_of(request), engine_of(request)
    _check_count(len(body.articles), settings.max_batch_articles, "articles", "max_batch_articles")
    for i, article in enumerate(body.articles):
        _check_article(article, settings)
        if not article.text.strip():  # named here: the Analyzer cannot know the article's place in the batch
            raise InputError(f"articles[{i}]: the text is empty; give the article's text or leave it out")
    analyses = await within(settings, engine.analyze([(a.id, a.text) for a in body.articles]))
    _count(request, "/v1/analyze/batch", items=len(analyses), quotes=sum(len(a.quotes) for a in analyses))
    return {"results": [a.to_dict() for a in analyses]}


@router.post("/v1/classify", response_model=ClassifyOut, tags=["analysis"],
             summary="Frame, target, stance and tag of already-extracted quotes",
             responses=errors(400, 413, 422, 503, 504))
async def classify(body: ClassifyIn, request: Request) -> dict:
    settings, engine = settings_of(request), engine_of(request)
    _check_count(len(body.quotes), settings.max_batch_quotes, "quotes", "max_batch_quotes")
    engine.require_classifier()
    records = [q.model_dump(exclude_none=True) for q in body.quotes]
    results = await within(settings, engine.classify(records))
    _count(request, "/v1/classify", items=len(records), quotes=len(results))
    return {"results": results}


# -- feedback and admin ---------------------------------------------------------------------
@router.post("/v1/feedback", response_model=FeedbackOut, status_code=201, tags=["feedback"],
             summary="Store corrected labelled quotes for retraining",
             dependencies=[Depends(require_token)], responses=errors(400, 401, 413, 422, 503))
async def feedback(body: FeedbackIn, request: Request) -> dict:
    settings, engine = settings_of(request), engine_of(request)
    _check_count(len(body.quotes), settings.max_batch_quotes, "quotes", "max_batch_quotes")
    engine.require_classifier()
    info = engine.info()
    frames, stances = info.get("labels") or [], info.get("stances") or DEFAULT_STANCES
    for i, quote in enumerate(body.quotes):
        _check_labels(quote, f"quotes[{i}]", frames, stances, info.get("name"))
    records = [q.model_dump() for q in body.quotes]
    model = " ".join(str(x) for x in (info.get("name"), info.get("version")) if x)
    # Not under the request timeout: a write cut off mid-way could be stored yet reported lost.
    ids = await run_in_threadpool(request.app.state.feedback.add, records, model)
    request.app.state.metrics.feedback.inc(len(ids))
    return {"stored": len(ids), "ids": ids}


@router.get("/v1/model", response_model=ModelCard, tags=["model"],
            summary="The loaded model's card", responses=errors(503))
def model_card(request: Request) -> dict:
    return engine_of(request).info()


@router.post("/v1/model/reload", response_model=ModelCard, tags=["model"],
             summary="Swap in a model folder without dropping requests",
             dependencies=[Depends(require_token)], responses=errors(400, 401, 413, 422, 503))
async def reload_model(request: Request, body: ReloadIn | None = None) -> dict:
    engine = engine_of(request)
    return await engine.reload(body.model if body is not None else None)


# -- probes, metrics, page -----------------------------------------------------------------------
@router.get("/healthz", response_model=StatusOut, tags=["probes"], summary="Liveness: the process answers")
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", response_model=StatusOut, tags=["probes"],
            summary="Readiness: the model is loaded", responses=errors(503))
def readyz(request: Request) -> dict:
    return {"status": "ready", "model": engine_of(request).info().get("name")}


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
