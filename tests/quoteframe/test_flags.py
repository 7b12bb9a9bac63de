"""Command flags made from the config dataclasses: every field is reachable, defaults agree."""
from __future__ import annotations

import dataclasses

import pytest

from quoteframe.batch.score import ScoreConfig
from quoteframe.cli import build_parser
from quoteframe.flags import config_from_args
from training.train import TrainArgs, main as train_main


def parse(*argv: str):
    return build_parser().parse_args(list(argv))


def test_every_training_argument_is_a_flag_of_train_with_the_same_default():
    assert config_from_args(TrainArgs, parse("train")) == TrainArgs()


def test_the_fields_once_out_of_reach_are_flags_now():
    args = config_from_args(TrainArgs, parse(
        "train", "--name", "mine", "--head-learning-rate", "0.002", "--weight-decay", "0", "--warmup", "0.2",
        "--no-freeze-embeddings", "--attention-dropout", "0.1", "--threads", "2", "--adversary-stance", "hostile"))
    assert (args.name, args.head_learning_rate, args.weight_decay, args.warmup) == ("mine", 0.002, 0.0, 0.2)
    assert (args.freeze_embeddings, args.attention_dropout, args.threads, args.adversary_stance) == (False, 0.1, 2, "hostile")


def test_the_old_flag_names_still_work():
    args = config_from_args(TrainArgs, parse("train", "--context-sentences", "2", "--max-train-samples", "5",
                                             "--data", "a.jsonl", "b.jsonl", "--heldout", "c.jsonl"))
    assert (args.context_sentences_before, args.max_train_samples) == (2, 5)
    assert (args.data, args.heldout) == (["a.jsonl", "b.jsonl"], ["c.jsonl"])


@pytest.mark.parametrize("flag,value", [("--epochs", "0"), ("--warmup", "1.5"), ("--context-sentences", "4"),
                                        ("--threads", "-1"), ("--precision", "fp16")])
def test_a_bad_training_value_is_a_usage_error(capsys, flag, value):
    with pytest.raises(SystemExit) as exit_:
        parse("train", flag, value)
    assert exit_.value.code == 2 and flag in capsys.readouterr().err


def test_the_score_flags_are_the_score_configs_fields():
    config = config_from_args(ScoreConfig, parse("score", "in.jsonl", "--out", "out.jsonl"))
    assert config == ScoreConfig()
    config = config_from_args(ScoreConfig, parse("score", "in.jsonl", "--out", "o.jsonl", "--no-labels", "--restart",
                                                 "--chunk-size", "8", "--batch-size", "4", "--max-chars", "99",
                                                 "--workers", "0"))
    assert dataclasses.astuple(config)[:6] == (8, 0, 4, 99, False, True)


def test_the_training_script_takes_the_same_flags_without_the_console_script(capsys):
    with pytest.raises(SystemExit) as exit_:
        train_main(["--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0 and "--head-learning-rate" in out and "--context-sentences" in out
