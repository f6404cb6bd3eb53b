"""Corpus ingestion: read folders, dumps and crawls into articles, then into the store.

``readers`` turns files into :class:`~propos.article.Article` records (or
:class:`~propos.model.Failure` records saying what was wrong with which file);
``runner`` drives extraction over them in parallel and writes each article to SQLite.
"""

__all__ = ["ingest"]


def ingest(*args, **kwargs):
    """See :func:`propos.ingest.runner.ingest` (imported lazily: it pulls in spaCy)."""
    from .runner import ingest as _ingest

    return _ingest(*args, **kwargs)
