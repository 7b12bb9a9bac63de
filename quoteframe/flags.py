"""Value types for command-line flags, shared by every command that parses them.

Library code (it imports nothing of the CLI), so that the library modules that
describe their own command (``report``, ``serve``, training) can use it too.
"""
from __future__ import annotations

import argparse


def positive_int(value: str) -> int:
    """A whole number of at least 1, for argparse's ``type=``.

    >>> positive_int("3")
    3
    >>> positive_int("0")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: expected a number of at least 1, got 0
    """
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {number}")
    return number


def fraction(value: str) -> float:
    """A number from 0 up to (not including) 1, for argparse's ``type=``.

    >>> fraction("0.5")
    0.5
    >>> fraction("1")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: expected a number from 0 up to (not including) 1, got 1.0
    """
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value!r}") from None
    if not 0.0 <= number < 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 up to (not including) 1, got {number}")
    return number
