"""Command-line flags: value types, and flags made from a config dataclass's fields.

Library code (it imports nothing of the CLI), so that the library modules that
describe their own command (``report``, ``serve``, training) can use it too.
"""
from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from typing import Any, Iterable


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


# -- flags from a config dataclass --------------------------------------------------------------
class DefaultsHelpFormatter(argparse.HelpFormatter):
    """Ends each flag's help with its default, unless the help names it already or there is none."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if not action.option_strings or "default" in text or default is None or default is False \
                or default is argparse.SUPPRESS or (isinstance(default, (list, tuple)) and not default):
            return text
        return f"{text} (default %(default)s)"


def add_dataclass_arguments(parser: argparse.ArgumentParser, cls: type, only: Iterable[str] | None = None) -> None:
    """One flag per field of the dataclass ``cls`` (or of the fields named in ``only``), so that a
    field and its flag cannot drift apart.

    The flag is ``--field-name`` (or the field's ``metadata["flag"]``) and stores into the field's
    name; its help is ``metadata["help"]``. The type comes from the annotation (``int | None``:
    int; ``list[str]``: one or more strings) unless ``metadata["type"]`` gives one; ``metavar`` and
    ``choices`` may be given too. A bool field that is True by default gets ``--no-field-name``,
    one that is False gets ``--field-name``.

    >>> @dataclasses.dataclass
    ... class Config:
    ...     size: int = dataclasses.field(default=4, metadata={"help": "how many", "type": positive_int})
    ...     names: list[str] = dataclasses.field(default_factory=list, metadata={"help": "who"})
    ...     shuffle: bool = dataclasses.field(default=True, metadata={"help": "shuffle first"})
    >>> parser = argparse.ArgumentParser()
    >>> add_dataclass_arguments(parser, Config)
    >>> config_from_args(Config, parser.parse_args(["--size", "2", "--names", "a", "b", "--no-shuffle"]))
    Config(size=2, names=['a', 'b'], shuffle=False)
    >>> config_from_args(Config, parser.parse_args([]))
    Config(size=4, names=[], shuffle=True)
    """
    hints = typing.get_type_hints(cls)
    wanted = None if only is None else set(only)
    for f in dataclasses.fields(cls):
        if wanted is None or f.name in wanted:
            parser.add_argument(f.metadata.get("flag", "--" + f.name.replace("_", "-")), dest=f.name,
                                **_argument_options(f, hints[f.name]))


def config_from_args(cls: type, args: argparse.Namespace, **overrides: Any):
    """An instance of the dataclass ``cls`` from the parsed flags that have its fields' names."""
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls) if hasattr(args, f.name)}
    return cls(**{**values, **overrides})


def _argument_options(f: dataclasses.Field, hint: Any) -> dict[str, Any]:
    default = f.default_factory() if f.default is dataclasses.MISSING else f.default
    options: dict[str, Any] = {"default": default, "help": f.metadata.get("help")}
    options.update({k: f.metadata[k] for k in ("metavar", "choices") if k in f.metadata})
    kind = _without_none(hint)
    if kind is bool:
        options["action"] = argparse.BooleanOptionalAction if default else "store_true"
    elif typing.get_origin(kind) is list:
        options["nargs"] = "+"
        options["type"] = f.metadata.get("type", typing.get_args(kind)[0])
    else:
        options["type"] = f.metadata.get("type", kind)
    return options


def _without_none(hint: Any) -> Any:
    """``int`` of ``int | None`` (or ``Optional[int]``); any other hint as it is."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return hint
