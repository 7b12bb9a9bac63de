"""Errors a user can fix: each message names the bad value and the fix.

Errors about a model folder carry a catalogued code, as spaCy's ``E030`` does:
the code stays with its meaning across releases, so a user can search for it,
and the message says what is wrong and the fix on one line.

>>> print(ModelFolderError("QF-E101", folder="models/mine"))
QF-E101: models/mine: no model there (no config.json) (fix: give a folder written by quoteframe train)
"""
from __future__ import annotations

# code -> (what is wrong, the fix); both are formatted with the error's values.
MODEL_FOLDER_ERRORS: dict[str, tuple[str, str]] = {
    "QF-E101": ("{folder}: no model there (no config.json)", "give a folder written by quoteframe train"),
    "QF-E102": ("the default model is not built yet ({folder})",
                "build it once with: quoteframe train --default (or pass --model DIR, or --no-labels)"),
    "QF-E103": ("{folder}: model folder format {found!r} is not one this quoteframe reads (it reads {known})",
                "load it with the quoteframe that trained it, or retrain it with this one"),
    "QF-E104": ("{folder}: the gazetteer file {file} that the model was trained with is missing",
                "copy the model folder whole, or retrain it with quoteframe train --actors FILE"),
    "QF-E105": ("{folder}: the gazetteer file {file} changed after training (sha256 {found:.12}, trained with {expected:.12})",
                "restore the file the model was trained with, or retrain it with quoteframe train --actors FILE"),
    "QF-E106": ("{folder}: cannot load the model ({detail})",
                "give a folder written by quoteframe train, or write it again (it may be cut short)"),
}


class QuoteframeError(Exception):
    """Base of every error caused by input or set-up, never by a bug."""


class InputError(QuoteframeError, ValueError):
    """Bad input text or file (empty, undecodable, too long, malformed)."""


class ModelError(QuoteframeError):
    """A model (spaCy or classifier) that is missing or unreadable."""


class ModelFolderError(ModelError):
    """A model folder that is missing or does not match what this quoteframe reads; its message
    starts with its code (:data:`MODEL_FOLDER_ERRORS`). A usage error: the CLI exits 2."""

    exit_code = 2

    def __init__(self, code: str, **values):
        what, fix = MODEL_FOLDER_ERRORS[code]
        self.code = code
        super().__init__(f"{code}: {what.format(**values)} (fix: {fix.format(**values)})")


class ClusterError(QuoteframeError):
    """A compute cluster that cannot be joined: a bad address, a head that is down, a refused token.
    A set-up error like a bad flag: the CLI exits 2."""

    exit_code = 2


class SetupError(QuoteframeError):
    """A set-up choice that cannot stand, such as serving on an open host without an API token.
    A usage error like a bad flag: the CLI exits 2."""

    exit_code = 2
