"""Statement groups in the store, updated incrementally (see :mod:`propos.provenance`).

Attributions not yet grouped are taken in ingest order (``attributions.id``); each one's
candidate copies come from ``quote_bands`` (its LSH keys, salted by its speaker's directory
key), are aligned word by word, and the attribution joins, founds or merges groups exactly as
:class:`propos.provenance.StatementGroups` does in memory. Only the groups that changed are
re-ranked (first copy, each member's wording) and re-counted. An earlier-dated copy ingested
later thus becomes its group's first copy, and the group keeps its key.

Run at the end of each ingest (after the speaker directory) and by the commands that read
groups, when attributions were written since (``quote_groups_stale``).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from typing import Any

from ..provenance import (
    MAX_CANDIDATES,
    Statement,
    band_keys,
    group_key,
    memberships_of,
    same_statement,
    words_of,
)
from .db import get_meta, set_meta, transaction
from .speakers import ensure_directory

log = logging.getLogger(__name__)

STALE = "quote_groups_stale"
# The search filter "statements that some outlet changed" (``a``: the attributions table).
ALTERED_CONDITION = ("a.id IN (SELECT m.attribution_id FROM quote_members m "
                     "JOIN quote_groups g ON g.id = m.group_id WHERE g.altered = 1)")
# Attributions grouped per transaction: a long update commits as it goes.
_CHUNK = 2000

_UNGROUPED = """
SELECT a.id, a.kind, a.content, a.seq, ar.hash AS article, ar.date,
       COALESCE(s.key, a.speaker_name) AS speaker
FROM attributions a
JOIN articles ar ON ar.id = a.article_id
LEFT JOIN names n ON n.id = a.name_id
LEFT JOIN speakers s ON s.id = n.speaker_id
WHERE NOT EXISTS (SELECT 1 FROM quote_members m WHERE m.attribution_id = a.id)
ORDER BY a.id
"""

_MEMBERS = """
SELECT a.id, a.kind, a.content, a.seq, ar.hash AS article, ar.date,
       COALESCE(ar.source, ar.hash) AS outlet
FROM quote_members m
JOIN attributions a ON a.id = m.attribution_id
JOIN articles ar ON ar.id = a.article_id
WHERE m.group_id = ?
"""


def changes_json(changes: Iterable[Any]) -> str:
    """The ``changes`` column: a JSON list of ``{op, old, new}``, "" when there are none."""
    items = [c.to_dict() for c in changes]
    return json.dumps(items, ensure_ascii=False) if items else ""


def mark_stale(conn: sqlite3.Connection) -> None:
    set_meta(conn, STALE, "1")


def update_quote_groups(conn: sqlite3.Connection) -> int:
    """Group the attributions not grouped yet; returns how many were."""
    ensure_directory(conn)
    rows = conn.execute(_UNGROUPED).fetchall()
    for start in range(0, len(rows), _CHUNK):
        with transaction(conn):
            touched: set[int] = set()
            for row in rows[start:start + _CHUNK]:
                group_id = _add(conn, row)
                if group_id is not None:
                    touched.add(group_id)
            for group_id in touched:
                _rank(conn, group_id)
    with transaction(conn):
        set_meta(conn, STALE, "0")
    if rows:
        log.info("statement groups: %d attributions grouped", len(rows))
    return len(rows)


def ensure_quote_groups(conn: sqlite3.Connection) -> None:
    """Update the groups when attributions were written since the last update."""
    if get_meta(conn, STALE, "1") != "0":
        update_quote_groups(conn)


def _add(conn: sqlite3.Connection, row: sqlite3.Row) -> int | None:
    """File one attribution in its group (found, founded or merged); returns the id of the
    group to re-rank, None when it founded one (a group of one is ranked as it is made)."""
    words = words_of(row["content"])
    keys = list(dict.fromkeys(band_keys(row["speaker"], words)))
    matches: set[int] = set()
    if keys:
        marks = ",".join("?" * len(keys))
        candidates = conn.execute(
            f"SELECT DISTINCT b.attribution_id, a.content, m.group_id FROM quote_bands b "
            f"JOIN attributions a ON a.id = b.attribution_id "
            f"JOIN quote_members m ON m.attribution_id = b.attribution_id "
            f"WHERE b.band_key IN ({marks}) ORDER BY b.attribution_id "
            f"LIMIT {MAX_CANDIDATES:d}", keys).fetchall()
        matches = {group for _, content, group in candidates
                   if same_statement(words, words_of(content))}
        conn.executemany("INSERT OR IGNORE INTO quote_bands (band_key, attribution_id) "
                         "VALUES (?, ?)", [(k, row["id"]) for k in keys])
    if not matches:
        group_id = conn.execute(
            "INSERT INTO quote_groups (key, founder_id, first_id, first_date) "
            "VALUES (?, ?, ?, ?)",
            (group_key(row["article"], row["seq"]), row["id"], row["id"], row["date"])
        ).lastrowid
        conn.execute("INSERT INTO quote_members (attribution_id, group_id, wording) "
                     "VALUES (?, ?, 'first')", (row["id"], group_id))
        return None
    founders = conn.execute(
        f"SELECT id FROM quote_groups WHERE id IN ({','.join('?' * len(matches))}) "
        f"ORDER BY founder_id", sorted(matches)).fetchall()
    group_id = founders[0][0]
    merged = [r[0] for r in founders[1:]]
    if merged:  # a copy that links two groups: the one founded first takes them in
        marks = ",".join("?" * len(merged))
        conn.execute(f"UPDATE quote_members SET group_id = ? WHERE group_id IN ({marks})",
                     [group_id, *merged])
        conn.execute(f"DELETE FROM quote_groups WHERE id IN ({marks})", merged)
    conn.execute("INSERT INTO quote_members (attribution_id, group_id, wording) "
                 "VALUES (?, ?, 'first')", (row["id"], group_id))
    return group_id


def _rank(conn: sqlite3.Connection, group_id: int) -> None:
    """Re-rank a changed group: its first copy, every member's wording, its figures."""
    group = conn.execute("SELECT founder_id FROM quote_groups WHERE id = ?",
                         (group_id,)).fetchone()
    if group is None:  # merged into another group in the same chunk
        return
    rows = conn.execute(_MEMBERS, (group_id,)).fetchall()
    statements = {r["id"]: Statement(r["id"], r["article"], r["seq"], "", r["kind"],
                                     r["content"], r["date"]) for r in rows}
    memberships = memberships_of(statements.values(), statements[group["founder_id"]])
    conn.executemany(
        "UPDATE quote_members SET wording = ?, changes = ? WHERE attribution_id = ?",
        [(m.wording, changes_json(m.changes), member) for member, m in memberships.items()])
    first = next(member for member, m in memberships.items() if m.first_seen)
    conn.execute(
        "UPDATE quote_groups SET first_id = ?, first_date = ?, n_members = ?, n_outlets = ?, "
        "altered = ? WHERE id = ?",
        (first, statements[first].date, len(rows), len({r["outlet"] for r in rows}),
         int(any(m.wording == "altered" for m in memberships.values())), group_id))
