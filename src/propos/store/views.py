"""The reads behind the web pages and the API: a speaker's entry, an article with its
attributions, the corpus's counts, and the statement groups' badges and timelines.

Plain JSON-ready dicts (:mod:`propos.web` adds the charts and the search results); every
value is a bound parameter. With :mod:`.queries` (search) this is all the SQL the web
app needs.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..model import KINDS
from ..provenance import diff_pieces, publication_order
from .db import get_meta
from .speakers import top_speakers

ROLES = ("content", "cue", "source", "via")

_BADGES = """
SELECT m.attribution_id, m.wording, g.key, g.n_members, g.n_outlets, g.first_date, g.altered
FROM quote_members m JOIN quote_groups g ON g.id = m.group_id
WHERE m.attribution_id IN ({marks})
"""

_MEMBERS = """
SELECT a.id, a.kind, a.content, a.content_start, a.content_end, a.speaker_name,
       a.speaker_type, s.id AS speaker_id, s.name AS speaker, m.wording, m.changes,
       ar.hash, ar.title, ar.date, ar.source, ar.url
FROM quote_members m
JOIN attributions a ON a.id = m.attribution_id
JOIN articles ar ON ar.id = a.article_id
LEFT JOIN names n ON n.id = a.name_id
LEFT JOIN speakers s ON s.id = n.speaker_id
WHERE m.group_id = ?
"""


def speaker_name(conn: sqlite3.Connection, speaker_id: int) -> str | None:
    row = conn.execute("SELECT name FROM speakers WHERE id = ?", (speaker_id,)).fetchone()
    return row[0] if row else None


def speaker_entry(conn: sqlite3.Connection, speaker_id: int) -> dict[str, Any] | None:
    """A directory entry: its fields, counts, name variants and who is quoted alongside it
    (in the same articles); None when there is no such entry."""
    row = conn.execute("SELECT * FROM speakers WHERE id = ?", (speaker_id,)).fetchone()
    if row is None:
        return None
    variants = [{"name": r[0], "attributions": r[1]} for r in conn.execute(
        "SELECT n.name, COUNT(a.id) FROM names n LEFT JOIN attributions a ON a.name_id = n.id "
        "WHERE n.speaker_id = ? GROUP BY n.id ORDER BY COUNT(a.id) DESC, n.name",
        (speaker_id,))]
    alongside = [dict(r) for r in conn.execute(
        "WITH mine AS (SELECT DISTINCT a.article_id FROM attributions a "
        "JOIN names n ON n.id = a.name_id WHERE n.speaker_id = ?) "
        "SELECT s.id, s.name, s.type, COUNT(DISTINCT a.article_id) AS articles "
        "FROM mine JOIN attributions a ON a.article_id = mine.article_id "
        "JOIN names n ON n.id = a.name_id JOIN speakers s ON s.id = n.speaker_id "
        "WHERE s.id != ? AND s.type != 'unknown' "
        "GROUP BY s.id ORDER BY articles DESC, s.name LIMIT 10",
        (speaker_id, speaker_id))]
    return {
        "id": row["id"], "name": row["name"], "type": row["type"],
        "gender": row["gender"], "gender_source": row["gender_source"],
        "counts": {"attributions": row["n_attributions"], "direct": row["n_direct"],
                   "indirect": row["n_indirect"], "mixed": row["n_mixed"],
                   "articles": row["n_articles"]},
        "variants": variants, "alongside": alongside,
    }


def dated_quote_counts(conn: sqlite3.Connection, speaker_id: int | None = None) -> dict[str, int]:
    """Quotes per article date: the corpus's, or one directory entry's."""
    if speaker_id is None:
        sql = ("SELECT ar.date, SUM(ar.n_attributions) FROM articles ar "
               "WHERE ar.n_attributions > 0 GROUP BY ar.date")
        return {row[0] or "": row[1] for row in conn.execute(sql)}
    return {row[0] or "": row[1] for row in conn.execute(
        "SELECT ar.date, COUNT(*) FROM attributions a JOIN articles ar ON ar.id = a.article_id "
        "JOIN names n ON n.id = a.name_id WHERE n.speaker_id = ? GROUP BY ar.date",
        (speaker_id,))}


def share_counts(conn: sqlite3.Connection) -> dict[str, list[tuple[str | None, int]]]:
    """Quotes by speaker type, by gender (persons) and by outlet, as (value, count) rows."""
    by_type = conn.execute(
        "SELECT COALESCE(s.type, a.speaker_type), COUNT(*) FROM attributions a "
        "LEFT JOIN names n ON n.id = a.name_id LEFT JOIN speakers s ON s.id = n.speaker_id "
        "GROUP BY 1").fetchall()
    by_gender = conn.execute(
        "SELECT COALESCE(s.gender, a.speaker_gender), COUNT(*) FROM attributions a "
        "LEFT JOIN names n ON n.id = a.name_id LEFT JOIN speakers s ON s.id = n.speaker_id "
        "WHERE COALESCE(s.type, a.speaker_type) = 'person' GROUP BY 1").fetchall()
    by_outlet = conn.execute(
        "SELECT ar.source, COUNT(*) FROM attributions a JOIN articles ar ON ar.id = a.article_id "
        "GROUP BY 1").fetchall()
    return {"by_type": [tuple(r) for r in by_type], "by_gender": [tuple(r) for r in by_gender],
            "by_outlet": [tuple(r) for r in by_outlet]}


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


def corpus_counts(conn: sqlite3.Connection, top: int = 10) -> dict[str, Any]:
    """The home page's counts: how much is in the store, who speaks most, what failed."""
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
    }


def languages(conn: sqlite3.Connection) -> list[str]:
    """Languages of the extracted articles, for the directory's filter."""
    return [r[0] for r in conn.execute(
        "SELECT lang FROM articles WHERE status = 'extracted' GROUP BY lang "
        "ORDER BY COUNT(*) DESC, lang")]


def quote_badges(conn: sqlite3.Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    """attribution id → its group's badge (key, members, outlets, since, altered, its own
    wording), for attributions in a group of more than one copy."""
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in conn.execute(_BADGES.format(marks=",".join("?" * len(chunk))), chunk):
            if row["n_members"] > 1:
                out[row["attribution_id"]] = {
                    "group": row["key"], "members": row["n_members"],
                    "outlets": row["n_outlets"], "since": row["first_date"],
                    "altered": bool(row["altered"]), "wording": row["wording"]}
    return out


def article_mentions(conn: sqlite3.Connection, key: str) -> dict[str, list[dict[str, Any]]]:
    """The dates and amounts stored for the article with key ``key``, in text order."""
    row = conn.execute("SELECT id FROM articles WHERE hash = ?", (key,)).fetchone()
    if row is None:
        return {"dates": [], "amounts": []}
    dates = [dict(r) for r in conn.execute(
        'SELECT start, "end", text, value FROM dates WHERE article_id = ? ORDER BY start',
        (row[0],))]
    amounts = []
    for r in conn.execute('SELECT start, "end", text, value, unit, approx FROM amounts '
                          "WHERE article_id = ? ORDER BY start", (row[0],)):
        value = r["value"]
        amounts.append({"start": r["start"], "end": r["end"], "text": r["text"],
                        "value": int(value) if float(value).is_integer() else value,
                        "unit": r["unit"], "approx": bool(r["approx"])})
    return {"dates": dates, "amounts": amounts}


def quote_group_detail(conn: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """A statement: its first appearance, then every copy in publication order (date,
    outlet, article), each with its wording, its changes and, for altered copies, its text
    cut into pieces against the first copy; paraphrases point to the verbatim copy they
    report (the first direct one)."""
    group = conn.execute("SELECT * FROM quote_groups WHERE key = ?", (key,)).fetchone()
    if group is None:
        return None
    rows = sorted(conn.execute(_MEMBERS, (group["id"],)).fetchall(),
                  key=lambda r: publication_order(r["date"], r["id"]))
    first = next(r for r in rows if r["id"] == group["first_id"])
    verbatim = next((r["id"] for r in rows if r["kind"] == "direct"), None)
    copies = []
    for r in rows:
        copies.append({
            "id": r["id"], "kind": r["kind"], "content": r["content"],
            "start": r["content_start"], "end": r["content_end"],
            "speaker": {"id": r["speaker_id"], "name": r["speaker"] or r["speaker_name"],
                        "type": r["speaker_type"]},
            "article": {"id": r["hash"], "title": r["title"], "date": r["date"],
                        "source": r["source"], "url": r["url"]},
            "wording": r["wording"], "first_seen": r["id"] == group["first_id"],
            "changes": json.loads(r["changes"]) if r["changes"] else [],
            "pieces": ([{"op": op, "text": text} for op, text in
                        diff_pieces(first["content"], r["content"])]
                       if r["wording"] == "altered" else []),
            "reports": verbatim if r["wording"] == "paraphrase" and r["kind"] != "direct"
            else None,
        })
    return {"group": group["key"], "members": group["n_members"],
            "outlets": group["n_outlets"], "since": group["first_date"],
            "altered": bool(group["altered"]),
            "first": next(c for c in copies if c["first_seen"]), "copies": copies}
