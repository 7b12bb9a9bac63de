"""The HTTP server of `quoteframe serve`: Hypercorn, with its connection timeouts from the settings.

Hypercorn is used rather than uvicorn for one setting uvicorn lacks: its
``keep_alive_timeout`` also runs while a request's headers are arriving, so a
client that never finishes its headers (slowloris) is cut off. The values,
all from :class:`service.settings.Settings`:

* ``keep_alive_timeout`` = ``header_timeout_s`` (10 s): a connection must
  complete its request headers this long after it opens or after its last
  answer, else it is closed (idle keep-alive connections too);
* ``h11_max_incomplete_size`` = ``max_header_bytes`` (16 KiB): the longest
  request line plus headers;
* ``read_timeout`` unset: a client waiting for a long analysis sends nothing,
  and must not be cut off; a slow *body* gets 408 after ``body_timeout_s``
  (30 s) from the app's body middleware (``service.middleware``);
* ``graceful_timeout`` 30 s: on SIGTERM, requests in flight get this long;
* ``startup_timeout`` 600 s: loading and warming the model on a busy machine.

``uvicorn --factory service.app:create_app`` serves the same app, without
the header timeout.
"""
from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

from hypercorn.config import Config
from hypercorn.utils import LifespanFailureError

from quoteframe.errors import ModelError
from service.settings import Settings

GRACEFUL_TIMEOUT_S = 30
STARTUP_TIMEOUT_S = 600


def server_config(settings: Settings) -> Config:
    """The Hypercorn configuration for ``settings``: address, timeouts, header limit, logs."""
    config = Config()
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    config.bind = [f"{host}:{settings.port}"]
    config.keep_alive_timeout = settings.header_timeout_s
    config.h11_max_incomplete_size = settings.max_header_bytes
    config.read_timeout = None
    config.graceful_timeout = GRACEFUL_TIMEOUT_S
    config.startup_timeout = STARTUP_TIMEOUT_S
    config.loglevel = settings.log_level.upper()
    config.accesslog = "-" if settings.log_level in ("debug", "info") else None
    config.errorlog = "-"
    return config


async def serve(app, settings: Settings, shutdown_trigger: Callable[[], Awaitable[None]] | None = None) -> None:
    """Serve ``app`` until SIGINT/SIGTERM (or ``shutdown_trigger`` returns).

    A model that fails to load in the app's lifespan is a ``ModelError``
    with the app's own message, not the server's traceback.
    """
    from hypercorn.asyncio import serve as hypercorn_serve

    try:
        await hypercorn_serve(app, server_config(settings), shutdown_trigger=shutdown_trigger)
    except LifespanFailureError as err:
        raise ModelError(f"the service did not start: {_last_line(str(err))}") from None


def run(app, settings: Settings) -> None:
    asyncio.run(serve(app, settings))


def _last_line(traceback_text: str) -> str:
    """``quoteframe.errors.ModelError: models/x: no model there`` -> ``models/x: no model there``."""
    lines = [line for line in traceback_text.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else "no reason given"
    head, sep, rest = last.partition(": ")
    return rest if sep and "." in head and " " not in head else last
