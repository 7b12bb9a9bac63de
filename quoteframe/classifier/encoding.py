"""The one encoding of a quote for the model, shared by training and serving.

A quote is encoded once, as its context with the quote marked and the
speaker's side in front. Each target candidate (an actor the gazetteer finds in the quote or
its context, plus the speaker's own side) is a mask over the tokens that
mention it; the model scores (quote, candidate) pairs from those tokens.

For example::

    enc = Encoder(tokenizer, gazetteer)
    batch = enc.encode([{"text": "Poland lies", "speaker_actor": "Belarus"}])
    batch.candidates[0]  # ['Belarus', 'Poland']
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


@dataclass
class Features:
    """One quote's encoding before padding: its tokens, and which of them are the quote and each candidate."""

    input_ids: list[int]
    token_type_ids: list[int]
    quote_tokens: list[int]              # positions of the quote's own tokens
    candidates: list[str]                # canonical actor names, at most MAX_CANDIDATES
    candidate_tokens: list[list[int]]    # [k] positions of the tokens mentioning candidate k
    candidate_self: list[float]          # [k] 1.0 where the candidate is the speaker's side

    def __len__(self) -> int:
        return len(self.input_ids)


class Encoder:
    """Turns labelled-quote records into a :class:`Batch` with a tokenizer and a gazetteer.

    ``encode`` = ``collate(features(records))``. Serving encodes each quote once,
    groups quotes of about one token length, and pads each group only to its own
    longest quote (``pad_to_multiple_of=None``), and so does training (batches of like length).
    """

    def __init__(self, tokenizer, gazetteer, max_length: int = MAX_LENGTH):
        if not getattr(tokenizer, "is_fast", False):
            raise ValueError("quoteframe needs a fast tokenizer (one with offset mappings)")
        self.tokenizer = tokenizer
        self.gazetteer = gazetteer
        self.max_length = max_length
        # actors no training label names as a target (training sets this): not shown to the
        # model as wrong targets while it learns, since the labels were made without them
        self.unlabelled: frozenset[str] = frozenset()
        # encode() pads to this multiple, as tokenizer(..., pad_to_multiple_of=...) does; it must divide max_length
        self._multiple = next((m for m in (32, 16, 8) if max_length % m == 0), None)
        # the Rust tokenizer itself, truncating as tokenizer(..., truncation=True, max_length=...)
        # does; its Python wrapper costs more than the tokenizing (a copy: the wrapper resets
        # its own tokenizer's settings on every call)
        from tokenizers import Tokenizer

        self._fast = Tokenizer.from_str(tokenizer.backend_tokenizer.to_str())
        self._fast.no_padding()
        self._fast.enable_truncation(max_length)
        self._pad_id = tokenizer.pad_token_id or 0
        self._pad_type = getattr(tokenizer, "pad_token_type_id", 0) or 0
        self._types = "token_type_ids" in tokenizer.model_input_names

    def encode(self, records: Sequence[dict], given_targets: bool = False) -> Batch:
        """Encode ``records``; with ``given_targets`` each record's ``target`` is a candidate
        wherever its name occurs, also when the gazetteer does not know it (training, and
        stance toward a target the user names)."""
        return self.collate(self.features(records, given_targets), self._multiple)

    def features(self, records: Sequence[dict], given_targets: bool = False) -> list[Features]:
        """Each record's :class:`Features` (see :meth:`encode` for ``given_targets``)."""
        pieces = [self.pieces(r, r.get("target") if given_targets else None) for r in records]
        if given_targets and self.unlabelled:
            # an actor the labels never name as a target is no negative example either
            pieces = [(text, [m for m in mentions if m[0] not in self.unlabelled or m[0] == r.get("target")])
                      for r, (text, mentions) in zip(records, pieces)]
        encodings = self._fast.encode_batch([text for text, _ in pieces])
        return [self._features(r, text, mentions, e) for r, (text, mentions), e in zip(records, pieces, encodings)]

    def _features(self, record: dict, text: str, mentions: list, encoding) -> Features:
        q0, q1 = text.index(OPEN), text.index(CLOSE) + 1
        offsets, in_text = encoding.offsets, [s == 0 for s in encoding.sequence_ids]
        real = [i for i, (s, e) in enumerate(offsets) if e > s]
        quote = [i for i in real if offsets[i][0] >= q0 and offsets[i][1] <= q1]
        names = list(dict.fromkeys(actor for actor, *_ in mentions))[:MAX_CANDIDATES]
        hits: dict[str, set[int]] = {n: set() for n in names}
        for actor, start, end in mentions:
            if actor in hits:
                hits[actor].update(i for i in real if in_text[i] and offsets[i][0] < end and offsets[i][1] > start)
        # a candidate whose mentions were all truncated away is no candidate
        kept = [n for n in names if hits[n]]
        return Features(
            list(encoding.ids), list(encoding.type_ids), quote, kept, [sorted(hits[n]) for n in kept],
            [float(n == record.get("speaker_actor")) for n in kept],
        )

    def collate(self, features: Sequence[Features], pad_to_multiple_of: int | None = None) -> Batch:
        """Pad ``features`` (on the right) into one :class:`Batch`."""
        T = max(len(f) for f in features)
        if pad_to_multiple_of:
            T = -(-T // pad_to_multiple_of) * pad_to_multiple_of
        K = max(1, max(len(f.candidates) for f in features))
        # built as lists, one tensor each at the end: element-wise tensor writes cost more than the model's heads
        ids, types, attention, quote, mask, valid, is_self = [], [], [], [], [], [], []
        for f in features:
            pad = T - len(f)
            ids.append(f.input_ids + [self._pad_id] * pad)
            types.append(f.token_type_ids + [self._pad_type] * pad)
            attention.append([1] * len(f) + [0] * pad)
            quote.append(_one_hot(f.quote_tokens, T))
            rows = [_one_hot(tokens, T) for tokens in f.candidate_tokens]
            mask.append(rows + [[0.0] * T] * (K - len(rows)))
            valid.append([True] * len(rows) + [False] * (K - len(rows)))
            is_self.append(f.candidate_self + [0.0] * (K - len(rows)))
        inputs = {"input_ids": torch.tensor(ids)}
        if self._types:
            inputs["token_type_ids"] = torch.tensor(types)
        inputs["attention_mask"] = torch.tensor(attention)
        return Batch(inputs, torch.tensor(mask), torch.tensor(valid), torch.tensor(is_self),
                     [list(f.candidates) for f in features], torch.tensor(quote))

    def pieces(self, record: dict, target: str | None = None) -> tuple[str, list[tuple[str, int, int]]]:
        """The model's input text and the actor mentions in it: (actor, start, end).

        ``"<speaker side>: <sentences before> <context before> « <quote> » <context after>"``;
        the context is the sentence(s) around the quote (LABELS.md's ``context``), ``before``
        the sentences before it in the article. Target candidates are the actors named in the
        context and the quote: the sentences before inform the reading, not the target.
        """
        side = record.get("speaker_actor") or UNKNOWN_SIDE
        before = " ".join((record.get("before") or "").split())
        quote = " ".join(record["text"].split())
        context = " ".join((record.get("context") or "").split())
        at = context.find(quote) if context else -1
        if at >= 0:
            body = f"{context[:at]}{OPEN} {quote} {CLOSE}{context[at + len(quote):]}"
        else:
            body = f"{OPEN} {quote} {CLOSE} {context}".rstrip()
        lead = f"{side}: {before} " if before else f"{side}: "
        text = lead + body
        mentions: list[tuple[str, int, int]] = []
        if record.get("speaker_actor"):
            mentions.append((record["speaker_actor"], 0, len(side)))
        offset = len(lead)
        mentions.extend((actor, start + offset, end + offset) for actor, start, end in self.actor_mentions(body, record.get("parties")))
        if target and not any(actor == target for actor, *_ in mentions):
            mentions.extend((target, offset + m.start(), offset + m.end())
                            for m in re.finditer(re.escape(target), body, re.IGNORECASE))
        return text, mentions


    def actor_mentions(self, text: str, parties: dict[str, str] | None = None) -> list[tuple[str, int, int]]:
        """:func:`actor_mentions` with this encoder's gazetteer."""
        return actor_mentions(self.gazetteer, text, parties)

    def salience(self, text: str, parties: dict[str, str] | None = None) -> list[str]:
        """:func:`salience` with this encoder's gazetteer."""
        return salience(self.gazetteer, text, parties)


def actor_mentions(gazetteer, text: str, parties: dict[str, str] | None = None) -> list[tuple[str, int, int]]:
    """``(actor, start, end)`` of every actor named in ``text``: the gazetteer's, and the
    article's open-set ``parties`` (alias -> party), which win where they overlap
    ("the Highland Farmers Federation" is a party, not "farmers")."""
    found = [(m.actor, m.start, m.end) for m in gazetteer.find(text)]
    if not parties:
        return found
    own = [(party, m.start(), m.end()) for alias, party in parties.items()
           for m in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", text)]
    kept = [f for f in found if not any(s < f[2] and f[1] < e for _, s, e in own)]
    return sorted(kept + own, key=lambda m: m[1])


def salience(gazetteer, text: str, parties: dict[str, str] | None = None) -> list[str]:
    """The article's parties, most-mentioned first (countries, blocs, organisations and
    open-set parties; not groups or the media): who the story is about."""
    return ranked_actors(gazetteer, text, parties)[0]


def ranked_actors(gazetteer, text: str, parties: dict[str, str] | None = None) -> tuple[list[str], list[str]]:
    """``(parties, groups)`` of the article, each most-mentioned first (ties: first named first):
    :func:`salience`'s parties, and the gazetteer's groups ("fishermen", "migrants"), the people
    a story about suffering is about."""
    counts: dict[str, int] = {}
    groups: dict[str, int] = {}
    for actor, _, _ in actor_mentions(gazetteer, text, parties):
        if actor == "media":
            continue
        tally = groups if gazetteer.kind(actor) == "group" else counts
        tally[actor] = tally.get(actor, 0) + 1
    return sorted(counts, key=lambda a: -counts[a]), sorted(groups, key=lambda a: -groups[a])


def _one_hot(positions: list[int], length: int) -> list[float]:
    row = [0.0] * length
    for i in positions:
        row[i] = 1.0
    return row
