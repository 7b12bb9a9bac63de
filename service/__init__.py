"""The quoteframe REST service: FastAPI over the one Analyzer (API.md's REST routes).

    quoteframe serve --port 8000                 # or: uvicorn --factory service.app:create_app

Importing this package loads no model; the app loads it in its lifespan.
"""
from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from service.app import create_app

        return create_app
    raise AttributeError(name)
