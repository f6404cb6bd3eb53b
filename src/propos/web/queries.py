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

from dataclasses import asdict, dataclass

from ..model import KINDS
from ..store.db import get_meta
from ..store.queries import BadQuery, SearchQuery, search
from ..store.speakers import top_speakers
from .charts import corpus_shares, dated_counts, time_series

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
MAX_PAGE = 500
MAX_QUERY_CHARS = 500
ROLES = ("content", "cue", "source", "via")


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
    row = conn.execute("SELECT * FROM speakers WHERE id = ?", (speaker_id,)).fetchone()
    if row is None:
        return None
    variants = [{"name": r[0], "attributions": r[1]} for r in conn.execute(
        "SELECT n.name, COUNT(a.id) FROM names n LEFT JOIN attributions a ON a.name_id = n.id "
        "WHERE n.speaker_id = ? GROUP BY n.id ORDER BY COUNT(a.id) DESC, n.name",
        (speaker_id,))]
    timeline = time_series(dated_counts(conn, speaker_id))
    alongside = [dict(r) for r in conn.execute(
        "WITH mine AS (SELECT DISTINCT a.article_id FROM attributions a "
        "JOIN names n ON n.id = a.name_id WHERE n.speaker_id = ?) "
        "SELECT s.id, s.name, s.type, COUNT(DISTINCT a.article_id) AS articles "
        "FROM mine JOIN attributions a ON a.article_id = mine.article_id "
        "JOIN names n ON n.id = a.name_id JOIN speakers s ON s.id = n.speaker_id "
        "WHERE s.id != ? AND s.type != 'unknown' "
        "GROUP BY s.id ORDER BY articles DESC, s.name LIMIT 10",
        (speaker_id, speaker_id))]
    quotes = search(conn, SearchQuery(speaker_id=speaker_id, page=page,
                                      per_page=per_page)).to_dict()
    return {
        "id": row["id"], "name": row["name"], "type": row["type"],
        "gender": row["gender"], "gender_source": row["gender_source"],
        "counts": {"attributions": row["n_attributions"], "direct": row["n_direct"],
                   "indirect": row["n_indirect"], "mixed": row["n_mixed"],
                   "articles": row["n_articles"]},
        "variants": variants, "timeline": timeline, "undated": timeline["undated"],
        "alongside": alongside,
        "quotes": {k: quotes[k] for k in ("total", "total_exact", "page", "per_page", "pages",
                                          "next", "hits")},
    }


# --------------------------------------------------------------------------- articles


def article_detail(conn: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """An article by its key (text hash): metadata, text, attributions in order (numbered
    from 1, with every span and the directory entry of the speaker) and near-copies."""
    row = conn.execute("SELECT * FROM articles WHERE hash = ?", (key,)).fetchone()
    if row is None:
        return None
    about: dict[int, list[dict[str, str]]] = {}
    for attribution_id, name, kind in conn.execute(
            "SELECT b.attribution_id, b.name, b.type FROM about b "
            "JOIN attributions a ON a.id = b.attribution_id WHERE a.article_id = ? "
            "ORDER BY b.attribution_id, b.seq", (row["id"],)):
        about.setdefault(attribution_id, []).append({"name": name, "type": kind})
    attributions = []
    for number, a in enumerate(conn.execute(
            "SELECT a.*, s.id AS speaker_id, s.name AS directory_name FROM attributions a "
            "LEFT JOIN names n ON n.id = a.name_id LEFT JOIN speakers s ON s.id = n.speaker_id "
            "WHERE a.article_id = ? ORDER BY a.seq", (row["id"],)), start=1):
        item: dict[str, Any] = {
            "id": a["id"], "number": number, "seq": a["seq"], "kind": a["kind"],
            "speaker": {"name": a["speaker_name"], "type": a["speaker_type"],
                        "gender": a["speaker_gender"],
                        "gender_source": a["speaker_gender_source"]},
            "about": about.get(a["id"], []),
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
    speakers = conn.execute("SELECT COUNT(*) FROM speakers "
                            "WHERE type != 'unknown'").fetchone()[0]
    top_rows = [{"id": s.id, "name": s.name, "type": s.type, "gender": s.gender,
                 "gender_source": s.gender_source, "attributions": s.n_attributions,
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
        "timeline": time_series(dated_counts(conn)),
        **corpus_shares(conn),
    }


def languages(conn: sqlite3.Connection) -> list[str]:
    """Languages of the extracted articles, for the directory's filter."""
    return [r[0] for r in conn.execute(
        "SELECT lang FROM articles WHERE status = 'extracted' GROUP BY lang "
        "ORDER BY COUNT(*) DESC, lang")]
