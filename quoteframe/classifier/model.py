"""The frame, target and stance model: one transformer encoder, three small heads.

- frame head: multi-label logits over the frame labels from the mean-pooled
  encoding (sigmoid scores; the primary frame is the arg-max);
- target head: a score for each (quote, candidate) pair from the pooled
  encoding and the candidate's mention tokens, against a learned "no target";
- stance head: stance logits for a (quote, candidate) pair.

Saved as a folder: the encoder's ``save_pretrained`` output (its config.json
carries ``id2label`` and a ``quoteframe`` section), the tokenizer, and the
heads in ``heads.safetensors``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from torch import nn

from quoteframe.classifier.encoding import Batch

HEADS_FILE = "heads.safetensors"


class QuoteFrameModel(nn.Module):
    def __init__(self, encoder, frames: list[str], stances: list[str], dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.frames = list(frames)
        self.stances = list(stances)
        hidden = encoder.config.hidden_size
        pair = 3 * hidden + 1
        self.dropout = nn.Dropout(dropout)
        self.frame_head = nn.Linear(hidden, len(self.frames))
        self.none_head = nn.Linear(hidden, 1)
        self.target_head = nn.Sequential(nn.Linear(pair, hidden), nn.GELU(), nn.Linear(hidden, 1))
        self.stance_head = nn.Sequential(nn.Linear(pair, hidden), nn.GELU(), nn.Linear(hidden, max(1, len(self.stances))))
        self.precision = "fp32"  # or "bf16", "int8": see to_precision

    # -- forward ----------------------------------------------------------------
    def forward(self, batch: Batch) -> dict[str, torch.Tensor]:
        states = self.encoder(**batch.inputs).last_hidden_state            # [B, T, H]
        # pooled over the quote's own tokens (its context only informs them through attention)
        attn = batch.inputs["attention_mask"].to(states.dtype)
        if batch.quote_mask is not None:
            attn = torch.where(batch.quote_mask.sum(-1, keepdim=True) > 0, batch.quote_mask.to(states.dtype), attn)
        attn = attn.unsqueeze(-1)
        pooled = (states * attn).sum(1) / attn.sum(1).clamp(min=1.0)         # [B, H]
        pooled = self.dropout(pooled)
        frame_logits = self.frame_head(pooled)                               # [B, F]

        mask = batch.candidate_mask.to(states.dtype)                         # [B, K, T]
        mention = torch.bmm(mask, states) / mask.sum(-1, keepdim=True).clamp(min=1.0)  # [B, K, H]
        mention = self.dropout(mention)
        q = pooled.unsqueeze(1).expand_as(mention)
        pair = torch.cat([q, mention, q * mention, batch.candidate_self.unsqueeze(-1).to(states.dtype)], -1)
        target_scores = self.target_head(pair).squeeze(-1)                  # [B, K]
        target_scores = target_scores.masked_fill(~batch.candidate_valid, torch.finfo(target_scores.dtype).min)
        target_logits = torch.cat([self.none_head(pooled), target_scores], 1)  # [B, 1 + K]; 0 = no target
        stance_logits = self.stance_head(pair)                               # [B, K, S]
        return {"frame": frame_logits, "target": target_logits, "stance": stance_logits}

    # -- number formats -----------------------------------------------------------------
    def to_precision(self, precision: str) -> "QuoteFrameModel":
        """``fp32`` (as loaded), ``bf16`` weights for the whole model, or int8 encoder weights; in place."""
        if precision == "bf16":
            self.to(torch.bfloat16)  # the forward pass runs in the weights' dtype; scores are read as float
            self.precision = "bf16"
        elif precision == "int8":
            self.quantize_int8()
        elif precision != "fp32":
            raise ValueError(f"unknown precision {precision!r}")
        return self

    @property
    def int8(self) -> bool:
        return self.precision == "int8"

    def quantize_int8(self) -> "QuoteFrameModel":
        """Int8 weights for the encoder's linear layers, in place (dynamic quantisation, CPU only).

        Activations are quantised with one scale per forward pass, so a quote's scores depend
        a little on the quotes batched with it. The heads stay in float: a few hundred
        thousand multiply-adds a quote."""
        import warnings

        with warnings.catch_warnings():
            # torch.ao's eager quantisation warns that it is moving to torchao; it still works
            warnings.simplefilter("ignore")
            torch.ao.quantization.quantize_dynamic(self.encoder, {nn.Linear}, dtype=torch.qint8, inplace=True)
        self.precision = "int8"
        return self

    # -- persistence --------------------------------------------------------------
    def save(self, folder: str | Path, tokenizer, extra: dict[str, Any]) -> None:
        from safetensors.torch import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        config = self.encoder.config
        config.id2label = dict(enumerate(self.frames))
        config.label2id = {label: i for i, label in enumerate(self.frames)}
        config.quoteframe = {"stances": self.stances, **extra}
        self.encoder.save_pretrained(folder)
        tokenizer.save_pretrained(folder)
        heads = {k: v.detach().cpu().contiguous() for k, v in self.state_dict().items() if not k.startswith("encoder.")}
        save_file(heads, str(folder / HEADS_FILE))

    @classmethod
    def load(cls, folder: str | Path, device: str | torch.device = "cpu") -> tuple["QuoteFrameModel", Any, dict]:
        """``(model, tokenizer, quoteframe config section)`` from a saved folder."""
        from safetensors.torch import load_file
        from transformers import AutoModel, AutoTokenizer

        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        section = config.get("quoteframe")
        if not section or not (folder / HEADS_FILE).exists():
            raise ValueError(f"{folder} is not a quoteframe model folder (no quoteframe section or {HEADS_FILE})")
        frames = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
        encoder = AutoModel.from_pretrained(folder)
        tokenizer = AutoTokenizer.from_pretrained(folder)
        model = cls(encoder, frames, section["stances"])
        missing, unexpected = model.load_state_dict(load_file(str(folder / HEADS_FILE)), strict=False)
        missing = [k for k in missing if not k.startswith("encoder.")]
        if missing or unexpected:
            raise ValueError(f"{folder}: heads do not fit the model (missing {missing}, unexpected {unexpected})")
        model.to(device).eval()
        return model, tokenizer, section
