"""The web's statement-group queries: a statement's timeline, and the badges of hits and
articles ("seen in N outlets since DATE", "altered").

Plain JSON-ready dicts, as in :mod:`.queries`: ``/api/quotes/{group}`` returns what the
statement page renders. Groups are kept up to date by ingest (:mod:`propos.store.provenance`);
the web only reads them.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..provenance import diff_pieces, publication_order

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


def add_quote_badges(conn: sqlite3.Connection, items: list[dict[str, Any]]) -> None:
    """Set ``quote`` (a badge, or None) on each hit or attribution dict with an ``id``."""
    badges = quote_badges(conn, [item["id"] for item in items if item.get("id") is not None])
    for item in items:
        item["quote"] = badges.get(item.get("id"))  # type: ignore[arg-type]


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


def with_provenance(conn: sqlite3.Connection, detail: dict[str, Any]) -> dict[str, Any]:
    """An article's detail with its dates and amounts, and its quotes' statement badges."""
    add_quote_badges(conn, detail["attributions"])
    return {**detail, **article_mentions(conn, detail["id"])}


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
