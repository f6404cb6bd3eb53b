"""The web app's read queries: speaker, article and corpus pages.

Search is the store's one engine (:func:`propos.store.queries.search`), which the CLI calls
too; the speaker page lists its quotes through it. Every value is a bound parameter; only
fixed fragments of SQL are assembled.

Every function returns plain JSON-ready dicts: the JSON API returns them as they are and the
templates render the same dicts, so the pages and the API cannot drift apart.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from ..model import KINDS, UNKNOWN_SPEAKER_NAME
from ..store.db import get_meta
from ..store.queries import SearchQuery, search
from ..store.speakers import top_speakers

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
MAX_PAGE = 500
MAX_QUERY_CHARS = 500
ROLES = ("content", "cue", "source", "via")


# --------------------------------------------------------------------------- speakers


def speaker_detail(conn: sqlite3.Connection, speaker_id: int, *, page: int = 1,
                   per_page: int = 20) -> dict[str, Any] | None:
    """A directory entry: names, counts, quotes per month, who is quoted alongside, and one
    page of its quotes; None when there is no such entry."""
    row = conn.execute("SELECT * FROM speakers WHERE id = ?", (speaker_id,)).fetchone()
    if row is None:
        return None
    variants = [{"name": r[0], "attributions": r[1]} for r in conn.execute(
        "SELECT n.name, COUNT(a.id) FROM names n LEFT JOIN attributions a ON a.name_id = n.id "
        "WHERE n.speaker_id = ? GROUP BY n.id ORDER BY COUNT(a.id) DESC, n.name",
        (speaker_id,))]
    months = conn.execute(
        "SELECT substr(ar.date, 1, 7) AS month, COUNT(*) AS n FROM attributions a "
        "JOIN names n ON n.id = a.name_id JOIN articles ar ON ar.id = a.article_id "
        "WHERE n.speaker_id = ? GROUP BY month ORDER BY month", (speaker_id,)).fetchall()
    undated = sum(r["n"] for r in months if not r["month"] or len(r["month"]) < 7)
    timeline = fill_months({r["month"]: r["n"] for r in months
                            if r["month"] and len(r["month"]) == 7})
    alongside = [dict(r) for r in conn.execute(
        "WITH mine AS (SELECT DISTINCT a.article_id FROM attributions a "
        "JOIN names n ON n.id = a.name_id WHERE n.speaker_id = ?) "
        "SELECT s.id, s.name, s.type, COUNT(DISTINCT a.article_id) AS articles "
        "FROM mine JOIN attributions a ON a.article_id = mine.article_id "
        "JOIN names n ON n.id = a.name_id JOIN speakers s ON s.id = n.speaker_id "
        "WHERE s.id != ? AND NOT (s.type = 'unknown' AND s.name = ?) "
        "GROUP BY s.id ORDER BY articles DESC, s.name LIMIT 10",
        (speaker_id, speaker_id, UNKNOWN_SPEAKER_NAME))]
    quotes = search(conn, SearchQuery(speaker_id=speaker_id, page=page,
                                      per_page=per_page)).to_dict()
    return {
        "id": row["id"], "name": row["name"], "type": row["type"],
        "counts": {"attributions": row["n_attributions"], "direct": row["n_direct"],
                   "indirect": row["n_indirect"], "mixed": row["n_mixed"],
                   "articles": row["n_articles"]},
        "variants": variants, "timeline": timeline, "undated": undated,
        "alongside": alongside,
        "quotes": {k: quotes[k] for k in ("total", "total_exact", "page", "per_page", "pages",
                                          "next", "hits")},
    }


def fill_months(counts: dict[str, int]) -> list[dict[str, Any]]:
    """``{"2024-01": 3, "2024-04": 1}`` → one entry per month from the first to the last,
    zeros included, so that a chart's gaps are real gaps. Bounded to 240 months (the most
    recent), whatever odd dates an article carries."""
    valid = sorted(m for m in counts if m[:4].isdigit() and m[5:7].isdigit() and m[4] == "-"
                   and 1 <= int(m[5:7]) <= 12)
    if not valid:
        return []
    year, month = int(valid[0][:4]), int(valid[0][5:7])
    last = (int(valid[-1][:4]), int(valid[-1][5:7]))
    if (last[0] - year) * 12 + last[1] - month >= 240:
        year, month = divmod(last[0] * 12 + last[1] - 1 - 239, 12)
        month += 1
    out = []
    while (year, month) <= last:
        key = f"{year:04d}-{month:02d}"
        out.append({"month": key, "count": counts.get(key, 0)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# --------------------------------------------------------------------------- articles


def article_detail(conn: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """An article by its key (text hash): metadata, text, attributions in order (numbered
    from 1, with every span and the directory entry of the speaker) and near-copies."""
    row = conn.execute("SELECT * FROM articles WHERE hash = ?", (key,)).fetchone()
    if row is None:
        return None
    attributions = []
    for number, a in enumerate(conn.execute(
            "SELECT a.*, s.id AS speaker_id, s.name AS directory_name FROM attributions a "
            "LEFT JOIN names n ON n.id = a.name_id LEFT JOIN speakers s ON s.id = n.speaker_id "
            "WHERE a.article_id = ? ORDER BY a.seq", (row["id"],)), start=1):
        item: dict[str, Any] = {
            "id": a["id"], "number": number, "seq": a["seq"], "kind": a["kind"],
            "speaker": {"name": a["speaker_name"], "type": a["speaker_type"]},
            "speaker_id": a["speaker_id"], "directory_name": a["directory_name"],
            "confidence": round(a["confidence"], 3), "rule": a["rule"],
            "cue_type": a["cue_type"],
        }
        for role in ROLES:
            text = a[role]
            item[role] = None if text is None else {
                "start": a[f"{role}_start"], "end": a[f"{role}_end"], "text": text}
        attributions.append(item)
    copies = [dict(r) for r in conn.execute(
        "SELECT ar.hash AS id, ar.title, ar.source, ar.date, nd.similarity "
        "FROM near_duplicates nd JOIN articles ar ON ar.id = nd.other_id "
        "WHERE nd.article_id = ? ORDER BY nd.similarity DESC, ar.date LIMIT 20", (row["id"],))]
    return {
        "id": row["hash"], "doc_id": row["doc_id"], "title": row["title"], "date": row["date"],
        "source": row["source"], "author": row["author"], "url": row["url"],
        "lang": row["lang"], "status": row["status"], "location": row["location"],
        "text": row["text"], "attributions": attributions, "near_duplicates": copies,
    }


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
    """The home page's figures: how much is in the store, who speaks most, what failed."""
    articles = conn.execute(
        "SELECT COUNT(*) AS n, SUM(status = 'extracted') AS extracted, "
        "SUM(status = 'unsupported_lang') AS unsupported, MIN(date) AS first, "
        "MAX(date) AS last, COUNT(DISTINCT source) AS outlets FROM articles").fetchone()
    kinds = {r[0]: r[1] for r in conn.execute(
        "SELECT kind, COUNT(*) FROM attributions GROUP BY kind")}
    failures = conn.execute("SELECT COUNT(*) AS n, COALESCE(SUM(times), 0) AS seen "
                            "FROM failures").fetchone()
    reasons = [dict(r) for r in conn.execute(
        "SELECT reason, COUNT(*) AS count FROM failures GROUP BY reason "
        "ORDER BY count DESC, reason LIMIT 5")]
    speakers = conn.execute("SELECT COUNT(*) FROM speakers WHERE NOT "
                            "(type = 'unknown' AND name = ?)",
                            (UNKNOWN_SPEAKER_NAME,)).fetchone()[0]
    top_rows = [{"id": s.id, "name": s.name, "type": s.type, "attributions": s.n_attributions,
                 "articles": s.n_articles} for s in top_speakers(conn, top)]
    return {
        "articles": articles["n"], "extracted": articles["extracted"] or 0,
        "unsupported_lang": articles["unsupported"] or 0,
        "first_date": articles["first"], "last_date": articles["last"],
        "outlets": articles["outlets"],
        "attributions": sum(kinds.values()),
        "by_kind": {k: kinds.get(k, 0) for k in KINDS},
        "speakers": speakers, "top_speakers": top_rows,
        "failures": failures["n"], "failure_reasons": reasons,
        "directory_stale": get_meta(conn, "directory_stale") == "1",
    }
