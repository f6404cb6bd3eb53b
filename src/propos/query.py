"""The search language, apart from any engine: what a search asks for and how its words read.

A query's words (:func:`parse_words`: terms, ``"phrases"`` or ``« phrases »``, a trailing
``*`` for a prefix, an upper-case ``OR`` between alternatives), its filters
(:class:`SearchQuery`), its periods (:func:`period`: ``--since 2024-03`` is the whole of
March) and which words of a hit it matched (:func:`highlights`) are the same whichever
engine runs it: the store's SQLite index (:mod:`propos.store.queries`, which renders the
terms as an FTS5 expression) or DuckDB over a Spark run's Parquet files
(:mod:`propos.spark.search`, which renders them as regular expressions). Nothing here runs
a query.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from typing import Any

from .dates import parse_bound
from .text import fold_words, strip_accents

MAX_TERMS = 32
ORDERS = ("newest", "relevance")
_SEGMENTS = re.compile(r'("[^"]*"|«[^»]*»)')
_TERM = re.compile(r"(\w+)(\*)?")
_WORD = re.compile(r"\w+")


class BadQuery(ValueError):
    """A parameter that is well-formed but cannot be used (a date that is not a date)."""


# --------------------------------------------------------------------------- the words


@dataclass(frozen=True)
class Term:
    """One word, or a phrase (several words in sequence); ``prefix``: the last word is a
    prefix (``énerg*``)."""

    words: tuple[str, ...]
    prefix: bool = False


def parse_words(text: str) -> tuple[tuple[Term, ...], ...]:
    """The query as alternatives (split at upper-case ``OR``), each a tuple of terms that
    must all match. A stray ``OR`` (first, last, doubled) is dropped."""
    groups: list[list[Term]] = [[]]
    count = 0
    for segment in _SEGMENTS.split(text or ""):
        if len(segment) >= 2 and segment[0] + segment[-1] in ('""', "«»"):
            words = _WORD.findall(segment[1:-1])
            if words and count < MAX_TERMS:
                groups[-1].append(Term(tuple(words)))
                count += 1
            continue
        for match in _TERM.finditer(segment):
            if match[1] == "OR" and not match[2]:
                if groups[-1]:
                    groups.append([])
                continue
            if count < MAX_TERMS:
                groups[-1].append(Term((match[1],), bool(match[2])))
                count += 1
    return tuple(tuple(g) for g in groups if g)


def index_form(word: str) -> str:
    """A word as a search compares it: as the store's index stores it (FTS5's unicode61
    tokenizer, remove_diacritics 2), which Spark's Parquet search matches too."""
    return strip_accents(word).lower()  # lower(), not casefold(): unicode61 keeps "ß"


def highlights(content: str, groups: tuple[tuple[Term, ...], ...]) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` offsets into ``content`` of the words the query matched there, as
    the index matches them (case and accents ignored, prefixes, phrases in sequence)."""
    tokens = [(m.start(), m.end(), fold_words(m.group())) for m in _WORD.finditer(content)]
    spans: set[tuple[int, int]] = set()
    for term in {t for g in groups for t in g}:
        wanted = [fold_words(w) for w in term.words]
        size = len(wanted)
        for i in range(len(tokens) - size + 1):
            window = tokens[i:i + size]
            if all(tok[2] == want for tok, want in zip(window[:-1], wanted[:-1])) and (
                    window[-1][2].startswith(wanted[-1]) if term.prefix
                    else window[-1][2] == wanted[-1]):
                spans.add((window[0][0], window[-1][1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


# --------------------------------------------------------------------------- the query


@dataclass(frozen=True)
class SearchQuery:
    """What a search asks for; empty strings mean "no filter".

    ``after`` is the ``next`` cursor of the previous page (keyset pagination); without it,
    ``page`` is reached by walking from the first page. With it, ``page`` is only the number
    shown to the user.
    """

    q: str = ""
    speaker: str = ""
    speaker_id: int | None = None
    speaker_type: str = ""
    kind: str = ""
    cue_type: str = ""
    since: str = ""
    until: str = ""
    outlet: str = ""
    altered: bool = False
    about: str = ""
    content_only: bool = False
    order: str = "newest"
    after: str = ""
    page: int = 1
    per_page: int = 20

    @property
    def filtered(self) -> bool:
        """Whether any filter is set (a search needs words or a filter)."""
        return any(getattr(self, f.name) for f in fields(self) if f.name not in _NOT_FILTERS)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def changed(self) -> dict[str, Any]:
        """The fields that differ from their defaults (for links that keep a search)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) != f.default}


_NOT_FILTERS = {"q", "content_only", "order", "after", "page", "per_page"}


def period(text: str) -> tuple[date, date]:
    """The first day of a ``--since``/``--until`` value and the day after its last."""
    bound = parse_bound(text)
    try:
        if len(bound) == 4:
            return date(int(bound), 1, 1), date(int(bound) + 1, 1, 1)
        if len(bound) == 7:
            first = date(int(bound[:4]), int(bound[5:]), 1)
            return first, (first + timedelta(days=31)).replace(day=1)
        day = date.fromisoformat(bound)
        return day, day + timedelta(days=1)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD, YYYY-MM or YYYY)") from exc
