"""quoteframe: who is quoted in a news article, for which side, and how they frame it.

>>> from quoteframe import Analyzer
>>> analysis = Analyzer().analyze('"We are ready," the minister said.')
>>> analysis.quotes[0].text
'We are ready,'
"""
from __future__ import annotations

from quoteframe.version import __version__

__all__ = ["Analyzer", "__version__"]


def __getattr__(name: str):
    # Lazy: importing the package must not import spaCy or torch.
    if name == "Analyzer":
        from quoteframe.analyzer import Analyzer

        return Analyzer
    raise AttributeError(name)
