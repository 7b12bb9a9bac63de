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
    p.add_argument("--int8", action=argparse.BooleanOptionalAction, default=None,
                   help="int8 weights in the classifier's encoder (CPU only; default: the measured default, see README)")


def analyzer_config(args):
    from quoteframe.analyzer import AnalyzerConfig

    return AnalyzerConfig(spacy_model=args.spacy_model, cue_files=args.cues, actor_files=args.actors)


def make_analyzer(args, classify: bool = True):
    from quoteframe.analyzer import Analyzer

    classifier = load_classifier(args) if classify else None
    return Analyzer(analyzer_config(args), classifier=classifier)


def load_classifier(args):
    """The model of ``--model``, or the default model (built on first use when missing)."""
    from quoteframe.actors import Gazetteer
    from quoteframe.classifier import Classifier, default_model_dir
    from training.train import build_default_model

    gazetteer = Gazetteer.load(getattr(args, "actors", ()) or ())
    if args.model is None and not (default_model_dir() / "config.json").exists():
        note(f"the default model is not built yet: building it now in {default_model_dir()} (a few minutes, once)")
        build_default_model()
    return Classifier.load(args.model, gazetteer=gazetteer, int8=getattr(args, "int8", None))


def progress(items, desc: str, unit: str = "article"):
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit=unit, file=sys.stderr, disable=len(items) < 5)


def note(message: str) -> None:
    print(f"quoteframe: {message}", file=sys.stderr)


def error(message: str) -> None:
    print(f"quoteframe: error: {message}", file=sys.stderr)
