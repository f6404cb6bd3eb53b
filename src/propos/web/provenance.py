"""The badges of hits and articles ("seen in N outlets since DATE", "altered").

Groups are kept up to date by ingest (:mod:`propos.store.provenance`) and read through
:mod:`propos.store.views`, which also gives a statement's timeline
(:func:`~propos.store.views.quote_group_detail`); the web only reads them.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..store.views import article_mentions, quote_badges


def add_quote_badges(conn: sqlite3.Connection, items: list[dict[str, Any]]) -> None:
    """Set ``quote`` (a badge, or None) on each hit or attribution dict with an ``id``."""
    badges = quote_badges(conn, [item["id"] for item in items if item.get("id") is not None])
    for item in items:
        item["quote"] = badges.get(item.get("id"))  # type: ignore[arg-type]


def with_provenance(conn: sqlite3.Connection, detail: dict[str, Any]) -> dict[str, Any]:
    """An article's detail with its dates and amounts, and its quotes' statement badges."""
    add_quote_badges(conn, detail["attributions"])
    return {**detail, **article_mentions(conn, detail["id"])}


