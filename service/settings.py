"""The service's configuration, read in one place.

Every setting comes from an environment variable named ``QUOTEFRAME_`` plus
the field name in capitals (``QUOTEFRAME_PORT=9000``), or from the
``quoteframe serve`` flags, which override the environment.

>>> Settings(port=9000, model="models/default").port
9000
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _torch_threads() -> int:
    # One core is left to spaCy extraction, which runs beside the forward passes.
    return max(1, cores() - 1)


class Settings(BaseSettings):
    """Settings of the REST service (environment prefix ``QUOTEFRAME_``)."""

    model_config = SettingsConfigDict(env_prefix="QUOTEFRAME_", extra="ignore", protected_namespaces=())

    host: str = Field("127.0.0.1", description="address to listen on (0.0.0.0 in a container)")
    port: int = Field(8000, ge=0, le=65535, description="port to listen on")
    model: str | None = Field(None, description="classifier model folder; unset = the bundled default model")
    spacy_model: str | None = Field(None, description="spaCy pipeline name or path; unset = the bundled one")
    precision: Literal["auto", "fp32", "bf16", "int8"] = Field(
        "auto", description="the classifier's number format: auto picks bf16 or int8 where the CPU runs it natively "
                            "and the model folder was checked for it, else fp32 (bf16 on CUDA)")
    int8: bool | None = Field(None, description="deprecated: QUOTEFRAME_PRECISION=int8 (true) or fp32 (false)")
    log_level: str = Field("info", description="debug, info, warning or error")

    # -- limits (documented in the README and in the OpenAPI descriptions) --------
    max_body_bytes: int = Field(1_000_000, ge=1, description="largest request body, in bytes (413 above)")
    max_article_chars: int = Field(100_000, ge=1, description="longest article, in characters (413 above)")
    max_batch_articles: int = Field(32, ge=1, description="most articles in one /v1/analyze/batch request (413 above)")
    max_batch_quotes: int = Field(256, ge=1, description="most quotes in one /v1/classify or /v1/feedback request (413 above)")
    request_timeout_s: float = Field(60.0, gt=0, description="a request still running after this gets 504; "
                                                             "its work that has not started is dropped")
    max_pending: int = Field(256, ge=1, description="analyze and classify requests answered at once; more get 503")
    max_queued_chars: int = Field(1_000_000, ge=1, description="characters of articles waiting for extraction at once "
                                                               "(about a minute of work on 2 cores); a request that "
                                                               "would go over gets 503 with Retry-After")

    # -- connections (the HTTP server's own settings; see service/cli.py) -------------
    header_timeout_s: float = Field(10.0, gt=0, description="a connection whose request headers are not complete this "
                                                            "long after it opened (or after its last answer: the "
                                                            "keep-alive timeout) is closed")
    body_timeout_s: float = Field(30.0, gt=0, description="a request body not complete this long after its headers "
                                                          "gets 408, and the connection is closed")
    max_header_bytes: int = Field(16_384, ge=1024, description="largest request line plus headers, in bytes")

    # -- concurrency ---------------------------------------------------------------
    batch_wait_ms: float = Field(5.0, ge=0, description="how long the model waits for more requests to share a forward pass")
    batch_token_budget: int = Field(2048, ge=1, description="most (estimated) tokens in one shared model call; "
                                                             "a long article's quotes are labelled in pieces of this "
                                                             "size, so no call holds the model for long (the classifier "
                                                             "caps a forward pass at 2,048 tokens anyway)")
    torch_threads: int = Field(default_factory=_torch_threads, ge=1,
                               description="threads torch uses for every forward pass (unset: all cores for a pass while no "
                                           "article waits to be parsed, else cores - 1)")
    extract_workers: int = Field(1, ge=1, description="threads running spaCy extraction (the GIL makes more of little use)")

    # -- feedback and admin -----------------------------------------------------------
    feedback_db: str = Field("quoteframe-feedback.db", description="SQLite file path, or a postgresql:// URL")
    api_token: SecretStr | None = Field(None, description="'Authorization: Bearer TOKEN' for feedback and reload; "
                                                          "unset: reload is off (403) and feedback is open")
    insecure: bool = Field(False, description="allow a non-loopback host without an API token (logged as a warning)")

    @field_validator("api_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value):
        # QUOTEFRAME_API_TOKEN= (empty) must not make "no header" a match for the token.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @property
    def model_precision(self) -> str:
        """``precision``, or what the deprecated ``int8`` setting asks for."""
        from quoteframe.precision import from_int8_flag

        return from_int8_flag(self.int8, self.precision)

    @property
    def feedback_url(self) -> str:
        """``feedback_db`` as a path or URL, with ``~`` expanded for a file."""
        if "://" in self.feedback_db:
            return self.feedback_db
        return str(Path(self.feedback_db).expanduser())
