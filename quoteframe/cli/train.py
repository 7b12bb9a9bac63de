"""`quoteframe train`: the training script's own flags and run, as a command of the console script."""
from __future__ import annotations

from quoteframe.flags import DefaultsHelpFormatter
from training import train


def add_parser(sub) -> None:
    p = sub.add_parser("train", help="fine-tune a frame/target/stance model on labelled quotes",
                       description=train.DESCRIPTION, formatter_class=DefaultsHelpFormatter)
    train.add_arguments(p)
    p.set_defaults(run=train.run)
