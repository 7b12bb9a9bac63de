"""`quoteframe serve`: the REST service, with settings from flags over QUOTEFRAME_ variables.

Registered in ``quoteframe.cli.build_parser`` with ``add_serve_parser(sub)``.
"""
from __future__ import annotations

import argparse


def add_serve_parser(sub) -> argparse.ArgumentParser:
    """Add the ``serve`` command to the ``quoteframe`` subcommands ``sub``."""
    p = sub.add_parser(
        "serve", help="start the REST service (OpenAPI at /docs, a web page at /)",
        description="Start the REST service. Every setting can also come from an environment variable "
                    "QUOTEFRAME_<NAME> (QUOTEFRAME_PORT, QUOTEFRAME_MODEL, QUOTEFRAME_API_TOKEN, "
                    "QUOTEFRAME_FEEDBACK_DB, QUOTEFRAME_MAX_BODY_BYTES, ...); a flag wins over the variable.")
    add_serve_arguments(p)
    return p


def add_serve_arguments(p: argparse.ArgumentParser) -> None:
    """The flags of ``serve``; each overrides its ``QUOTEFRAME_`` variable."""
    p.add_argument("--host", help="address to listen on (default 127.0.0.1; 0.0.0.0 in a container)")
    p.add_argument("--port", type=int, help="port to listen on (default 8000)")
    p.add_argument("--model", metavar="DIR", help="classifier model folder (default: the bundled default model)")
    p.add_argument("--spacy-model", metavar="NAME", help="spaCy pipeline name or path")
    p.add_argument("--feedback-db", metavar="PATH_OR_URL", help="SQLite file or postgresql:// URL for feedback")
    p.add_argument("--log-level", choices=["debug", "info", "warning", "error"], help="default info")
    p.set_defaults(run=run_serve)


def settings_from_args(args: argparse.Namespace):
    """Settings from the environment, overridden by the flags given."""
    from service.settings import Settings

    flags = {name: getattr(args, name, None) for name in ("host", "port", "model", "spacy_model", "feedback_db", "log_level")}
    return Settings(**{k: v for k, v in flags.items() if v is not None})


def run_serve(args: argparse.Namespace) -> int:
    import logging

    import uvicorn

    from service.app import create_app

    settings = settings_from_args(args)
    preflight(settings)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # One process, one model copy: concurrency comes from micro-batching, not workers.
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host=settings.host, port=settings.port,
                                           log_level=settings.log_level, timeout_graceful_shutdown=30))
    server.run()
    return 0 if server.started else 1


def preflight(settings) -> None:
    """Set-up mistakes as one clear line before the server starts (uvicorn would print a traceback)."""
    from pathlib import Path

    from quoteframe.errors import ModelFolderError
    from service.feedback import FeedbackStore

    if settings.model and not Path(settings.model).is_dir():
        raise ModelFolderError("QF-E101", folder=settings.model)
    FeedbackStore(settings.feedback_url)  # opens (creates) the database, or says why it cannot
