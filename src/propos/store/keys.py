"""The search keys stored with each attribution, defined once for the writer, the migration
that backfills them and the search engine.

- **sort key**: ``(Julian day of the article's date << 32) | attribution id`` (day 0 when
  the article is undated). Unique, and in publication order: the full-text index uses it as
  rowid, so newest-first is a backwards walk of the index and a date range a rowid range.
- **group key**: 63 bits of a hash of the speaker name id and the folded words of the quote.
  The same words by the same speaker (a wire story in several outlets) are one search hit.
- **facets**: the terms of the ``facets`` column of the full-text index, one per filter
  value: ``k<kind>``, ``t<speaker type>``, ``n<name id>``, ``o<outlet id>``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

DAY_SHIFT = 32
_ID_MASK = (1 << DAY_SHIFT) - 1
_JULIAN_DAY_OF_ORDINAL_0 = 1_721_424  # CAST(julianday('0001-01-01') AS INTEGER) = 1721425


def day_number(iso: str | None) -> int:
    """SQLite's ``CAST(julianday(iso) AS INTEGER)`` for an ISO ``YYYY-MM-DD`` date, 0 when
    there is no date or it cannot be read (what the migration computes in SQL)."""
    if not iso:
        return 0
    try:
        return date.fromisoformat(iso[:10]).toordinal() + _JULIAN_DAY_OF_ORDINAL_0
    except ValueError:
        return 0


def day_key(day: date) -> int:
    """The smallest sort key of a day: date ranges are ``day_key(a) <= key < day_key(b)``."""
    return (day.toordinal() + _JULIAN_DAY_OF_ORDINAL_0) << DAY_SHIFT


def sort_key(iso_date: str | None, attribution_id: int) -> int:
    if not 0 < attribution_id <= _ID_MASK:
        raise ValueError(f"attribution id {attribution_id} does not fit a sort key")
    return (day_number(iso_date) << DAY_SHIFT) | attribution_id


def group_key(name_id: int, content: str) -> int:
    from .speakers import fold  # speakers imports db, which registers this function

    digest = hashlib.blake2b(f"{name_id}\x1f{fold(content)}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def facets(kind: str, speaker_type: str, name_id: int, outlet_id: int | None) -> str:
    terms = [f"k{kind}", f"t{speaker_type}", f"n{name_id}"]
    if outlet_id is not None:
        terms.append(f"o{outlet_id}")
    return " ".join(terms)


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the migrations use (``propos_group_key``)."""
    conn.create_function("propos_group_key", 2, group_key, deterministic=True)
