"""Request and response bodies of the REST API (API.md), with OpenAPI examples."""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from quoteframe.analyzer import MAX_CHARS
from quoteframe.labelled import LabelledQuote, Quote

EXAMPLE_ARTICLE = (
    "Belarusian border guards said on Tuesday that Polish forces had pushed migrants back across the border. "
    "“They have been deceived,” Polish police said."
)


def _unicode(value: str) -> str:
    # JSON can carry lone surrogates ("\ud800"); they cannot be stored or sent back as UTF-8.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ValueError(f"has an invalid character (a lone surrogate) at position {err.start}; send UTF-8 text") from None
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty; give a model folder on the server, or send {} to reload the current one")
    return value


Text = Annotated[str, AfterValidator(_unicode)]
ShortText = Annotated[str, Field(max_length=1000), AfterValidator(_unicode)]


# -- requests ----------------------------------------------------------------------
class ArticleIn(BaseModel):
    """One article to analyse."""

    text: Text = Field(description="the article as plain text; at most `max_article_chars` characters "
                                   "(100,000 by default; more gets 413)",
                       examples=[EXAMPLE_ARTICLE])
    id: ShortText | None = Field(None, description="your id for the article, given back in the analysis",
                                 examples=["article-1"])

    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "article-1", "text": EXAMPLE_ARTICLE}]})


class BatchIn(BaseModel):
    """Articles to analyse together."""

    articles: list[ArticleIn] = Field(description="at most `max_batch_articles` articles (32 by default; more gets 413)")

    model_config = ConfigDict(json_schema_extra={"examples": [{"articles": [
        {"id": "a1", "text": EXAMPLE_ARTICLE},
        {"id": "a2", "text": "“We will keep the harbour open all winter,” port director Helen Osei said."},
    ]}]})


class QuoteIn(Quote):
    """An already-extracted quote (the labelled-quote format of LABELS.md, without labels)."""

    model_config = ConfigDict(extra="ignore")  # the API ignores fields it does not know; files reject them

    text: Text = Field(min_length=1, max_length=5000, description="the quote's words")
    context: Text | None = Field(None, max_length=5000, description="the sentence(s) around the quote")
    speaker: ShortText | None = Field(None, description="who said it")
    speaker_actor: ShortText | None = Field(None, description="the side the speaker speaks for")


class ClassifyIn(BaseModel):
    """Quotes to label with frame, target and stance."""

    quotes: list[QuoteIn] = Field(description="at most `max_batch_quotes` quotes (256 by default; more gets 413)")

    model_config = ConfigDict(json_schema_extra={"examples": [{"quotes": [{
        "text": "the refugee crisis is fabricated, especially by Poland",
        "context": "He added that the refugee crisis is fabricated, especially by Poland.",
        "speaker": "Viktor Khrinin", "speaker_actor": "Belarus",
    }]}]})


class LabelledQuoteIn(QuoteIn, LabelledQuote):
    """A quote with corrected labels; the labels must be the loaded model's."""

    model_config = ConfigDict(extra="ignore")

    frame: ShortText = Field(description="the primary frame: one of the model's labels (GET /v1/model)")
    frames: list[ShortText] | None = Field(None, max_length=64, description="every frame that fits, primary first")
    target: ShortText | None = Field(None, description="the actor the quote is about; null with stance null")
    stance: ShortText | None = Field(None, description="against, favor or neutral toward the target; null with target null")
    article_id: ShortText | None = Field(None, description="the article the quote is from, if any")
    # Bounded by the longest article the Analyzer takes: a larger offset is no offset (and overflows SQLite).
    start: int | None = Field(None, ge=0, le=MAX_CHARS, description="the quote's start offset in that article")
    end: int | None = Field(None, ge=0, le=MAX_CHARS, description="the quote's end offset in that article")


class FeedbackIn(BaseModel):
    """Corrected labelled quotes, stored for retraining."""

    quotes: list[LabelledQuoteIn] = Field(min_length=1, description="at most `max_batch_quotes` quotes")

    model_config = ConfigDict(json_schema_extra={"examples": [{"quotes": [{
        "text": "They have been deceived,", "context": "“They have been deceived,” Polish police said.",
        "speaker": "Polish police", "speaker_actor": "Poland",
        "frame": "deception", "frames": ["deception"], "target": "migrants", "stance": "neutral",
    }]}]})


class ReloadIn(BaseModel):
    """Which model folder to swap in."""

    model: Annotated[ShortText, AfterValidator(_not_blank)] | None = Field(
        None, description="a model folder on the server; null reloads the current one",
        examples=["models/quoteframe-default"])


# -- responses -----------------------------------------------------------------------
class SpeakerOut(BaseModel):
    name: str | None = Field(description="the fullest name of the source in the article; null when none is found")
    mention: str | None = Field(description="the words that attribute this quote")
    actor: str | None = Field(description="the side the speaker speaks for; null when unknown")
    start: int | None
    end: int | None
    via: str | None = Field(description="the outer source of a nested attribution")


class QuoteOut(BaseModel):
    text: str = Field(description="the quote: the article's characters from start to end")
    start: int
    end: int
    kind: str = Field(description="direct, indirect or mixed")
    cue: str | None
    speaker: SpeakerOut
    frame: str | None = Field(description="null when the server runs without a classifier")
    frame_score: float | None
    frames: dict[str, float] | None
    target: str | None
    stance: str | None
    stance_score: float | None
    tag: str | None
    low_confidence: bool | None = Field(
        default=None, description="frame_score is under the model's low-confidence threshold "
                                  "(GET /v1/model: low_confidence_below); null without a classifier")


class ModelRef(BaseModel):
    model_config = ConfigDict(extra="allow", protected_namespaces=())

    name: str
    version: str | None
    labels: list[str]
    precision: str | None = Field(None, description="the number format the classifier ran in: fp32, bf16 or int8 "
                                                    "(null without a classifier)")


class AnalysisOut(BaseModel):
    id: str | None
    model: ModelRef
    quotes: list[QuoteOut] = Field(description="in the order they appear in the article")


class BatchOut(BaseModel):
    results: list[AnalysisOut] = Field(description="one analysis per article, in request order")


class LabelsOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    frame: str
    frame_score: float
    frames: dict[str, float]
    target: str | None
    stance: str | None
    stance_score: float | None
    tag: str | None
    low_confidence: bool = Field(default=False, description="frame_score is under the model's low-confidence threshold")


class ClassifyOut(BaseModel):
    results: list[LabelsOut] = Field(description="one result per quote, in request order")


class FeedbackOut(BaseModel):
    stored: int = Field(description="how many quotes were stored")
    ids: list[int] = Field(description="their ids in the feedback database")


class ModelCard(BaseModel):
    model_config = ConfigDict(extra="allow", protected_namespaces=())

    name: str
    version: str | None
    base_model: str | None = None
    labels: list[str]
    stances: list[str] | None = None
    metrics: dict[str, Any] | None = None
    training_data: Any = None
    precision: str | None = Field(None, description="the number format the classifier runs in: fp32, bf16 or int8")


class StatusOut(BaseModel):
    status: str = Field(examples=["ok"])
    model: str | None = Field(None, description="the loaded model's name (readiness only)")


class ErrorBody(BaseModel):
    code: str = Field(description="a stable, machine-readable code", examples=["too_large"])
    message: str = Field(description="what is wrong and how to fix it",
                         examples=["the text has 150,000 characters, over the limit of 100,000"])


class ErrorOut(BaseModel):
    """Every error answer has this body."""

    error: ErrorBody
