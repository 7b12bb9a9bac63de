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


# -- parsing only the paragraphs that can hold a quote ---------------------------------------------
NARRATIVE = (
    "Border talks between Peru and Chile stalled on Monday in Lima.\n\n"
    "Trucks waited for days at the crossing near Tacna, and prices of fruit rose in the markets of Arica.\n\n"
    "Fleets from the two countries have fished the same waters since the court ruling of 2014.\n\n"
    "“We will not accept this,” Peruvian foreign minister Ana Rojas told reporters.\n\n"
    "Heavy rain closed the coastal highway for a second week, and the port of Ilo stayed shut.\n\n"
    "Chile's interior minister said the crossing would reopen once inspections ended.\n"
)


def selective():
    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.nlp import SelectiveParser

    return SelectiveParser(load_spacy(), default_lexicon())


def test_only_paragraphs_with_a_cue_or_a_mark_are_tagged_and_parsed():
    parser = selective()
    doc = next(parser.pipe([NARRATIVE]))
    full = load_spacy()(NARRATIVE)
    quote_para = NARRATIVE.index("“We")
    said_para = NARRATIVE.index("Chile's interior")
    for ours, theirs in zip(doc, full):
        if ours.idx >= quote_para and not (NARRATIVE.index("Heavy") <= ours.idx < said_para):
            # a quotation mark, "told", "said": parsed as the whole pipeline parses them
            assert (ours.tag_, ours.lemma_, ours.dep_, ours.head.i) == (theirs.tag_, theirs.lemma_, theirs.dep_, theirs.head.i)
        elif ours.idx < quote_para:
            assert ours.tag_ == "" and ours.dep_ in ("ROOT", "dep")  # narration: a flat tree, no tags
    assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in full.ents]
    starts = {t.i for t in doc if t.is_sent_start}
    assert all(t.i + 1 in starts for t in doc[:-1] if "\n" in t.text)  # a line break still ends a sentence


def test_the_quotes_are_those_of_the_whole_parse():
    from quoteframe.analyzer import Analyzer, AnalyzerConfig

    def found(analyzer):
        analysis = analyzer.analyze(NARRATIVE, id="n")
        return [(q.text, q.kind, q.speaker.name, q.speaker.actor) for q in analysis.quotes]

    ours, theirs = found(Analyzer()), found(Analyzer(AnalyzerConfig(full_parse=True)))
    assert ours == theirs
    assert ("We will not accept this,", "direct", "Ana Rojas", "Peru") in ours


def test_an_article_of_quotes_is_parsed_whole_and_cue_forms_are_known(seeds):
    parser = selective()
    text = "“No,” she said.\n\nHe insisted the talks had failed.\n\nThey accused Lima of lying."
    assert parser._plan(parser.nlp.make_doc(text)) is None
    doc = next(parser.pipe([text]))
    assert [t.dep_ for t in doc] == [t.dep_ for t in load_spacy()(text)]
    from quoteframe.nlp import _verb_forms

    forms = _verb_forms(load_spacy(), frozenset({"say", "tell", "accuse", "admit", "deny"}))
    assert {"said", "says", "told", "accused", "accusing", "admitted", "denies", "denied"} <= forms
