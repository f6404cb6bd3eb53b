"""The record that flows out of the corpus readers: one article, and its key.

It lives in the core, below ingest, the store and Spark, so that the store and Spark accept
it without importing ingest (and its HTML and WARC libraries). An input that yields no
article is a :class:`propos.model.Failure`, as an unreadable input is for ``propos extract``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Article:
    """One article's text and what its container said about it.

    ``location`` says where it came from precisely enough to find it again (``path``,
    ``path:line`` for a JSONL line or CSV row, ``path#offset`` for a WARC record);
    ``id`` is the identifier the source gave, or one derived from the location.
    """

    text: str
    path: str
    location: str
    format: str
    id: str
    url: str | None = None
    title: str | None = None
    date: str | None = None
    source: str | None = None
    author: str | None = None
    lang: str | None = None

    @property
    def hash(self) -> str:
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """The article key: SHA-256 of the text with Unicode form and whitespace normalised.

    Two copies differing only in line endings, indentation or NFC/NFD form are the same
    article; anything else (one changed word) is a different one, and the near-duplicate
    detector links them instead.
    """
    canonical = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
