"""The web app's pages as data: the speaker list and page, the corpus figures.

The SQL is the store's (:mod:`propos.store.views`); search is its one engine
(:func:`propos.store.queries.search`), which the CLI calls too, and the speaker page lists
its quotes through it. This module adds the request parameters and the charts.

Every function returns plain JSON-ready dicts: the JSON API returns them as they are and the
templates render the same dicts, so the pages and the API cannot drift apart.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from dataclasses import asdict, dataclass

from ..query import BadQuery, SearchQuery
from ..store.queries import search
from ..store.views import (ROLES, corpus_counts, dated_quote_counts, share_counts,
                           speaker_entry)
from .charts import share, time_series

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
MAX_PAGE = 500
MAX_QUERY_CHARS = 500


# --------------------------------------------------------------------------- speakers


@dataclass(frozen=True)
class SpeakerListParams:
    """What ``/speakers`` and ``/api/speakers`` ask for; empty strings mean "no filter"."""

    type: str = ""
    gender: str = ""
    outlet: str = ""
    lang: str = ""
    since: str = ""
    until: str = ""
    sort: str = "quotes"
    order: str = ""          # "asc", "desc", or "" for the sort's natural direction
    page: int = 1
    per_page: int = 50

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def speaker_list(conn: sqlite3.Connection, params: SpeakerListParams) -> dict[str, Any]:
    """One page of the speaker directory, filtered and sorted (see
    :func:`propos.store.speakers.list_speakers`). Raises :class:`BadQuery`."""
    from ..store.speakers import SpeakerFilters, list_speakers

    filters = SpeakerFilters(type=params.type, gender=params.gender, outlet=params.outlet,
                             lang=params.lang, since=params.since, until=params.until,
                             sort=params.sort,
                             descending=None if not params.order else params.order == "desc")
    try:
        total, rows = list_speakers(conn, filters, limit=params.per_page,
                                    offset=(params.page - 1) * params.per_page)
    except ValueError as exc:
        raise BadQuery(str(exc)) from exc
    return {"query": params.to_dict(), "total": total, "page": params.page,
            "per_page": params.per_page, "pages": -(-total // params.per_page),
            "speakers": [r.to_dict() for r in rows]}


def speaker_detail(conn: sqlite3.Connection, speaker_id: int, *, page: int = 1,
                   per_page: int = 20) -> dict[str, Any] | None:
    """A directory entry: names, counts, quotes over time (by day, week or month as the
    range asks), who is quoted alongside, and one page of its quotes; None when there is no
    such entry."""
    entry = speaker_entry(conn, speaker_id)
    if entry is None:
        return None
    timeline = time_series(dated_quote_counts(conn, speaker_id))
    quotes = search(conn, SearchQuery(speaker_id=speaker_id, page=page,
                                      per_page=per_page)).to_dict()
    alongside = entry.pop("alongside")
    return {
        **entry, "timeline": timeline, "undated": timeline["undated"], "alongside": alongside,
        "quotes": {k: quotes[k] for k in ("total", "total_exact", "page", "per_page", "pages",
                                          "next", "hits")},
    }


# --------------------------------------------------------------------------- articles


def span_offsets(attributions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat ``<role>_start``/``<role>_end`` dicts for :func:`highlight.marks_for`."""
    out = []
    for a in attributions:
        flat: dict[str, Any] = {"number": a["number"]}
        for role in ROLES:
            span = a.get(role)
            if span:
                flat[f"{role}_start"], flat[f"{role}_end"] = span["start"], span["end"]
        out.append(flat)
    return out


# --------------------------------------------------------------------------- corpus


def corpus_figures(conn: sqlite3.Connection, top: int = 10) -> dict[str, Any]:
    """The home page's figures: how much is in the store, who speaks most, what failed, the
    quotes over time and the corpus's balance (by speaker type, gender and outlet)."""
    shares = share_counts(conn)
    return {
        **corpus_counts(conn, top),
        "timeline": time_series(dated_quote_counts(conn)),
        "by_type": share(shares["by_type"]), "by_gender": share(shares["by_gender"]),
        "by_outlet": share(shares["by_outlet"], missing="no outlet"),
    }
