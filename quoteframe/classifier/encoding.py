"""The one encoding of a quote for the model, shared by training and serving.

A quote is encoded once, as its context with the quote marked and the
speaker's side in front. Each target candidate (an actor the gazetteer finds in the quote or
its context, plus the speaker's own side) is a mask over the tokens that
mention it; the model scores (quote, candidate) pairs from those tokens.

>>> enc = Encoder(tokenizer, gazetteer)                                   # doctest: +SKIP
>>> batch = enc.encode([{"text": "Poland lies", "speaker_actor": "Belarus"}])  # doctest: +SKIP
>>> batch.candidates[0]                                                   # doctest: +SKIP
['Belarus', 'Poland']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import torch

UNKNOWN_SIDE = "unknown"
MAX_LENGTH = 160
MAX_CANDIDATES = 8
OPEN, CLOSE = "\u00ab", "\u00bb"  # « »: where the quote starts and ends in its context


@dataclass
class Batch:
    """Model inputs for a list of quotes, plus the candidate names behind the masks."""

    inputs: dict[str, torch.Tensor]      # input_ids, attention_mask (+ token_type_ids)
    candidate_mask: torch.Tensor         # [B, K, T] 1.0 on tokens mentioning candidate k
    candidate_valid: torch.Tensor        # [B, K] bool
    candidate_self: torch.Tensor         # [B, K] 1.0 where the candidate is the speaker's side
    candidates: list[list[str]]          # [B][k] canonical actor names
    quote_mask: torch.Tensor | None = None  # [B, T] 1.0 on the quote's own tokens

    def to(self, device) -> "Batch":
        return Batch(
            {k: v.to(device) for k, v in self.inputs.items()},
            self.candidate_mask.to(device),
            self.candidate_valid.to(device),
            self.candidate_self.to(device),
            self.candidates,
            None if self.quote_mask is None else self.quote_mask.to(device),
        )


class Encoder:
    """Turns labelled-quote records into a :class:`Batch` with a tokenizer and a gazetteer."""

    def __init__(self, tokenizer, gazetteer, max_length: int = MAX_LENGTH):
        if not getattr(tokenizer, "is_fast", False):
            raise ValueError("quoteframe needs a fast tokenizer (one with offset mappings)")
        self.tokenizer = tokenizer
        self.gazetteer = gazetteer
        self.max_length = max_length
        # few distinct shapes keep CPU kernels warm; the multiple must divide max_length
        self._multiple = next((m for m in (32, 16, 8) if max_length % m == 0), None)

    def encode(self, records: Sequence[dict], given_targets: bool = False) -> Batch:
        """Encode ``records``; with ``given_targets`` each record's ``target`` is a candidate
        wherever its name occurs, also when the gazetteer does not know it (training, and
        stance toward a target the user names)."""
        texts, spans, quotes = [], [], []
        for r in records:
            text, mentions = self.pieces(r, r.get("target") if given_targets else None)
            texts.append(text)
            spans.append(mentions)
            quotes.append((text.index(OPEN), text.index(CLOSE) + 1))
        enc = self.tokenizer(
            texts, truncation=True, max_length=self.max_length, padding=True,
            pad_to_multiple_of=self._multiple, return_offsets_mapping=True, return_tensors="pt",
        )
        offsets = enc.pop("offset_mapping")
        B, T = enc["input_ids"].shape
        names = [list(dict.fromkeys(actor for actor, *_ in mentions))[:MAX_CANDIDATES] for mentions in spans]
        K = max(1, max(len(n) for n in names))
        mask = torch.zeros(B, K, T)
        starts, ends = offsets[..., 0], offsets[..., 1]
        real = ends > starts
        quote_mask = torch.stack([
            (real[b] & (starts[b] >= q0) & (ends[b] <= q1)).float() for b, (q0, q1) in enumerate(quotes)
        ])
        for b, mentions in enumerate(spans):
            in_text = torch.tensor([s == 0 for s in enc.sequence_ids(b)])
            for actor, start, end in mentions:
                if actor in names[b]:
                    hit = in_text & (starts[b] < end) & (ends[b] > start) & (ends[b] > starts[b])
                    mask[b, names[b].index(actor)] += hit.float()
        mask.clamp_(max=1.0)
        # a candidate whose mentions were all truncated away is no candidate
        kept = [[n for k, n in enumerate(names[b]) if mask[b, k].any()] for b in range(B)]
        order = [[names[b].index(n) for n in kept[b]] for b in range(B)]
        K = max(1, max(len(k) for k in kept))
        final = torch.zeros(B, K, T)
        valid = torch.zeros(B, K, dtype=torch.bool)
        is_self = torch.zeros(B, K)
        for b in range(B):
            for k, old in enumerate(order[b]):
                final[b, k] = mask[b, old]
                valid[b, k] = True
                is_self[b, k] = float(kept[b][k] == records[b].get("speaker_actor"))
        return Batch(dict(enc), final, valid, is_self, kept, quote_mask)

    def pieces(self, record: dict, target: str | None = None) -> tuple[str, list[tuple[str, int, int]]]:
        """The model's input text and the actor mentions in it: (actor, start, end).

        ``"<speaker side>: <context before> « <quote> » <context after>"``; the
        context is the sentence(s) around the quote (LABELS.md's ``context``).
        """
        side = record.get("speaker_actor") or UNKNOWN_SIDE
        quote = " ".join(record["text"].split())
        context = " ".join((record.get("context") or "").split())
        at = context.find(quote) if context else -1
        if at >= 0:
            body = f"{context[:at]}{OPEN} {quote} {CLOSE}{context[at + len(quote):]}"
        else:
            body = f"{OPEN} {quote} {CLOSE} {context}".rstrip()
        text = f"{side}: {body}"
        mentions: list[tuple[str, int, int]] = []
        if record.get("speaker_actor"):
            mentions.append((record["speaker_actor"], 0, len(side)))
        offset = len(side) + 2
        mentions.extend((m.actor, m.start + offset, m.end + offset) for m in self.gazetteer.find(body))
        if target and not any(actor == target for actor, *_ in mentions):
            mentions.extend((target, offset + m.start(), offset + m.end())
                            for m in re.finditer(re.escape(target), body, re.IGNORECASE))
        return text, mentions
