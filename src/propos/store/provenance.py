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

import logging
import sqlite3

from ..provenance import (
    changes_json,
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
_CHUNK = 5000
# SQLite page cache while grouping (KiB): the band index of a million quotes fits.
_CACHE_KIB = 256 * 1024

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




def mark_stale(conn: sqlite3.Connection) -> None:
    set_meta(conn, STALE, "1")


def update_quote_groups(conn: sqlite3.Connection) -> int:
    """Group the attributions not grouped yet; returns how many were."""
    ensure_directory(conn)
    rows = conn.execute(_UNGROUPED).fetchall()
    (previous_cache,) = conn.execute("PRAGMA cache_size").fetchone()
    # The band index is read and written at random: keep it in memory while grouping.
    conn.execute(f"PRAGMA cache_size = {-_CACHE_KIB:d}")
    try:
        for start in range(0, len(rows), _CHUNK):
            with transaction(conn):
                # Another ingest into the same database may have grouped some of these since
                # they were read: inside the write transaction, skip what it did.
                part = rows[start:start + _CHUNK]
                ids = [row["id"] for row in part]
                grouped = {r[0] for k in range(0, len(ids), 500) for r in conn.execute(
                    "SELECT attribution_id FROM quote_members WHERE attribution_id IN (%s)"
                    % ",".join("?" * len(ids[k:k + 500])), ids[k:k + 500])}
                chunk = _Chunk(conn)
                for row in part:
                    if row["id"] not in grouped:
                        chunk.add(row)
                chunk.finish()
        with transaction(conn):
            set_meta(conn, STALE, "0")
    finally:
        conn.execute(f"PRAGMA cache_size = {int(previous_cache):d}")
    if rows:
        log.info("statement groups: %d attributions grouped", len(rows))
    return len(rows)


def ensure_quote_groups(conn: sqlite3.Connection) -> None:
    """Update the groups when attributions were written since the last update."""
    if get_meta(conn, STALE, "1") != "0":
        update_quote_groups(conn)


class _Chunk:
    """One transaction's worth of attributions. Their band keys are held here and written
    at the end in key order (random inserts into a large index cost several times more);
    meanwhile they are candidates for the rest of the chunk as if they were stored."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.bands: dict[int, list[int]] = {}
        self.touched: set[int] = set()

    def add(self, row: sqlite3.Row) -> None:
        """File one attribution in its group: found, founded, or merged from several."""
        conn = self.conn
        words = words_of(row["content"])
        keys = list(dict.fromkeys(band_keys(row["speaker"], words)))
        matches = {group for content, group in self._candidates(keys)
                   if same_statement(words, words_of(content))}
        for key in keys:
            self.bands.setdefault(key, []).append(row["id"])
        if not matches:  # a group of one is ranked as it is made
            group_id = conn.execute(
                "INSERT INTO quote_groups (key, founder_id, first_id, first_date) "
                "VALUES (?, ?, ?, ?)",
                (group_key(row["article"], row["seq"]), row["id"], row["id"], row["date"])
            ).lastrowid
            conn.execute("INSERT INTO quote_members (attribution_id, group_id, wording) "
                         "VALUES (?, ?, 'first')", (row["id"], group_id))
            return
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
        self.touched.add(group_id)

    def _candidates(self, keys: list[int]) -> list[tuple[str, int]]:
        """(content, group id) of the earliest-ingested quotes sharing a band key, at most
        MAX_CANDIDATES: stored ones first (they were all ingested before this chunk)."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        stored = self.conn.execute(
            f"SELECT DISTINCT b.attribution_id FROM quote_bands b WHERE b.band_key IN "
            f"({marks}) ORDER BY b.attribution_id LIMIT {MAX_CANDIDATES:d}", keys).fetchall()
        ids = [r[0] for r in stored]
        if len(ids) < MAX_CANDIDATES:
            pending = sorted({i for key in keys for i in self.bands.get(key, ())})
            ids += pending[:MAX_CANDIDATES - len(ids)]
        if not ids:
            return []
        return self.conn.execute(
            f"SELECT a.content, m.group_id FROM attributions a JOIN quote_members m "
            f"ON m.attribution_id = a.id WHERE a.id IN ({','.join('?' * len(ids))})",
            ids).fetchall()

    def finish(self) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO quote_bands (band_key, attribution_id) VALUES (?, ?)",
            sorted((key, i) for key, ids in self.bands.items() for i in ids))
        for group_id in self.touched:
            _rank(self.conn, group_id)


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
