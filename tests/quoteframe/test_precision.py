"""--precision: auto picks the fastest format the CPU runs natively that the model folder was
checked for, and falls back to fp32; the check is recorded at train time; the analysis and the
model card say which format ran."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from quoteframe import precision as formats
from quoteframe.classifier import Classifier, bundled_base_model
from quoteframe.classifier.model import QuoteFrameModel
from quoteframe.cli import main as quoteframe
from quoteframe.errors import ModelError
from tests.conftest import REPO

AMX = {"avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8"}
VNNI_ONLY = {"avx2", "avx512f", "avx512_vnni"}
AVX2_ONLY = {"avx2", "fma"}
BOTH_PASSED = {"bf16": True, "int8": True}


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory) -> Path:
    """A small untrained model folder (2 layers, the real tokenizer): what matters is its number format."""
    from transformers import AutoTokenizer, BertConfig, BertModel

    folder = tmp_path_factory.mktemp("tiny") / "model"
    tokenizer = AutoTokenizer.from_pretrained(bundled_base_model())
    torch.manual_seed(0)
    encoder = BertModel(BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                                   num_attention_heads=2, intermediate_size=64))
    QuoteFrameModel(encoder, ["blame", "neutral"], ["against", "favor"]).save(
        folder, tokenizer, {"name": "tiny", "version": "0", "max_length": 32})
    return folder


def with_record(folder: Path, passed: dict[str, bool] | None) -> Path:
    record = folder / formats.RECORD_FILE
    record.unlink(missing_ok=True)
    if passed is not None:
        formats.write_record(folder, {"quotes": 100, "precisions": {
            "fp32": {"passed": True}, **{p: {"passed": ok} for p, ok in passed.items()}}})
    return folder


def load_on(monkeypatch, folder: Path, flags: set[str], **kwargs) -> Classifier:
    monkeypatch.setattr(formats, "cpu_flags", lambda: frozenset(flags))
    return Classifier.load(folder, device="cpu", **kwargs)


def weight_dtype(clf: Classifier) -> torch.dtype:
    return clf.model.frame_head.weight.dtype


# -- each branch of auto ---------------------------------------------------------------------
def test_auto_runs_bf16_weights_on_a_cpu_with_amx_when_checked(monkeypatch, tiny_folder):
    clf = load_on(monkeypatch, with_record(tiny_folder, BOTH_PASSED), AMX)
    assert clf.precision == "bf16" and weight_dtype(clf) == torch.bfloat16
    result = clf.classify([{"text": "Chile is lying about the border", "speaker_actor": "Peru"}])[0]
    assert set(result["frames"]) == {"blame", "neutral"} and 0.0 <= result["frame_score"] <= 1.0


def test_auto_runs_int8_on_a_cpu_with_vnni_but_no_bf16(monkeypatch, tiny_folder):
    clf = load_on(monkeypatch, with_record(tiny_folder, BOTH_PASSED), VNNI_ONLY)
    assert clf.precision == "int8" and clf.int8
    kinds = {type(m).__module__ for m in clf.model.encoder.modules()}
    assert "torch.ao.nn.quantized.dynamic.modules.linear" in kinds


def test_auto_falls_back_to_fp32_on_a_cpu_without_bf16_or_vnni(monkeypatch, tiny_folder):
    clf = load_on(monkeypatch, with_record(tiny_folder, BOTH_PASSED), AVX2_ONLY)
    assert clf.precision == "fp32" and weight_dtype(clf) == torch.float32


def test_auto_uses_fp32_for_a_folder_without_the_check(monkeypatch, tiny_folder):
    clf = load_on(monkeypatch, with_record(tiny_folder, None), AMX)
    assert clf.precision == "fp32" and weight_dtype(clf) == torch.float32


def test_auto_skips_a_format_that_failed_the_check(monkeypatch, tiny_folder):
    folder = with_record(tiny_folder, {"bf16": False, "int8": True})
    assert load_on(monkeypatch, folder, AMX).precision == "int8"
    folder = with_record(tiny_folder, {"bf16": False, "int8": False})
    assert load_on(monkeypatch, folder, AMX).precision == "fp32"


def test_auto_picks_bf16_on_cuda_and_int8_is_refused_there():
    assert formats.choose("auto", "cuda", {"fp32", "bf16"}) == "bf16"
    assert formats.choose("auto", "cuda", {"fp32"}) == "fp32"
    with pytest.raises(ModelError, match="CPU only"):
        Classifier.load(precision="int8", device="cuda")


def test_an_explicit_precision_is_obeyed_whatever_the_check(monkeypatch, tiny_folder):
    folder = with_record(tiny_folder, None)
    assert load_on(monkeypatch, folder, AVX2_ONLY, precision="bf16").precision == "bf16"
    assert load_on(monkeypatch, folder, AMX, precision="fp32").precision == "fp32"
    assert load_on(monkeypatch, folder, AMX, int8=True).precision == "int8"  # the older spelling


def test_the_real_cpu_flags_are_read():
    flags = formats.cpu_flags()
    if Path("/proc/cpuinfo").exists():
        assert flags and all(isinstance(f, str) for f in flags)
    assert set(formats.native_precisions("cpu")) <= {"bf16", "int8"}


# -- what the user sees -------------------------------------------------------------------------
def test_the_analysis_names_the_precision_that_ran(monkeypatch, tiny_folder, tmp_path, capsys):
    with_record(tiny_folder, None)
    article = tmp_path / "a.txt"
    article.write_text("“Chile is lying about the border,” Peruvian foreign minister Ana Rojas said.", "utf-8")
    for flag, expected in (("bf16", "bf16"), ("auto", "fp32")):
        assert quoteframe(["analyze", "--model", str(tiny_folder), "--precision", flag, str(article)]) == 0
        analysis = json.loads(capsys.readouterr().out)
        assert analysis["model"]["precision"] == expected and analysis["quotes"]


def test_precision_and_the_old_int8_flag_together_are_refused(tiny_folder, tmp_path, capsys):
    quotes = tmp_path / "q.jsonl"
    quotes.write_text(json.dumps({"text": "Chile is lying"}) + "\n", "utf-8")
    code = quoteframe(["classify", "--model", str(tiny_folder), "--precision", "bf16", "--int8", str(quotes)])
    assert code != 0
    assert "not both" in capsys.readouterr().err


def test_service_settings_take_a_precision(monkeypatch):
    from service.settings import Settings

    monkeypatch.setenv("QUOTEFRAME_PRECISION", "bf16")
    assert Settings().model_precision == "bf16"
    assert Settings(precision="auto", int8=True).model_precision == "int8"  # the deprecated setting still works
    with pytest.raises(ValueError):
        Settings(precision="fp16")


# -- the check at train time ---------------------------------------------------------------------
@pytest.mark.slow
def test_train_checks_bf16_and_int8_on_the_heldout_quotes_and_records_it(tmp_path):
    rows = []
    for a, b in [("Peru", "Chile"), ("Kenya", "Uganda"), ("Norway", "Iceland"), ("Vietnam", "Cambodia")]:
        rows += [{"text": f"{b} is lying about the border", "speaker_actor": a, "frame": "blame",
                  "target": b, "stance": "against"},
                 {"text": "the meeting lasted two hours", "speaker_actor": a, "frame": "neutral"}]
    data, heldout = tmp_path / "train.jsonl", tmp_path / "heldout.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    heldout.write_text("".join(json.dumps(r) + "\n" for r in rows[:4]), "utf-8")
    out = tmp_path / "model"
    assert quoteframe(["train", "--data", str(data), "--heldout", str(heldout), "--out", str(out),
                       "--epochs", "1", "--max-length", "32", "--eval-split", "0.25"]) == 0
    record = json.loads((out / formats.RECORD_FILE).read_text())
    assert record["quotes"] == 4 and set(record["precisions"]) == {"fp32", "bf16", "int8"}
    for check in record["precisions"].values():
        assert 0.0 <= check["same_primary_frame"] <= 1.0 and isinstance(check["passed"], bool)
    assert json.loads((out / "metrics.json").read_text())["precision_check"] == record
    assert "Number formats" in (out / "README.md").read_text()
    checked = formats.checked_precisions(out)
    assert "fp32" in checked and checked <= {"fp32", "bf16", "int8"}


def test_training_runs_bf16_passes_only_where_the_cpu_has_bf16_instructions():
    from training.train import training_precision

    assert training_precision("auto", "cpu", flags={"avx2", "avx512_vnni"}) == "fp32"
    assert training_precision("auto", "cpu", flags={"avx2", "avx512_bf16"}) == "bf16"
    assert training_precision("auto", "cpu", flags={"amx_bf16"}) == "bf16"
    assert training_precision("auto", "cuda") == "bf16"
    assert training_precision("fp32", "cpu", flags={"amx_bf16"}) == "fp32"
    with pytest.raises(ValueError, match="unknown training precision 'fp16'"):
        training_precision("fp16", "cpu")


@pytest.mark.slow
@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_training_in_either_number_format_learns_and_says_which_it_ran(tmp_path, precision):
    rows = []
    for a, b in [("Peru", "Chile"), ("Kenya", "Uganda"), ("Norway", "Iceland"), ("Vietnam", "Cambodia"),
                 ("Ghana", "Togo"), ("Laos", "Thailand")]:
        rows += [{"text": f"{b} shelled our villages and must answer for it", "speaker_actor": a, "frame": "blame",
                  "target": b, "stance": "against"},
                 {"text": "the talks began at nine and lasted two hours", "speaker_actor": a, "frame": "neutral"}]
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows * 4), "utf-8")
    out = tmp_path / "model"
    assert quoteframe(["train", "--data", str(data), "--out", str(out), "--epochs", "3", "--max-length", "32",
                       "--eval-split", "0.25", "--precision", precision]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["train_precision"] == precision
    assert f"{precision} passes" in (out / "README.md").read_text()
    assert metrics["eval"]["frame_accuracy"] == 1.0  # two frames, one sentence each: learnt either way


@pytest.mark.slow
def test_bf16_labelling_memory_stays_flat_over_many_passes(tmp_path):
    """oneDNN compiled and cached bf16 kernels per pass shape: a long run grew ~25 MiB per 300 quotes
    (~60 MiB over these 5 rounds of 150)."""
    import subprocess
    import sys

    from quoteframe.classifier import default_model_dir

    script = tmp_path / "rounds.py"
    script.write_text(
        "import random, sys\n"
        "from quoteframe.classifier import Classifier\n"
        "from quoteframe.classifier.data import HELDOUT_DIR, read_labelled\n"
        "clf = Classifier.load(sys.argv[1], precision='bf16', device='cpu')\n"
        "rows, r = read_labelled([HELDOUT_DIR]), random.Random(0)\n"
        "for i in range(8):\n"
        "    clf.classify(r.sample(rows, 150))  # other quotes together: passes of other shapes\n"
        "    print(int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) // 1024, flush=True)\n",
        encoding="utf-8")
    model = default_model_dir() if (default_model_dir() / "config.json").exists() else None
    assert model is not None, "the default model is not built: quoteframe train --default"
    done = subprocess.run([sys.executable, str(script), str(model)], capture_output=True, text=True, timeout=900,
                          cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    rss = [int(line) for line in done.stdout.split()]
    assert rss[-1] - rss[2] < 30, f"resident memory grew from {rss[2]} to {rss[-1]} MiB over 5 rounds"
