"""The int8 path of the classifier and the batching that serves it: int8 weights load,
speak the same labels and mostly agree with fp32; quotes are batched by token length
without padding waste; the fast encoding is the tokenizer's own."""
from __future__ import annotations

import json

import pytest
import torch

from quoteframe.classifier import Classifier, default_model_dir, length_groups
from quoteframe.classifier.data import HELDOUT_DIR, read_labelled
from quoteframe.cli import main
from quoteframe.errors import ModelError

# Measured on the held-out split (456 quotes): int8 picks fp32's primary frame for 90-92%
# of them at batch sizes 1 to 64 (92% at the default 32). Int8 activations are quantised
# per forward pass, so an int8 label can change with the quotes batched beside it.
MIN_FRAME_AGREEMENT = 0.88

needs_default_model = pytest.mark.skipif(
    not (default_model_dir() / "config.json").exists(),
    reason="the default model is not built (quoteframe train --default, or the set-up command)",
)


@pytest.fixture(scope="module")
def heldout() -> list[dict]:
    return read_labelled([HELDOUT_DIR])


@pytest.fixture(scope="module")
def fp32() -> Classifier:
    return Classifier.load(int8=False, device="cpu")


@pytest.fixture(scope="module")
def int8() -> Classifier:
    return Classifier.load(int8=True, device="cpu")


# -- int8 -------------------------------------------------------------------------------------
@needs_default_model
def test_int8_model_has_int8_encoder_and_float_heads(int8, fp32):
    kinds = {type(m).__module__ for m in int8.model.encoder.modules()}
    assert "torch.ao.nn.quantized.dynamic.modules.linear" in kinds
    assert isinstance(int8.model.frame_head, torch.nn.Linear)
    assert int8.int8 and not fp32.int8


@needs_default_model
def test_int8_predicts_the_same_label_set(int8, fp32, heldout):
    assert int8.labels == fp32.labels and int8.stance_labels == fp32.stance_labels
    for result in int8.classify(heldout[:40]):
        assert set(result["frames"]) == set(fp32.labels)
        assert result["frame"] in fp32.labels
        assert (result["target"] is None) == (result["stance"] is None)
        assert result["stance"] is None or result["stance"] in fp32.stance_labels


@needs_default_model
def test_int8_agrees_with_fp32_on_most_heldout_quotes(int8, fp32, heldout):
    a, b = fp32.classify(heldout), int8.classify(heldout)
    agree = sum(x["frame"] == y["frame"] for x, y in zip(a, b)) / len(heldout)
    assert agree >= MIN_FRAME_AGREEMENT, f"int8 agrees with fp32 on {agree:.1%} of primary frames"


def test_int8_on_a_gpu_is_refused_with_a_reason():
    with pytest.raises(ModelError, match="CPU only"):
        Classifier.load(int8=True, device="cuda")


@needs_default_model
def test_classify_int8_flag_loads_int8_weights(tmp_path, capsys):
    quotes = tmp_path / "q.jsonl"
    quotes.write_text("".join(json.dumps(r) + "\n" for r in [
        {"text": "Warsaw is staging a provocation on the border", "speaker_actor": "Belarus",
         "context": "A Belarusian official said Warsaw is staging a provocation on the border."},
        {"text": "we will never accept the annexation", "speaker_actor": "Ukraine"},
        {"text": "the call lasted 50 minutes"},
    ]), encoding="utf-8")
    outputs = {}
    for flag in ("--int8", "--no-int8"):
        assert main(["classify", flag, str(quotes)]) == 0
        outputs[flag] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert len(outputs[flag]) == 3
    # int8 weights move the scores; same quotes, same keys
    assert [r["frames"] for r in outputs["--int8"]] != [r["frames"] for r in outputs["--no-int8"]]
    assert [set(r) for r in outputs["--int8"]] == [set(r) for r in outputs["--no-int8"]]


# -- batching ----------------------------------------------------------------------------------
def test_length_groups_pad_little_and_keep_every_index():
    lengths = [64, 29, 31, 46, 58, 46, 27, 25, 48, 54, 30, 50, 55, 45, 30, 56, 22, 57, 36, 17, 40, 27, 27]
    groups = length_groups(lengths, max_size=32)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    padded = sum(len(g) * max(lengths[i] for i in g) for g in groups)
    assert padded <= 1.15 * sum(lengths)          # one pass padded to 64 would be 1.6x
    assert all(len(g) <= 4 for g in length_groups([10] * 9, max_size=4))


def test_no_pass_holds_more_tokens_than_the_budget_so_long_quotes_cannot_spike_memory():
    lengths = [160] * 40 + [20] * 40
    groups = length_groups(lengths, max_size=32, max_tokens=2048)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    assert max(len(g) * max(lengths[i] for i in g) for g in groups) <= 2048
    assert max(len(g) for g in groups) == 32                      # short quotes still fill a pass
    assert length_groups([5000], max_size=32, max_tokens=2048) == [[0]]  # one over-long quote still goes


@needs_default_model
def test_heldout_batches_waste_under_5_percent_on_padding(fp32, heldout):
    features = fp32.encoder.features(heldout)
    real = sum(len(f) for f in features)
    padded = sum(len(g) * max(len(features[i]) for i in g) for g in length_groups([len(f) for f in features], 32))
    assert padded <= 1.05 * real


@needs_default_model
def test_fp32_labels_do_not_depend_on_batch_mates(fp32, heldout):
    alone = [fp32.classify([r])[0] for r in heldout[:12]]
    together = fp32.classify(heldout[:12] + heldout[100:140])[:12]
    assert [r["frame"] for r in alone] == [r["frame"] for r in together]
    for a, b in zip(alone, together):
        assert all(abs(a["frames"][k] - b["frames"][k]) <= 2e-4 for k in a["frames"])


@needs_default_model
def test_fast_encoding_gives_the_tokenizers_own_ids(fp32, heldout):
    """Serving tokenizes with the Rust tokenizer directly; it must match tokenizer(...) as training saw it."""
    long = {"text": "Poland " * 200, "context": "Belarus said " + "Poland " * 200, "speaker_actor": "Belarus"}
    records = heldout[:20] + [long]
    enc = fp32.encoder
    batch = enc.encode(records)
    texts = [enc.pieces(r)[0] for r in records]
    ref = fp32.tokenizer(texts, truncation=True, max_length=enc.max_length, padding=True,
                         pad_to_multiple_of=enc._multiple, return_tensors="pt")
    for key in ref:
        assert torch.equal(batch.inputs[key], ref[key]), key
    assert batch.inputs["input_ids"].shape[1] == enc.max_length
