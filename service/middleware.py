"""The request-body limit, enforced before any route reads the body.

A body whose ``Content-Length`` is over the limit is refused without being
kept; a chunked body is counted as it arrives and refused as soon as it
passes the limit. Either way the answer is 413 with the error envelope.
"""
from __future__ import annotations

from typing import Callable

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import envelope


DRAIN_FACTOR = 16


class BodyLimitMiddleware:
    """Answers 413 ``too_large`` to a request body over ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int, on_error: Callable[[str], None] | None = None):
        self.app, self.max_bytes, self.on_error = app, max_bytes, on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._drain(receive, declared)
            await self._refuse(scope, receive, send, declared)
            return
        messages, size = [], 0
        while True:  # read the whole (bounded) body first, then replay it to the app
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                if message.get("more_body", False):
                    await self._drain(receive, None)
                await self._refuse(scope, receive, send, None)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(messages, receive), send)

    async def _drain(self, receive: Receive, declared: int | None) -> None:
        """Read and drop the rest of a body that is not absurdly large.

        A client still sending its body when the answer comes and the
        connection closes sees a reset, not the 413; reading the body first
        lets it see the answer. Past ``DRAIN_FACTOR`` times the limit it is
        not worth it, and the connection is simply closed.
        """
        cap = self.max_bytes * DRAIN_FACTOR
        if declared is not None and declared > cap:
            return
        read = 0
        while read <= cap:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                return
            read += len(message.get("body", b""))

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, size: int | None) -> None:
        has = f"has {size:,} bytes" if size is not None else "is larger than that"
        message = (f"the request body {has}, over the limit of {self.max_bytes:,} bytes; "
                   "send fewer or shorter articles per request")
        if self.on_error is not None:
            self.on_error("too_large")
        response = JSONResponse(envelope("too_large", message), status_code=413, headers={"Connection": "close"})
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
