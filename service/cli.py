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
    p.add_argument("--insecure", action="store_true", default=None,
                   help="allow a --host other than loopback without QUOTEFRAME_API_TOKEN (logged as a warning; "
                        "anyone who can reach the port can post feedback)")
    from quoteframe.precision import add_precision_option

    add_precision_option(p)
    p.set_defaults(run=run_serve)


def settings_from_args(args: argparse.Namespace):
    """Settings from the environment, overridden by the flags given."""
    from service.settings import Settings

    names = ("host", "port", "model", "spacy_model", "feedback_db", "log_level", "insecure", "precision", "int8")
    flags = {name: getattr(args, name, None) for name in names}
    return Settings(**{k: v for k, v in flags.items() if v is not None})


def run_serve(args: argparse.Namespace) -> int:
    import logging

    from service.app import create_app
    from service.server import run

    settings = settings_from_args(args)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    preflight(settings)
    # One process, one model copy: concurrency comes from micro-batching, not workers.
    run(create_app(settings), settings)
    return 0


def preflight(settings) -> None:
    """Set-up mistakes as one clear line before the server starts (the server would print a traceback).

    A host other than loopback needs an API token, or ``--insecure`` (then a warning is logged).
    """
    import logging
    from pathlib import Path

    from quoteframe.errors import ModelFolderError, SetupError
    from service.feedback import FeedbackStore

    settings.model_precision  # noqa: B018 - both --precision and --int8 given: one line, before anything loads
    if settings.api_token is None and not is_loopback(settings.host):
        if not settings.insecure:
            raise SetupError(
                f"--host {settings.host} is reachable from other machines, and no API token is set: set "
                "QUOTEFRAME_API_TOKEN to a long random string (python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'), or pass --insecure to serve without one")
        logging.getLogger("quoteframe.service").warning(
            "--insecure: serving on %s without an API token; anyone who can reach the port can post feedback "
            "(set QUOTEFRAME_API_TOKEN)", settings.host)
    if settings.model and not Path(settings.model).is_dir():
        raise ModelFolderError("QF-E101", folder=settings.model)
    FeedbackStore(settings.feedback_url)  # opens (creates) the database, or says why it cannot


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine (``localhost``, 127.0.0.0/8, ``::1``)."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve anywhere
        return False
