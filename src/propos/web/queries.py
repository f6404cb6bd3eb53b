"""The web app's read queries: paginated, filtered search; speaker, article and corpus pages.

The store's own ``queries.search`` answers the CLI (one page, a few filters). The web needs
pages with a total, more filters (speaker type, outlet, a directory entry by id) and the
per-speaker and per-article views, so those queries live here, reusing the store's safe FTS5
expression builder (:func:`propos.store.queries.fts_query`), its speaker matcher and its date
bounds. Every value is a bound parameter; only fixed fragments of SQL are assembled.

Every function returns plain JSON-ready dicts: the JSON API returns them as they are and the
templates render the same dicts, so the pages and the API cannot drift apart.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from ..ingest.dates import parse_bound
from ..model import CUE_TYPES, KINDS, SPEAKER_TYPES, UNKNOWN_SPEAKER_NAME
from ..store.db import get_meta
from ..store.queries import fts_query
from ..store.speakers import find_speakers, top_speakers

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
MAX_PAGE = 500
MAX_QUERY_CHARS = 500
ROLES = ("content", "cue", "source", "via")


class BadQuery(ValueError):
    """A parameter that is well-formed but cannot be used (a date that is not a date)."""


@dataclass(frozen=True)
class SearchParams:
    """What a search page or ``/api/search`` asks for; empty strings mean "no filter"."""

    q: str = ""
    speaker: str = ""
    speaker_id: int | None = None
    speaker_type: str = ""
    kind: str = ""
    cue_type: str = ""
    since: str = ""
    until: str = ""
    outlet: str = ""
    page: int = 1
    per_page: int = 20

    @property
    def filtered(self) -> bool:
        return bool(self.speaker or self.speaker_id is not None or self.speaker_type
                    or self.kind or self.cue_type or self.since or self.until or self.outlet)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _empty(params: SearchParams, message: str | None) -> dict[str, Any]:
    return {"query": params.to_dict(), "total": 0, "page": params.page,
            "per_page": params.per_page, "pages": 0, "hits": [], "message": message}


def search_quotes(conn: sqlite3.Connection, params: SearchParams) -> dict[str, Any]:
    """One page of quotes matching ``params``, best first (newest first without words).

    The same quote by the same speaker in several articles (wire copies) is one hit with
    ``copies`` saying how many times it matched (once per article, but for a speaker who
    repeats the very same words in one article), as in ``propos search``; grouping and the
    total are computed in one SQL pass (``COUNT(*) OVER ()`` after ``GROUP BY``).
    Raises :class:`BadQuery` for an unusable kind, cue type, speaker type or date.
    """
    text = params.q.strip()
    match = fts_query(text) if text else None
    if text and match is None:
        return _empty(params, f"nothing to search for: {params.q!r} has no words "
                              f"(letters or digits) in it")
    if match is None and not params.filtered:  # as `propos search`: not the whole corpus
        return _empty(params, "give words to search for, or a filter (speaker, speaker "
                              "type, kind, cue type, dates, outlet)")
    if params.kind and params.kind not in KINDS:
        raise BadQuery(f"unknown kind {params.kind!r} (one of {', '.join(KINDS)})")
    if params.cue_type and params.cue_type not in CUE_TYPES:
        raise BadQuery(f"unknown cue type {params.cue_type!r} (one of {', '.join(CUE_TYPES)})")
    if params.speaker_type and params.speaker_type not in SPEAKER_TYPES:
        raise BadQuery(f"unknown speaker type {params.speaker_type!r} "
                       f"(one of {', '.join(SPEAKER_TYPES)})")
    where: list[str] = []
    args: list[Any] = []
    if match is not None:
        where.append("quotes_fts MATCH ?")
        args.append(match)
    if params.speaker_id is not None:
        where.append("n.speaker_id = ?")
        args.append(params.speaker_id)
    if params.speaker:
        ids = find_speakers(conn, params.speaker)
        if not ids:
            return _empty(params, f"no speaker matching {params.speaker!r} in the directory")
        where.append(f"n.speaker_id IN ({','.join('?' * len(ids))})")
        args.extend(ids)
    if params.speaker_type:
        where.append("COALESCE(s.type, a.speaker_type) = ?")
        args.append(params.speaker_type)
    if params.kind:
        where.append("a.kind = ?")
        args.append(params.kind)
    if params.cue_type:
        where.append("a.cue_type = ?")
        args.append(params.cue_type)
    try:
        if params.since:
            where.append("ar.date >= ?")
            args.append(parse_bound(params.since))
        if params.until:
            # "2024-03" includes 2024-03-31: compare with "2024-03~" ('~' sorts after every
            # character of an ISO date), which, unlike substr(), can use the date index.
            where.append("ar.date <= ?")
            args.append(parse_bound(params.until) + "~")
    except ValueError as exc:
        raise BadQuery(str(exc)) from exc
    if params.outlet:
        where.append("ar.source = ?")
        args.append(params.outlet)

    # Only the joins a filter (or the order) needs: on a broad query every join is paid
    # once per matching row, and most of the time goes there.
    need_article = bool(params.since or params.until or params.outlet) or match is None
    joins = "LEFT JOIN names n ON n.id = a.name_id "
    if params.speaker_type:
        joins += "LEFT JOIN speakers s ON s.id = n.speaker_id "
    if need_article:
        joins = "JOIN articles ar ON ar.id = a.article_id " + joins
    if match is not None:
        inner_from = "quotes_fts JOIN attributions a ON a.id = quotes_fts.rowid"
        key = "bm25(quotes_fts, 1.0, 1.0, 0.5)"
        pick, order = "MIN(k)", "k, id"
    else:
        inner_from = "attributions a"
        key = "COALESCE(ar.date, '') || printf('%012d', 999999999999 - a.id)"
        pick, order = "MAX(k)", "k DESC"
    # The matching rows are a MATERIALIZED CTE: bm25() only works in the query that runs
    # the MATCH, and SQLite would otherwise fold the subquery into the grouping query.
    sql = (
        "WITH m AS MATERIALIZED ("
        "SELECT a.id AS id, a.content AS content, "
        f"COALESCE(n.speaker_id, -a.name_id) AS who, {key} AS k "
        f"FROM {inner_from} {joins}"
        f"WHERE {' AND '.join(where) or '1'}) "
        f"SELECT id, {pick} AS k, COUNT(*) AS copies, "
        "COUNT(*) OVER () AS total FROM m GROUP BY who, content "
        f"ORDER BY {order} LIMIT ? OFFSET ?")
    args.extend([params.per_page, (params.page - 1) * params.per_page])
    try:
        rows = conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError as exc:  # the expression is rebuilt: should not happen
        log.error("search failed for %r (%s): %s", params.q, match, exc)
        return _empty(params, "search failed")
    if not rows:
        total = 0
        if params.page > 1:  # past the last page: say how many there are
            total = _count(conn, sql, args)
        out = _empty(params, "no quote matches" if not total else
                     f"page {params.page} is past the last page")
        out["total"] = total
        out["pages"] = -(-total // params.per_page)
        return out
    total = int(rows[0]["total"])
    copies = {row["id"]: int(row["copies"]) for row in rows}
    hits = quotes_by_id(conn, [row["id"] for row in rows])
    for hit in hits:
        hit["copies"] = copies.get(hit["id"], 1)
    return {"query": params.to_dict(), "total": total, "page": params.page,
            "per_page": params.per_page, "pages": -(-total // params.per_page),
            "hits": hits, "message": None}


def _count(conn: sqlite3.Connection, sql: str, args: list[Any]) -> int:
    row = conn.execute(sql, args[:-2] + [1, 0]).fetchone()
    return int(row["total"]) if row else 0


_QUOTE_COLUMNS = (
    "SELECT a.id, a.kind, a.content, a.content_start, a.content_end, a.speaker_name, "
    "a.speaker_type, a.cue_type, s.id AS speaker_id, s.name AS speaker, "
    "s.type AS directory_type, ar.hash, ar.title, ar.date, ar.source, ar.url "
    "FROM attributions a JOIN articles ar ON ar.id = a.article_id "
    "LEFT JOIN names n ON n.id = a.name_id LEFT JOIN speakers s ON s.id = n.speaker_id ")


def quotes_by_id(conn: sqlite3.Connection, ids: list[int]) -> list[dict[str, Any]]:
    """Search hits for attribution ``ids``, in the order given."""
    if not ids:
        return []
    rows = conn.execute(_QUOTE_COLUMNS + f"WHERE a.id IN ({','.join('?' * len(ids))})",
                        ids).fetchall()
    by_id = {row["id"]: _hit(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def _hit(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"], "kind": row["kind"], "cue_type": row["cue_type"],
        "content": row["content"], "start": row["content_start"], "end": row["content_end"],
        "speaker": {"id": row["speaker_id"], "name": row["speaker"] or row["speaker_name"],
                    "type": row["directory_type"] or row["speaker_type"]},
        "speaker_as_written": row["speaker_name"],
        "article": {"id": row["hash"], "title": row["title"], "date": row["date"],
                    "source": row["source"], "url": row["url"]},
        "copies": 1,
    }


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
    quotes = search_quotes(conn, SearchParams(speaker_id=speaker_id, page=page,
                                              per_page=per_page))
    return {
        "id": row["id"], "name": row["name"], "type": row["type"],
        "counts": {"attributions": row["n_attributions"], "direct": row["n_direct"],
                   "indirect": row["n_indirect"], "mixed": row["n_mixed"],
                   "articles": row["n_articles"]},
        "variants": variants, "timeline": timeline, "undated": undated,
        "alongside": alongside,
        "quotes": {k: quotes[k] for k in ("total", "page", "per_page", "pages", "hits")},
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


def outlets(conn: sqlite3.Connection, limit: int = 200) -> list[str]:
    """Outlet names for the search form's list, most frequent first."""
    return [r[0] for r in conn.execute(
        "SELECT source FROM articles WHERE source IS NOT NULL AND source != '' "
        "GROUP BY source ORDER BY COUNT(*) DESC, source LIMIT ?", (limit,))]
