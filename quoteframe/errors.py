"""Errors a user can fix: each message names the bad value and the fix."""
from __future__ import annotations


class QuoteframeError(Exception):
    """Base of every error caused by input or set-up, never by a bug."""


class InputError(QuoteframeError, ValueError):
    """Bad input text or file (empty, undecodable, too long, malformed)."""


class ModelError(QuoteframeError):
    """A model (spaCy or classifier) that is missing or unreadable."""


class ClusterError(QuoteframeError):
    """A compute cluster that cannot be joined: a bad address, a head that is down, a refused token.
    A set-up error like a bad flag: the CLI exits 2."""

    exit_code = 2
