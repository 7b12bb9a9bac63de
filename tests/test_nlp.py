"""The table components that replace spaCy's attribute ruler and lemmatizer give spaCy's own annotations."""
from __future__ import annotations

import spacy

from quoteframe.nlp import DEFAULT_SPACY_MODELS, load_spacy

EDGE_CASES = [
    "I'm gonna say it: they didn't, and we won't. Let's see what 'll happen.\n\nHe's   done.",
    "“They have been deceived,” Polish police said. U.S. officials weren't sure; the E.U.'s envoy was.",
]


def stock_pipeline():
    nlp = spacy.load(DEFAULT_SPACY_MODELS[0])
    load_spacy()  # registers quoteframe_paragraphs
    nlp.add_pipe("quoteframe_paragraphs", before="parser")
    return nlp


def annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start, t.ent_type_, t.ent_iob_)
            for t in doc]


def test_tables_replace_the_rule_components_with_identical_annotations(seeds):
    ours, stock = load_spacy(), stock_pipeline()
    assert "quoteframe_attributes" in ours.pipe_names and "quoteframe_lemmas" in ours.pipe_names
    assert "attribute_ruler" in ours.disabled and "lemmatizer" in ours.disabled
    texts = [p.read_text() for p in sorted(seeds.glob("*.txt"))] + EDGE_CASES
    for text in texts:
        assert annotations(ours(text)) == annotations(stock(text))
