"""propos: who said what, when, about whom, and according to whom.

    >>> import propos
    >>> doc = propos.extract("« Nous tiendrons », a déclaré la maire, Léa Martin.")
    >>> doc.attributions[0].speaker.name
    'Léa Martin'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .model import (
    Amount,
    Attribution,
    DateMention,
    Document,
    Entity,
    Failure,
    Span,
    Speaker,
)
from .profile import DEFAULT_LANG

__all__ = [
    "Amount", "Attribution", "DateMention", "Document", "Entity", "Failure", "Span", "Speaker",
    "extract", "extract_many", "load",
]
__version__ = "0.1.0"


def load(lang: str = DEFAULT_LANG):
    """The extraction pipeline for ``lang`` (loaded once per process)."""
    from .pipeline import load as _load

    return _load(lang)


def extract(text: str, lang: str = DEFAULT_LANG, doc_id: str = "", date: str | None = None) -> Document:
    """Extract attributions, entities, dates and amounts from one text (``date``, ISO: the
    article's, which resolves "hier" or "samedi"). Raises ValueError for unusable text."""
    return load(lang).extract(text, doc_id, date)


def extract_many(
    items: Iterable[tuple[str, str]], lang: str = DEFAULT_LANG, batch_size: int = 16, n_process: int = 1
) -> Iterator[Document | Failure]:
    """Extract from ``(id, text)`` pairs; yields a Document or a Failure per input, in order."""
    return load(lang).extract_many(items, batch_size=batch_size, n_process=n_process)
