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

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _torch_threads() -> int:
    # One core is left to spaCy extraction, which runs beside the forward passes.
    return max(1, _cores() - 1)


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
    request_timeout_s: float = Field(60.0, gt=0, description="a request still running after this gets 504")
    max_pending: int = Field(256, ge=1, description="requests waiting for the model at once; more get 503")

    # -- concurrency ---------------------------------------------------------------
    batch_wait_ms: float = Field(5.0, ge=0, description="how long the model waits for more requests to share a forward pass")
    batch_token_budget: int = Field(8192, ge=1, description="most (estimated) tokens in one shared forward pass")
    torch_threads: int = Field(default_factory=_torch_threads, ge=1,
                               description="threads torch uses for one forward pass (default: cores - 1)")
    extract_workers: int = Field(1, ge=1, description="threads running spaCy extraction (the GIL makes more of little use)")

    # -- feedback and admin -----------------------------------------------------------
    feedback_db: str = Field("quoteframe-feedback.db", description="SQLite file path, or a postgresql:// URL")
    api_token: SecretStr | None = Field(None, description="when set, write and admin routes need 'Authorization: Bearer TOKEN'")

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
