"""One error envelope and one table from error type to status code.

Every error the service answers with, whatever raised it, has the body
``{"error": {"code": "...", "message": "..."}}``; ``ERROR_TABLE`` is the only
place a status code is chosen for an exception.

>>> status_and_code(TooLarge("the body has 2,000,000 bytes, over the limit of 1,000,000"))
(413, 'too_large')
"""
from __future__ import annotations

from quoteframe.errors import InputError, ModelError, QuoteframeError


class ServiceError(QuoteframeError):
    """Base of the errors the service raises itself.

    ``retry_after`` (seconds; a class's own default unless given), when set,
    is sent as the ``Retry-After`` header: a retry then can succeed.
    """

    retry_after: int | None = None

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        if retry_after is not None:
            self.retry_after = retry_after


class TooLarge(ServiceError):
    """A body, an article or a batch over a documented limit."""


class Unauthorized(ServiceError):
    """A write or admin route called without the configured bearer token."""


class Forbidden(ServiceError):
    """An admin route on a server that has no API token configured (admin is off)."""


class UnsupportedMediaType(ServiceError):
    """A body that is not sent as ``application/json``."""


class BodyTimeout(ServiceError):
    """A request body that did not arrive within the body timeout."""


class ClientGone(ServiceError):
    """The client closed the connection before the answer; nobody reads it."""


class NotReady(ServiceError):
    """The model is not loaded yet, or the server is shutting down."""

    retry_after = 5


class NoClassifier(ServiceError):
    """A route that needs the frame classifier, on a server running without one."""


class Overloaded(ServiceError):
    """More requests are waiting for the model than the server accepts."""


class Timeout(ServiceError):
    """A request that ran past the request timeout."""


class StorageError(ServiceError):
    """The feedback database cannot be opened or written."""

    retry_after = 2


class UnknownLabel(InputError):
    """Feedback naming a frame or stance the loaded model does not have."""


class IdempotencyConflict(InputError):
    """An ``Idempotency-Key`` already used for a different body."""


class MalformedBody(InputError):
    """A body that is not valid JSON (or not UTF-8)."""


class InvalidRequest(InputError):
    """A well-formed JSON body whose fields have the wrong names or types."""


# (exception type, HTTP status, code): the first entry the error is an instance of wins.
ERROR_TABLE: tuple[tuple[type[BaseException], int, str], ...] = (
    (MalformedBody, 400, "malformed_json"),
    (Unauthorized, 401, "unauthorized"),
    (Forbidden, 403, "forbidden"),
    (BodyTimeout, 408, "body_timeout"),
    (TooLarge, 413, "too_large"),
    (UnsupportedMediaType, 415, "unsupported_media_type"),
    (InvalidRequest, 422, "invalid_request"),
    (UnknownLabel, 422, "unknown_label"),
    (IdempotencyConflict, 422, "idempotency_conflict"),
    (InputError, 422, "invalid_input"),
    (ModelError, 422, "model_error"),
    (NotReady, 503, "not_ready"),
    (NoClassifier, 503, "no_classifier"),
    (Overloaded, 503, "overloaded"),
    (StorageError, 503, "storage_unavailable"),
    (Timeout, 504, "timeout"),
    # nginx's "client closed request": no one reads it; it names the case in access logs.
    (ClientGone, 499, "client_closed"),
)
INTERNAL = (500, "internal_error")

# Errors Starlette raises itself (routing, methods), by status.
HTTP_CODES = {400: "malformed_json", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def status_and_code(err: BaseException) -> tuple[int, str]:
    """The HTTP status and error code for ``err`` (500 ``internal_error`` for a bug)."""
    for kind, status, code in ERROR_TABLE:
        if isinstance(err, kind):
            return status, code
    return INTERNAL


def envelope(code: str, message: str) -> dict:
    """The one error body: ``{"error": {"code": code, "message": message}}``."""
    return {"error": {"code": code, "message": message}}
