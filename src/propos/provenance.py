"""Statement groups: the copies of one statement across articles, and how each reworded it.

An agency quotes a minister; outlets repeat the quote, shorten it, change a word, or report
it in their own words. The attributions that report the same statement by the same speaker
form a group:

* candidates come from an index, never from all pairs: a MinHash of the quote's words
  (case and accents folded) in :data:`BANDS` bands of :data:`ROWS` values, each band key
  salted with the speaker, so only one speaker's quotes that share words meet;
* a candidate is the same statement when an exact word alignment (difflib) says so
  (:func:`same_statement`): the same words, a contiguous part of them (at least
  :data:`MIN_WORDS` words), or most of them in order;
* groups are the connected sets of such pairs. A group's key comes from its
  earliest-ingested member, so it never changes when copies are added (when a new copy
  joins two groups, the one founded first keeps its key);
* the first copy is the one published first (article date; ties, and undated articles
  after dated ones, by ingest order), and every member says how its words compare with
  the first copy's (:func:`compare_wording`): ``first``, ``same``, ``shortened``,
  ``altered`` (with the word-level changes) or ``paraphrase`` (an indirect or mixed report
  of a verbatim quote, or the reverse).

Pure functions and an in-memory grouper (:class:`StatementGroups`); the store keeps the same
index in SQLite and updates it incrementally (:mod:`propos.store.provenance`) with these
functions, so that both give the same groups.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any
from typing import Literal

import numpy as np

from .text import fold, normalise

Wording = Literal["first", "same", "shortened", "altered", "paraphrase"]
WORDINGS: tuple[str, ...] = ("first", "same", "shortened", "altered", "paraphrase")

BANDS = 24
ROWS = 2  # band_keys packs exactly two 32-bit values per band
NUM_PERM = BANDS * ROWS
# Quotes shorter than this group only with identical words: "un engagement clair" inside a
# longer quote of the same speaker is too little to say it is the same statement.
MIN_WORDS = 4
# Share of the shorter quote's words, and of the longer one's, that the alignment must match.
SHORT_SHARE = 0.6
LONG_SHARE = 0.35
# At most this many candidates are aligned per new quote (the earliest ingested first):
# a speaker's boilerplate sentence repeated thousands of times must not make one step slow.
MAX_CANDIDATES = 200

_WORD = re.compile(r"\w+")
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_MIX_SALT = 0x9E3779B97F4A7C15
_MIX_BAND = 0xC2B2AE3D27D4EB4F
_MASK64 = (1 << 64) - 1
_rng = np.random.RandomState(15)  # fixed: band keys must be comparable across runs
_A = _rng.randint(1, (1 << 32) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, (1 << 32) - 1, size=NUM_PERM, dtype=np.uint64)


# A corpus's vocabulary repeats: fold each word once.
_fold = lru_cache(maxsize=1 << 17)(fold)


@dataclass(frozen=True)
class Words:
    """A quote's words as written (``surface``) and as compared (``folded``: case and
    accents set aside)."""

    surface: tuple[str, ...]
    folded: tuple[str, ...]


@lru_cache(maxsize=1 << 14)  # candidates are aligned with many new quotes
def words_of(text: str) -> Words:
    surface = tuple(_WORD.findall(normalise(text)))
    return Words(surface, tuple(_fold(w) for w in surface))


@lru_cache(maxsize=1 << 17)
def _word_hashes(word: str) -> tuple[int, ...]:
    """The word under each of the NUM_PERM universal hashes ((a*x + b) mod p, 32 bits)."""
    value = np.uint64(zlib.crc32(word.encode("utf-8")))
    return tuple(int(h) for h in ((_A * value + _B) % _MERSENNE) & _MAX32)


def band_keys(speaker: str, words: Words) -> list[int]:
    """The LSH keys of a quote: quotes of one speaker sharing a key are candidate copies.

    The MinHash of the quote's distinct words, cut into BANDS bands of ROWS values; each
    band's values, its number and the speaker are mixed into one signed 64-bit key."""
    vocabulary = set(words.folded)
    if not vocabulary:
        return []
    signature = list(map(min, zip(*map(_word_hashes, vocabulary))))
    salt = zlib.crc32(speaker.casefold().encode("utf-8"))
    keys = []
    for band in range(BANDS):
        low, high = signature[band * ROWS], signature[band * ROWS + 1]
        mixed = ((high << 32 | low) ^ ((salt * _MIX_SALT + band * _MIX_BAND) & _MASK64))
        keys.append(mixed - (1 << 64) if mixed >= 1 << 63 else mixed)
    return keys


def _contiguous(short: Sequence[str], long: Sequence[str]) -> bool:
    n = len(short)
    return any(tuple(long[i:i + n]) == tuple(short) for i in range(len(long) - n + 1))


def _matched(a: Sequence[str], b: Sequence[str]) -> int:
    return sum(block.size for block in
               SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def same_statement(a: Words, b: Words) -> bool:
    """Whether two quotes of one speaker report the same statement (see the module doc)."""
    if not a.folded or not b.folded:
        return False
    if a.folded == b.folded:
        return True
    short, long = sorted((a.folded, b.folded), key=len)
    if len(short) < MIN_WORDS:
        return False
    if _contiguous(short, long):
        return True
    matched = _matched(short, long)
    return matched >= SHORT_SHARE * len(short) and matched >= LONG_SHARE * len(long)


@dataclass(frozen=True)
class Change:
    """One word-level difference from the first copy: ``replace`` (``old`` → ``new``),
    ``delete`` (``old`` dropped) or ``insert`` (``new`` added)."""

    op: Literal["replace", "delete", "insert"]
    old: str
    new: str

    def to_dict(self) -> dict[str, str]:
        return {"op": self.op, "old": self.old, "new": self.new}


def compare_wording(first: Words, first_kind: str, member: Words, member_kind: str
                    ) -> tuple[Wording, tuple[Change, ...]]:
    """How ``member``'s words compare with the first copy's (not for the first copy itself)."""
    if member.folded == first.folded:
        return "same", ()
    if first_kind != "direct" or member_kind != "direct":  # reported, not quoted, words
        return "paraphrase", ()
    if _contiguous(member.folded, first.folded):
        return "shortened", ()
    changes = []
    matcher = SequenceMatcher(None, first.folded, member.folded, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            changes.append(Change(op, " ".join(first.surface[i1:i2]),  # type: ignore[arg-type]
                                  " ".join(member.surface[j1:j2])))
    return "altered", tuple(changes)


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(normalise(text))]


def diff_pieces(first_text: str, member_text: str) -> list[tuple[str, str]]:
    """A member's text cut into ``(op, text)`` pieces against the first copy, for display:
    ``equal`` and ``insert`` pieces are the member's own characters (concatenated, they give
    ``member_text`` back), ``delete`` pieces are the first copy's words it dropped or
    replaced (shown before what replaced them)."""
    first_spans, member_spans = _word_spans(first_text), _word_spans(member_text)
    first = [_fold(first_text[a:b]) for a, b in first_spans]
    member = [_fold(member_text[a:b]) for a, b in member_spans]
    pieces: list[tuple[str, str]] = []
    cursor = 0

    def take(op: str, j1: int, j2: int) -> None:
        nonlocal cursor
        if j1 == j2:
            return
        start, end = member_spans[j1][0], member_spans[j2 - 1][1]
        if start > cursor:
            pieces.append(("equal", member_text[cursor:start]))
        pieces.append((op, member_text[start:end]))
        cursor = end

    for op, i1, i2, j1, j2 in SequenceMatcher(None, first, member, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            dropped = first_text[first_spans[i1][0]:first_spans[i2 - 1][1]]
            if j1 < len(member_spans) and member_spans[j1][0] > cursor:
                pieces.append(("equal", member_text[cursor:member_spans[j1][0]]))
                cursor = member_spans[j1][0]
            pieces.append(("delete", dropped))
        take("equal" if op == "equal" else "insert", j1, j2)
    if cursor < len(member_text):
        pieces.append(("equal", member_text[cursor:]))
    merged: list[tuple[str, str]] = []
    for op, text in pieces:
        if merged and merged[-1][0] == op and op != "delete":
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def group_key(article: str, seq: int) -> str:
    """The key of a group founded by attribution ``seq`` of ``article`` (an article key)."""
    return hashlib.sha1(f"{article}:{seq}".encode("utf-8")).hexdigest()[:16]


def publication_order(date: str | None, ingest_order: int) -> tuple[bool, str, int]:
    """Sort key of the first-copy rule: dated before undated, earliest date, then ingest."""
    return (date is None, date or "", ingest_order)


@dataclass(frozen=True)
class Statement:
    """One attribution as grouping sees it; ``id`` is its ingest order (increasing)."""

    id: int
    article: str
    seq: int
    speaker: str
    kind: str
    text: str
    date: str | None = None


@dataclass(frozen=True)
class Membership:
    """Where an attribution stands in its group."""

    group: str
    first_seen: bool
    first_article: str
    wording: Wording
    changes: tuple[Change, ...] = ()


def memberships_of(members: Iterable[Statement], founder: Statement
                   ) -> dict[int, Membership]:
    """The memberships of one group's members (founder: its earliest-ingested member)."""
    ordered = sorted(members, key=lambda s: publication_order(s.date, s.id))
    first = ordered[0]
    key = group_key(founder.article, founder.seq)
    first_words = words_of(first.text)
    out = {first.id: Membership(key, True, first.article, "first")}
    for member in ordered[1:]:
        wording, changes = compare_wording(first_words, first.kind, words_of(member.text),
                                           member.kind)
        out[member.id] = Membership(key, False, first.article, wording, changes)
    return out


class StatementGroups:
    """Statement groups built incrementally in memory (statements added in ingest order)."""

    def __init__(self) -> None:
        self._statements: dict[int, Statement] = {}
        self._words: dict[int, Words] = {}
        self._buckets: dict[int, list[int]] = {}
        self._parent: dict[int, int] = {}

    def _root(self, item: int) -> int:
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def add(self, statement: Statement) -> None:
        words = words_of(statement.text)
        keys = band_keys(statement.speaker, words)
        seen: set[int] = set()
        for key in keys:
            seen.update(self._buckets.get(key, ()))
        self._statements[statement.id] = statement
        self._words[statement.id] = words
        self._parent[statement.id] = statement.id
        for other in sorted(seen)[:MAX_CANDIDATES]:
            if same_statement(words, self._words[other]):
                a, b = self._root(other), self._root(statement.id)
                if a != b:  # the earliest-ingested founder keeps the group
                    self._parent[max(a, b)] = min(a, b)
        for key in dict.fromkeys(keys):
            self._buckets.setdefault(key, []).append(statement.id)

    def memberships(self) -> dict[int, Membership]:
        """Every statement's membership, by statement id."""
        groups: dict[int, list[Statement]] = {}
        for item, statement in self._statements.items():
            groups.setdefault(self._root(item), []).append(statement)
        out: dict[int, Membership] = {}
        for root, members in groups.items():
            out.update(memberships_of(members, self._statements[root]))
        return out


def group_statements(statements: Iterable[Statement]) -> dict[int, Membership]:
    """The groups of ``statements`` (in any order; ``id`` is their ingest order)."""
    groups = StatementGroups()
    for statement in sorted(statements, key=lambda s: s.id):
        groups.add(statement)
    return groups.memberships()


def changes_json(changes: Iterable[Any]) -> str:
    """The ``changes`` column: a JSON list of ``{op, old, new}``, "" when there are none."""
    items = [c.to_dict() for c in changes]
    return json.dumps(items, ensure_ascii=False) if items else ""
