"""Speakers of an article whose named entities a test sets by hand, as the small tagger set them on
a real sentence: the rules must hold whatever the tagger makes of a name."""
from __future__ import annotations

from quoteframe.actors import default_gazetteer
from quoteframe.extraction.extractor import Extractor
from quoteframe.extraction.lexicon import default_lexicon
from quoteframe.extraction.speakers import SpeakerResolver
from quoteframe.nlp import load_spacy
from quoteframe.schema import Speaker


def speakers_with_tags(text: str, tags: list[tuple[str, str, str]]) -> list[tuple[str, Speaker]]:
    """Each quote's text and speaker when the article's only entities are ``tags``: (the words,
    the text right after them, label), e.g. ("Neema", " said", "PERSON") for "Neema Kisanga"."""
    doc = load_spacy()(text)
    doc.ents = [doc.char_span(text.index(first), text.index(after, text.index(first)), label=label)
                for first, after, label in tags]
    lexicon = default_lexicon()
    quotes = Extractor(lexicon).extract(doc)
    speakers = SpeakerResolver(doc, default_gazetteer(), lexicon).resolve(quotes)
    return [(text[q.start : q.end], s) for q, s in zip(quotes, speakers)]
