"""What the commands share: the model options, loading the analyzer, messages and progress bars."""
from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def add_model_options(p: argparse.ArgumentParser) -> None:
    """The flags that choose the models and data files: every command that runs the analyzer has them."""
    p.add_argument("--model", metavar="DIR", help="classifier model folder (default: the bundled default model, once built)")
    p.add_argument("--spacy-model", metavar="NAME", help="spaCy pipeline name or path (default: the bundled small English model)")
    p.add_argument("--cues", metavar="TOML", action="append", default=[], help="extra cue-word file (see quoteframe/data/cues.toml)")
    p.add_argument("--actors", metavar="TOML", action="append", default=[], help="extra actor gazetteer file (see quoteframe/data/actors.toml)")
    from quoteframe.precision import add_precision_option

    add_precision_option(p)


def analyzer_config(args):
    from quoteframe.analyzer import AnalyzerConfig

    return AnalyzerConfig(spacy_model=args.spacy_model, cue_files=args.cues, actor_files=args.actors)


def make_analyzer(args, classify: bool = True):
    """The Analyzer of the command's flags (:func:`quoteframe.analyzer.load_analyzer`: a missing model,
    the default one included, is a catalogued error naming the fix)."""
    from quoteframe.analyzer import load_analyzer

    return load_analyzer(args.model, config=analyzer_config(args), labels=classify, precision=precision_of(args))


def load_classifier(args):
    """The model of ``--model`` (default: the default model), reading articles with the gazetteer it
    was trained with and ``--actors``."""
    return make_analyzer(args).classifier


def precision_of(args) -> str:
    """``--precision``, or the deprecated ``--int8``/``--no-int8`` it replaces."""
    from quoteframe.precision import from_int8_flag

    int8 = getattr(args, "int8", None)
    if int8 is not None:
        note(f"--{'' if int8 else 'no-'}int8 is deprecated; use --precision {'int8' if int8 else 'fp32'}")
    return from_int8_flag(int8, getattr(args, "precision", None))


def progress(items, desc: str, unit: str = "article", total: int | None = None):
    """A bar on stderr over ``items`` (a sized sequence, or an iterator of ``total`` items);
    none under 5 items."""
    from tqdm import tqdm

    total = len(items) if total is None else total
    return tqdm(items, desc=desc, unit=unit, total=total, file=sys.stderr, disable=total < 5)


def note(message: str) -> None:
    print(f"quoteframe: {message}", file=sys.stderr)


def error(message: str) -> None:
    print(f"quoteframe: error: {message}", file=sys.stderr)
