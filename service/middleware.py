"""The request-body limits, enforced before any route reads the body.

A body whose ``Content-Length`` is over the limit is refused without being
kept; a chunked body is counted as it arrives and refused as soon as it
passes the limit. Either way the answer is 413 with the error envelope.
A body that has not fully arrived ``timeout_s`` seconds after its headers
(a client trickling it byte by byte) gets 408 and the connection is closed.
A client that hangs up mid-body gets no answer, and the app never sees a
half body (which would read as malformed JSON).
"""
from __future__ import annotations

import asyncio
from typing import Callable

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import BodyTimeout, envelope, status_and_code


DRAIN_FACTOR = 16


class BodyLimitMiddleware:
    """Answers 413 ``too_large`` to a request body over ``max_bytes``, 408 ``body_timeout`` to a slow one."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float = 30.0,
                 on_error: Callable[[str], None] | None = None):
        self.app, self.max_bytes, self.timeout_s, self.on_error = app, max_bytes, timeout_s, on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._drain(receive, declared)
            await self._refuse(scope, receive, send, declared)
            return
        try:
            messages = await asyncio.wait_for(self._read(receive), self.timeout_s)
        except _TooLarge as err:
            if err.more_body:
                await self._drain(receive, None)
            await self._refuse(scope, receive, send, None)
            return
        except asyncio.TimeoutError:
            await self._too_slow(scope, receive, send)
            return
        if messages[-1]["type"] == "http.disconnect":
            return  # the client left mid-body: nobody to answer
        await self.app(scope, _replay(messages, receive), send)

    async def _read(self, receive: Receive) -> list[Message]:
        """The whole (bounded) body's messages, to replay to the app."""
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                raise _TooLarge(message.get("more_body", False))
            if not message.get("more_body", False):
                return messages

    async def _drain(self, receive: Receive, declared: int | None) -> None:
        """Read and drop the rest of a body that is not absurdly large.

        A client still sending its body when the answer comes and the
        connection closes sees a reset, not the 413; reading the body first
        lets it see the answer. Past ``DRAIN_FACTOR`` times the limit it is
        not worth it, and the connection is simply closed; nor is it past
        ``timeout_s`` (a slow client).
        """
        try:
            await asyncio.wait_for(self._drain_all(receive, declared), self.timeout_s)
        except asyncio.TimeoutError:
            pass

    async def _drain_all(self, receive: Receive, declared: int | None) -> None:
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

    async def _too_slow(self, scope: Scope, receive: Receive, send: Send) -> None:
        err = BodyTimeout(f"the request body did not arrive within {self.timeout_s:g} s (body_timeout_s); "
                          "send it in one go, or send less per request")
        status, code = status_and_code(err)
        if self.on_error is not None:
            self.on_error(code)
        response = JSONResponse(envelope(code, str(err)), status_code=status, headers={"Connection": "close"})
        await response(scope, receive, send)


class _TooLarge(Exception):
    def __init__(self, more_body: bool):
        super().__init__()
        self.more_body = more_body


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
