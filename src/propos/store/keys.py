"""The search keys stored with each attribution, defined once for the writer, the migration
that backfills them and the search engine.

- **sort key**: ``(Julian day of the article's date << 32) | attribution id`` (day 0 when
  the article is undated). Unique, and in publication order: the full-text index uses it as
  rowid, so newest-first is a backwards walk of the index and a date range a rowid range.
- **group key** (written by the writer, not here): the id of the first attribution of the same
  words by the same speaker name in a near-identical article, so that the copies of a wire
  story are one search hit.
- **facets**: the terms of the ``facets`` column of the full-text index, one per filter
  value: ``k<kind>``, ``t<speaker type>``, ``n<name id>``, ``o<outlet id>``.
"""

from __future__ import annotations

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


def facets(kind: str, speaker_type: str, name_id: int, outlet_id: int | None,
           cue_type: str | None = None) -> str:
    terms = [f"k{kind}", f"t{speaker_type}", f"n{name_id}"]
    if outlet_id is not None:
        terms.append(f"o{outlet_id}")
    if cue_type is not None:
        terms.append(f"c{cue_type}")
    return " ".join(terms)

