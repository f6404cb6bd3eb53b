"""Turn the many ways feeds write a publication date into ISO ``YYYY-MM-DD`` (or None).

Dates are stored as ISO text so that ``--since``/``--until`` are plain string comparisons in
SQL and sort correctly; a date propos cannot read is dropped rather than guessed. Month
names are language data (``lang/<code>/dates.toml``); finding a date in an article's text
when its metadata has none is :mod:`propos.ingest.datelines`.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

from .lexicon import date_words
from .text import fold

_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\b|T|$)")
_DMY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
_WORDS = re.compile(r"^\s*(?:[^\W\d_]+\.?,?\s+)?(\d{1,2})(?:[^\W\d_]{1,2})?\s+([^\W\d_]+)\.?"
                    r"\s+(\d{4})\b")


def _make(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def normalise_date(value: object) -> str | None:
    """``2024-03-14``, ``2024-03-14T09:30:00Z``, ``14/03/2024``, ``14 mars 2024``,
    ``Thu, 14 Mar 2024 09:30:00 +0100`` → ``'2024-03-14'``; anything else → None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if match := _ISO.match(text):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    if match := _DMY.match(text):
        return _make(int(match[3]), int(match[2]), int(match[1]))
    if match := _WORDS.match(text):
        month = date_words().months.get(fold(match[2]))
        if month:
            return _make(int(match[3]), month, int(match[1]))
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def parse_bound(value: str) -> str:
    """A ``--since``/``--until`` value: ``YYYY``, ``YYYY-MM`` or any date :func:`normalise_date`
    reads, as an ISO prefix that compares correctly with stored dates. Raises ValueError."""
    text = value.strip()
    if re.fullmatch(r"\d{4}", text) or re.fullmatch(r"\d{4}-\d{2}", text):
        return text
    iso = normalise_date(text)
    if iso is None:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    return iso
